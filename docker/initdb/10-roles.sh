#!/bin/sh
# Runs once, when the postgres volume is new (docker-entrypoint-initdb.d), as the superuser.
# Two roles: iop_owner owns the database and runs the migrations; iop_app is the service's pool
# and only gets what the migrations grant it (on audit_event: INSERT and SELECT).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$IOP_OWNER_PASSWORD" -v app_password="$IOP_APP_PASSWORD" <<'SQL'
CREATE ROLE iop_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD :'owner_password';
CREATE ROLE iop_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
CREATE DATABASE iop OWNER iop_owner;
REVOKE ALL ON DATABASE iop FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE iop TO iop_app;
SQL
