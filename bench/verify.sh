#!/usr/bin/env bash
# Verification of 100,000 registered suppliers from a bulk download of 100,000 operations and
# 1,000,000 items, against a bare streaming parse of the same file, on SQLite and PostgreSQL.
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
  measure "bare streaming parse (unzip + XML, nothing kept)" \
    $bin integrity import "$work/bulk.zip" --dry-run --database-url "sqlite:$work/empty.sqlite"
  measure "nightly verification (nothing changed), $name" \
    $bin integrity import "$work/bulk.zip" --database-url "$db"
done
rm -rf "$work"
