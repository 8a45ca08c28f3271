#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine that has Swift:
# installs what the tests need (apt and pip), starts a throwaway PostgreSQL on a loopback port,
# builds, runs every test against SQLite and PostgreSQL, and stops PostgreSQL again.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- system packages -------------------------------------------------------------------------
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# --- python packages used by the tests ---------------------------------------------------------
python3 -m pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt

# --- a throwaway PostgreSQL ------------------------------------------------------------------
pg_dir=$(mktemp -d /tmp/certwatch-pg.XXXXXX)
pg_port=${CERTWATCH_TEST_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
stop_pg() { run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
trap stop_pg EXIT
run_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
export CERTWATCH_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
echo "PostgreSQL for tests on 127.0.0.1:$pg_port"

# --- static checks ----------------------------------------------------------------------------
python3 -m openapi_spec_validator Sources/CertWatchServer/Resources/openapi.yaml

# --- build and test ---------------------------------------------------------------------------
swift build --build-tests
export CERTWATCH_BIN="$(swift build --show-bin-path)/certwatch"
swift test --skip-build --parallel --num-workers 2
