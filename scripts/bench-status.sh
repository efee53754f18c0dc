#!/usr/bin/env bash
# Throughput and latency of `GET /api/v1/status` on the release server.
#
#   scripts/bench-status.sh                  # wrk -t2 -c32 -d10s
#   BENCH_THREADS=2 BENCH_CONNECTIONS=64 BENCH_DURATION=30s scripts/bench-status.sh
#   BENCH_GZIP=1 scripts/bench-status.sh     # send Accept-Encoding: gzip, as browsers do
#
# Starts target/server/kairr-server (built with `cargo build --profile server -p
# kairr-server` if absent) on a free loopback port with a throw-away SQLite file
# and the default demo simulation, waits for /healthz, runs wrk (Debian's package,
# installed if missing), prints requests/s and latency percentiles, stops the server.
# Note: wrk and the server share the machine's cores, so figures are a lower bound.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="$ROOT/target/server/kairr-server"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
DURATION="${BENCH_DURATION:-10s}"
WRK_HEADERS=()
if [ "${BENCH_GZIP:-0}" = "1" ]; then WRK_HEADERS=(-H 'Accept-Encoding: gzip'); fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v wrk >/dev/null 2>&1; then
  echo "==> installing Debian wrk"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk
fi

if [ ! -x "$BIN" ]; then
  echo "==> building the server: cargo build --profile server -p kairr-server"
  cargo build --profile server -p kairr-server
fi

. "$ROOT/scripts/lib/test-server.sh"
PORT="$(free_port)"

echo "==> starting $BIN on 127.0.0.1:$PORT (database $TMP/kairr.sqlite)"
KAIRR_LISTEN="127.0.0.1:$PORT" \
  KAIRR_DATABASE_PATH="$TMP/kairr.sqlite" \
  KAIRR_STATIC_DIR="$ROOT/dist" \
  "$BIN" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

start=$SECONDS
wait_healthy bench-status "http://127.0.0.1:$PORT" 180
echo "==> server ready after $((SECONDS - start)) s"

URL="http://127.0.0.1:$PORT/api/v1/status"
bytes=$(curl -fsS "$URL" | wc -c)
gz=$(curl -fsS -H 'Accept-Encoding: gzip' "$URL" | wc -c)
echo "==> one response: $bytes bytes of JSON ($gz bytes with Accept-Encoding: gzip)"
echo "==> machine: $(nproc) cores, $(uname -m); wrk $(wrk -v 2>&1 | head -n1 | awk '{print $2}')"
echo "==> wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency ${WRK_HEADERS[*]} $URL"
out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${WRK_HEADERS[@]}" "$URL")"
printf '%s\n' "$out"

echo
echo "==> result"
printf '%s\n' "$out" | awk '
  /Requests\/sec/ { print "    requests/s:     " $2 }
  /^ +Latency +[0-9]/ && !avg { print "    latency mean:   " $2 "  (stdev " $3 ", max " $4 ")"; avg = 1 }
  /^ +50%/ { print "    latency p50:    " $2 }
  /^ +90%/ { print "    latency p90:    " $2 }
  /^ +99%/ { print "    latency p99:    " $2 }
  /Non-2xx/ { print "    NON-2xx:        " $NF }
  /Socket errors/ { print "    socket errors:  " $0 }'
if printf '%s\n' "$out" | grep -q 'Non-2xx'; then
  echo "bench-status: some responses were not 2xx" >&2
  exit 1
fi
