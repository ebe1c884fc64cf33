#!/usr/bin/env bash
# Starts a PostgreSQL server on loopback for the test suite and prints the URL the tests read from
# UNSPIN_TEST_POSTGRES:
#
#   export UNSPIN_TEST_POSTGRES=$(scripts/postgres-test-server.sh)
#
# Installs Debian's `postgresql` when no server is installed (apt, as root or through sudo), starts
# the cluster Debian made, and creates the role `unspin_test` (password `unspin_test`, allowed to
# create schemas) and its database `unspin_test`. Each test then works in a schema of its own.
#
# TLS: makes a CA and a server certificate for `localhost` (not 127.0.0.1, so that the tests can
# tell verify-ca from verify-full) in $UNSPIN_TEST_POSTGRES_TLS (default /tmp/unspin-postgres-tls;
# the tests read ca.pem there) and turns `ssl` on with them.
#
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
tls=${UNSPIN_TEST_POSTGRES_TLS:-/tmp/unspin-postgres-tls}
if [ ! -s "$tls/server.pem" ]; then
    command -v openssl >/dev/null 2>&1 || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >&2
    mkdir -p "$tls"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
        -subj "/CN=unspin test CA" -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
        -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
    printf '%s\n' "subjectAltName=DNS:localhost" "basicConstraints=critical,CA:FALSE" \
        "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" > "$tls/server.ext"
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 3650 \
        -extfile "$tls/server.ext" -out "$tls/server.pem" 2>/dev/null
    chmod 755 "$tls" && chmod 644 "$tls/ca.pem" "$tls/server.pem" && chmod 600 "$tls/server.key"
    as_root chown postgres "$tls/server.key"
fi
as_postgres psql -p "$port" -qAt -v ON_ERROR_STOP=1 >&2 <<SQL
ALTER SYSTEM SET ssl_cert_file = '$tls/server.pem';
ALTER SYSTEM SET ssl_key_file = '$tls/server.key';
ALTER SYSTEM SET ssl = on;
SELECT pg_reload_conf();
SQL
if [ -z "$(as_postgres psql -p "$port" -qAtc "SELECT 1 FROM pg_database WHERE datname = 'unspin_test'")" ]; then
    as_postgres createdb -p "$port" -O unspin_test unspin_test >&2
fi
echo "postgres://unspin_test:unspin_test@127.0.0.1:$port/unspin_test"
