#!/usr/bin/env bash
# Fuzzes one parser of outside data with libFuzzer: scripts/fuzz.sh TARGET SECONDS
# (TARGET: certificate-text, supplier-csv, fraud-notice-csv, fraud-notice-xlsx, bulk-xml, bulk-zip,
# web-service-xml, web-service-json, workbook, dates, query-string, api-json, page-form, page-upload, checkpoints;
# `all` runs each for SECONDS). Builds certwatch-fuzz with
# -sanitize=fuzzer once into .build-fuzz, starts from the checked-in seeds (Fuzz/corpus/TARGET,
# copied, so the repository is not changed) and writes what it finds to .build-fuzz/findings:
# a crashing input there belongs in Fuzz/regressions/TARGET, with its fix. Leak reports are off:
# libxml2 leaks on its own error path (seen on malformed XML); memory growth is bounded by -rss_limit_mb.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
swift build -c release --scratch-path .build-fuzz --product certwatch-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING >/dev/null
binary=$(swift build -c release --scratch-path .build-fuzz --show-bin-path)/certwatch-fuzz
targets=$target
[ "$target" = all ] && targets="certificate-text supplier-csv fraud-notice-csv fraud-notice-xlsx bulk-xml bulk-zip web-service-xml web-service-json workbook dates query-string api-json page-form page-upload checkpoints"
for name in $targets; do
  corpus=$(mktemp -d)
  cp Fuzz/corpus/"$name"/* "$corpus"/
  mkdir -p .build-fuzz/findings/"$name"
  echo "fuzzing $name for $seconds s"
  ASAN_OPTIONS=detect_leaks=0 CERTWATCH_FUZZ_TARGET=$name "$binary" "$corpus" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 \
    -max_len=65536 -detect_leaks=0 -artifact_prefix=.build-fuzz/findings/"$name"/ -print_final_stats=1 2>&1 | tail -n 12
  rm -rf "$corpus"
done
