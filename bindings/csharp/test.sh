#!/usr/bin/env bash
# Builds the C# bindings and their NUnit tests with Mono's mcs and runs them with nunit-console.
# Called by `make run-test-csharp`; every path comes from the Makefile.
#
# usage: test.sh CARGO_TARGET_DIR FFI_LIB_DIR CLI BUILD_DIR
#
# The P/Invoke layer (NativeMethods.g.cs) is not checked in: ffi-c/build.rs generates it with
# csbindgen into its OUT_DIR on every build of the ffi crate; this script asks cargo (the same
# test build as `make test`, a no-op when that just ran) for this clone's OUT_DIR and copies the
# file into BUILD_DIR. The error-code constants (src/ErrorCodes.g.cs) are checked in and must
# match a fresh generation from the header's SDM_ERR_* constants. The bindings and tests are
# compiled with SDM_TEST_HOOKS (Sdm.DebugForcePanic): the library has the test hooks.
set -euo pipefail

target_dir=$1 lib_dir=$2 cli=$3 build=$4
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cargo=${CARGO:-cargo}

have() { command -v "$1" >/dev/null 2>&1; }
tools_present() { have mcs && have mono && have nunit-console && pkg-config --exists nunit 2>/dev/null; }

# Mono and NUnit 2.6 come from Debian (no NuGet needed); install them when we can.
if ! tools_present && [ "$(id -u)" = 0 ] && have apt-get; then
  echo "test-csharp: installing mono-mcs mono-runtime libnunit-cil-dev nunit-console"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      mono-mcs mono-runtime libnunit-cil-dev nunit-console; } >/dev/null 2>&1 || true
fi
if ! tools_present; then
  echo "test-csharp: skipped: mono not found (mcs, mono, nunit-console and libnunit-cil-dev are needed)"
  exit 0
fi

echo "== C#: error codes against the header's SDM_ERR_* constants"
fresh=$(mktemp)
trap 'rm -f "$fresh"' EXIT
bash "$here/gen-error-codes.sh" "$repo/include/space_data_module.h" "$fresh"
if ! diff -u "$here/src/ErrorCodes.g.cs" "$fresh"; then
  echo "test-csharp: bindings/csharp/src/ErrorCodes.g.cs is stale; run 'make codes'" >&2
  exit 1
fi

# What the tests need from the Rust build: the cdylib (with the test hooks), the generated
# P/Invoke layer of this clone's ffi-c (its build script's OUT_DIR, which cargo reports), the CLI.
out_dir=$(cd "$repo" && CARGO_TARGET_DIR="$target_dir" "$cargo" test --workspace --locked --no-run \
    --features space-data-module-ffi/test-hooks --message-format=json |
  grep -F '"reason":"build-script-executed"' | grep -F "$repo/ffi-c#" |
  sed -n 's/.*"out_dir":"\([^"]*\)".*/\1/p' | tail -n 1) || true
native_methods=${out_dir:+$out_dir/NativeMethods.g.cs}
[ -n "$native_methods" ] && [ -f "$native_methods" ] ||
  { echo "test-csharp: ffi-c/build.rs wrote no NativeMethods.g.cs (see its cargo warnings)" >&2; exit 1; }
[ -x "$cli" ] || { echo "test-csharp: no CLI at $cli (the test build makes it)" >&2; exit 1; }

mkdir -p "$build"
cp "$native_methods" "$build/NativeMethods.g.cs"

# Every function of the C header has a P/Invoke entry and is called by the wrapper.
echo "== C#: every sdm_ function of include/space_data_module.h is bound and wrapped"
functions=$(grep -oE '\bsdm_[a-z0-9_]+\(' "$repo/include/space_data_module.h" | tr -d '(' | sort -u)
[ -n "$functions" ] || { echo "test-csharp: no functions found in the header" >&2; exit 1; }
missing=0
for function in $functions; do
  grep -q "EntryPoint = \"$function\"" "$build/NativeMethods.g.cs" ||
    { echo "test-csharp: $function has no P/Invoke entry in NativeMethods.g.cs" >&2; missing=1; }
  grep -q "NativeMethods\.$function(" "$here"/src/*.cs ||
    { echo "test-csharp: $function is not wrapped in bindings/csharp/src" >&2; missing=1; }
done
[ "$missing" = 0 ] || exit 1
echo "$(wc -w <<<"$functions") functions bound and wrapped"
echo "== C#: echo and host-proxy modules compiled by the CLI, the WASI program by clang"
for surface in direct command; do
  "$cli" compile --manifest "$repo/examples/invoke-echo/manifest.$surface.json" \
    --source "$repo/examples/invoke-echo/module.c" -o "$build/echo-$surface.wasm"
done
"$cli" compile --manifest "$repo/examples/host-proxy/manifest.json" \
  --source "$repo/examples/host-proxy/module.c" --allow-undefined-imports -o "$build/host-proxy.wasm"
# The plain WASI program of Module.Run's tests: the runtime matrix's fixture, built with clang
# for wasm32-wasi directly (its own `main`, so not through `compile`).
sysroot=${SDM_WASI_SYSROOT:-}
if [ -z "$sysroot" ]; then
  if [ -f /usr/include/wasm32-wasi/stdlib.h ]; then sysroot=/usr; else sysroot=/usr/share/wasi-sysroot; fi
fi
"${SDM_CLANG:-clang}" --target=wasm32-wasi --sysroot="$sysroot" -O2 \
  "$repo/runtime-matrix/fixtures/wasi-program/main.c" -o "$build/wasi-program.wasm"

echo "== C#: mcs"
mcs -nologo -target:library -unsafe -warnaserror+ -define:SDM_TEST_HOOKS -out:"$build/SpaceDataModule.dll" \
  "$build/NativeMethods.g.cs" "$here"/src/*.cs
mcs -nologo -target:library -warnaserror+ -define:SDM_TEST_HOOKS -r:"$build/SpaceDataModule.dll" \
  -pkg:nunit \
  -out:"$build/SpaceDataModule.Tests.dll" "$here"/tests/*.cs

echo "== C#: nunit-console"
export LD_LIBRARY_PATH="$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export SDM_REPO_ROOT="$repo"
export SDM_ECHO_DIRECT_WASM="$build/echo-direct.wasm"
export SDM_ECHO_COMMAND_WASM="$build/echo-command.wasm"
export SDM_HOST_PROXY_WASM="$build/host-proxy.wasm"
export SDM_PROGRAM_WASM="$build/wasi-program.wasm"
export RUST_BACKTRACE=0
status=0
(cd "$build" && nunit-console -nologo -noshadow "$build/SpaceDataModule.Tests.dll" -xml="$build/TestResult.xml") || status=$?

# One plain closing line for CI logs (NUnit 2.6 prints "Tests run: N, Errors: E, Failures: F").
if [ -f "$build/TestResult.xml" ]; then
  attribute() { sed -n "s/.*<test-results [^>]*\b$1=\"\([0-9]*\)\".*/\1/p" "$build/TestResult.xml" | head -n 1; }
  total=$(attribute total) errors=$(attribute errors) failures=$(attribute failures) not_run=$(attribute not-run)
  failed=$((errors + failures))
  echo "csharp: $((total - failed)) passed, $failed failed, ${not_run:-0} skipped"
  [ "$total" -gt 0 ] || { echo "test-csharp: no test ran" >&2; exit 1; }
fi
exit "$status"
