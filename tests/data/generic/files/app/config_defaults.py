"""Settings read from the environment, with fallbacks for local runs."""
import ftplib
import os

import environ
import MySQLdb
from decouple import config

env = environ.Env()

SECRET_KEY = os.getenv("DJANGO_SECRET_KEY", "r7Vq2Lm9XkT4pZ8wN3bY6cJ1")
DEBUG = os.getenv("DJANGO_DEBUG", "0") == "1"
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="Hn5#tR8wQz2L")
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="shop-noreply")
REDIS_PASSWORD = config("REDIS_PASSWORD", default="Jm3#Xq8Rt5vW")
SENTRY_DSN = config("SENTRY_DSN", default="")
API_TOKEN = os.environ.get("PARTNER_API_TOKEN") or "Zt4Kp9WmQ2xR7vLb3Nc8"
ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD") or "changeme"
DB_PASSWORD = os.environ.get("DB_PASSWORD") or input("DB password: ")


def legacy_connection():
    return MySQLdb.connect("legacy-db.corp.internal", "reports", "Tq9#Lz3Wp6Rk", "reports")


def reports_connection(host, user, password):
    return MySQLdb.connect(host, user, password, "reports")


def upload(path):
    with ftplib.FTP("ftp.partner.example", "shop-upload", "Kt4!Rw9Qz2Lm") as ftp:
        ftp.storbinary(f"STOR {os.path.basename(path)}", open(path, "rb"))


def mirror():
    return ftplib.FTP("ftp.gnu.org", "anonymous", "mirror@example.net")
