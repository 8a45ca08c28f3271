#!/usr/bin/env bash
# Bulk import of 100,000 suppliers (every column filled, three products each) into an empty
# registry and again as a re-import that updates every row, on SQLite and on PostgreSQL, with a
# dry run (parse and validate only) as the baseline. Release build. Prints a Markdown table.
#   bench/import.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/postgres.sh
. bench/measure.sh
rows=${1:-100000}
swift build -c release --product certwatch --scratch-path .build-release >/dev/null
bin=.build-release/release/certwatch
work=$(mktemp -d /tmp/certwatch-bench.XXXXXX)
python3 bench/make_suppliers_csv.py "$rows" > "$work/suppliers.csv"
start_throwaway_postgres
psql -q "$POSTGRES_URL" -c "CREATE DATABASE bench" >/dev/null

echo "| $rows rows ($(du -h "$work/suppliers.csv" | cut -f1)) | seconds | max RSS MiB |"
echo "| --- | ---: | ---: |"
measure "dry run (parse + validate), SQLite" $bin suppliers import "$work/suppliers.csv" --dry-run --database-url "sqlite:$work/dry.sqlite"
for db in "sqlite:$work/bench.sqlite" "${POSTGRES_URL%/*}/bench"; do
  name=$([ "${db%%:*}" = sqlite ] && echo SQLite || echo PostgreSQL)
  measure "first import, $name" $bin suppliers import "$work/suppliers.csv" --database-url "$db"
  measure "re-import (all updates), $name" $bin suppliers import "$work/suppliers.csv" --database-url "$db"
done
rm -rf "$work"
