#!/usr/bin/env bash
# The timeline picture renders in a real headless browser (Debian's chromium): the page loads
# with no error in its console, its script finds an SVG with a real size, and screenshots of the
# page and of the SVG file on its own come out. Skipped (77) only when
# chromium is not installed; CI installs it (scripts/setup --ci).
set -u
binary=$1 src=$2
command -v chromium >/dev/null || { echo "skipped: chromium is not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$binary" simulate "$src/rules/fca-disp.toml" "$src/examples/scenarios/fca-holding.toml" \
  --html "$work/timeline.html" --svg "$work/timeline.svg" || { echo "simulate failed"; exit 1; }
grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$work/timeline.svg" || { echo "no SVG written"; exit 1; }
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$work/profile"
       --enable-logging=stderr --v=0)   # the page's console (uncaught errors) goes to stderr
dom=$(timeout 60 chromium "${flags[@]}" --dump-dom "file://$work/timeline.html" 2>"$work/console.log")
case "$dom" in
  *'data-rendered="yes"'*) ;;
  *) echo "the page did not render its timeline:"; echo "$dom" | head -20; cat "$work/console.log"; exit 1 ;;
esac
if grep -E "Uncaught|SyntaxError|ReferenceError|TypeError" "$work/console.log"; then
  echo "script errors while loading the page"; exit 1
fi
timeout 60 chromium "${flags[@]}" --window-size=1400,700 --screenshot="$work/timeline.png" \
  "file://$work/timeline.html" 2>/dev/null
size=$(stat -c %s "$work/timeline.png" 2>/dev/null || echo 0)
if [ "$size" -lt 10000 ]; then echo "screenshot missing or blank ($size bytes)"; exit 1; fi
# The SVG on its own, as a browser opens the file.
timeout 60 chromium "${flags[@]}" --window-size=1400,700 --screenshot="$work/svg.png" \
  "file://$work/timeline.svg" 2>"$work/svg-console.log"
svg_size=$(stat -c %s "$work/svg.png" 2>/dev/null || echo 0)
if [ "$svg_size" -lt 10000 ]; then echo "SVG screenshot missing or blank ($svg_size bytes)"; exit 1; fi
svg_dom=$(timeout 60 chromium "${flags[@]}" --dump-dom "file://$work/timeline.svg" 2>/dev/null)
case "$svg_dom" in
  *parsererror*) echo "the SVG does not parse:"; echo "$svg_dom" | head -5; exit 1 ;;
esac
if grep -E "Uncaught" "$work/svg-console.log"; then echo "errors while loading the SVG"; exit 1; fi
echo "rendered: $size bytes of PNG from the page, $svg_size from the SVG"
