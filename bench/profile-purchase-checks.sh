#!/usr/bin/env bash
# Where a purchase check's time goes: perf (Debian's linux-perf) samples the release server with
# call graphs while wrk sends purchase checks at 64 connections, after a warm-up run, on SQLite.
# Prints the hottest symbols (self time), the project's functions with what they call (children),
# and the time per library. PERF_DATA=FILE keeps the samples for `perf report -i FILE`.
#   bench/profile-purchase-checks.sh [SUPPLIERS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench-server.sh
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
$bin suppliers import "$work/suppliers.csv" --database-url "$db" >/dev/null
$bin integrity import "$work/bulk.zip" --database-url "$db" >/dev/null || true  # suspended ones exit non-zero
export CERTWATCH_KEY SUPPLIERS=$suppliers
CERTWATCH_KEY=$($bin keys create --name "profile" --role purchaser --database-url "$db")
start_bench_server "$db"
url="http://127.0.0.1:$port/v1/purchase-checks"
wrk -t2 -c64 -d"${seconds}s" -s bench/purchase-check.lua "$url" > /dev/null  # warm-up: every supplier kept
data=${PERF_DATA:-$work/perf.data}
perf record -F 499 -g -p "$server" -o "$data" -- sleep "$seconds" 2> /dev/null &
recorder=$!
wrk -t2 -c64 -d"${seconds}s" -s bench/purchase-check.lua "$url" | awk '/Requests\/sec/ {print "checks/s while profiled: " $2}'
wait "$recorder" || true
stop_bench_server
# Reads all of perf's output (a `head` would end the pipeline early, which pipefail reports).
report() { perf report -i "$data" --stdio -g none "$@" 2>/dev/null | grep -E '^ +[0-9]' | sed -E 's/ +$//' | swift demangle --simplified; }
first() { awk -v n="$1" 'NR <= n'; }
echo "## hottest symbols (self time)"
report --no-children --sort symbol | first 30
echo "## the project's functions, with what they call"
report --children --sort symbol | grep -E 'CertWatch|Hummingbird|SQLite|sqlite3|JSON|Postgres' | first 40
echo "## by library"
report --no-children --sort dso | first 15
echo "## by thread"
report --no-children --sort comm | first 10
