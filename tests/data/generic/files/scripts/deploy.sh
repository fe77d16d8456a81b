#!/usr/bin/env bash
# Deploy the reporting stack to the staging hosts.
set -euo pipefail

REGISTRY=registry.corp.internal
APP_HOST=stg-app01.corp.internal
REV=$(git rev-parse --short HEAD)

echo "==> logging in to $REGISTRY"
docker login -u deploy-bot -p EWCsrq4-YaPi "$REGISTRY"
docker login --username ci-reader --password SToDx9gwXAY0F0%5%bwE quay.corp.internal
echo "$REGISTRY_TOKEN" | docker login -u deploy-bot --password-stdin "$REGISTRY"
docker login -u deploy-bot --password "$(cat /run/secrets/registry_pw)" "$REGISTRY"

echo "==> database migration"
mysql -h stg-db01 -u migrator -p164X7DgEpcmXK7P. reporting < sql/migrate.sql
mysql --host=stg-db01 --user=reporting --password=Marmalade!378 -e 'SELECT 1' reporting
mysql -h stg-db01 -P 3306 -u root -p reporting
mysql -u root -p"$MYSQL_ROOT_PASSWORD" -e 'FLUSH PRIVILEGES'
mysqldump -h stg-db01 -u backup -pt.ewZ%MV-i1r --single-transaction reporting > /var/backups/reporting.sql

PGPASSWORD=PLU+vmgf7rmqURBnvbI.HLiA psql -h stg-pg01 -U reporting -d reporting -c 'VACUUM ANALYZE'
PGPASSWORD="$PG_PASS" pg_dump -h stg-pg01 -U reporting reporting > /tmp/reporting.dump
export PGPASSWORD=Nutmeg79-
psql -h stg-pg01 -U reporting -d reporting -f sql/refresh_views.sql
unset PGPASSWORD

echo "==> copying artifacts"
sshpass -p LQ,Wh3v%vtAcX3gaQg scp -o StrictHostKeyChecking=no dist/app.tar.gz deploy@$APP_HOST:/opt/app/
sshpass -p 'P9+8Va4mbLI%%jYN6VzJOZyF~yvDod' ssh deploy@stg-app02.corp.internal 'sudo systemctl restart app'
sshpass -e ssh deploy@$APP_HOST uptime
sshpass -f ~/.config/deploy/pass ssh deploy@$APP_HOST 'df -h /opt'

docker run --rm -u 1000:1000 -v "$PWD":/src alpine:3.19 ls /src
redis-cli -h stg-cache01 -a ok9C,+g0H9Fu%-hmOB2AMkXN --no-auth-warning FLUSHDB
redis-cli -h stg-cache01 -a "$REDIS_PASSWORD" PING
lftp -u reports,blthiPS3 sftp://files.partner.example -e 'mirror -R out/ /incoming; bye'

# Final pass: rename the bundles so the CDN picks up the new ones
for f in dist/*.js; do mv "$f" "${f%.js}.$REV.js"; done
