#!/usr/bin/env bash
# timed.sh NAME COMMAND...: runs COMMAND, then prints and logs how long it took, so a CI log
# shows where the time of `make test` goes. The log ($SDM_TIMES_LOG) is summed up by
# `scripts/timed.sh --summary`.
set -uo pipefail
log="${SDM_TIMES_LOG:-${CARGO_TARGET_DIR:-target}/test-times.log}"
if [ "${1:-}" = "--summary" ]; then
  [ -f "$log" ] || exit 0
  echo "== time per step (s)"
  # Sub-steps (NAME:PART, e.g. the C programs that run side by side) are shown, not summed.
  awk -F'\t' '{ if (index($1, ":")) printf "    %-20s %6d\n", $1, $2; else { printf "  %-22s %6d\n", $1, $2; total += $2 } }
    END { printf "  %-22s %6d\n", "total", total }' "$log"
  exit 0
fi
if [ "${1:-}" = "--reset" ]; then
  mkdir -p "$(dirname "$log")" && : > "$log"
  exit 0
fi
name="$1"; shift
start=$(date +%s)
"$@"
status=$?
elapsed=$(( $(date +%s) - start ))
mkdir -p "$(dirname "$log")"
printf '%s\t%s\t%s\n' "$name" "$elapsed" "$status" >> "$log"
echo "== $name: ${elapsed}s (exit $status)"
exit "$status"
