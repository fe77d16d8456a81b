"""Django settings for the shop project."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "tPma6Cgz-e~B-m*0H9WY4z%aDra0CQGvRk3m6%jgWEa!M.eRF7"
DEBUG = False
ALLOWED_HOSTS = ["shop.corp.internal"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop_web",
        "PASSWORD": "v*Mmv4YrimiePTQzBPxQETS2A",
        "HOST": "shop-pg.corp.internal",
        "PORT": "5432",
    },
    "analytics": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": "analytics",
        "USER": "analytics",
        "PASSWORD": os.environ.get("ANALYTICS_DB_PASSWORD", ""),
        "HOST": "analytics-db.corp.internal",
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://:GjvFblaabekiyPWojOruoJ4N4a-tmgr@shop-cache.corp.internal:6379/2",
    }
}

EMAIL_HOST = "smtp.corp.internal"
EMAIL_HOST_USER = "shop-noreply"
EMAIL_HOST_PASSWORD = "p#ufMFX41*q.WZKMT+J-LwqjA"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
PASSWORD_MIN_LENGTH = 12
