#!/usr/bin/env bash
# Installs what `make test` needs, skipping whatever is already there. Safe to run repeatedly.
set -euo pipefail

need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }

have cargo || { echo "install-deps: cargo not found; install Rust (rustup) first" >&2; exit 1; }

if ((${#need_apt[@]})); then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
  else
    echo "install-deps: missing ${need_apt[*]} and not root; install them with apt-get" >&2
    exit 1
  fi
fi
echo "install-deps: all present"
