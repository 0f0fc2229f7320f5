#!/usr/bin/env bash
# Install the system packages the test suite needs, with apt-get, where they are missing.
set -euo pipefail

need=()
command -v msgfmt >/dev/null || need+=(gettext)

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
