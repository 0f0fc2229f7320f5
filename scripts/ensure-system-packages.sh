#!/usr/bin/env bash
# Install the system packages the test suite needs, with apt-get, where they are missing.
set -euo pipefail

need=()
command -v msgfmt >/dev/null || need+=(gettext)
# The e2e tests drive Debian's Chromium (`playwright install` cannot download a browser here).
# Installed where we can; required under CI=true; elsewhere those tests skip themselves.
if [ ! -x /usr/bin/chromium ]; then
  if { [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; } || [ "${CI:-}" = "true" ]; then
    need+=(chromium)
  else
    echo "warning: no /usr/bin/chromium: the e2e browser tests will be skipped." >&2
  fi
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing system packages: ${need[*]}. Install them (e.g. apt-get install ${need[*]})." >&2
  exit 1
fi
echo "Installing system packages: ${need[*]}"
apt-get update -qq
apt-get install -y -qq "${need[@]}"
