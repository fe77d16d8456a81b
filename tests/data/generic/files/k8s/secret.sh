#!/usr/bin/env bash
# Recreate the runtime secrets for the payments namespace.
set -euo pipefail
NS=payments

kubectl -n "$NS" delete secret payments-db --ignore-not-found
kubectl -n "$NS" create secret generic payments-db \
  --from-literal=username=payments \
  --from-literal=password=tq5lQWm.lCqcVak@Vpg
kubectl -n "$NS" create secret generic payments-smtp --from-literal=SMTP_USER=noreply --from-literal=SMTP_PASSWORD=lxucMuC@g0go_y1,Vehe+G8EYHnTpZ9M
kubectl -n "$NS" create secret generic payments-api --from-literal=api-key=9oG56WEP6ekvWt-h9BDrA0ClsQi1lmpEQFI
kubectl -n "$NS" create secret docker-registry regcred --docker-server=registry.corp.internal --docker-username=k8s-pull --docker-password=a5@cF@lAhL5SqBEZqRn9HK6QUKaG
kubectl -n "$NS" create secret generic payments-jwt --from-file=signing.key=./jwt-signing.key
kubectl -n "$NS" create secret generic payments-redis --from-literal=password="$(openssl rand -base64 24)"
kubectl -n "$NS" create secret generic payments-vault --from-literal=token="${VAULT_TOKEN:?set VAULT_TOKEN}"
kubectl -n "$NS" create secret tls payments-tls --cert=tls.crt --key=tls.key
kubectl -n "$NS" patch secret payments-db -p '{"stringData":{"password":"HD2w%jyKDXwbuh&9hGp3Y^&9w5C0v%m!"}}'
kubectl -n "$NS" get secret payments-db -o jsonpath='{.data.password}' | base64 -d
