# fish shell environment for the ops workstation
set -gx PAGER less
set -gx VAULT_ADDR https://vault.corp.internal:8200
set -gx GRAFANA_ADMIN_PASSWORD 'Gz6!Tq2Lw9Rk'
set -Ux HONEYCOMB_API_KEY Hc4Tq9Wz2Lr7Kp3Xm8Vn
set -e GRAFANA_ADMIN_PASSWORD
set -gx PASSWORD_STORE_DIR ~/.password-store
