#!/usr/bin/env bash
# `make demo` part: the whole life of a module. Compile examples/invoke-echo from C (the manifest
# is embedded), validate it, bundle it, protect it (sign + encrypt for a recipient), then run it:
# `invoke` opens the artifact with the fail-closed loader (trusted signer, recipient key) before
# the runtime sees a byte, in direct and in command mode. Usage: demo-3-run.sh CLI
set -euo pipefail
cli="${1:?usage: demo-3-run.sh path/to/space-data-module}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
example="$root/examples/invoke-echo"
size() { wc -c <"$1" | tr -d ' '; }

echo "== 1. compile examples/invoke-echo/module.c with manifest.hybrid.json (clang, wasm32-wasi)"
"$cli" compile --manifest "$example/manifest.hybrid.json" --source "$example/module.c" -o "$work/echo.wasm"
echo "   echo.wasm: $(size "$work/echo.wasm") bytes"

echo "== 2. check the compiled module against its manifest"
"$cli" check --manifest "$example/manifest.hybrid.json" --wasm "$work/echo.wasm"

echo "== 3. bundle: embed the manifest as an sds.bundle section"
"$cli" bundle --wasm "$work/echo.wasm" --manifest "$example/manifest.hybrid.json" -o "$work/echo.bundled.wasm" >/dev/null
echo "   echo.bundled.wasm: $(size "$work/echo.bundled.wasm") bytes"

echo "== 4. protect: sign with a fresh mnemonic, encrypt for a fresh recipient key"
signer=$("$cli" keygen --kind mnemonic -o "$work/signer.mnemonic" | sed -n 's/^publicKeyHex=//p')
recipient=$("$cli" keygen --kind recipient -o "$work/recipient.json" | sed -n 's/^publicKeyHex=//p')
"$cli" protect --manifest "$example/manifest.hybrid.json" --wasm "$work/echo.bundled.wasm" \
  --encrypt-for "$recipient" --mnemonic-file "$work/signer.mnemonic" -o "$work/echo.protected.wasm" >/dev/null
echo "   signer $signer"
echo "   echo.protected.wasm: $(size "$work/echo.protected.wasm") bytes (encrypted payload + REC/PNM/ENC trailer)"

echo "== 5. open it (verify signature and CID, decrypt, validate)"
"$cli" open "$work/echo.protected.wasm" --trust "$signer" --decrypt-with "$work/recipient.json" -o "$work/echo.opened.wasm"

printf 'hello, space data' > "$work/in.bin"
for mode in direct command; do
  echo "== 6. invoke echo in $mode mode, straight from the protected artifact"
  "$cli" invoke "$work/echo.protected.wasm" --trust "$signer" --decrypt-with "$work/recipient.json" \
    --method echo --input-port echo --input "$work/in.bin" --mode "$mode" --output "$work/out-$mode.bin"
  printf '   sent "%s", got back "%s"\n' "$(cat "$work/in.bin")" "$(cat "$work/out-$mode.bin")"
done
cmp -s "$work/out-direct.bin" "$work/out-command.bin" && echo "   direct and command mode answered identically"

echo "== 7. the whole response as JSON (direct mode)"
"$cli" invoke "$work/echo.protected.wasm" --trust "$signer" --decrypt-with "$work/recipient.json" \
  --method echo --input-port echo --input "$work/in.bin" --json

echo "== 8. the same artifact without the recipient key is refused before anything runs"
status=0
"$cli" invoke "$work/echo.protected.wasm" --trust "$signer" --method echo --input-port echo \
  --input "$work/in.bin" 2>"$work/err" >/dev/null || status=$?
echo "   refused (exit $status): $(cat "$work/err")"
[ "$status" -ne 0 ]
