#!/usr/bin/env bash
# Where a purchase check's time goes: perf (Debian's linux-perf) samples the release server with
# call graphs while wrk sends purchase checks at 64 connections, after a warm-up run, on SQLite.
# Prints the hottest symbols (self time), the project's functions with what they call (children),
# and the time per library. PERF_DATA=FILE keeps the samples for `perf report -i FILE`.
#   bench/profile-purchase-checks.sh [SUPPLIERS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
suppliers=${1:-100000}
seconds=${2:-20}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v perf >/dev/null || { echo "perf is missing: apt-get install linux-perf" >&2; exit 1; }
swift build -c release --product certwatch --scratch-path .build-release >/dev/null
bin=$PWD/.build-release/release/certwatch
work=$(mktemp -d /tmp/certwatch-profile.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 bench/make_suppliers_csv.py "$suppliers" > "$work/suppliers.csv"
python3 bench/make_bulk_zip.py "$suppliers" 3 "$work/bulk.zip"
db="sqlite:$work/bench.sqlite"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$bin suppliers import "$work/suppliers.csv" --database-url "$db" >/dev/null
$bin integrity import "$work/bulk.zip" --database-url "$db" >/dev/null || true  # suspended ones exit non-zero
export CERTWATCH_KEY SUPPLIERS=$suppliers
CERTWATCH_KEY=$($bin keys create --name "profile" --role purchaser --database-url "$db")
LOG_LEVEL=warning HTTP_PORT=$port $bin serve --database-url "$db" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port/v1/purchase-checks"
wrk -t2 -c64 -d"${seconds}s" -s bench/purchase-check.lua "$url" > /dev/null  # warm-up: every supplier kept
data=${PERF_DATA:-$work/perf.data}
perf record -F 499 -g -p "$server" -o "$data" -- sleep "$seconds" 2> /dev/null &
recorder=$!
wrk -t2 -c64 -d"${seconds}s" -s bench/purchase-check.lua "$url" | awk '/Requests\/sec/ {print "checks/s while profiled: " $2}'
wait "$recorder" || true
kill "$server"; wait "$server" 2>/dev/null || true
report() { perf report -i "$data" --stdio "$@" 2>/dev/null | grep -E '^ +[0-9]' | sed -E 's/ +$//' | swift demangle --simplified; }
echo "## hottest symbols (self time)"
report --no-children --sort symbol | head -30
echo "## the project's functions, with what they call"
report --children --sort symbol | grep -E 'CertWatch|Hummingbird|SQLite|SQLKit' | head -40
echo "## by library"
report --no-children --sort dso | head -15
