#!/usr/bin/env bash
# Purchase-check throughput and latency with 100,000 verified suppliers in the store, against the
# same server's no-op route (/healthz), on SQLite and PostgreSQL, with wrk at 64 connections:
# first right after start (suppliers read as they are asked for), then again. The server's own
# first verification (bench/bench-server.sh) has finished before anything is measured.
# Release build; needs wrk (apt install wrk). Prints a Markdown table.
#   bench/purchase-checks.sh [SUPPLIERS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/postgres.sh
. bench/bench-server.sh
suppliers=${1:-100000}
seconds=${2:-20}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
swift build -c release --product certwatch --scratch-path .build-release >/dev/null
bin=$PWD/.build-release/release/certwatch
work=$(mktemp -d /tmp/certwatch-bench.XXXXXX)
python3 bench/make_suppliers_csv.py "$suppliers" > "$work/suppliers.csv"
python3 bench/make_bulk_zip.py "$suppliers" 3 "$work/bulk.zip"
start_throwaway_postgres
psql -q "$POSTGRES_URL" -c "CREATE DATABASE bench" >/dev/null

# run_wrk LABEL URL [SCRIPT]: one wrk run, printed as a table row; sets $rps.
run_wrk() {
  local label=$1 url=$2 script=${3:-}
  wrk -t2 -c64 -d"${seconds}s" --latency ${script:+-s "$script"} "$url" > "$work/wrk.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  local p50 p99 errors
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  errors=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
  printf '| %s | %.0f | %s | %s | %s |' "$label" "$rps" "$p50" "$p99" "${errors:-0}"
}

echo "| $suppliers suppliers, 64 connections, ${seconds} s each | requests/s | p50 | p99 | non-2xx |"
echo "| --- | ---: | ---: | ---: | ---: |"
for db in "sqlite:$work/bench.sqlite" "${POSTGRES_URL%/*}/bench"; do
  name=$([ "${db%%:*}" = sqlite ] && echo SQLite || echo PostgreSQL)
  $bin suppliers import "$work/suppliers.csv" --database-url "$db" >/dev/null
  $bin integrity import "$work/bulk.zip" --database-url "$db" >/dev/null || true  # suspended ones exit non-zero
  export CERTWATCH_KEY SUPPLIERS=$suppliers
  CERTWATCH_KEY=$($bin keys create --name "bench-$RANDOM" --role purchaser --database-url "$db")
  start_bench_server "$db"
  run_wrk "no-op route (GET /healthz), $name" "http://127.0.0.1:$port/healthz"; echo
  noop=$rps
  # The first run starts with nothing kept: each supplier is read on its first check. The second
  # answers from what the gate kept, as a server does once it has seen its suppliers.
  run_wrk "POST /v1/purchase-checks, first ${seconds} s after start, $name" "http://127.0.0.1:$port/v1/purchase-checks" bench/purchase-check.lua
  awk -v a="$rps" -v b="$noop" 'BEGIN { printf " %.0f%% of no-op\n", 100 * a / b }'
  run_wrk "POST /v1/purchase-checks, next ${seconds} s, $name" "http://127.0.0.1:$port/v1/purchase-checks" bench/purchase-check.lua
  awk -v a="$rps" -v b="$noop" 'BEGIN { printf " %.0f%% of no-op\n", 100 * a / b }'
  stop_bench_server
  $bin audit verify --database-url "$db" | sed 's/^/    /' >&2
done
rm -rf "$work"
