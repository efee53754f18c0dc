#!/usr/bin/env bash
# Refits the queue-wait calibration curves on the backtest's training seeds
# and writes them into the catalogue (shared/catalogue/fleet.toml), between
# its first and last [advisor.wait.calibration.*] tables. Run after changing
# the demo load, the workload model or the wait model; then run the held-out
# check: cargo test -p kairr-shared --test backtest -- --nocapture
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(cargo test -q -p kairr-shared --test backtest -- --ignored refit --nocapture)
printf '%s\n' "$out" | sed -n '/^fitted:/,/^\*/p'
curves=$(printf '%s\n' "$out" | sed -n '/^  \[advisor.wait.calibration/,/^  \]/p')
CURVES="$curves" python3 - <<'PY'
import os, re
path = "shared/catalogue/fleet.toml"
text = open(path).read()
block = re.compile(r"  \[advisor\.wait\.calibration\.[^\n]*\n  points = \[\n(?:    [^\n]*\n)*  \]\n(?:(?=  \[advisor\.wait\.calibration)|)", re.M)
spans = [m.span() for m in block.finditer(text)]
if not spans:
    raise SystemExit("no [advisor.wait.calibration.*] tables in the catalogue")
start, end = spans[0][0], spans[-1][1]
open(path, "w").write(text[:start] + os.environ["CURVES"] + "\n" + text[end:])
print(f"wrote {len(spans)} -> {os.environ['CURVES'].count('[advisor.wait.calibration')} curves into {path}")
PY
