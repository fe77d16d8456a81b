-- MySQL 8.0 accounts for the shop schema.
-- Apply with: mysql --defaults-extra-file=~/.my.cnf < db/mysql/users.sql

CREATE DATABASE IF NOT EXISTS shop CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci;

INSTALL COMPONENT 'file://component_validate_password';
SET GLOBAL validate_password.length = 14;
SET GLOBAL validate_password.policy = STRONG;

CREATE USER 'shop_app'@'10.20.%' IDENTIFIED BY 'raSw6J2wq*.KscLadkZ%.25BUUb.Cv~3';
CREATE USER IF NOT EXISTS 'shop_report'@'%' IDENTIFIED WITH caching_sha2_password BY 'Driftwood@wombat297';
CREATE USER 'legacy_php'@'%' IDENTIFIED WITH mysql_native_password BY 'fGPZsed%0^pC';
CREATE USER 'ops'@'localhost' IDENTIFIED WITH auth_socket;
CREATE USER 'tmp_import'@'localhost' IDENTIFIED BY RANDOM PASSWORD;
CREATE USER 'etl'@'%' IDENTIFIED BY PASSWORD '*921194BD3B3FA2D25794752E0771B814A85E2C6F';

ALTER USER 'shop_app'@'10.20.%' IDENTIFIED BY 'Wt~Gm5%FjLcS!ADsP6dB+&IB8g29' RETAIN CURRENT PASSWORD;
ALTER USER 'shop_report'@'%' PASSWORD EXPIRE INTERVAL 90 DAY;
ALTER USER 'shop_app'@'10.20.%' DISCARD OLD PASSWORD;

SET PASSWORD FOR 'legacy_php'@'%' = 'w6~2tpOf';
SET PASSWORD = 'Riverbend-yarrow996';
SET PASSWORD FOR 'old_cron'@'localhost' = PASSWORD('x.RRug-Pc+8qU5XS');

-- 5.6 replicas still need the old GRANT form
GRANT SELECT, LOCK TABLES ON shop.* TO 'dumper'@'10.20.%' IDENTIFIED BY 'Quartz.harbor7698';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'10.20.%'
    IDENTIFIED BY 'IT57q5RQBF*yAPghjRME-AcW';
GRANT ALL PRIVILEGES ON shop.* TO 'shop_app'@'10.20.%';

CHANGE REPLICATION SOURCE TO
    SOURCE_HOST = 'db-primary.corp.internal',
    SOURCE_USER = 'repl',
    SOURCE_PASSWORD = '7jt0y!cq-Tro_CpVJBFh-Cqu',
    SOURCE_AUTO_POSITION = 1;

SELECT user, host, plugin, authentication_string FROM mysql.user;
-- Rotate with: ALTER USER 'shop_app'@'10.20.%' IDENTIFIED BY '<new password>';
FLUSH PRIVILEGES;
