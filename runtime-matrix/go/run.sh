#!/usr/bin/env bash
# The Go lane: run.sh CASES_DIR OUT_DIR (cwd = the artifacts directory). Builds main.go against
# the Go binding (bindings/go, through the `replace` in go.mod) as `make run-test-go` builds
# the binding: offline, against a staged `make install` of the cdylib in $SDM_FFI_LIB_DIR found
# through pkg-config.
set -euo pipefail
cases=${1:?usage: run.sh CASES_DIR OUT_DIR}
out=${2:?usage: run.sh CASES_DIR OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
root=${SDM_REPO_ROOT:-$(cd "$here/../.." && pwd)}
target=${CARGO_TARGET_DIR:-$root/target}
lib_dir=${SDM_FFI_LIB_DIR:-$target/debug/deps}
build=${SDM_LANE_BUILD:-$target/runtime-matrix/build/go}
go_bin=${GO_BIN:-$(command -v go || true)}
if [ -z "$go_bin" ]; then echo "skipped: go not found"; exit 77; fi
if ! command -v pkg-config >/dev/null 2>&1; then echo "skipped: pkg-config not found"; exit 77; fi
[ -f "$lib_dir/libspace_data_module_ffi.so" ] ||
  { echo "go lane: no libspace_data_module_ffi.so in $lib_dir (run 'make build-tests')" >&2; exit 1; }

mkdir -p "$build"
build=$(cd "$build" && pwd)
prefix=/opt/space-data-module
rm -rf "$build/install"
make --no-print-directory -C "$root" install DESTDIR="$build/install" PREFIX=$prefix \
  INSTALL_LIB_DIR="$lib_dir" INSTALL_STATIC=no >&2
header_hash=$(sha256sum "$root/include/space_data_module.h" | cut -d' ' -f1)
export CGO_ENABLED=1 CGO_CFLAGS="-g -O2 -DSDM_HEADER_SHA256=$header_hash" \
  PKG_CONFIG_PATH="$build/install$prefix/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$build/install" \
  GOCACHE="$build/cache" GOPATH="$build/path" GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local
(cd "$here" && "$go_bin" build -o "$build/sdm-matrix-go" .) >&2
# The staged library is what the runner loads (a debug cdylib is large: removed afterwards).
status=0
LD_LIBRARY_PATH="$build/install$prefix/lib" RUST_BACKTRACE=0 "$build/sdm-matrix-go" "$cases" "$out" || status=$?
rm -rf "$build/install"
exit "$status"
