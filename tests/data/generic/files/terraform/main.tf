terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    vault = {
      source  = "hashicorp/vault"
      version = "~> 4.0"
    }
  }
}

provider "vault" {
  address = "https://vault.corp.internal:8200"
}

variable "db_password" {
  type      = string
  sensitive = true
}

data "vault_generic_secret" "reporting" {
  path = "secret/reporting/db"
}

locals {
  pw        = data.vault_generic_secret.reporting.data["password"]
  legacy_pw = "X#Q#L..&LaSzee*KeMLHvv6A*"
}

resource "random_password" "analytics" {
  length  = 24
  special = true
}

resource "aws_db_instance" "orders" {
  identifier     = "orders-prod"
  engine         = "postgres"
  instance_class = "db.m6g.large"
  username       = "orders_admin"
  password       = var.db_password
}

resource "aws_db_instance" "reporting" {
  identifier = "reporting-prod"
  engine     = "postgres"
  username   = "reporting_admin"
  password   = local.pw
}

resource "aws_db_instance" "legacy" {
  identifier = "legacy-prod"
  engine     = "mysql"
  username   = "legacy_admin"
  password   = "c9*csMns_Q"
}

resource "aws_db_instance" "analytics" {
  identifier = "analytics-prod"
  engine     = "postgres"
  username   = "analytics_admin"
  password   = random_password.analytics.result
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "sessions"
  description                = "session store"
  transit_encryption_enabled = true
  auth_token                 = "0EZbQLKzMhuonlOG9FwLDrRhiCiUxYjS"
}

resource "kubernetes_secret" "orders_db" {
  metadata {
    name      = "orders-db"
    namespace = "orders"
  }
  data = {
    password = data.vault_generic_secret.reporting.data["pw"]
    url      = "postgres://orders_admin:wDOsag6l3D9eMLAwtypfE1HZTXfO_p1@${aws_db_instance.orders.address}:5432/orders"
  }
}

resource "mysql_user" "app" {
  user               = "app"
  host               = "%"
  plaintext_password = "Wombat%walnut6668"
}
