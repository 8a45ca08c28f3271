#!/usr/bin/env bash
# Verification of 100,000 registered suppliers from a bulk download of 100,000 operations and
# 1,000,000 items, against a bare streaming parse of the same file (three alternating pairs, median
# ratio), on SQLite and PostgreSQL.
# Release build; /usr/bin/time gives wall seconds and peak RSS. Prints a Markdown table.
#   bench/verify.sh [OPERATIONS] [ITEMS_PER_OPERATION]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/postgres.sh
. bench/measure.sh
operations=${1:-100000}
per_op=${2:-10}
swift build -c release --product certwatch --scratch-path .build-release >/dev/null
bin=$PWD/.build-release/release/certwatch
work=$(mktemp -d /tmp/certwatch-bench.XXXXXX)
python3 bench/make_suppliers_csv.py "$operations" > "$work/suppliers.csv"
python3 bench/make_bulk_zip.py "$operations" "$per_op" "$work/bulk.zip"
start_throwaway_postgres
psql -q "$POSTGRES_URL" -c "CREATE DATABASE bench" >/dev/null

echo "| $operations operations, $((operations * per_op)) items ($(du -h "$work/bulk.zip" | cut -f1) zip) | seconds | peak RSS MiB |"
echo "| --- | ---: | ---: |"
# The bare parse is measured next to each nightly run: this machine is shared, and the ratio
# that matters is between neighbouring measurements.
for db in "sqlite:$work/bench.sqlite" "${POSTGRES_URL%/*}/bench"; do
  name=$([ "${db%%:*}" = sqlite ] && echo SQLite || echo PostgreSQL)
  $bin suppliers import "$work/suppliers.csv" --database-url "$db" >/dev/null
  measure "parse keeping the $operations registered operations, $name" \
    $bin integrity import "$work/bulk.zip" --dry-run --database-url "$db"
  measure "first verification (every certificate rewritten), $name" \
    $bin integrity import "$work/bulk.zip" --database-url "$db"
  # Three pairs, alternating, and the median ratio: single runs on this shared machine move by
  # 10-25%, more than the margin that matters here.
  ratios=()
  for pair in 1 2 3; do
    row=$(measure "bare streaming parse (unzip + XML, nothing kept), pair $pair" \
      $bin integrity import "$work/bulk.zip" --dry-run --database-url "sqlite:$work/empty.sqlite")
    echo "$row"; bare=$(echo "$row" | awk -F'|' '{print $3}')
    row=$(measure "nightly verification (nothing changed), $name, pair $pair" \
      $bin integrity import "$work/bulk.zip" --database-url "$db")
    echo "$row"; nightly=$(echo "$row" | awk -F'|' '{print $3}')
    ratios+=("$(awk -v n="$nightly" -v b="$bare" 'BEGIN { printf "%.2f", n / b }')")
  done
  echo "| nightly / bare parse, $name: ${ratios[*]} (median $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n 2p)) | | |"
done
rm -rf "$work"
