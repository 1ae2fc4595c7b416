#!/usr/bin/env bash
# Quick start 1: set up (Python venv with the pinned requirements) and serve the site at
# http://127.0.0.1:8000. Pages are regenerated from data/ on every build; edit data/ or the
# templates and the browser refreshes. Extra arguments go to `mkdocs serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-venv.sh requirements.txt
exec .venv/bin/mkdocs serve "$@"
