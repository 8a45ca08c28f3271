#!/usr/bin/env bash
# The README's first command: builds CertWatch (installing libcurl's headers if missing) and
# serves it on SQLite with the sample suppliers, printing an admin key the first time.
# Extra arguments go to `certwatch serve`, e.g. scripts/serve.sh --port 9090
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/system-deps.sh
install_build_deps
exec swift run certwatch serve --sample-data "$@"
