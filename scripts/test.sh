#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine that has Swift: installs what the build and
# the tests need (apt: libcurl headers, PostgreSQL; pip: scripts/requirements-test.txt), starts
# a throwaway PostgreSQL on a loopback port, builds, runs every test against SQLite and
# PostgreSQL, and stops PostgreSQL again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/postgres.sh
. scripts/system-deps.sh

install_build_deps

python3 -m pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
start_throwaway_postgres
export CERTWATCH_TEST_POSTGRES_URL=$POSTGRES_URL

python3 -m openapi_spec_validator Sources/CertWatchServer/Resources/openapi.yaml
swift build --build-tests
export CERTWATCH_BIN="$(swift build --show-bin-path)/certwatch"
swift test --skip-build --parallel --num-workers 2
