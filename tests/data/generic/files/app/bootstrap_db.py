"""Create the application roles on a fresh database cluster."""
import getpass
import os

import psycopg2
import pymysql

ADMIN_DSN = "host=pg-primary.corp.internal port=5432 dbname=postgres user=admin password=iqDkYXLIasxBu8~uv71U sslmode=require"


def create_roles(conn):
    with conn.cursor() as cur:
        cur.execute("CREATE ROLE ledger_app LOGIN PASSWORD 'fbIRI1JDIXx77K38iqop1ZW7RzB'")
        cur.execute("ALTER ROLE ledger_batch WITH PASSWORD 'Kestrel_733'")
        cur.execute(
            "CREATE USER ledger_audit WITH ENCRYPTED PASSWORD "
            "'8IxQr.cuAQ7M.MXL4Ic!j&D_L.' VALID UNTIL 'infinity'"
        )
    conn.commit()


def rotate(conn, role, new_password):
    with conn.cursor() as cur:
        # parameterized; never build the statement by hand
        cur.execute("ALTER ROLE ledger_app WITH PASSWORD %s", (new_password,))
        cur.execute(f"ALTER ROLE {role} PASSWORD '{new_password}'")
    conn.commit()


def create_mysql_users():
    conn = pymysql.connect(host="mysql-legacy.corp.internal", user="root", password="xvPbUNw*aas#S4&fZL-iQbDbfQM5f")
    cur = conn.cursor()
    cur.execute("CREATE USER 'ledger'@'%' IDENTIFIED BY 'sfpNtMV!lG97+*+'")
    cur.execute("ALTER USER 'ledger'@'%' IDENTIFIED WITH mysql_native_password BY 'Gondola3844_'")
    cur.execute("SET PASSWORD FOR 'ledger_ro'@'%' = 'Gir1xm5Z7w_l+-t58bO-ArP%ONwyb'")
    cur.execute("ALTER USER 'ledger'@'%' IDENTIFIED BY %s", (os.environ["LEDGER_DB_PASSWORD"],))
    cur.execute("CREATE USER 'ops'@'localhost' IDENTIFIED WITH auth_socket")
    conn.commit()


def main():
    admin_pw = os.getenv("PG_ADMIN_PASSWORD") or getpass.getpass("admin password: ")
    if admin_pw:
        conn = psycopg2.connect(host="pg-primary.corp.internal", user="admin", password=admin_pw, dbname="postgres")
    else:
        conn = psycopg2.connect(ADMIN_DSN)
    create_roles(conn)
    create_mysql_users()


if __name__ == "__main__":
    main()
