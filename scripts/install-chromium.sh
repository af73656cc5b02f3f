#!/usr/bin/env bash
# Installs Debian's chromium for the browser lab test (make test-lab), only when
# /usr/bin/chromium is missing. Exit 0 when chromium is there afterwards, 1 (saying why) when
# it could not be installed. Playwright's own browser download is never used.
set -uo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "chromium is not installed and installing it needs root (apt-get install -y chromium)"
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null || {
    echo "apt-get install -y chromium failed"
    exit 1
  }
fi
[ -x /usr/bin/chromium ] || { echo "apt-get installed chromium but /usr/bin/chromium is missing"; exit 1; }
