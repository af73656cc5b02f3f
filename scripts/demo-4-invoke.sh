#!/usr/bin/env bash
# The runtime part of `make demo`: compile examples/invoke-echo from C, read its embedded
# manifest by running it, and invoke `echo` in direct and command mode. Usage: demo-4-invoke.sh CLI
# (the integrator splices bundle / protect / open between "compile" and "invoke").
set -euo pipefail
cli="${1:?usage: demo-4-invoke.sh path/to/space-data-module}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== compile examples/invoke-echo (C + manifest.hybrid.json -> wasm32-wasi module)"
"$cli" compile --manifest examples/invoke-echo/manifest.hybrid.json --source examples/invoke-echo/module.c -o "$work/echo.wasm"

printf 'hello, space data' > "$work/in.bin"
for mode in direct command; do
  echo "== invoke echo ($mode mode)"
  "$cli" invoke "$work/echo.wasm" --method echo --input-port echo --input "$work/in.bin" --mode "$mode" --output "$work/out-$mode.bin"
  printf '   output: %s\n' "$(cat "$work/out-$mode.bin")"
done
echo "== invoke echo (--json, direct mode)"
"$cli" invoke "$work/echo.wasm" --method echo --input-port echo --input "$work/in.bin" --json
