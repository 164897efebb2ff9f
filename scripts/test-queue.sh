#!/usr/bin/env bash
# `npm run test:queue`: the queue suite (tests/queue/) against a real Redis and real
# `salescast worker` processes.
#
# 1. Builds dist/ (the workers are the built CLI, bin/salescast.js).
# 2. Starts Debian's redis-server (7.0; `apt-get install redis-server`, .ci/run installs it) on a
#    free port of 127.0.0.1, its data in a temporary folder, append-only file on (the queue
#    refuses a Redis that keeps nothing across a restart), in its own process group.
# 3. Runs tests/queue/ with SALESCAST_TEST_REDIS_URL pointing at it; tests that need a Redis set
#    up differently (an eviction policy, no persistence) start their own from
#    SALESCAST_TEST_REDIS_SERVER.
# 4. Stops the server (also on failure or Ctrl-C) and exits with the suite's code.
set -euo pipefail
cd "$(dirname "$0")/.."

REDIS_SERVER="${SALESCAST_TEST_REDIS_SERVER:-$(command -v redis-server || true)}"
if [ -z "$REDIS_SERVER" ]; then
  echo "test-queue: redis-server not found: apt-get install redis-server (Debian's 7.0), or set SALESCAST_TEST_REDIS_SERVER" >&2
  exit 1
fi

npm run build

WORK="$(mktemp -d "${TMPDIR:-/tmp}/salescast-queue-XXXXXX")"
PORT="$(node -e 'const s=require("node:net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
PIDFILE="$WORK/redis.pid"
LOG="$WORK/redis.log"

cleanup() {
  local code=$?
  if [ -s "$PIDFILE" ]; then
    kill -TERM "$(cat "$PIDFILE")" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$(cat "$PIDFILE")" 2>/dev/null || true
  fi
  if [ "$code" -ne 0 ] && [ -s "$LOG" ]; then
    echo "== test-queue: last lines of the Redis log ($LOG):" >&2
    tail -n 20 "$LOG" >&2 || true
  fi
  if [ "$code" -eq 0 ]; then rm -rf "$WORK"; fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/data"
echo "== test-queue: starting $("$REDIS_SERVER" --version | cut -d' ' -f1-3) on 127.0.0.1:$PORT (data in $WORK)"
setsid "$REDIS_SERVER" --bind 127.0.0.1 --port "$PORT" --dir "$WORK/data" --appendonly yes --save "" \
  --maxmemory-policy noeviction --daemonize no >"$LOG" 2>&1 </dev/null &
echo $! >"$PIDFILE"
for _ in $(seq 1 100); do
  grep -q "Ready to accept connections" "$LOG" 2>/dev/null && break
  kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { echo "test-queue: redis-server exited during start-up" >&2; exit 1; }
  sleep 0.1
done

export SALESCAST_TEST_REDIS_URL="redis://127.0.0.1:$PORT"
export SALESCAST_TEST_REDIS_SERVER="$REDIS_SERVER"
set +e
npx vitest run --config tests/queue/vitest.config.ts "$@"
code=$?
set -e
exit "$code"
