#!/bin/sh
# Server settings for the province benchmark: PostgreSQL's defaults (shared_buffers 128 MB) are meant for a
# small shared machine, not for a 7 GB database. These are the usual starting points for a dedicated server
# (about a quarter of the RAM for shared buffers, the rest left to the OS cache), the same that
# docker-compose.yml gives the production database. Needs superuser rights on the server and restarts it.
#
#   sh bench/tune_postgres.sh                      # the local Debian cluster (pg_ctlcluster 15 main)
#   PGURL=postgres://postgres@host:5432/postgres RESTART="…" sh bench/tune_postgres.sh
set -eu
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432/postgres}
RESTART=${RESTART:-pg_ctlcluster 15 main restart}
psql "$PGURL" -q <<'SQL'
ALTER SYSTEM SET shared_buffers = '4GB';
ALTER SYSTEM SET effective_cache_size = '16GB';
ALTER SYSTEM SET work_mem = '16MB';
ALTER SYSTEM SET maintenance_work_mem = '512MB';
ALTER SYSTEM SET random_page_cost = 1.1;
ALTER SYSTEM SET effective_io_concurrency = 200;
ALTER SYSTEM SET jit = off;
SQL
$RESTART
for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -d "$PGURL" -q && break; sleep 1; done
psql "$PGURL" -Atc "select name || ' = ' || setting || coalesce(unit, '') from pg_settings where name in ('shared_buffers','effective_cache_size','work_mem','random_page_cost','jit')"
