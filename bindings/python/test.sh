#!/usr/bin/env bash
# Builds the Python wheel with maturin (dev profile, the shared target dir), installs it into
# fresh virtualenvs with no network, and runs the pytest suite there. Called by
# `make run-test-python`; every path comes from the Makefile.
#
# usage: test.sh CARGO_TARGET_DIR CLI BUILD_DIR [pytest args...]
#
# - Wheel: `maturin build --profile dev`, the same profile and core features `cargo test
#   --workspace` built, so core and wasmtime are not compiled again (the build log says so).
# - Offline: a clean venv gets `pip install --no-index <wheel>` alone (the wheel needs nothing
#   else) and must `import space_data_module`; the test venv installs pytest and mypy from the
#   local wheelhouse scripts/install-deps.sh filled, also with --no-index.
set -euo pipefail

target_dir=$1 cli=$2 build=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tools="$target_dir/python"

if ! command -v python3 >/dev/null 2>&1 || [ ! -x "$tools/tools/bin/maturin" ] || [ ! -f "$tools/wheelhouse/.complete" ]; then
  echo "test-python: skipped: python3, maturin or the wheelhouse is missing (run scripts/install-deps.sh)"
  exit 0
fi

mkdir -p "$build"
echo "== Python: test guests (compiled with the CLI)"
for surface in direct command; do
  "$cli" compile --manifest "$repo/examples/invoke-echo/manifest.$surface.json" \
    --source "$repo/examples/invoke-echo/module.c" -o "$build/echo-$surface.wasm"
done
"$cli" compile --manifest "$repo/examples/host-proxy/manifest.json" \
  --source "$repo/examples/host-proxy/module.c" --allow-undefined-imports -o "$build/host-proxy.wasm"
"$cli" compile --manifest "$repo/examples/aligned-echo/manifest.json" \
  --source "$repo/examples/aligned-echo/module.c" -o "$build/aligned-echo.wasm"
# A plain WASI program (no manifest): clang and wasi-libc directly, the toolchain `compile`
# uses. Without it the Module.run tests skip and say why.
rm -f "$build/wasi-program.wasm"
"${SDM_CLANG:-clang}" --target=wasm32-wasi --sysroot="${SDM_WASI_SYSROOT:-/usr}" -O1 \
  -o "$build/wasi-program.wasm" "$repo/examples/wasi-program/program.c" \
  || echo "test-python: note: examples/wasi-program did not compile; the Module.run tests skip"

echo "== Python: wheel (maturin build --profile dev)"
rm -rf "$build/dist"
# --strip: the debug symbols of core and wasmtime would make a ~100 MB wheel; only the final
# link is affected, so nothing is recompiled for it.
"$tools/tools/bin/maturin" build --profile dev --strip --locked -i python3 \
  -m "$here/Cargo.toml" --out "$build/dist" 2>&1 | tee "$build/maturin.log"
wheel=$(ls "$build"/dist/space_data_module-*.whl)
# The point of building in the dev profile with pinned features: these must come from the
# `cargo test --workspace` build. Say so when they did not (e.g. this target ran alone).
for crate in space-data-module wasmtime; do
  if grep -q "Compiling $crate v" "$build/maturin.log"; then
    echo "test-python: note: maturin compiled $crate (fresh target dir, or features differ from cargo test --workspace)"
  else
    echo "test-python: $crate reused from the cargo test build (not recompiled)"
  fi
done

echo "== Python: offline install into a clean virtualenv"
python3 -m venv --clear "$build/venv-clean"
"$build/venv-clean/bin/python" -m pip install -q --no-index --disable-pip-version-check "$wheel"
(cd "$build" && "$build/venv-clean/bin/python" -c "import space_data_module as s; print('import space_data_module', s.__version__, ': ok')")

echo "== Python: pytest in a fresh virtualenv (offline)"
python3 -m venv --clear "$build/venv"
"$build/venv/bin/python" -m pip install -q --no-index --disable-pip-version-check \
  --find-links "$tools/wheelhouse" pytest mypy "$wheel"
# Run from the build dir: the source tree's python/ has no extension and must not shadow the
# installed package.
cd "$build"
SDM_REPO_ROOT="$repo" SDM_PY_WHEEL="$wheel" \
SDM_PY_ECHO_DIRECT_WASM="$build/echo-direct.wasm" SDM_PY_ECHO_COMMAND_WASM="$build/echo-command.wasm" \
SDM_PY_HOST_PROXY_WASM="$build/host-proxy.wasm" SDM_PY_ALIGNED_ECHO_WASM="$build/aligned-echo.wasm" \
SDM_PY_PROGRAM_WASM="$build/wasi-program.wasm" SDM_CLI="$cli" RUST_BACKTRACE=0 \
  "$build/venv/bin/python" -m pytest -p no:cacheprovider -rs "$here/tests" "$@"
