#!/usr/bin/env bash
# The browser test of the lab (make test-lab): installs what it needs when missing (Debian's
# chromium, playwright-core from npm at the version package-lock.json pins, into OUT/node),
# then runs lab.test.mjs, which starts `CLI lab --port 0`, drives the page and saves OUT/lab.png.
# A missing prerequisite that cannot be installed prints "skipped: <why>" and exits 0.
# Usage: run.sh CLI OUT
set -euo pipefail
cli="${1:?usage: run.sh CLI OUT}"
out="${2:?usage: run.sh CLI OUT}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"

[ -x "$cli" ] || { echo "test-lab: $cli is missing; build it first (make build-tests)" >&2; exit 1; }
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "test-lab: skipped: node and npm are not installed"
  exit 0
fi
if ! why="$(bash "$root/scripts/install-chromium.sh")"; then
  echo "test-lab: skipped: $why"
  exit 0
fi

# playwright-core into OUT/node, reinstalled only when the lock file changed.
node_dir="$out/node"
mkdir -p "$node_dir"
if ! cmp -s "$here/package-lock.json" "$node_dir/package-lock.json" \
   || [ ! -f "$node_dir/node_modules/playwright-core/package.json" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$node_dir/"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
cp "$here/lab.test.mjs" "$node_dir/"
cd "$node_dir"
LAB_CLI="$cli" LAB_OUT="$out" LAB_VECTORS="$root/vectors/publication/inputs" node lab.test.mjs
