#!/usr/bin/env bash
# The Rust lane: run.sh CASES_DIR OUT_DIR (cwd = the artifacts directory). Its results are the
# reference every other lane is compared with.
#
# The runner is a workspace member, so `cargo test --workspace` (make test / make build-tests)
# already built it with the workspace's features; it is built here only when missing, and then
# with that same command, so core and wasmtime are never compiled a second time.
set -euo pipefail
cases=${1:?usage: run.sh CASES_DIR OUT_DIR}
out=${2:?usage: run.sh CASES_DIR OUT_DIR}
root=${SDM_REPO_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
target=${CARGO_TARGET_DIR:-$root/target}
bin=$target/debug/sdm-matrix-rust
if [ ! -x "$bin" ]; then
  (cd "$root" && CARGO_TARGET_DIR="$target" ${CARGO:-cargo} test --workspace --locked --no-run \
    --features space-data-module-ffi/test-hooks) >&2
fi
exec "$bin" "$cases" "$out"
