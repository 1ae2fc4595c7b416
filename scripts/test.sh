#!/usr/bin/env bash
# Quick start 2: set up everything the tests need and run the whole suite (browser tests
# included): Debian's chromium (installed with apt-get when missing), a Python venv with the
# pinned test requirements, then pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "Installing Debian's chromium for the browser tests..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
source scripts/setup-venv.sh requirements-dev.txt
exec .venv/bin/python -m pytest "$@"
