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
VENV="$(absolute_path "${SALESCAST_MLFLOW_VENV:-.venv-mlflow}")"
ensure_python_venv test-mlflow "$VENV" mlflow "$MLFLOW_VERSION" 10 "onnxruntime==$ONNXRUNTIME_VERSION"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/salescast-mlflow-XXXXXX")"
PORT="$(node -e 'const s=require("node:net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
PIDFILE="$WORK/server.pid"
LOG="$WORK/server.log"
SERVER_ARGS=("$VENV/bin/mlflow" server
  --host 127.0.0.1 --port "$PORT" --workers 1
  --backend-store-uri "sqlite:///$WORK/mlflow.db"
  --serve-artifacts --artifacts-destination "$WORK/artifacts")

stop_server() {
  if [ -s "$PIDFILE" ]; then
    local pgid
    pgid="$(cat "$PIDFILE")"
    # The whole group: mlflow runs uvicorn and a job runner as children.
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 -- "-$pgid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL -- "-$pgid" 2>/dev/null || true
  fi
}

cleanup() {
  local code=$?
  stop_server
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
# setsid: the server leads its own process group, so stopping it stops its children too.
setsid "${SERVER_ARGS[@]}" >"$LOG" 2>&1 </dev/null &
echo $! >"$PIDFILE"
disown  # the outage test kills it: no "Killed" job report from bash

started=$(date +%s)
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; do
  if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "test-mlflow: the MLflow server exited during start-up" >&2
    exit 1
  fi
  if [ $(($(date +%s) - started)) -ge "$HEALTH_TIMEOUT_S" ]; then
    echo "test-mlflow: the MLflow server did not answer /health within $HEALTH_TIMEOUT_S s" >&2
    exit 1
  fi
  sleep 0.5
done
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
