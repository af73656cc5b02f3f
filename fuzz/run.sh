#!/usr/bin/env bash
# Runs the cargo-fuzz targets one after the other, each in a single libFuzzer process (the
# machine's cores are shared), after seeding fuzz/corpus/ from vectors/.
#
#   FUZZ_SECONDS  seconds per target (default 30)
#   FUZZ_RUNS     also stop a target after this many executions (libFuzzer -runs)
#   FUZZ_TARGETS  space-separated subset (default: every file in fuzz/fuzz_targets/)
#   FUZZ_ARGS     more libFuzzer flags, e.g. -max_len=4096
#   CARGO_TARGET_DIR  where to build (default fuzz/target)
#
# Needs a nightly toolchain (libFuzzer's sanitizer coverage); installs cargo-fuzz when missing.
# Without nightly the same target bodies still run as stable property tests
# (core/tests/fuzz_props.rs, part of `cargo test`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
seconds=${FUZZ_SECONDS:-30}
targets=${FUZZ_TARGETS:-$(ls fuzz_targets | sed 's/\.rs$//')}

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: no nightly toolchain (install one with: rustup toolchain install nightly)." >&2
  echo "fuzz: the same target bodies run on stable as core/tests/fuzz_props.rs (make test)." >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
bash seed.sh

target_dir=()
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
  target_dir=(--target-dir "$CARGO_TARGET_DIR")
fi
limits=(-max_total_time="$seconds" -print_final_stats=1)
if [ -n "${FUZZ_RUNS:-}" ]; then
  limits+=(-runs="$FUZZ_RUNS")
fi
# shellcheck disable=SC2206 # word splitting wanted: a list of flags
limits+=(${FUZZ_ARGS:-})
mkdir -p logs
for target in $targets; do
  echo "== fuzz $target (${seconds} s${FUZZ_RUNS:+, at most $FUZZ_RUNS runs})"
  set +e
  cargo +nightly fuzz run "${target_dir[@]}" "$target" "corpus/$target" -- "${limits[@]}" 2>&1 \
    | tee "logs/$target.log" \
    | grep -E '^(Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==ERROR|SUMMARY|thread .* panicked)'
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $target failed (status $status); see fuzz/logs/$target.log and fuzz/artifacts/$target/" >&2
    exit "$status"
  fi
done
