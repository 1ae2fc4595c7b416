#!/usr/bin/env bash
# Install the Nu HTML checker (npm's vnu-jar, the version and integrity in tests/vnu/package-lock.json)
# into tests/vnu/node_modules, for tests/test_gates.py; skipped when that lock is already installed.
# --ignore-scripts: the package's postinstall would download a Java runtime from GitHub; the
# checker runs on Debian's java instead (scripts/test.sh installs default-jre-headless when missing).
set -euo pipefail
cd "$(dirname "$0")/../tests/vnu"
stamp=node_modules/.installed-package-lock.json
if [ -f node_modules/vnu-jar/build/dist/vnu.jar ] && cmp -s package-lock.json "$stamp"; then
  exit 0
fi
echo "Installing the Nu HTML checker (npm vnu-jar, pinned in tests/vnu/package-lock.json)..."
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
