#!/usr/bin/env bash
# The web page's speed with 100,000 verified suppliers, one connection, side by side in one run on
# SQLite and PostgreSQL: the no-op route (GET /healthz), the API's search (GET /v1/suppliers?q=),
# the search page for the same query (GET /suppliers?q=) and the dashboard (GET /), with NOP's
# fraud list imported (500 notices, 100 of them naming suppliers).
# Release build; needs wrk (apt install wrk). Prints a Markdown table.
#   bench/pages.sh [SUPPLIERS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/postgres.sh
suppliers=${1:-100000}
seconds=${2:-15}
query=${QUERY:-supplier%20012}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
swift build -c release --product certwatch --scratch-path .build-release >/dev/null
bin=$PWD/.build-release/release/certwatch
work=$(mktemp -d /tmp/certwatch-bench.XXXXXX)
python3 bench/make_suppliers_csv.py "$suppliers" > "$work/suppliers.csv"
python3 bench/make_bulk_zip.py "$suppliers" 3 "$work/bulk.zip"
# NOP's fraud list is a few hundred notices: 500, of which 100 name registry suppliers, so the
# dashboard's "blocked or held for review now" makes its pass over the registry for them.
python3 - "$suppliers" > "$work/fraud.csv" <<'PY'
import sys
count = int(sys.argv[1])
print("operation_name,identifier,certifier,notice_date,url")
for i in range(500):
    name = f"Supplier {i * (count // 100):06d} Organics" if i < 100 else f"Unlisted Operation {i}"
    print(f"{name},,Bench Certifier,2024-01-{1 + i % 28:02d},https://example.org/notice/{i}")
PY
start_throwaway_postgres
psql -q "$POSTGRES_URL" -c "CREATE DATABASE bench" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The server's own nightly verification (due at start) reads the same bulk file from a local web
# server, and the measurements start once it has finished, so no background run competes with them.
files=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$files" --bind 127.0.0.1 --directory "$work" >/dev/null 2>&1 &
file_server=$!
trap 'kill $file_server 2>/dev/null || true; stop_throwaway_postgres' EXIT

# row LABEL URL [HEADER]: one wrk run on one connection, printed as a table row; sets $p95.
row() {
  local label=$1 url=$2 header=${3:-X-Bench: 1}
  local result
  result=$(wrk -t1 -c1 -d"${seconds}s" -s bench/latency.lua -H "$header" "$url" | awk '/^RESULT/ {print $2, $3, $4, $5, $6}')
  read -r rps p50 p95 p99 non2xx <<< "$result"
  printf '| %s | %s | %s | %s | %s | %s |' "$label" "$rps" "$p50" "$p95" "$p99" "$non2xx"
}

echo "| $suppliers suppliers, 1 connection, ${seconds} s each | requests/s | p50 ms | p95 ms | p99 ms | non-2xx |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for db in "sqlite:$work/bench.sqlite" "${POSTGRES_URL%/*}/bench"; do
  name=$([ "${db%%:*}" = sqlite ] && echo SQLite || echo PostgreSQL)
  $bin suppliers import "$work/suppliers.csv" --database-url "$db" >/dev/null
  $bin integrity import "$work/bulk.zip" --database-url "$db" >/dev/null || true  # suspended ones exit non-zero
  $bin fraud-notices import "$work/fraud.csv" --database-url "$db" >/dev/null
  key=$($bin keys create --name "bench-$RANDOM" --role purchaser --database-url "$db")
  admin=$($bin keys create --name "bench-admin-$RANDOM" --role admin --database-url "$db")  # GET /v1/jobs is an admin's read
  LOG_LEVEL=warning HTTP_PORT=$port INTEGRITY_SOURCES=bulk INTEGRITY_BULK_URL="http://127.0.0.1:$files/bulk.zip" \
    $bin serve --database-url "$db" > "$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  for _ in $(seq 600); do
    curl -s -H "Authorization: Bearer $admin" "http://127.0.0.1:$port/v1/jobs" \
      | python3 -c 'import json,sys; j=[i for i in json.load(sys.stdin)["items"] if i["name"]=="verification"][0]["lastRun"]; sys.exit(0 if j and not j["slot"].startswith("manual") and j.get("finishedAt") else 1)' \
      && break
    sleep 1
  done
  cookie=$(curl -s -D - -o /dev/null --data-urlencode "key=$key" "http://127.0.0.1:$port/sign-in" | awk -F'[ ;]' 'tolower($1) == "set-cookie:" {print $2}')
  row "no-op route (GET /healthz), $name" "http://127.0.0.1:$port/healthz"; echo
  row "GET /v1/suppliers?q=$query, $name" "http://127.0.0.1:$port/v1/suppliers?q=$query" "Authorization: Bearer $key"; api=$p95; echo
  row "GET /suppliers?q=$query (page), $name" "http://127.0.0.1:$port/suppliers?q=$query" "Cookie: $cookie"
  awk -v a="$p95" -v b="$api" 'BEGIN { printf " p95 %.2fx the API'"'"'s\n", a / b }'
  cold=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "http://127.0.0.1:$port/")
  row "GET / (dashboard), $name" "http://127.0.0.1:$port/" "Cookie: $cookie"
  awk -v c="$cold" 'BEGIN { printf " first request (figures computed) %.0f ms\n", c * 1000 }' 
  kill "$server"; wait "$server" 2>/dev/null || true
done
rm -rf "$work"
