# Sourced by the suites that run against a real server (test-queue.sh: redis-server;
# test-mlflow.sh: mlflow server): the same start, wait and stop for both.
#
# free_loopback_port
#   Prints a port of 127.0.0.1 free at the time of the call.
free_loopback_port() {
  node -e 'const s=require("node:net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# start_test_server PIDFILE LOG ARGV...
#   Starts ARGV in the background, in its own process group (setsid: stopping the group stops
#   the server's children too), stdout and stderr to LOG, and writes its pid (= its group) to
#   PIDFILE. Disowned: a test that kills it on purpose gets no "Killed" job report from bash.
start_test_server() {
  local pidfile="$1" log="$2"
  shift 2
  setsid "$@" >"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  disown
}

# wait_for_test_server LABEL PIDFILE TIMEOUT_S CHECK...
#   Runs CHECK every 0.2 s until it succeeds. Fails (status 1, a message prefixed LABEL) when the
#   server exits first or TIMEOUT_S pass.
wait_for_test_server() {
  local label="$1" pidfile="$2" timeout_s="$3" started
  shift 3
  started=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "$label: the server exited during start-up" >&2
      return 1
    fi
    if [ $(($(date +%s) - started)) -ge "$timeout_s" ]; then
      echo "$label: the server was not ready within $timeout_s s" >&2
      return 1
    fi
    sleep 0.2
  done
}

# stop_test_server PIDFILE
#   SIGTERM to the server's whole process group, up to 10 s to exit, then SIGKILL. Does nothing
#   when PIDFILE is empty or missing (the server never started).
stop_test_server() {
  local pidfile="$1" pgid
  [ -s "$pidfile" ] || return 0
  pgid="$(cat "$pidfile")"
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 -- "-$pgid" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}
