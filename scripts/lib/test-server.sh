# Sourced by the scripts that run a throw-away kairr-server (load.sh,
# schemathesis.sh, bench-status.sh): a temporary folder removed on exit with
# the server stopped, a free loopback port, and waiting for /healthz.
#
#   . "$ROOT/scripts/lib/test-server.sh"
#   PORT="$(free_port)"
#   KAIRR_LISTEN=… "$BIN" >"$TMP/server.log" 2>&1 & SERVER_PID=$!
#   wait_healthy NAME "http://127.0.0.1:$PORT" SECONDS

TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# A TCP port free on 127.0.0.1 now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until $2/healthz answers; exits 1 with the server log's tail if the
# server ($SERVER_PID) dies first or $3 seconds pass. $1 names the caller.
wait_healthy() {
  local name="$1" base="$2" limit="$3" start=$SECONDS
  until curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "$name: the server exited during start-up; its log:" >&2
      tail -n 40 "$TMP/server.log" >&2
      exit 1
    fi
    if [ $((SECONDS - start)) -gt "$limit" ]; then
      echo "$name: /healthz did not answer within $limit s; server log:" >&2
      tail -n 40 "$TMP/server.log" >&2
      exit 1
    fi
    sleep 0.5
  done
}
