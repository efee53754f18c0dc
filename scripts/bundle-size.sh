#!/usr/bin/env bash
# Size budget of the first load of `/`: the gzipped bytes (gzip -9) of every file
# from dist/ that the browser fetches to show the page: index.html, the JS glue,
# the .wasm, the CSS, and any other local file index.html links (source maps are
# excluded; they are only fetched by developer tools).
#
#   scripts/bundle-size.sh            # dist/ of the repo, limit 300 KB
#   KAIRR_BUNDLE_LIMIT_KB=250 scripts/bundle-size.sh
#   KAIRR_DIST=/path/to/dist scripts/bundle-size.sh
#
# 1 KB = 1000 bytes. Exits 1 when the total is over the limit, 2 on a missing dist/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="${KAIRR_DIST:-$ROOT/dist}"
LIMIT_KB="${KAIRR_BUNDLE_LIMIT_KB:-300}"

if [ ! -f "$DIST/index.html" ]; then
  echo "bundle-size: $DIST/index.html not found; build the front end first (./kairr up or trunk build --release in app/)" >&2
  exit 2
fi

# Local files that <link>, <script> and <img> tags of index.html load (not <a> links),
# relative to dist/, without query or fragment.
linked_files() {
  # Attribute values may be double-, single- or unquoted (trunk minifies the HTML).
  grep -oE '<(link|script|img)[^>]*>' "$DIST/index.html" |
    grep -oE "(href|src)=(\"[^\"]*\"|'[^']*'|[^\"' >]+)" |
    sed -E "s/^(href|src)=//; s/^[\"']//; s/[\"']\$//; s/[?#].*\$//" |
    grep -vE '^(https?:)?//|^data:|^mailto:|^#|^$' |
    sed -E 's#^\./##; s#^/##' || true
}

# What the first load fetches: index.html, what it links, the top-level .js/.wasm/.css
# (the .wasm is fetched by the JS glue, not by index.html), and wasm-bindgen snippets.
first_load_files() {
  {
    echo "index.html"
    linked_files
    (cd "$DIST" && find . -maxdepth 1 -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' \) | sed 's#^\./##')
    if [ -d "$DIST/snippets" ]; then
      (cd "$DIST" && find snippets -type f -name '*.js')
    fi
  } | grep -v '\.map$' | awk 'NF && !seen[$0]++'
}

total_raw=0
total_gz=0
total_br=0
printf '%-52s %12s %12s %12s\n' "file (dist/)" "bytes" "gzip -9" "sent (br)"
printf '%-52s %12s %12s %12s\n' "------------" "-----" "-------" "---------"
while IFS= read -r f; do
  path="$DIST/$f"
  if [ ! -f "$path" ]; then
    # A directory link (e.g. href="/") or a file served elsewhere: nothing to count.
    [ -d "$path" ] && continue
    echo "bundle-size: index.html links $f, which is not in dist/" >&2
    continue
  fi
  raw=$(wc -c <"$path")
  gz=$(gzip -9 -c "$path" | wc -c)
  # What a browser that accepts brotli is sent: the build's precompressed file.
  if [ -f "$path.br" ]; then br=$(wc -c <"$path.br"); else br=$gz; fi
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  total_br=$((total_br + br))
  printf '%-52s %12d %12d %12d\n' "$f" "$raw" "$gz" "$br"
done < <(first_load_files)

kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }
printf '%-52s %12d %12d %12d\n' "total" "$total_raw" "$total_gz" "$total_br"
echo
echo "first load of /: $(kb "$total_raw") KB raw, $(kb "$total_gz") KB gzipped (limit ${LIMIT_KB} KB gzipped, 1 KB = 1000 bytes); $(kb "$total_br") KB sent to a browser that accepts brotli"

if [ "$total_gz" -gt $((LIMIT_KB * 1000)) ]; then
  echo "bundle-size: OVER BUDGET by $(kb $((total_gz - LIMIT_KB * 1000))) KB" >&2
  exit 1
fi
echo "bundle-size: within budget"
