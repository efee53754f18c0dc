#!/usr/bin/env bash
# Size budgets of the first load of each app: the gzipped bytes (gzip -9) of
# every file from dist/ the browser fetches to show the page: the page's HTML,
# the JS glue, the .wasm, the CSS and any other local file the HTML links
# (source maps are excluded; only developer tools fetch them). Also printed:
# what a browser that accepts brotli is sent (the build's .br files).
#
#   scripts/bundle-size.sh                   # every bundle of dist/ against its budget
#   KAIRR_DIST=/path/to/dist scripts/bundle-size.sh
#
# Each bundle has a budget (fails the run: today's size and a little room, so
# the weight can only go down) and a goal (printed: issue 11's targets).
# 1 KB = 1000 bytes. Exits 1 when a bundle is over its budget, 2 on a missing dist/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="${KAIRR_DIST:-$ROOT/dist}"

# page | HTML (relative to dist/) | budget KB | goal KB
BUNDLES=(
  "/|index.html|60|150"
  "/advisor|advisor/index.html|248|250"
  "/allocations|allocations-app/index.html|231|300"
  "/login, /requests/*, /notifications|programme/index.html|293|300"
  "/reviews|reviews-app/index.html|228|300"
  "/committee, /committee/requests/*|committee-app/index.html|243|300"
  "/admin, /admin/assignments|admin-app/index.html|291|300"
  "/admin/status, /admin/provisioning|operations-app/index.html|242|300"
  "/admin/people, /admin/organisations, /invite|directory-app/index.html|245|300"
)

if [ ! -f "$DIST/index.html" ]; then
  echo "bundle-size: $DIST/index.html not found; build the front end first (./kairr up or trunk build --release in app/)" >&2
  exit 2
fi

kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }

# Local files that <link>, <script> and <img> tags of the page load (not <a>
# links), relative to dist/ (the apps link absolute paths), without query or fragment.
linked_files() {
  # Attribute values may be double-, single- or unquoted (trunk minifies the HTML).
  grep -oE '<(link|script|img)[^>]*>' "$DIST/$1" |
    grep -oE "(href|src)=(\"[^\"]*\"|'[^']*'|[^\"' >]+)" |
    sed -E "s/^(href|src)=//; s/^[\"']//; s/[\"']\$//; s/[?#].*\$//" |
    grep -vE '^(https?:)?//|^data:|^mailto:|^#|^$' |
    sed -E 's#^\./##; s#^/##' || true
}

# What the first load fetches: the HTML, what it links, the .js/.wasm/.css
# beside it (the .wasm is fetched by the JS glue, not by the HTML), and wasm-bindgen snippets.
first_load_files() {
  local html="$1" dir
  dir="$(dirname "$html")"
  [ "$dir" = "." ] && dir=""
  {
    echo "$html"
    linked_files "$html"
    (cd "$DIST/${dir:-.}" && find . -maxdepth 1 -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' \) | sed "s#^\./#${dir:+$dir/}#")
    if [ -d "$DIST/${dir:+$dir/}snippets" ]; then
      (cd "$DIST" && find "${dir:+$dir/}snippets" -type f -name '*.js')
    fi
  } | grep -v '\.map$' | awk 'NF && !seen[$0]++'
}

over=0
summary=()
for bundle in "${BUNDLES[@]}"; do
  IFS='|' read -r page html budget goal <<<"$bundle"
  if [ ! -f "$DIST/$html" ]; then
    echo "bundle-size: $DIST/$html not found (build all three apps)" >&2
    exit 2
  fi
  total_raw=0 total_gz=0 total_br=0
  echo "== first load of $page"
  printf '%-56s %10s %10s %10s\n' "file (dist/)" "bytes" "gzip -9" "sent (br)"
  while IFS= read -r f; do
    path="$DIST/$f"
    if [ ! -f "$path" ]; then
      # A directory link (e.g. href="/") or a file served elsewhere: nothing to count.
      [ -d "$path" ] && continue
      echo "bundle-size: $html links $f, which is not in dist/" >&2
      continue
    fi
    raw=$(wc -c <"$path")
    gz=$(gzip -9 -c "$path" | wc -c)
    if [ -f "$path.br" ]; then br=$(wc -c <"$path.br"); else br=$gz; fi
    total_raw=$((total_raw + raw))
    total_gz=$((total_gz + gz))
    total_br=$((total_br + br))
    printf '%-56s %10d %10d %10d\n' "$f" "$raw" "$gz" "$br"
  done < <(first_load_files "$html")
  printf '%-56s %10d %10d %10d\n\n' "total" "$total_raw" "$total_gz" "$total_br"
  verdict="within budget"
  if [ "$total_gz" -gt $((budget * 1000)) ]; then
    verdict="OVER BUDGET by $(kb $((total_gz - budget * 1000))) KB"
    over=1
  fi
  goal_text="goal ${goal} KB $([ "$total_gz" -le $((goal * 1000)) ] && echo met || echo "not met")"
  summary+=("$(printf '%-40s %7s KB gzip, %7s KB br; budget %s KB: %s; %s' "$page" "$(kb "$total_gz")" "$(kb "$total_br")" "$budget" "$verdict" "$goal_text")")
done

echo "bundle sizes (1 KB = 1000 bytes; the server's first HTML of / and /allocations is not counted: it is built per request):"
printf '  %s\n' "${summary[@]}"
if [ "$over" -ne 0 ]; then
  echo "bundle-size: a bundle is over its budget" >&2
  exit 1
fi
echo "bundle-size: every bundle within budget"
