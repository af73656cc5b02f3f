#!/usr/bin/env bash
# The Swift lane of the UniFFI bindings (make run-test-swift).
#   1. The generated SpaceDataModule.swift, SpaceDataModuleFFI.h and .modulemap must exist and
#      cover every export of the library (check_coverage.py; runs everywhere).
#   2. Where swiftc is on PATH: compile the bindings into a Swift module against the cdylib,
#      compile Tests/main.swift against it, and run it. Elsewhere the lane says it is skipped.
# Usage: test.sh LIBRARY GENERATED_DIR BUILD_DIR REPO_ROOT WASM_DIR
set -euo pipefail
library=$1 generated=$2 build=$3 repo=$4 wasm=$5
here=$(cd "$(dirname "$0")" && pwd)

for file in SpaceDataModule.swift SpaceDataModuleFFI.h SpaceDataModuleFFI.modulemap; do
  [ -s "$generated/$file" ] || { echo "run-test-swift: $generated/$file was not generated" >&2; exit 1; }
done
python3 "$here/check_coverage.py" "$library" "$generated" "$repo/docs/errors.md"

if ! command -v swiftc >/dev/null 2>&1; then
  echo "swiftc not found: Swift lane skipped"
  echo "run-test-swift: sources, header and modulemap generated and covered; compile-and-run SKIPPED (no swiftc)"
  exit 0
fi

libdir=$(dirname "$library")
mkdir -p "$build"
# The bindings as a module of their own (as UniFFI's Swift test harness builds them), then the
# test program against it; both link the cdylib found through rpath.
swiftc -emit-module -emit-library -module-name SpaceDataModule \
  -o "$build/libSpaceDataModule.so" -emit-module-path "$build/SpaceDataModule.swiftmodule" \
  -Xcc -fmodule-map-file="$generated/SpaceDataModuleFFI.modulemap" -I "$generated" \
  -L "$libdir" -lspace_data_module_uniffi -Xlinker -rpath -Xlinker "$libdir" \
  "$generated/SpaceDataModule.swift"
swiftc -I "$build" -L "$build" -lSpaceDataModule -L "$libdir" -lspace_data_module_uniffi \
  -Xcc -fmodule-map-file="$generated/SpaceDataModuleFFI.modulemap" -I "$generated" \
  -Xlinker -rpath -Xlinker "$build" -Xlinker -rpath -Xlinker "$libdir" \
  -o "$build/sdm-swift-test" "$here/Tests/main.swift"
RUST_BACKTRACE=0 "$build/sdm-swift-test" "$repo" "$wasm"
