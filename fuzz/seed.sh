#!/usr/bin/env bash
# Copies seed inputs into fuzz/corpus/<target>/ (not committed): files from vectors/ chosen per
# target, plus the small hand-written seeds in fuzz/seeds/<target>/. Idempotent; an existing
# corpus (with what earlier runs found) is kept. Keep the choice in step with `seeds()` in
# core/tests/fuzz_props.rs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vectors=$here/../vectors
corpus=${FUZZ_CORPUS:-$here/corpus}

seed() { # target, then find arguments (paths under vectors/ and tests)
  local target=$1
  shift
  mkdir -p "$corpus/$target"
  (cd "$vectors" && find "$@" -type f -size -2M) | while read -r file; do
    file=${file#./}
    cp "$vectors/$file" "$corpus/$target/$(echo "$file" | tr '/' '_')"
  done
  if [ -d "$here/seeds/$target" ]; then
    cp "$here/seeds/$target"/* "$corpus/$target/"
  fi
}

seed manifest_decode manifests differential/manifest single-file-bundle -name '*manifest*.fb'
seed manifest_json manifests differential/manifest differential/bundle single-file-bundle \
  -name '*manifest.json'
seed wasm_sections . -name '*.wasm'
seed bundle_parse . \( -name '*.wasm' -o -name '*bundle*.fb' \)
seed publication_records publication/cases \( -name '*.bin' \)
seed publication_open publication/cases single-file-bundle -name '*.wasm'
seed transport_open publication/transport single-file-bundle \( -name 'envelope.json' -o -name 'transport.json' \)
seed invoke_envelopes invoke -name '*.fb'
seed canonical_json canonical-json publication/canonical-json publication/authorization single-file-bundle \
  -name '*.json'
seed host_policy_json . -name 'no-vector-seeds-for-this-target'
seed host_ops . -name 'no-vector-seeds-for-this-target'
# The wasmsign2-signed modules kept with the core's tests (not vectors: made here, by wasmsign2).
seed wasm_signature . -name 'no-vector-seeds-for-this-target'
cp "$here/../core/tests/data/wasmsig"/*.wasm "$corpus/wasm_signature/"

for dir in "$corpus"/*/; do
  echo "seeded $(ls "$dir" | wc -l) inputs in ${dir%/}"
done
