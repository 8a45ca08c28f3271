# Sourced by the bench scripts. measure LABEL COMMAND…: runs the command once under
# /usr/bin/time and prints a Markdown row "| LABEL | wall seconds | peak RSS MiB |".
# Needs $work (a scratch folder) to be set.
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
  read -r seconds kib < "$work/time"
  printf '| %s | %s | %d |\n' "$label" "$seconds" $((kib / 1024))
}
