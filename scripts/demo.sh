#!/usr/bin/env bash
# `make demo`: the whole story of a module, one part per script (scripts/demo-N-*.sh), in order.
# Usage: scripts/demo.sh PATH/TO/space-data-module
set -euo pipefail
cli=${1:?usage: scripts/demo.sh PATH/TO/space-data-module}
for part in "$(dirname "$0")"/demo-[0-9]-*.sh; do
  printf '\n######## %s\n' "$(basename "$part" .sh | sed 's/^demo-[0-9]-//')"
  bash "$part" "$cli"
done
