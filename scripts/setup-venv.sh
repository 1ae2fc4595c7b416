# Sourced by serve.sh and test.sh: create .venv (Python 3.11+) and install a pinned requirements
# file into it, skipping pip when that file has not changed since the last install. Run on its own
# (`bash scripts/setup-venv.sh`), it installs requirements.txt, the site's (a reader ran it so and
# pip was asked for a file named '').
req="${1:-requirements.txt}"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=".venv/.installed-$(basename "$req")"
if [ ! -f "$stamp" ] || ! cmp -s "$stamp" <(cat requirements*.txt); then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
  cat requirements*.txt > "$stamp"
fi
