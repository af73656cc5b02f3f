#!/usr/bin/env bash
# The Swift lane of the runtime matrix: runtime-matrix/swift/run.sh CASES_DIR OUT_DIR
# (contract: runtime-matrix/README.md). cwd is the artifacts directory.
#
# Where swiftc is on PATH: generates the UniFFI Swift sources, header and modulemap from the
# library under test ($SDM_FFI_LIB_DIR/libspace_data_module_uniffi.so), builds them as the
# SpaceDataModule module (as bindings/uniffi/swift/test.sh does), compiles runner.swift
# against it into $SDM_LANE_BUILD and runs it. Elsewhere: `skipped: swiftc not found`, exit 77.
set -euo pipefail
if ! command -v swiftc >/dev/null 2>&1; then
  echo "skipped: swiftc not found"
  exit 77
fi
cases=$(cd "$1" && pwd) out=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=${SDM_REPO_ROOT:-$(cd "$here/../.." && pwd)}
target=${CARGO_TARGET_DIR:-$repo/target}
libdir=${SDM_FFI_LIB_DIR:-$target/debug/deps}
build=${SDM_LANE_BUILD:-$target/runtime-matrix/swift}
library=$libdir/libspace_data_module_uniffi.so
[ -f "$library" ] || { echo "swift lane: $library is missing (cargo test --workspace --no-run builds it)" >&2; exit 1; }

bindgen=$target/debug/uniffi-bindgen
if [ ! -x "$bindgen" ]; then
  # Only uniffi's generator: the core is not compiled again.
  (cd "$repo" && cargo build -q -p uniffi-bindgen --locked) >&2
fi

mkdir -p "$build" "$out"
build=$(cd "$build" && pwd)
stamp=$( { stat -c "%n %s %Y" "$library"; cat "$here/runner.swift"; } | sha256sum | cut -d" " -f1)
if [ "$(cat "$build/stamp" 2>/dev/null)" != "$stamp" ] || [ ! -x "$build/sdm-matrix-swift" ]; then
  rm -rf "$build/generated" "$build/stamp"
  # From the repository: library mode reads uniffi.toml through `cargo metadata`.
  (cd "$repo" && "$bindgen" generate --library "$library" --language swift \
    --out-dir "$build/generated" --no-format) >&2
  gen=$build/generated
  swiftc -emit-module -emit-library -module-name SpaceDataModule \
    -o "$build/libSpaceDataModule.so" -emit-module-path "$build/SpaceDataModule.swiftmodule" \
    -Xcc -fmodule-map-file="$gen/SpaceDataModuleFFI.modulemap" -I "$gen" \
    -L "$libdir" -lspace_data_module_uniffi -Xlinker -rpath -Xlinker "$libdir" \
    "$gen/SpaceDataModule.swift" >&2
  swiftc -I "$build" -L "$build" -lSpaceDataModule -L "$libdir" -lspace_data_module_uniffi \
    -Xcc -fmodule-map-file="$gen/SpaceDataModuleFFI.modulemap" -I "$gen" \
    -Xlinker -rpath -Xlinker "$build" -Xlinker -rpath -Xlinker "$libdir" \
    -o "$build/sdm-matrix-swift" "$here/runner.swift" >&2
  echo "$stamp" > "$build/stamp"
fi

RUST_BACKTRACE=0 exec "$build/sdm-matrix-swift" "$cases" "$out"
