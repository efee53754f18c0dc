#!/usr/bin/env bash
# Checks what real clients read from a running server with real tools:
#   - the OpenAPI document with openapi-spec-validator (PyPI),
#   - the Atom feed with feedparser (PyPI): no bozo, stable entry ids and dates,
#   - /metrics with `promtool check metrics` (Debian's prometheus package;
#     `./kairr ensure_prometheus` installs it; skipped with a note when absent).
# Python packages go into a venv under target/ (created once, reused).
# Usage: scripts/check-api-tools.sh   (from the repository root; builds the server
#        unless KAIRR_SERVER_BIN names one)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/api-tools-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import openapi_spec_validator, feedparser' 2>/dev/null; then
  "$venv/bin/pip" install --quiet 'openapi-spec-validator>=0.7' 'feedparser>=6'
fi

# The server: KAIRR_SERVER_BIN when given (`./kairr test` passes the one its
# tests built, so nothing is compiled again), else a debug build.
if [ -n "${KAIRR_SERVER_BIN:-}" ]; then
  bin="$KAIRR_SERVER_BIN"
else
  cargo build --quiet -p kairr-server
  bin=target/debug/kairr-server
fi
[ -x "$bin" ] || { echo "check-api-tools: no server binary at $bin" >&2; exit 1; }
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KAIRR_LISTEN="127.0.0.1:$port" KAIRR_DATABASE_PATH="$work/kairr.db" KAIRR_STATIC_DIR="$work" \
  KAIRR_DEMO__ACCOUNTS=false KAIRR_DEMO__PRESIMULATE_DAYS=30 \
  "$bin" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.5
done

curl -fsS "$base/api/openapi.json" -o "$work/openapi.json"
echo "== openapi-spec-validator"
"$venv/bin/python" - "$work/openapi.json" <<'PY'
import json, sys
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator, OpenAPIV30SpecValidator
spec = json.load(open(sys.argv[1]))
cls = OpenAPIV31SpecValidator if spec.get("openapi", "").startswith("3.1") else OpenAPIV30SpecValidator
errors = list(cls(spec).iter_errors())
for e in errors:
    print("  -", e.message)
if errors:
    sys.exit(f"{len(errors)} OpenAPI validation errors")
validate(spec)
print("valid OpenAPI", spec.get("openapi"))
PY

echo "== feedparser"
curl -fsS "$base/feed.atom" -o "$work/feed1.xml"
sleep 1.1
curl -fsS "$base/feed.atom" -o "$work/feed2.xml"
"$venv/bin/python" - "$work/feed1.xml" "$work/feed2.xml" <<'PY'
import sys, feedparser
a, b = (feedparser.parse(open(p, "rb").read()) for p in sys.argv[1:3])
for f in (a, b):
    if f.bozo:
        sys.exit(f"feed is not well-formed: {f.bozo_exception}")
ids = lambda f: [(e.id, e.updated) for e in f.entries]
if not a.entries:
    sys.exit("the feed has no entries to compare")
if ids(a) != ids(b):
    sys.exit(f"entries changed between fetches:\n{ids(a)}\n{ids(b)}")
if a.feed.updated != b.feed.updated:
    sys.exit("the feed's updated changed between fetches")
print(f"{len(a.entries)} entries, ids and updated dates stable, no bozo")
PY

echo "== promtool check metrics"
if command -v promtool >/dev/null; then
  curl -fsS "$base/metrics" | promtool check metrics
  echo "ok"
else
  echo "promtool not installed: skipped (./kairr ensure_prometheus installs it)"
fi
