#!/usr/bin/env bash
# The Kotlin lane of the runtime matrix: runtime-matrix/kotlin/run.sh CASES_DIR OUT_DIR
# (contract: runtime-matrix/README.md). cwd is the artifacts directory.
#
# Generates the UniFFI Kotlin sources from the library under test ($SDM_FFI_LIB_DIR/
# libspace_data_module_uniffi.so, left there by `cargo test --workspace`) with the workspace's
# uniffi-bindgen, compiles them with Runner.kt under Maven (the toolchain of
# `make run-test-kotlin`: kotlin-maven-plugin, JNA, the ~/.m2 cache) into $SDM_LANE_BUILD, and
# runs the runner on the JVM. The build is skipped when the library, the runner and the pom are
# those of the previous build. Sources are generated from the library every time (a second,
# cheap step) rather than taken from $CARGO_TARGET_DIR/uniffi/kotlin: UniFFI refuses a library
# whose checksums differ from the generated code, so the two must come from the same build.
set -euo pipefail
cases=$(cd "$1" && pwd) out=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=${SDM_REPO_ROOT:-$(cd "$here/../.." && pwd)}
target=${CARGO_TARGET_DIR:-$repo/target}
libdir=${SDM_FFI_LIB_DIR:-$target/debug/deps}
build=${SDM_LANE_BUILD:-$target/runtime-matrix/kotlin}
library=$libdir/libspace_data_module_uniffi.so

command -v java >/dev/null 2>&1 || { echo "skipped: java not found"; exit 77; }
command -v mvn >/dev/null 2>&1 || { echo "skipped: mvn not found"; exit 77; }
[ -f "$library" ] || { echo "kotlin lane: $library is missing (cargo test --workspace --no-run builds it)" >&2; exit 1; }

bindgen=$target/debug/uniffi-bindgen
if [ ! -x "$bindgen" ]; then
  # Only uniffi's generator: the core is not compiled again.
  (cd "$repo" && cargo build -q -p uniffi-bindgen --locked) >&2
fi

mkdir -p "$build" "$out"
build=$(cd "$build" && pwd)
stamp=$( { stat -c "%n %s %Y" "$library"; cat "$here/pom.xml" "$here/src/main/kotlin/Runner.kt"; } | sha256sum | cut -d" " -f1)
if [ "$(cat "$build/stamp" 2>/dev/null)" != "$stamp" ] || [ ! -s "$build/classpath" ]; then
  rm -rf "$build/generated" "$build/target" "$build/stamp"
  # From the repository: library mode reads uniffi.toml through `cargo metadata`.
  (cd "$repo" && "$bindgen" generate --library "$library" --language kotlin \
    --out-dir "$build/generated" --no-format) >&2
  mvn -q -B --no-transfer-progress -Dstyle.color=never -f "$here/pom.xml" \
    -Dsdm.generated.dir="$build/generated" -Dsdm.build.dir="$build/target" \
    compile dependency:build-classpath -Dmdep.outputFile="$build/classpath" >&2
  echo "$stamp" > "$build/stamp"
fi

RUST_BACKTRACE=0 exec java -Djna.library.path="$libdir" \
  -cp "$build/target/classes:$(cat "$build/classpath")" RunnerKt "$cases" "$out"
