#!/usr/bin/env bash
# `npm run test:fuzz`: fuzzes the HTTP API from its own OpenAPI document with schemathesis.
#
# 1. Makes a Python virtual environment with a pinned schemathesis from PyPI (once; reused while
#    the pinned version matches). Folder: $SALESCAST_FUZZ_VENV, default .venv-fuzz/ (gitignored).
# 2. In a temporary folder: the demo data and tiny models for every category (trained in seconds
#    by `salescast train --all`), so predictions, series, models and runs answer 200 too.
# 3. Starts `node bin/salescast.js serve` on a free port of 127.0.0.1 and waits for /api/health.
#    Pass 1 runs without an API key (training routes open, as on loopback by default). Pass 2
#    starts the server again with SALESCAST_API_KEY set and fuzzes with a wrong key, so every
#    training route's 401 is checked against the document too (schemathesis's ignored_auth check).
# 4. schemathesis: every phase (examples, coverage, fuzzing, stateful through the links it
#    infers), every check, deterministic generation (the same cases on every run), a bounded
#    number of examples per operation and a per-request timeout (a hang fails the run).
#    tests/fuzz/schemathesis.toml holds the few relaxations, each with its reason.
# 5. Stops the server (also on failure or Ctrl-C) and exits non-zero on any failure.
#
# Builds nothing: dist/ must exist (npm ci runs the build through "prepare"; or npm run build).
# Knobs: FUZZ_MAX_EXAMPLES (default 40), FUZZ_REQUEST_TIMEOUT_S (default 60: training with ?wait=true may queue behind other jobs).
# Extra arguments go to `schemathesis run` (e.g. --include-path-regex predict).
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION="4.32.5"
CONFIG="$PWD/tests/fuzz/schemathesis.toml"  # the checks' few relaxations, each with its reason
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-40}"
REQUEST_TIMEOUT_S="${FUZZ_REQUEST_TIMEOUT_S:-60}"
HEALTH_TIMEOUT_S=60

if [ ! -f dist/src/cli.js ]; then
  echo "test-fuzz: dist/ is missing; run npm run build first (npm ci does it)" >&2
  exit 1
fi

# schemathesis 4 needs Python >= 3.9.
source scripts/lib/python-venv.sh
VENV="$(absolute_path "${SALESCAST_FUZZ_VENV:-.venv-fuzz}")"
ensure_python_venv test-fuzz "$VENV" schemathesis "$SCHEMATHESIS_VERSION" 9

WORK="$(mktemp -d "${TMPDIR:-/tmp}/salescast-fuzz-XXXXXX")"
LOG="$WORK/server.log"
SERVER_PID=""

# Tiny models (two epochs of a 4-channel, 8-unit network: about a second per category), a rate
# limit high enough that the fuzzer's training requests are answered rather than throttled, and
# one training thread so background jobs leave the other core to the server.
OVERRIDES=(
  "data.csv_path=$WORK/sales.csv"
  "train.checkpoint_path=$WORK/checkpoints/model.ckpt"
  "train.normalization_path=$WORK/checkpoints/normalization.json"
  "tracking.uri=$WORK/mlruns"
  "data.window_size=14" "model.conv_channels=4" "model.lstm_hidden=8" "train.max_epochs=2" "train.patience=1"
  # The tiny network alone: a training request through the API answers within schemathesis's time
  # limit (a tournament of every kind, the shipped auto, takes 15 s for three categories here).
  "model.architecture=CNNLSTM"
  # and a request asking for auto ("auto": true) runs a tournament of the fastest kind only
  "model.auto.candidates=[holt_winters]"
  "app.train_rate_limit.max=100000" "app.training_threads=1" "app.log_level=warn"
)
# The developer's own settings must not reach the fuzzed server.
unset MLFLOW_TRACKING_URI MLFLOW_TRACKING_TOKEN MLFLOW_TRACKING_USERNAME MLFLOW_TRACKING_PASSWORD SALESCAST_PROFILE MLFLOW_ENV SALESCAST_API_KEY
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(SALESCAST__[A-Za-z0-9_]*\)=.*/\1/p')

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

cleanup() {
  local code=$?
  stop_server
  if [ "$code" -ne 0 ]; then
    if [ -s "$LOG" ]; then
      echo "== test-fuzz: last lines of the server log ($LOG):" >&2
      tail -n 30 "$LOG" >&2 || true
    fi
    echo "== test-fuzz: reports kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$(date +%s)
echo "== test-fuzz: demo data and tiny models in $WORK"
node bin/salescast.js demo-data --days 400 --seed 7 "${OVERRIDES[@]}" >/dev/null
node bin/salescast.js train --all "${OVERRIDES[@]}" >"$WORK/train.log" 2>&1 || {
  cat "$WORK/train.log" >&2
  echo "test-fuzz: training the models failed" >&2
  exit 1
}
echo "== test-fuzz: models trained in $(($(date +%s) - started)) s"

free_port() {
  node -e 'const s=require("node:net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# start_server [API key]: serves the temp project on a new free port; sets PORT and SERVER_PID.
start_server() {
  PORT="$(free_port)"
  SALESCAST_API_KEY="${1:-}" node bin/salescast.js serve --host 127.0.0.1 --port "$PORT" "${OVERRIDES[@]}" >>"$LOG" 2>&1 </dev/null &
  SERVER_PID=$!
  local since
  since=$(date +%s)
  until curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "test-fuzz: salescast serve exited during start-up" >&2
      exit 1
    fi
    if [ $(($(date +%s) - since)) -ge "$HEALTH_TIMEOUT_S" ]; then
      echo "test-fuzz: salescast serve did not answer /api/health within $HEALTH_TIMEOUT_S s" >&2
      exit 1
    fi
    sleep 0.2
  done
}

# fuzz NAME [schemathesis arguments...]
fuzz() {
  local name="$1" status=0
  shift
  echo "== test-fuzz: $name (http://127.0.0.1:$PORT, deterministic, at most $MAX_EXAMPLES examples per operation)"
  # Run from the temp folder: schemathesis keeps a .schemathesis/ cache in the current directory.
  (cd "$WORK" && "$VENV/bin/schemathesis" --config-file "$CONFIG" run "http://127.0.0.1:$PORT/docs/json" \
    --url "http://127.0.0.1:$PORT" \
    --checks all \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$MAX_EXAMPLES" \
    --generation-deterministic \
    --request-timeout "$REQUEST_TIMEOUT_S" \
    --workers 1 \
    --no-color \
    --report junit,ndjson --report-dir "$WORK/report-$name" \
    "$@") || status=$?
  # CI's summary line counts the operations of each pass from the JUnit report.
  if [ -n "${SALESCAST_TEST_REPORT_DIR:-}" ]; then
    for f in "$WORK/report-$name"/junit-*.xml; do
      [ -f "$f" ] && cp "$f" "$SALESCAST_TEST_REPORT_DIR/${SALESCAST_TEST_SUITE:-fuzz}.junit-$name.xml"
    done
  fi
  return "$status"
}

# Pass 1: no key configured (loopback): every route, training included.
start_server
fuzz open "$@"
stop_server

# Pass 2: a key configured, the fuzzer sends a wrong one: training routes must answer the
# documented 401; the others must not care.
start_server "fuzz-test-key-$(date +%s)-0123456789abcdef"
fuzz keyed -H "Authorization: Bearer wrong-key-wrong-key-wrong" "$@"
stop_server

echo "== test-fuzz: passed in $(($(date +%s) - started)) s"
