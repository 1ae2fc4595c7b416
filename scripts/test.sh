#!/usr/bin/env bash
# Quick start 2: set up everything the tests need and run the whole suite (browser tests
# included): from Debian with apt-get, whatever is missing of chromium (browser tests, axe-core),
# a Java runtime and npm (the Nu HTML checker); the checker itself, pinned by tests/vnu's
# package-lock.json; a Python venv with the pinned test requirements; then pytest. Extra
# arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "Installing from Debian for the tests: ${missing[*]}..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
source scripts/setup-venv.sh requirements-dev.txt
bash scripts/install-vnu.sh
exec .venv/bin/python -m pytest "$@"
