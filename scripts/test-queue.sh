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
# 4. Makes two network namespaces, each linked to this one by a veth pair, for the multi-host check
#    (tests/queue/multi-host.test.ts; scripts/lib/netns.sh). Where namespaces are not permitted
#    that test skips and says why.
# 5. Stops the server and removes the namespaces (also on failure or Ctrl-C) and exits with the
#    suite's code.
set -euo pipefail
cd "$(dirname "$0")/.."

REDIS_SERVER="${SALESCAST_TEST_REDIS_SERVER:-$(command -v redis-server || true)}"
if [ -z "$REDIS_SERVER" ]; then
  echo "test-queue: redis-server not found: apt-get install redis-server (Debian's 7.0), or set SALESCAST_TEST_REDIS_SERVER" >&2
  exit 1
fi

npm run build

source scripts/lib/test-server.sh
source scripts/lib/netns.sh

WORK="$(mktemp -d "${TMPDIR:-/tmp}/salescast-queue-XXXXXX")"
PORT="$(free_loopback_port)"
PIDFILE="$WORK/redis.pid"
LOG="$WORK/redis.log"

cleanup() {
  local code=$?
  stop_test_server "$PIDFILE"
  netns_teardown
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
start_test_server "$PIDFILE" "$LOG" "$REDIS_SERVER" --bind 127.0.0.1 --port "$PORT" --dir "$WORK/data" --appendonly yes --save "" \
  --maxmemory-policy noeviction --daemonize no
wait_for_test_server test-queue "$PIDFILE" 10 grep -q "Ready to accept connections" "$LOG"

# Two namespaces for the workers of the multi-host check, removed by cleanup whatever happens.
netns_setup test-queue 2

export SALESCAST_TEST_REDIS_URL="redis://127.0.0.1:$PORT"
export SALESCAST_TEST_REDIS_SERVER="$REDIS_SERVER"
set +e
npx vitest run --config tests/queue/vitest.config.ts "$@"
code=$?
set -e
exit "$code"
