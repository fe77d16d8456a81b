variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "orders_db_password" {
  type        = string
  description = "Master password of the orders database"
  default     = "Tq4#vLm9Zx2Rk8Wp"
}

variable "reports_db_password" {
  type      = string
  sensitive = true
}

variable "api_token_ttl" {
  default = "3600"
}
