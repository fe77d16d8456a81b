"""HTTP and mail clients for the shop back office."""
import getpass
import os
import smtplib

import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from .config import config

INVENTORY_API = "https://inventory.corp.internal/api/v2"
# staging creds for the ERP sandbox: user erp-sync, password oROYjj+k3jq0MOgY. (ask ops before using)


def fetch_stock(sku):
    return requests.get(f"{INVENTORY_API}/stock/{sku}", auth=("shop-sync", "p&Gh_KLrogLq_FRI~olS2.e4Be7CDr"), timeout=10)


def fetch_prices():
    return requests.get(f"{INVENTORY_API}/prices", auth=HTTPBasicAuth("shop-sync", "yfDgA~kQ1tAuT&yeR.8D0c!d_9OXs"), timeout=10)


def fetch_legacy():
    return requests.get("https://legacy-erp.corp.internal/export", auth=HTTPDigestAuth("erp-export", "F#&DhdOmpSbme29u+^Ks5"))


def fetch_orders():
    return requests.get("https://orders.corp.internal/api/orders", headers={"Authorization": "Bearer y5_Bw0JsP2H0zeh4rJ9FDW2C5g"})


def create_shipment(payload):
    headers = {"X-Api-Key": "zqbQIXwP-GZCNRKNALFI20z6Ji6FNSbMmHmZM2SM", "Content-Type": "application/json"}
    return requests.post("https://api.partner.example/v1/shipments", headers=headers, json=payload)


def fetch_from_config():
    return requests.get(INVENTORY_API, auth=(config["inventory_user"], config["password"]))


def fetch_with_env_token():
    token = os.getenv("ORDERS_TOKEN")
    return requests.get("https://orders.corp.internal/api/orders", headers={"Authorization": f"Bearer {token}"})


def send_report(body):
    with smtplib.SMTP("smtp.corp.internal", 587) as smtp:
        smtp.starttls()
        smtp.login("reports@corp.internal", "0Le4.hhA+~M#W*+")
        smtp.sendmail("reports@corp.internal", ["ops@corp.internal"], body)


def send_alert(body):
    with smtplib.SMTP_SSL("smtp.corp.internal") as smtp:
        smtp.login(config["smtp_user"], getpass.getpass("SMTP password: "))
        smtp.sendmail(config["smtp_user"], ["oncall@corp.internal"], body)
