#!/usr/bin/env bash
# Post-deploy smoke check against staging.
set -u
BASE=https://stg.orders.corp.internal

curl -fsS "$BASE/health"
curl -fsS -H "Authorization: Bearer XLgM6LeZs8bM3sT9d6H8q7Uiye-7EKWQEF9z" "$BASE/api/orders?limit=1" > /dev/null
curl -fsS -H 'Authorization: Basic c21va2UtYWRtaW46MXk4MG43M1RHQyNSR2ElSTI4bk5KM3o3eW9GIQ==' "$BASE/api/admin/stats"
curl -fsS -H "Authorization: Token MvrKkBOk8EFw7ph4YhsWHXV0iT3pdYa3M1aoADYd" https://stg.admin.corp.internal/api/users/
curl -fsS -H "X-Api-Key: Z-1hgbtG6JTM2F8Iq0FSVacu4I4R6I0LAIf0yNh6" https://stg.partner-gw.corp.internal/v1/ping
curl -fsS --header "X-Auth-Token: 55QasP5Wvn-rgMEbX3B9a2_E7Zz3l0v_oQ4" https://stg.swift.corp.internal/v1/AUTH_ops
curl -fsS -u smoke:a1xC4m+@fX9o@cyVW "$BASE/api/admin/stats"
curl -fsS -H "Authorization: Bearer $ORDERS_TOKEN" "$BASE/api/orders"
curl -fsS -H "X-Api-Key: ${PARTNER_KEY}" https://stg.partner-gw.corp.internal/v1/ping
curl -fsS -u "$SMOKE_USER:$SMOKE_PASS" "$BASE/api/admin/stats"
curl -fsS -H "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c" "$BASE/api/debug/jwt"
curl -fsS -H "X-Request-Id: $(uuidgen)" "$BASE/api/orders?limit=1"
curl -fsS --netrc-file ~/.config/smoke/netrc "$BASE/api/admin/stats"
echo "smoke check passed"
