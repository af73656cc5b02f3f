#!/usr/bin/env bash
# The core's layers (Cargo features, docs/layers.md) build alone, and a lower layer's
# dependency tree carries none of the crates of the layers above it:
#   format  - no wasmtime/cranelift, SQLite, TLS, HTTP, WebSocket or MQTT crate;
#   runtime - wasmtime, but still no SQLite, TLS, HTTP, WebSocket or MQTT crate.
# Needs only what `cargo build --locked` needs (the registry the lock file names).
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
CRATE=space-data-module

ENGINE='wasmtime|wasmtime-.*|cranelift-.*'
HOST='rusqlite|libsqlite3-sys|rustls|ureq|tungstenite|rumqttc'

# deny LAYER PATTERN: fails when a normal (non-build, non-dev) dependency of the layer matches.
deny() {
  local layer=$1 pattern=$2 tree found
  tree=$($CARGO tree -p "$CRATE" --locked --no-default-features --features "$layer" \
    -e normal --prefix none --format '{p}')
  found=$(awk '{print $1}' <<<"$tree" | grep -xE "$pattern" | sort -u || true)
  if [ -n "$found" ]; then
    echo "check-layers: the '$layer' layer depends on: $(tr '\n' ' ' <<<"$found")" >&2
    echo "check-layers: dependency paths: $CARGO tree -p $CRATE --no-default-features --features $layer -e normal -i <crate>" >&2
    exit 1
  fi
  echo "check-layers: '$layer' tree: $(awk '{print $1}' <<<"$tree" | sort -u | wc -l) crates, none matching ${pattern//|/ }"
}

deny format "$ENGINE|$HOST"
deny runtime "$HOST"

# Each layer compiles alone, without warnings (dead code a feature leaves behind included).
for layer in format runtime; do
  echo "check-layers: building the '$layer' layer alone"
  $CARGO clippy -p "$CRATE" --locked --no-default-features --features "$layer" -- -D warnings
done
echo "check-layers: ok"
