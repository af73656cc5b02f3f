#!/usr/bin/env bash
# Installs what `make test` needs, skipping whatever is already there. Safe to run repeatedly.
set -euo pipefail

need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }

have cargo || { echo "install-deps: cargo not found; install Rust (rustup) first" >&2; exit 1; }

# The compiler (core/src/compiler) drives Debian's clang for wasm32-wasi.
have clang || need_apt+=(clang)
have wasm-ld || need_apt+=(lld)
[ -f /usr/include/wasm32-wasi/stdlib.h ] || need_apt+=(wasi-libc)
ls /usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1 || need_apt+=(libclang-rt-dev-wasm32)

# The C ABI tests: gcc builds examples/c; valgrind (optional) checks them for leaks.
have gcc || need_apt+=(gcc libc6-dev)
have pkg-config || need_apt+=(pkgconf)
if ! have valgrind; then
  if [ "$(id -u)" = 0 ]; then need_apt+=(valgrind); else echo "install-deps: valgrind missing (optional)" >&2; fi
fi

# The C# bindings (make test-csharp): Mono's mcs and runtime, NUnit 2.6 and its console runner.
# Optional without root: the C# tests then print "skipped: mono not found".
csharp_apt=()
have mcs || csharp_apt+=(mono-mcs)
have mono || csharp_apt+=(mono-runtime)
have nunit-console || csharp_apt+=(nunit-console)
pkg-config --exists nunit 2>/dev/null || csharp_apt+=(libnunit-cil-dev pkg-config)
if ((${#csharp_apt[@]})); then
  if [ "$(id -u)" = 0 ]; then need_apt+=("${csharp_apt[@]}"); else echo "install-deps: ${csharp_apt[*]} missing (optional, for the C# tests)" >&2; fi
fi

# The Java binding (make test-java): a JDK 17 and Maven 3 (Maven fetches the test
# dependencies from Maven Central into ~/.m2 itself). Optional without root: skipped then.
java_apt=()
have javac || java_apt+=(openjdk-17-jdk-headless)
have mvn || java_apt+=(maven)
if ((${#java_apt[@]})); then
  if [ "$(id -u)" = 0 ]; then need_apt+=("${java_apt[@]}"); else echo "install-deps: ${java_apt[*]} missing (optional, for the Java tests)" >&2; fi
fi
# The Kotlin tests of the UniFFI bindings (make run-test-kotlin): a JDK and Maven (Debian's
# Maven fetches the Kotlin compiler, JNA and JUnit from Maven Central on its first run). The
# Swift lane's coverage check reads the library's symbols (nm) with python3.
have python3 || need_apt+=(python3)
have nm || need_apt+=(binutils)

if ((${#need_apt[@]})); then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
  else
    echo "install-deps: missing ${need_apt[*]} and not root; install them with apt-get" >&2
    exit 1
  fi
fi
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# The C header generator, pinned: `make header-check` compares its output byte for byte.
CBINDGEN_VERSION=0.29.0
if [ "$(cbindgen --version 2>/dev/null)" != "cbindgen $CBINDGEN_VERSION" ]; then
  cargo install cbindgen --version "$CBINDGEN_VERSION" --locked --force
fi
have cbindgen || { echo "install-deps: cbindgen not on PATH after install" >&2; exit 1; }

# The Python binding (make run-test-python): maturin builds the wheel; pytest and mypy (its
# stubtest) run in a fresh virtualenv that installs them from a local wheelhouse, offline.
# Everything lives under the cargo target dir; pinned so a cold CI gets the same tools.
PY_TOOLS="${CARGO_TARGET_DIR:-$(pwd)/target}/python"
PY_PINS=(maturin==1.16.0 pytest==9.2.0 mypy==2.4.1)
if have python3 && python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  if ! "$PY_TOOLS/tools/bin/python" -m pip show maturin pytest mypy >/dev/null 2>&1 \
     || [ ! -f "$PY_TOOLS/wheelhouse/.complete" ]; then
    python3 -m venv "$PY_TOOLS/tools"
    "$PY_TOOLS/tools/bin/python" -m pip install -q --disable-pip-version-check "${PY_PINS[@]}"
    # The test virtualenv installs pytest and mypy from here with --no-index.
    "$PY_TOOLS/tools/bin/python" -m pip download -q --disable-pip-version-check \
      -d "$PY_TOOLS/wheelhouse" "${PY_PINS[@]:1}"
    touch "$PY_TOOLS/wheelhouse/.complete"
  fi
else
  echo "install-deps: python3 with venv/ensurepip missing; the Python binding tests will be skipped" >&2
fi

echo "install-deps: all present"
