#!/usr/bin/env bash
# The Java lane of the runtime matrix: MatrixRunner.java through the Java binding
# (bindings/java, org.spacedata.module) and its JNI library. usage: run.sh CASES_DIR OUT_DIR
# (cwd: the artifacts directory; the harness sets SDM_REPO_ROOT, CARGO_TARGET_DIR,
# SDM_FFI_LIB_DIR and SDM_LANE_BUILD).
#
# - Binding classes: bindings/java/target/classes as `make run-test-java` (Maven) left them when
#   they are newer than every source file; else the sources compiled here with javac.
# - Jackson (the binding's one dependency) from the local Maven repository, where
#   run-test-java's Maven resolved it.
# - libspace_data_module_jni.so from $SDM_FFI_LIB_DIR (`cargo test --workspace` builds it).
set -euo pipefail

cases=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=${SDM_REPO_ROOT:-$(cd "$here/../.." && pwd)}
target=${CARGO_TARGET_DIR:-$repo/target}
build=${SDM_LANE_BUILD:-$target/runtime-matrix/java}
native=${SDM_FFI_LIB_DIR:-$target/debug/deps}
m2=${MAVEN_REPOSITORY:-$HOME/.m2/repository}

for tool in javac java; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "skipped: $tool not found"
    exit 77
  fi
done

# The newest version of one Jackson artifact in the local Maven repository.
jar() {
  { find "$m2/com/fasterxml/jackson/core/$1" -name "$1-*.jar" ! -name '*-sources.jar' ! -name '*-javadoc.jar' 2>/dev/null || true; } \
    | sort -V | tail -n 1
}
classpath=""
for artifact in jackson-databind jackson-core jackson-annotations; do
  found=$(jar "$artifact")
  if [ -z "$found" ]; then
    echo "skipped: $artifact not in $m2 (run make run-test-java once: Maven resolves it)"
    exit 77
  fi
  classpath=$classpath${classpath:+:}$found
done

if [ ! -f "$native/libspace_data_module_jni.so" ]; then
  echo "java lane: $native/libspace_data_module_jni.so is missing (cargo test --workspace builds it)" >&2
  exit 1
fi

sources=$repo/bindings/java/src/main/java
maven_classes=$repo/bindings/java/target/classes
mkdir -p "$build"
if [ -f "$maven_classes/org/spacedata/module/Module.class" ] \
  && [ -z "$(find "$sources" -name '*.java' -newer "$maven_classes/org/spacedata/module/Module.class" -print -quit)" ]; then
  binding=$maven_classes
else
  binding=$build/binding-classes
  rm -rf "$binding"
  mkdir -p "$binding"
  find "$sources" -name '*.java' > "$build/binding-sources.txt"
  javac -nowarn --release 17 -encoding UTF-8 -cp "$classpath" -d "$binding" @"$build/binding-sources.txt" >&2
fi

rm -rf "$build/runner-classes"
mkdir -p "$build/runner-classes"
javac --release 17 -encoding UTF-8 -cp "$binding:$classpath" -d "$build/runner-classes" "$here/MatrixRunner.java" >&2

exec java -Djava.library.path="$native" -cp "$build/runner-classes:$binding:$classpath" MatrixRunner "$cases" "$out"
