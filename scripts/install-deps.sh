#!/usr/bin/env bash
# Installs what `make test` needs, skipping whatever is already there. Safe to run repeatedly.
set -euo pipefail

need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }

have cargo || { echo "install-deps: cargo not found; install Rust (rustup) first" >&2; exit 1; }

# The compiler (core/src/compiler) drives Debian's clang for wasm32-wasi.
have clang || need_apt+=(clang)
have wasm-ld || need_apt+=(lld)
[ -f /usr/include/wasm32-wasi/stdlib.h ] || need_apt+=(wasi-libc)
ls /usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1 || need_apt+=(libclang-rt-dev-wasm32)

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
