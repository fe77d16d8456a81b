#!/bin/bash
# Executed by the mysql image from /docker-entrypoint-initdb.d on first start.
set -euo pipefail

mysql -uroot -p"$MYSQL_ROOT_PASSWORD" <<-EOSQL
	CREATE USER IF NOT EXISTS '${APP_DB_USER}'@'%' IDENTIFIED BY '${APP_DB_PASSWORD}';
	CREATE USER IF NOT EXISTS 'metrics'@'%' IDENTIFIED BY 'V3HOOxxrcDoWwvL%QPN5t' WITH MAX_USER_CONNECTIONS 3;
	GRANT PROCESS, REPLICATION CLIENT ON *.* TO 'metrics'@'%';
	GRANT ALL ON \`${APP_DB_NAME}\`.* TO '${APP_DB_USER}'@'%';
EOSQL
