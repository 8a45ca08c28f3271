# Sourced by bench/purchase-checks.sh and bench/profile-purchase-checks.sh.
#
# start_bench_server DATABASE_URL: starts the release server ($bin) on a database that holds the
# suppliers and their verification, on a free port ($port; its pid in $server), with
# $work/bulk.zip served over loopback as its INTEGRITY bulk download. A new server verifies the
# suppliers no run of its own has verified yet; against the real INTEGRITY that ends in seconds,
# but this machine cannot reach it, and a run retrying an unreachable host (then recording every
# supplier's failure) would be measured along with the checks. So the file is served, and the
# function returns once that run has finished.
start_bench_server() {
  local db=$1 started files_port
  files_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 -m http.server --bind 127.0.0.1 --directory "$work" "$files_port" > /dev/null 2>&1 &
  files=$!
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  LOG_LEVEL=warning HTTP_PORT=$port INTEGRITY_SOURCES=bulk INTEGRITY_BULK_URL="http://127.0.0.1:$files_port/bulk.zip" \
    $bin serve --database-url "$db" > "$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  for _ in $(seq 600); do
    $bin jobs list --json --database-url "$db" | python3 -c '
import json, sys
run = next(r for r in json.load(sys.stdin) if r["name"] == "verification")
sys.exit(0 if run.get("lastFinishedAt") and run["lastFinishedAt"] >= sys.argv[1] else 1)' "$started" && return 0
    sleep 0.5
  done
  echo "the server's first verification did not finish within 5 minutes" >&2
  return 1
}

stop_bench_server() {
  kill "$server" "$files"; wait "$server" "$files" 2>/dev/null || true
}
