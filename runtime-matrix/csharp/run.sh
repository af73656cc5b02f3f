#!/usr/bin/env bash
# The C# lane: run.sh CASES_DIR OUT_DIR (cwd = the artifacts directory). Compiles the C# binding
# (bindings/csharp/src plus the P/Invoke layer ffi-c/build.rs generated with csbindgen) and
# Runner.cs with Mono's mcs, and runs it with mono against the cdylib in $SDM_FFI_LIB_DIR.
set -euo pipefail
cases=${1:?usage: run.sh CASES_DIR OUT_DIR}
out=${2:?usage: run.sh CASES_DIR OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
root=${SDM_REPO_ROOT:-$(cd "$here/../.." && pwd)}
target=${CARGO_TARGET_DIR:-$root/target}
lib_dir=${SDM_FFI_LIB_DIR:-$target/debug/deps}
build=${SDM_LANE_BUILD:-$target/runtime-matrix/build/csharp}
for tool in mcs mono; do
  command -v "$tool" >/dev/null 2>&1 || { echo "skipped: $tool not found"; exit 77; }
done
[ -f "$lib_dir/libspace_data_module_ffi.so" ] ||
  { echo "csharp lane: no libspace_data_module_ffi.so in $lib_dir (run 'make build-tests')" >&2; exit 1; }

# The P/Invoke layer of this clone's ffi-c: its build script's OUT_DIR, as bindings/csharp/test.sh
# finds it (the same test build as `make test`: nothing is compiled again when that ran), unless
# SDM_CSHARP_NATIVE_METHODS names a generated NativeMethods.g.cs.
out_dir=
[ -n "${SDM_CSHARP_NATIVE_METHODS:-}" ] || out_dir=$(cd "$root" && CARGO_TARGET_DIR="$target" ${CARGO:-cargo} test --workspace --locked --no-run \
    --features space-data-module-ffi/test-hooks --message-format=json 2>/dev/null |
  grep -F '"reason":"build-script-executed"' | grep -F "$root/ffi-c#" |
  sed -n 's/.*"out_dir":"\([^"]*\)".*/\1/p' | tail -n 1) || true
native=${SDM_CSHARP_NATIVE_METHODS:-${out_dir:+$out_dir/NativeMethods.g.cs}}
[ -n "$native" ] && [ -f "$native" ] ||
  { echo "csharp lane: ffi-c/build.rs wrote no NativeMethods.g.cs" >&2; exit 1; }

mkdir -p "$build"
build=$(cd "$build" && pwd)
mcs -nologo -target:library -unsafe -warnaserror+ -out:"$build/SpaceDataModule.dll" \
  "$native" "$root"/bindings/csharp/src/*.cs >&2
mcs -nologo -warnaserror+ -r:"$build/SpaceDataModule.dll" -r:System.Core -out:"$build/sdm-matrix-csharp.exe" \
  "$here/Runner.cs" "$root/bindings/csharp/src/JsonReader.cs" >&2
export LD_LIBRARY_PATH="$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" RUST_BACKTRACE=0
exec mono "$build/sdm-matrix-csharp.exe" "$cases" "$out"
