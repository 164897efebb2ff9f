# Sourced by the suites that need a Python tool from PyPI (test-mlflow.sh, test-fuzz.sh).
#
# absolute_path PATH
#   PATH as an absolute path: unchanged when it starts with /, else under the current folder.
#   The suites accept their venv folder either way (SALESCAST_MLFLOW_VENV=/abs/path or a
#   relative one) and use it after changing folders, so they make it absolute first.
absolute_path() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$PWD/$1" ;;
  esac
}

#
# ensure_python_venv LABEL VENV PACKAGE VERSION MIN_MINOR [EXTRA==VERSION ...]
#   Makes VENV a virtual environment holding PACKAGE==VERSION (and each pinned EXTRA), once: it
#   is reused while every installed version matches, and made again from scratch when one does not. The Python is the
#   first of $PYTHON, python3, /usr/bin/python3 that is 3.MIN_MINOR or newer and has venv.
#   LABEL prefixes the messages (e.g. test-mlflow).
ensure_python_venv() {
  local label="$1" venv="$2" package="$3" version="$4" min_minor="$5"
  shift 5
  local extras=("$@") pin installed matches=1
  for pin in "$package==$version" "${extras[@]}"; do
    installed="$("$venv/bin/python" -c "import importlib.metadata as m; print(m.version('${pin%%==*}'))" 2>/dev/null || true)"
    [ "$installed" = "${pin#*==}" ] || matches=0
  done
  [ "$matches" = 1 ] && return 0

  local python="" candidate
  for candidate in "${PYTHON:-}" python3 /usr/bin/python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c "import sys, venv; sys.exit(0 if sys.version_info >= (3, $min_minor) else 1)" 2>/dev/null; then
      python="$candidate"
      break
    fi
  done
  if [ -z "$python" ]; then
    echo "$label: no Python >= 3.$min_minor with the venv module found; install python3 (and python3-venv) or set PYTHON" >&2
    return 1
  fi

  echo "== $label: installing $package==$version ${extras[*]} into $venv (once)"
  local started
  started=$(date +%s)
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$package==$version" "${extras[@]}"
  echo "== $label: installed in $(($(date +%s) - started)) s"
}
