#!/bin/sh
# Nightly dumps, run from cron on backup01.corp.internal.
BACKUP_DIR=/srv/backups/$(date +%F)
mkdir -p "$BACKUP_DIR"

mongodump --uri="mongodb+srv://backup:4jVD2aoK1~5Tme0Kt9kCtb0fM@cluster0.k3v9q.mongodb.net/orders" --out "$BACKUP_DIR/mongo"
mongodump --host mongo01.corp.internal --username backup --password=XKYHKS9,vRsYRI9B7jOy%r --authenticationDatabase admin --out "$BACKUP_DIR/mongo-legacy"
mongosh "mongodb://mongo01.corp.internal:27017/admin" -u ops -p 5z3DRoYYp.p8g --eval 'db.fsyncLock()'
mongosh --host mongo01.corp.internal -u ops -p --eval 'db.fsyncUnlock()'

pg_dumpall -h pg01.corp.internal -U postgres | gzip > "$BACKUP_DIR/pg.sql.gz"
PGPASSWORD=q5SypGTp89Dzub_ErUUMWdyNuop8F pg_dump -h pg-billing.corp.internal -U billing_ro -Fc billing > "$BACKUP_DIR/billing.dump"
mysqldump --user=backup --password=Yarrow!granite643 --all-databases | gzip > "$BACKUP_DIR/mysql.sql.gz"
mysqldump --defaults-extra-file=/etc/backup/my.cnf --all-databases | gzip > "$BACKUP_DIR/mysql-replica.sql.gz"

sqlcmd -S mssql01.corp.internal -U backup_op -P h2FZ,s5@mwmASha -Q "BACKUP DATABASE [Billing] TO DISK = N'/var/opt/mssql/backup/billing.bak'"
sqlcmd -S mssql01.corp.internal -E -Q "BACKUP LOG [Billing] TO DISK = N'/var/opt/mssql/backup/billing.trn'"

ldapsearch -x -H ldaps://ldap.corp.internal -D "cn=backup,ou=svc,dc=corp,dc=internal" -w f2LS_@rF92%WtNwS@ZNNwf+ -b "dc=corp,dc=internal" > "$BACKUP_DIR/ldap.ldif"
ldapsearch -x -H ldaps://ldap.corp.internal -D "cn=backup,ou=svc,dc=corp,dc=internal" -y /etc/backup/ldap.pw -b "ou=groups,dc=corp,dc=internal" > "$BACKUP_DIR/groups.ldif"
ldapsearch -x -W -D "cn=admin,dc=corp,dc=internal" -b "dc=corp,dc=internal" "(uid=jdoe)"

redis-cli -h cache01.corp.internal -a "${REDIS_PASS:?REDIS_PASS not set}" --rdb "$BACKUP_DIR/dump.rdb"

curl -fsS -u backup:5T0a+0iMedABAWD -T "$BACKUP_DIR/pg.sql.gz" https://dav.storage.corp.internal/backups/
curl -fsS --user "backup:${DAV_PASSWORD}" -T "$BACKUP_DIR/mysql.sql.gz" https://dav.storage.corp.internal/backups/
wget --user=backup --password=hT9z+0a9dP9Utj https://dav.storage.corp.internal/backups/manifest.json -O /tmp/manifest.json
wget --http-user=mirror --http-password=1b2BB5a_q -r -np https://mirror.corp.internal/pool/
wget --ask-password --user=backup https://dav.storage.corp.internal/backups/old/

# verify: scan, convert, then checksum each dump
for pass in scan conv verify; do
  if test $pass = conv; then
    gzip -t "$BACKUP_DIR"/*.gz
  fi
done
find /srv/backups -maxdepth 1 -mtime +14 -exec rm -rf {} +
