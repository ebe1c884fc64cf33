#!/usr/bin/env bash
# Starts a PostgreSQL server on loopback for the test suite and prints the URL the tests read from
# UNSPIN_TEST_POSTGRES:
#
#   export UNSPIN_TEST_POSTGRES=$(scripts/postgres-test-server.sh)
#
# Installs Debian's `postgresql` when no server is installed (apt, as root or through sudo), starts
# the cluster Debian made, and creates the role `unspin_test` (password `unspin_test`, allowed to
# create schemas) and its database `unspin_test`. Each test then works in a schema of its own.
# Safe to run again: what exists is left as it is.
set -euo pipefail

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
        echo "postgres-test-server.sh: needs root (or sudo) to install or start PostgreSQL" >&2; exit 1; fi
}
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

if ! command -v pg_lsclusters >/dev/null 2>&1; then
    echo "installing PostgreSQL with apt…" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
fi
# The first cluster Debian made (`15 main 5432 down postgres …`); make one if there is none.
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1) || true
if [ -z "${version:-}" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    as_root pg_createcluster "$version" main >&2
    read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
fi
if [ "$status" != online ]; then
    as_root pg_ctlcluster "$version" "$cluster" start >&2
fi
for _ in $(seq 1 30); do
    as_postgres psql -p "$port" -qAtc 'SELECT 1' >/dev/null 2>&1 && break
    sleep 1
done
as_postgres psql -p "$port" -qAt -v ON_ERROR_STOP=1 >&2 <<'SQL'
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'unspin_test') THEN
        CREATE ROLE unspin_test LOGIN PASSWORD 'unspin_test';
    END IF;
END $$;
SQL
if [ -z "$(as_postgres psql -p "$port" -qAtc "SELECT 1 FROM pg_database WHERE datname = 'unspin_test'")" ]; then
    as_postgres createdb -p "$port" -O unspin_test unspin_test >&2
fi
echo "postgres://unspin_test:unspin_test@127.0.0.1:$port/unspin_test"
