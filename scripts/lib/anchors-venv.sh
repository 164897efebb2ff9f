# Sourced (or run) by the benches and fixture scripts that compare salescast's models with
# statsforecast, mlforecast and LightGBM: one virtual environment for every Python anchor.
#
#   bash scripts/lib/anchors-venv.sh            # makes .venv-anchors once, reuses it after
#   source scripts/lib/anchors-venv.sh && ensure_anchors_venv
#
# Versions are pinned (the ones the fixtures and benches were made with); the venv is made
# again from scratch when its statsforecast differs from the pin. The Python is the first of
# $PYTHON, python3, /usr/bin/python3 that is 3.10 or newer with venv.
ANCHORS_VENV="${ANCHORS_VENV:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.venv-anchors}"
ANCHORS_PACKAGES=(statsforecast==2.1.1 mlforecast==1.1.0 lightgbm==4.7.0 pandas==2.3.3 numpy==2.4.6)

ensure_anchors_venv() {
  local installed
  installed="$("$ANCHORS_VENV/bin/python" -c "import importlib.metadata as m; print(m.version('statsforecast'))" 2>/dev/null || true)"
  [ "$installed" = "2.1.1" ] && return 0
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
    echo "anchors: no Python >= 3.10 with the venv module found; install python3 (and python3-venv) or set PYTHON" >&2
    return 1
  fi
  echo "== anchors: installing ${ANCHORS_PACKAGES[*]} into $ANCHORS_VENV (once)" >&2
  rm -rf "$ANCHORS_VENV"
  "$python" -m venv "$ANCHORS_VENV" &&
    "$ANCHORS_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${ANCHORS_PACKAGES[@]}"
}

# Run directly: make the venv and print its Python.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  ensure_anchors_venv
  echo "$ANCHORS_VENV/bin/python"
fi
