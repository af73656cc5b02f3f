#!/usr/bin/env bash
# The Python lane of the runtime matrix: runner.py through the installed wheel of
# bindings/python. usage: run.sh CASES_DIR OUT_DIR (cwd: the artifacts directory; the harness
# sets SDM_REPO_ROOT, CARGO_TARGET_DIR and SDM_LANE_BUILD).
#
# The wheel: the virtualenv `make run-test-python` left in $CARGO_TARGET_DIR/python-test/venv
# when its package has this lane's API; else built here the way bindings/python/test.sh builds
# it (maturin, dev profile, the shared target dir: core and wasmtime are not compiled again)
# and installed offline into $SDM_LANE_BUILD/venv.
set -euo pipefail

cases=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=${SDM_REPO_ROOT:-$(cd "$here/../.." && pwd)}
target=${CARGO_TARGET_DIR:-$repo/target}
build=${SDM_LANE_BUILD:-$target/runtime-matrix/python}
maturin=$target/python/tools/bin/maturin

if ! command -v python3 >/dev/null 2>&1; then
  echo "skipped: python3 not found"
  exit 77
fi

# True when $1 imports a space_data_module that has what the runner uses.
usable() {
  [ -x "$1" ] && (cd / && "$1" -c 'import space_data_module as s, sys
sys.exit(0 if hasattr(s.Module, "run") and hasattr(s.Response, "output_frames") else 1)') >/dev/null 2>&1
}

python=$target/python-test/venv/bin/python
if ! usable "$python"; then
  python=$build/venv/bin/python
  if ! usable "$python"; then
    if [ ! -x "$maturin" ]; then
      echo "skipped: maturin not found at $maturin (run scripts/install-deps.sh)"
      exit 77
    fi
    mkdir -p "$build"
    rm -rf "$build/dist"
    echo "python lane: building the wheel (maturin build --profile dev)" >&2
    "$maturin" build --profile dev --strip --locked -i python3 \
      -m "$repo/bindings/python/Cargo.toml" --out "$build/dist" >"$build/maturin.log" 2>&1 \
      || { cat "$build/maturin.log" >&2; exit 1; }
    python3 -m venv --clear "$build/venv"
    "$build/venv/bin/python" -m pip install -q --no-index --disable-pip-version-check "$build"/dist/space_data_module-*.whl
  fi
fi

exec "$python" "$here/runner.py" "$cases" "$out"
