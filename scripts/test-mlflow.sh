#!/usr/bin/env bash
# `npm run test:mlflow`: the MLflow suite against a real MLflow tracking server.
#
# 1. Makes a Python virtual environment with a pinned mlflow and onnxruntime from PyPI (once; reused while the
#    pinned version matches). Folder: $SALESCAST_MLFLOW_VENV, default .venv-mlflow/ (gitignored).
# 2. Starts `mlflow server` on a free port of 127.0.0.1, SQLite backend and artifacts in a
#    temporary folder, in its own process group, and waits until /health answers.
# 3. Runs tests/mlflow/ with MLFLOW_TRACKING_URI pointing at it. The outage test kills the
#    server and starts it again with the same arguments: MLFLOW_TEST_SERVER_ARGS (JSON argv),
#    MLFLOW_TEST_PIDFILE (the live server's process group) and MLFLOW_TEST_SERVER_LOG tell it how.
# 4. Stops the server (also on failure or Ctrl-C) and exits with the suite's code.
set -euo pipefail
cd "$(dirname "$0")/.."

MLFLOW_VERSION="3.17.2"
# The runtime mlflow.pyfunc.load_model needs for salescast's ONNX models (tests/mlflow/pyfunc-model.test.ts).
ONNXRUNTIME_VERSION="1.32.0"
HEALTH_TIMEOUT_S="${MLFLOW_HEALTH_TIMEOUT_S:-240}"

# mlflow 3 needs Python >= 3.10; the install takes about 2 minutes the first time.
source scripts/lib/python-venv.sh
source scripts/lib/test-server.sh
VENV="$(absolute_path "${SALESCAST_MLFLOW_VENV:-.venv-mlflow}")"
ensure_python_venv test-mlflow "$VENV" mlflow "$MLFLOW_VERSION" 10 "onnxruntime==$ONNXRUNTIME_VERSION"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/salescast-mlflow-XXXXXX")"
PORT="$(free_loopback_port)"
PIDFILE="$WORK/server.pid"
LOG="$WORK/server.log"
SERVER_ARGS=("$VENV/bin/mlflow" server
  --host 127.0.0.1 --port "$PORT" --workers 1
  --backend-store-uri "sqlite:///$WORK/mlflow.db"
  --serve-artifacts --artifacts-destination "$WORK/artifacts")

cleanup() {
  local code=$?
  stop_test_server "$PIDFILE"
  if [ "$code" -ne 0 ] && [ -s "$LOG" ]; then
    echo "== test-mlflow: last lines of the server log ($LOG):" >&2
    tail -n 30 "$LOG" >&2 || true
  fi
  if [ "$code" -eq 0 ]; then rm -rf "$WORK"; fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# MLflow's job runner (GenAI background jobs) is not needed and starts several worker processes.
export MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false
echo "== test-mlflow: starting mlflow $MLFLOW_VERSION on 127.0.0.1:$PORT (data in $WORK)"
start_test_server "$PIDFILE" "$LOG" "${SERVER_ARGS[@]}"
started=$(date +%s)
wait_for_test_server test-mlflow "$PIDFILE" "$HEALTH_TIMEOUT_S" curl -sf "http://127.0.0.1:$PORT/health"
echo "== test-mlflow: server healthy after $(($(date +%s) - started)) s"

export MLFLOW_TRACKING_URI="http://127.0.0.1:$PORT"
export MLFLOW_TEST_PIDFILE="$PIDFILE"
export MLFLOW_TEST_SERVER_LOG="$LOG"
# The venv's Python, for the test that loads salescast's models with MLflow's own loaders.
export MLFLOW_TEST_PYTHON="$VENV/bin/python"
MLFLOW_TEST_SERVER_ARGS="$(node -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- "${SERVER_ARGS[@]}")"
export MLFLOW_TEST_SERVER_ARGS
# Credentials of the developer's own MLflow must not leak into the test server's requests.
unset MLFLOW_TRACKING_TOKEN MLFLOW_TRACKING_USERNAME MLFLOW_TRACKING_PASSWORD

set +e
npx vitest run --config tests/mlflow/vitest.config.ts "$@"
code=$?
set -e
exit "$code"
