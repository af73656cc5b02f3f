#!/usr/bin/env bash
# `make demo`: runs every demo part (scripts/demo-*.sh) in name order with the CLI path.
set -euo pipefail
CLI=${1:?usage: demo.sh <cli>}
for part in "$(dirname "$0")"/demo-*.sh; do
  echo "### $(basename "$part")"
  bash "$part" "$CLI"
done
