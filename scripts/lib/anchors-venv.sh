# Sourced by the scripts that run the Python anchors salescast is compared with (LightGBM,
# statsforecast, mlforecast): tools/*_fixtures.py writers and bench/anchors/* runners.
#
# ensure_anchors_venv [LABEL]
#   Makes $ANCHORS_VENV (default <project>/.venv-anchors) hold the pinned anchor packages, once:
#   it is reused while every pin matches, and made again from scratch when one does not. Prints
#   the venv's python path on stdout as its last line ("$ANCHORS_VENV/bin/python").
#   The Python is the first of $PYTHON, python3, /usr/bin/python3 that is 3.10 or newer.
ANCHORS_PINS=(
  "lightgbm==4.7.0"
  "statsforecast==2.1.1"
  "mlforecast==1.1.0"
  "pandas==2.3.3"
  "numpy==2.4.6"
  "hierarchicalforecast==1.5.3"
)

ensure_anchors_venv() {
  local label="${1:-anchors}"
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  local venv="${ANCHORS_VENV:-$root/.venv-anchors}"
  local check='import importlib.metadata as m, sys
pins = [p.split("==") for p in sys.argv[1:]]
sys.exit(0 if all(m.version(n) == v for n, v in pins) else 1)'
  if "$venv/bin/python" -c "$check" "${ANCHORS_PINS[@]}" >/dev/null 2>&1; then
    echo "$venv/bin/python"
    return 0
  fi

  local python="" candidate
  for candidate in "${PYTHON:-}" python3 /usr/bin/python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c "import sys, venv; sys.exit(0 if sys.version_info >= (3, 10) else 1)" 2>/dev/null; then
      python="$candidate"
      break
    fi
  done
  if [ -z "$python" ]; then
    echo "$label: no Python >= 3.10 with the venv module found; install python3 (and python3-venv) or set PYTHON" >&2
    return 1
  fi
  echo "== $label: installing ${ANCHORS_PINS[*]} into $venv (once)" >&2
  local started
  started=$(date +%s)
  rm -rf "$venv"
  "$python" -m venv "$venv" >&2 || return 1
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${ANCHORS_PINS[@]}" >&2 || return 1
  echo "== $label: installed in $(($(date +%s) - started)) s" >&2
  echo "$venv/bin/python"
}

# Run directly (bash scripts/lib/anchors-venv.sh): make the venv once and print its Python.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  ensure_anchors_venv
fi
