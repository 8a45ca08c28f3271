#!/usr/bin/env bash
# Alerts: the expiry scan over CERTIFICATES certificates (SQLite); a digest of 10,000 alerts and
# 1,000 emails over SMTP to a local aiosmtpd (certwatch-bench); signed webhook delivery of
# DELIVERIES alerts to a loopback receiver that checks every signature (bench/fast_receiver.py),
# on SQLite and PostgreSQL. Release build. Prints Markdown tables.
#   bench/alerts.sh [CERTIFICATES] [DELIVERIES]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/postgres.sh
. bench/measure.sh
certificates=${1:-1000000}
deliveries=${2:-20000}
swift build -c release --product certwatch --scratch-path .build-release >/dev/null
swift build -c release --product certwatch-bench --scratch-path .build-release >/dev/null
bin=$PWD/.build-release/release/certwatch
micro=$PWD/.build-release/release/certwatch-bench
work=$(mktemp -d /tmp/certwatch-bench.XXXXXX)
start_throwaway_postgres
psql -q "$POSTGRES_URL" -c "CREATE DATABASE bench" >/dev/null

echo "| alert scan, $certificates certificates (1 in 15 within 60 days), SQLite | seconds | peak RSS MiB |"
echo "| --- | ---: | ---: |"
python3 bench/make_suppliers_csv.py "$certificates" > "$work/suppliers.csv"
$bin suppliers import "$work/suppliers.csv" --database-url "sqlite:$work/scan.sqlite" >/dev/null
measure "first scan (creates every alert in the window)" $bin alerts scan --database-url "sqlite:$work/scan.sqlite"
measure "daily scan (nothing new)" $bin alerts scan --database-url "sqlite:$work/scan.sqlite"
rm -f "$work/scan.sqlite"*

echo
echo "| email | seconds | per second |"
echo "| --- | ---: | ---: |"
digest=$($micro digest 10000)
printf '| one digest of 10000 alerts (compose + MIME, %s bytes) | %s | |\n' \
  "$(echo "$digest" | python3 -c 'import json, sys; print(json.load(sys.stdin)["bytes"])')" \
  "$(echo "$digest" | python3 -c 'import json, sys; print(json.load(sys.stdin)["seconds"])')"
python3 testing/smtp_sink.py --port 0 --out "$work/mail" --exit-with-stdin < <(sleep 600) > "$work/sink.out" & sink=$!
until grep -q listening "$work/sink.out" 2>/dev/null; do sleep 0.2; done
smtp=$($micro smtp "smtp://127.0.0.1:$(awk '{print $NF}' "$work/sink.out")" 1000)
kill $sink
echo "$smtp" | python3 -c 'import json, sys; r = json.load(sys.stdin); assert r["delivered"] == r["emails"], r
print("| %d alert emails over one SMTP connection to aiosmtpd | %.2f | %.0f |" % (r["emails"], r["seconds"], r["emails"] / r["seconds"]))'

# Suppliers whose anniversary is 45 days away: one 60-day alert each.
anniversary=$(date -u -d "+45 days" +%F)
{ echo "name,nop_operation_id,status,anniversary_date"
  for i in $(seq 1 "$deliveries"); do echo "Supplier $i,$((1000000000 + i)),certified,$anniversary"; done; } > "$work/due.csv"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo
echo "| $deliveries signed webhooks to one loopback receiver | seconds | deliveries/s |"
echo "| --- | ---: | ---: |"
export WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true
for db in "sqlite:$work/hooks.sqlite" "${POSTGRES_URL%/*}/bench"; do
  name=$([ "${db%%:*}" = sqlite ] && echo SQLite || echo PostgreSQL)
  $bin suppliers import "$work/due.csv" --database-url "$db" >/dev/null
  python3 bench/fast_receiver.py "$port" "$work/secret" & receiver=$!
  $bin webhooks add "http://127.0.0.1:$port/hooks" --json --database-url "$db" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])' > "$work/secret"
  $bin alerts scan --database-url "$db" >/dev/null
  seconds=$($bin alerts deliver --json --database-url "$db" | python3 -c 'import json, sys; print(round(json.load(sys.stdin)["seconds"], 2))')
  stats=$(curl -s "http://127.0.0.1:$port/_stats")
  kill $receiver
  verified=$(echo "$stats" | python3 -c 'import json, sys; s = json.load(sys.stdin); print(s["verified"] if s["ids"] == s["verified"] else "MISMATCH %s" % s)')
  [ "$verified" = "$deliveries" ] || { echo "receiver verified $verified of $deliveries" >&2; exit 1; }
  printf '| fan-out + delivery (alerts deliver), %s | %s | %.0f |\n' "$name" "$seconds" "$(python3 -c "print($deliveries / $seconds)")"
done
rm -rf "$work"
