# Sourced by .ci/run: install (Debian package) and start a real PostgreSQL server for the registry
# tests, create a role and a database, and export KERJASAMA_TEST_PG_URL. Idempotent; needs root.
export DEBIAN_FRONTEND=noninteractive
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$PG_VERSION main"; then
  pg_createcluster "$PG_VERSION" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $4}' | grep -qx online; then
  pg_ctlcluster "$PG_VERSION" main start
fi
PG_PORT="$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $3}')"
pg_sql() { su postgres -c "psql -p $PG_PORT -v ON_ERROR_STOP=1 -tAc \"$1\""; }
for _ in 1 2 3 4 5 6 7 8 9 10; do pg_sql "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
if [ "$(pg_sql "SELECT 1 FROM pg_roles WHERE rolname='kerjasama'")" != 1 ]; then
  pg_sql "CREATE ROLE kerjasama LOGIN PASSWORD 'kerjasama-ci'" >/dev/null
fi
if [ "$(pg_sql "SELECT 1 FROM pg_database WHERE datname='kerjasama_test'")" != 1 ]; then
  pg_sql "CREATE DATABASE kerjasama_test OWNER kerjasama" >/dev/null
fi
export KERJASAMA_TEST_PG_URL="postgresql+psycopg://kerjasama:kerjasama-ci@127.0.0.1:${PG_PORT}/kerjasama_test"
echo "PostgreSQL $PG_VERSION running on port $PG_PORT for the registry tests."
