# Shared set-up for scripts/app.sh and scripts/test.sh: a virtual environment in .venv with the
# project installed from pyproject.toml. Idempotent; re-installs when pyproject.toml changes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.kerjasama-installed
extras="${KERJASAMA_EXTRAS:-test}"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)-$extras"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[$extras]"
  echo "$want" > "$stamp"
fi
# Data folder: KERJASAMA_DATA if set, else the repository's data/ when it holds data (a git
# checkout ships the default data for all Indonesia there), else a sibling shared/data folder.
if [ -z "${KERJASAMA_DATA:-}" ]; then
  if [ -n "$(find data/boundaries -type f ! -name '*.md' 2>/dev/null | head -1)" ]; then
    export KERJASAMA_DATA="$ROOT/data"
  elif [ -d "$ROOT/../shared/data/boundaries" ]; then
    export KERJASAMA_DATA="$(cd "$ROOT/../shared/data" && pwd)"
  fi
fi
