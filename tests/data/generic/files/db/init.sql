-- Bootstrap roles and databases for the orders service (PostgreSQL 15).
-- Run once as a superuser:
--   psql -h pg-orders-01.corp.internal -U postgres -v reporting_pw="$REPORTING_PW" -f db/init.sql
\set ON_ERROR_STOP on

CREATE DATABASE orders WITH ENCODING 'UTF8' LC_COLLATE 'en_US.UTF-8' TEMPLATE template0;

-- owner and application roles
CREATE ROLE orders_owner WITH LOGIN PASSWORD 'fxLdnC_Nyf2dT2LiiXBPqbjzw' NOSUPERUSER NOCREATEDB;
CREATE ROLE orders_app LOGIN PASSWORD 'Zephyr.8329' CONNECTION LIMIT 50;
CREATE USER orders_ro PASSWORD 'aqFv4x!Qx5u2MH';
CREATE USER replicator WITH REPLICATION ENCRYPTED PASSWORD 'tK0a.3JVsC7P2gHIvg+.Dw5q8J5q5h-QLMqa';
CREATE ROLE app_readers NOLOGIN;
CREATE ROLE readonly_template LOGIN PASSWORD 'changeme';

-- reporting gets its password from the psql variable set on the command line
CREATE ROLE reporting LOGIN PASSWORD :'reporting_pw';

ALTER ROLE orders_app WITH PASSWORD 'Xor!KBvSJQcZ6BnSFr-.MAvWQr' VALID UNTIL '2026-12-31';
ALTER ROLE orders_app SET password_encryption = 'scram-sha-256';
ALTER USER legacy_batch PASSWORD NULL;
ALTER ROLE migrator PASSWORD
    'Jy8ftVH9tXFPd%AIP76D';
ALTER ROLE temp_contractor VALID UNTIL 'infinity';

-- the SCRAM verifier below was copied from pg_authid on the old cluster
CREATE ROLE audit_reader LOGIN PASSWORD 'SCRAM-SHA-256$4096:sx5zX+AUoktM+ZDCpySqhA==$3xOkEXR+5IzdKDSeTrjshsyL2rchReJeh5tiH10yLXc=:Ng1LcNdhhJY4X1JoxKZrCz6vu8CA70gk7SQG2NnD5JY=';

-- \password orders_owner   (prompts twice; nothing is stored in this file)
COMMENT ON ROLE orders_app IS 'password rotated quarterly by the platform team';

GRANT CONNECT ON DATABASE orders TO orders_ro, reporting;
GRANT app_readers TO orders_ro;

-- foreign tables on the legacy cluster
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE SERVER legacy_srv FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'pg-legacy.corp.internal', dbname 'orders');
CREATE USER MAPPING FOR orders_app SERVER legacy_srv OPTIONS (user 'legacy_reader', password 'P%9~F1ITm6fr20dXDzdozy.LtViIC');
CREATE USER MAPPING FOR reporting SERVER legacy_srv OPTIONS (user 'legacy_reader', password_required 'false');

-- logical replication from the old primary
CREATE SUBSCRIPTION orders_sub
    CONNECTION 'host=pg-legacy.corp.internal port=5432 dbname=orders user=replicator password=yZ3_n8MHZC5'
    PUBLICATION orders_pub;

SELECT rolname, rolpassword FROM pg_authid WHERE rolname LIKE 'orders%';
ALTER SYSTEM SET password_encryption = 'scram-sha-256';
