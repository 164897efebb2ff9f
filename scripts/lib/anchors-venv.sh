# The Python virtual environment of the benchmark anchors (statsforecast, mlforecast, LightGBM),
# one for every bench script that compares with them. Sourced, or run directly to make it:
#
#   bash scripts/lib/anchors-venv.sh          (makes .venv-anchors/ once; a few minutes)
#
# ensure_anchors_venv makes $SALESCAST_ANCHORS_VENV (default .venv-anchors, gitignored) with
# the pinned versions below, and reinstalls whatever does not match them.
ANCHORS_VENV="${SALESCAST_ANCHORS_VENV:-.venv-anchors}"
ANCHOR_PINS=(statsforecast==2.1.1 mlforecast==1.1.0 lightgbm==4.7.0 pandas==2.3.3)

source "$(dirname "${BASH_SOURCE[0]}")/python-venv.sh"

ensure_anchors_venv() {
  # statsforecast 2 needs Python >= 3.9; the venv is made once and reused.
  ensure_python_venv anchors "$ANCHORS_VENV" statsforecast 2.1.1 9 || return 1
  local missing=() pin
  for pin in "${ANCHOR_PINS[@]}"; do
    "$ANCHORS_VENV/bin/python" -c "import importlib.metadata as m, sys; n, v = '$pin'.split('=='); sys.exit(0 if m.version(n) == v else 1)" 2>/dev/null ||
      missing+=("$pin")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== anchors: installing ${missing[*]} into $ANCHORS_VENV"
    "$ANCHORS_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${missing[@]}"
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  cd "$(dirname "$0")/../.."
  ensure_anchors_venv
fi
