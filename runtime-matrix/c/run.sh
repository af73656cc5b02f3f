#!/usr/bin/env bash
# The C lane: run.sh CASES_DIR OUT_DIR (cwd = the artifacts directory). Builds runner.c with gcc
# against the public header (include/space_data_module.h) and the cdylib in $SDM_FFI_LIB_DIR
# (the one `make test` built), and runs it.
set -euo pipefail
cases=${1:?usage: run.sh CASES_DIR OUT_DIR}
out=${2:?usage: run.sh CASES_DIR OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
root=${SDM_REPO_ROOT:-$(cd "$here/../.." && pwd)}
target=${CARGO_TARGET_DIR:-$root/target}
lib_dir=${SDM_FFI_LIB_DIR:-$target/debug/deps}
build=${SDM_LANE_BUILD:-$target/runtime-matrix/build/c}
cc=${CC:-gcc}
command -v "$cc" >/dev/null 2>&1 || { echo "skipped: $cc not found"; exit 77; }
[ -f "$lib_dir/libspace_data_module_ffi.so" ] ||
  { echo "c lane: no libspace_data_module_ffi.so in $lib_dir (run 'make build-tests')" >&2; exit 1; }
mkdir -p "$build"
"$cc" -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -g -O1 -I"$root/include" \
  "$here/runner.c" -o "$build/sdm-matrix-c" -L"$lib_dir" -lspace_data_module_ffi -Wl,-rpath,"$lib_dir" >&2
RUST_BACKTRACE=0 exec "$build/sdm-matrix-c" "$cases" "$out"
