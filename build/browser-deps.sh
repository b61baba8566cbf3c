#!/usr/bin/env bash
# Installs what the dashboard's browser tests (tests/Switchboard.Browser) need: Debian's chromium package, which
# Playwright drives at /usr/bin/chromium. Never a downloaded browser build. Does nothing when it is already there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "browser-deps: installing chromium" >&2
as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
chromium --version
