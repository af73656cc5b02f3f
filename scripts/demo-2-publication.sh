#!/usr/bin/env bash
# Publication demo: sign and encrypt the demo module, open it with the right key, and show that
# the wrong key and a tampered byte are refused with their error classes.
# Usage: scripts/demo-publication.sh <path to the space-data-module CLI>
set -euo pipefail

CLI=${1:?usage: demo-publication.sh <cli>}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
INPUTS="$ROOT/vectors/publication/inputs"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n== %s\n' "$*"; }
# Runs a command that must fail; prints its error line and exit code.
refused() {
  local code=0
  "$@" 2>"$WORK/err" >/dev/null || code=$?
  if [ "$code" = 0 ]; then echo "UNEXPECTED: the command succeeded" >&2; exit 1; fi
  echo "refused (exit $code): $(cat "$WORK/err")"
}

step "keys: a signing mnemonic and two X25519 recipient keys (files are 0600)"
SIGNER=$("$CLI" keygen --kind mnemonic -o "$WORK/signer.mnemonic" | sed -n 's/^publicKeyHex=//p')
RECIPIENT=$("$CLI" keygen --kind recipient -o "$WORK/recipient.json" | sed -n 's/^publicKeyHex=//p')
"$CLI" keygen --kind recipient -o "$WORK/wrong.json" >/dev/null
ls -l "$WORK"/signer.mnemonic "$WORK"/recipient.json | awk '{print $1, $NF}'

step "protect: single-file bundle, encrypted for the recipient, signed"
"$CLI" protect --manifest "$INPUTS/manifest.json" --wasm "$INPUTS/base-module.wasm" \
  --single-file-bundle --encrypt-for "$RECIPIENT" --mnemonic-file "$WORK/signer.mnemonic" \
  -o "$WORK/module.protected.wasm"

step "open with the trusted signer and the right key"
"$CLI" open "$WORK/module.protected.wasm" --trust "$SIGNER" --decrypt-with "$WORK/recipient.json" \
  -o "$WORK/module.wasm"

step "open with the wrong recipient key"
refused "$CLI" open "$WORK/module.protected.wasm" --trust "$SIGNER" --decrypt-with "$WORK/wrong.json" \
  -o "$WORK/wrong.wasm"

step "open after flipping one payload byte"
cp "$WORK/module.protected.wasm" "$WORK/tampered.wasm"
printf '\xff' | dd of="$WORK/tampered.wasm" bs=1 seek=1000 conv=notrunc status=none
refused "$CLI" open "$WORK/tampered.wasm" --trust "$SIGNER" --decrypt-with "$WORK/recipient.json" \
  -o "$WORK/tampered.out.wasm"

step "open with an untrusted signer key"
refused "$CLI" open "$WORK/module.protected.wasm" --trust 03c954cababcaac1d97b97ef3fb517309e7d66e908f9440f31a9ddec15e777df2a \
  --decrypt-with "$WORK/recipient.json" -o "$WORK/untrusted.wasm"

for f in wrong.wasm tampered.out.wasm untrusted.wasm; do
  [ ! -e "$WORK/$f" ] || { echo "UNEXPECTED: $f was written" >&2; exit 1; }
done
echo
echo "publication demo: ok (refused artifacts wrote no output)"
