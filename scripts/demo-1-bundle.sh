#!/usr/bin/env bash
# `make demo` part (run by scripts/demo.sh): validate the manifest against the module, bundle the reference vector module with its manifest,
# authorization, signature and transport envelope, inspect the result, verify its hashes,
# and say what happened. Usage: scripts/demo-1-bundle.sh PATH/TO/space-data-module
set -euo pipefail

cli="${1:?usage: scripts/demo-1-bundle.sh PATH/TO/space-data-module}"
cli="$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vectors="$root/vectors/single-file-bundle"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}
size() { wc -c <"$1" | tr -d ' '; }

echo "== 1. check: validate the manifest and the module's exports (compliance rules + standards catalog)"
"$cli" check --manifest "$vectors/manifest.json" --wasm "$vectors/base-module.wasm" --standards

echo
echo "== 2. bundle: base-module.wasm + manifest.json + authorization/signature/transport"
"$cli" bundle \
    --wasm "$vectors/base-module.wasm" \
    --manifest "$vectors/manifest.json" \
    --authorization "$vectors/authorization.json" \
    --signature "$vectors/signature.json" \
    --transport "$vectors/transport.json" \
    -o "$work/module.wasm"
echo "   input : base-module.wasm, $(size "$vectors/base-module.wasm") bytes, sha256 $(sha256 "$vectors/base-module.wasm")"
echo "   output: module.wasm, $(size "$work/module.wasm") bytes, sha256 $(sha256 "$work/module.wasm")"

echo
echo "== 3. inspect the single-file module"
"$cli" inspect "$work/module.wasm"

echo
echo "== 4. verify every stored hash (canonical module, manifest, each entry)"
"$cli" inspect "$work/module.wasm" --verify | tail -n 1

echo
echo "== 5. change one byte of the module's data section and verify again (expect a mismatch)"
cp "$work/module.wasm" "$work/tampered.wasm"
# The last byte of the original module is inside its data section: framing stays valid.
offset=$(( $(size "$vectors/base-module.wasm") - 1 ))
printf '\x5a' | dd of="$work/tampered.wasm" bs=1 seek="$offset" conv=notrunc status=none
status=0
report=$("$cli" inspect "$work/tampered.wasm" --verify) || status=$?
if [ "$status" -eq 1 ] && grep MISMATCH <<<"$report"; then
    echo "   tampering detected (inspect --verify exits 1), as expected"
else
    echo "   tampering NOT detected" >&2
    exit 1
fi

echo
echo "Done: the module stays valid WebAssembly; the bundle rides in its last custom section, sds.bundle."
