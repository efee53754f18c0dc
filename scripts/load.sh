#!/usr/bin/env bash
# Load measurements (issue 9 §4). Prints figures; never fails on timing (it
# fails only when it cannot run: no binary, the server does not start or dies).
#
#   scripts/load.sh [SERVER_BINARY]          # default target/server/kairr-server,
#                                            # else target/debug/kairr-server
#   LOAD_SECONDS=10 scripts/load.sh target/debug/kairr-server   # a quick try
#
# Builds nothing. Starts the binary on a free loopback port with a throw-away
# SQLite database, the demo data (1 pre-simulated day) and demo accounts, then:
#   1. wrk for LOAD_SECONDS (60) at LOAD_CONNECTIONS (256) on /api/v1/status:
#      requests/s, latency percentiles, socket errors and non-2xx answers, the
#      server's RSS (VmRSS) before and after;
#   2. LOAD_SSE_CLIENTS (1,000) clients on /api/v1/events held LOAD_SECONDS:
#      how many connected and stayed, events received, RSS before/during/after;
#   3. LOAD_SIGNINS (100) concurrent sign-ins (the demo accounts, right
#      password; the per-address and per-username limits are raised for the
#      run) while wrk measures /api/v1/status for LOAD_BURST_SECONDS (10) at 16
#      connections: p99 without the burst, then with it.
# wrk is Debian's package (installed with apt-get when missing). wrk, the
# clients and the server share the machine's cores: the figures are a lower
# bound, and a debug binary is several times slower than target/server's.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SECONDS_FULL="${LOAD_SECONDS:-60}"
CONNECTIONS="${LOAD_CONNECTIONS:-256}"
SSE_CLIENTS="${LOAD_SSE_CLIENTS:-1000}"
SIGNINS="${LOAD_SIGNINS:-100}"
BURST_SECONDS="${LOAD_BURST_SECONDS:-10}"
WRK_THREADS="${LOAD_WRK_THREADS:-2}"

BIN="${1:-}"
if [ -z "$BIN" ]; then
  if [ -x "$ROOT/target/server/kairr-server" ]; then BIN="$ROOT/target/server/kairr-server"; else BIN="$ROOT/target/debug/kairr-server"; fi
fi
[ -x "$BIN" ] || { echo "load: no server binary at $BIN (build one: cargo build --profile server -p kairr-server)" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null 2>&1; then
  echo "==> installing Debian wrk"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk
fi

# 1,000 SSE clients need as many descriptors on both sides.
want_fds=$((SSE_CLIENTS + CONNECTIONS + 512))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want_fds" ]; then
  ulimit -n "$want_fds" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi

. "$ROOT/scripts/lib/test-server.sh"

PORT="$(free_port)"
PASSWORD="load-$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
BASE="http://127.0.0.1:$PORT"
echo '<!doctype html><title>kairr</title>' >"$TMP/index.html"

echo "==> $BIN on 127.0.0.1:$PORT (database $TMP/kairr.sqlite), $(nproc) cores"
KAIRR_LISTEN="127.0.0.1:$PORT" \
  KAIRR_DATABASE_PATH="$TMP/kairr.sqlite" \
  KAIRR_STATIC_DIR="$TMP" \
  KAIRR_DEMO__PRESIMULATE_DAYS=1 \
  KAIRR_DEMO__ACCOUNTS=true \
  KAIRR_DEMO__ACCOUNTS_PASSWORD="$PASSWORD" \
  KAIRR_SIGN_IN__MAX_ATTEMPTS_PER_ADDRESS=100000 \
  KAIRR_SIGN_IN__MAX_ATTEMPTS_PER_USERNAME=100000 \
  RUST_LOG="${RUST_LOG:-warn}" \
  "$BIN" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

wait_healthy load "$BASE" 120

rss() { awk '/^VmRSS:/ { printf "%.1f MiB", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
alive() {
  kill -0 "$SERVER_PID" 2>/dev/null && return 0
  echo "load: the server died; its log:" >&2
  tail -n 40 "$TMP/server.log" >&2
  exit 1
}
# wrk_summary FILE: one line of the figures that matter.
wrk_summary() {
  awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +90%/ { p90 = $2 } /^ +99%/ { p99 = $2 }
    /requests in/ { n = $1 }
    /Socket errors/ { sock = $0; sub(/^ *Socket errors: */, "", sock) }
    /Non-2xx or 3xx responses/ { non2xx = $NF }
    END {
      printf "%s requests, %s req/s, latency p50 %s p90 %s p99 %s, non-2xx %s, socket errors: %s\n",
        n, rps, p50, p90, p99, (non2xx == "" ? 0 : non2xx), (sock == "" ? "none" : sock)
    }' "$1"
}
p99_of() { awk '/^ +99%/ { print $2 }' "$1"; }

sleep 2
echo
echo "==> 1. wrk -t$WRK_THREADS -c$CONNECTIONS -d${SECONDS_FULL}s $BASE/api/v1/status"
echo "    RSS before: $(rss)"
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${SECONDS_FULL}s" --timeout 10s --latency "$BASE/api/v1/status" >"$TMP/wrk.txt" 2>&1 || true
alive
echo "    RSS after:  $(rss)"
echo "    $(wrk_summary "$TMP/wrk.txt")"

echo
echo "==> 2. $SSE_CLIENTS SSE clients on /api/v1/events for ${SECONDS_FULL}s"
echo "    RSS before: $(rss)"
python3 - "$PORT" "$SSE_CLIENTS" "$SECONDS_FULL" "$SERVER_PID" <<'PY'
import asyncio, sys, time
port, clients, hold, pid = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]

def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return f"{int(line.split()[1]) / 1024:.1f} MiB"

stats = {"connected": 0, "refused": {}, "failed": 0, "events": 0, "bytes": 0, "dropped": 0}

async def client(deadline):
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 30)
        writer.write(b"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
    except Exception:
        stats["failed"] += 1
        return
    status = head.split(b" ", 2)[1].decode()
    if status != "200":
        stats["refused"][status] = stats["refused"].get(status, 0) + 1
        writer.close()
        return
    stats["connected"] += 1
    try:
        while (left := deadline - time.monotonic()) > 0:
            try:
                chunk = await asyncio.wait_for(reader.read(65536), left)
            except asyncio.TimeoutError:
                break
            if not chunk:
                stats["dropped"] += 1
                break
            stats["bytes"] += len(chunk)
            stats["events"] += chunk.count(b"data:")  # one data line per event
    except Exception:
        stats["dropped"] += 1
    finally:
        writer.close()

async def main():
    start = time.monotonic()
    deadline = start + hold
    tasks = []
    for i in range(clients):
        tasks.append(asyncio.create_task(client(deadline)))
        if i % 100 == 99:
            await asyncio.sleep(0.05)
    # RSS once every client had its chance to connect, and again at the end.
    while stats["connected"] + stats["failed"] + sum(stats["refused"].values()) < clients and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    print(f"    {stats['connected']} of {clients} connected in {time.monotonic() - start:.1f} s; RSS with them: {rss()}")
    await asyncio.sleep(max(0, deadline - time.monotonic() - 1))
    print(f"    RSS at the end of {hold:.0f} s: {rss()}")
    await asyncio.gather(*tasks)
    print(f"    {stats['connected'] - stats['dropped']} stayed connected to the end, {stats['dropped']} dropped, "
          f"{stats['failed']} failed to connect, refused: {stats['refused'] or 'none'}; "
          f"{stats['events']} events, {stats['bytes'] / 1e6:.1f} MB received")

asyncio.run(main())
PY
alive
sleep 2
echo "    RSS after the clients left: $(rss)"

echo
echo "==> 3. $SIGNINS concurrent sign-ins; /api/v1/status p99 over ${BURST_SECONDS}s (wrk -t2 -c16)"
wrk -t2 -c16 -d"${BURST_SECONDS}s" --timeout 10s --latency "$BASE/api/v1/status" >"$TMP/quiet.txt" 2>&1 || true
echo "    without the burst: $(wrk_summary "$TMP/quiet.txt")"
wrk -t2 -c16 -d"${BURST_SECONDS}s" --timeout 10s --latency "$BASE/api/v1/status" >"$TMP/burst.txt" 2>&1 &
WRK_PID=$!
sleep 1
python3 - "$BASE" "$SIGNINS" "$PASSWORD" <<'PY'
import collections, http.cookiejar, json, sys, threading, time, urllib.error, urllib.request
base, n, password = sys.argv[1], int(sys.argv[2]), sys.argv[3]
users = ["demo.researcher", "demo.reviewer", "demo.committee", "demo.admin"]
results, times = collections.Counter(), []
barrier = threading.Barrier(n)
lock = threading.Lock()

def sign_in(i):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        with opener.open(base + "/api/v1/auth/session", timeout=60) as r:
            token = json.load(r)["csrf_token"]
    except Exception as e:
        with lock:
            results[f"session error {type(e).__name__}"] += 1
        barrier.abort()
        return
    body = json.dumps({"username": users[i % len(users)], "password": password}).encode()
    req = urllib.request.Request(base + "/api/v1/auth/login", data=body, method="POST",
                                 headers={"Content-Type": "application/json", "X-CSRF-Token": token})
    try:
        barrier.wait(60)
    except threading.BrokenBarrierError:
        pass
    t = time.monotonic()
    try:
        with opener.open(req, timeout=60) as r:
            code = r.status
    except urllib.error.HTTPError as e:
        code = e.code
    except Exception as e:
        code = type(e).__name__
    with lock:
        results[code] += 1
        times.append(time.monotonic() - t)

threads = [threading.Thread(target=sign_in, args=(i,)) for i in range(n)]
start = time.monotonic()
for t in threads: t.start()
for t in threads: t.join()
times.sort()
if times:
    print(f"    sign-ins: {dict(results)}; each took {times[0] * 1000:.0f}-{times[-1] * 1000:.0f} ms "
          f"(median {times[len(times) // 2] * 1000:.0f} ms)")
else:
    print(f"    sign-ins: {dict(results)}")
PY
wait "$WRK_PID" || true
alive
echo "    with the burst:    $(wrk_summary "$TMP/burst.txt")"
echo "    p99 of /api/v1/status: $(p99_of "$TMP/quiet.txt") without, $(p99_of "$TMP/burst.txt") with $SIGNINS concurrent sign-ins"
echo
echo "load: measured $BIN"
