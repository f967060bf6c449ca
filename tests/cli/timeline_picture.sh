#!/usr/bin/env bash
# The timeline picture renders in a real headless browser (Debian's chromium): the page loads
# with no error in its console, its script finds every chart with a real size, and the DOM after
# scripts ran holds what `redress simulate --json` says of the retail week under ISO 10002
# (each complaint's page, its clock table row by row, the level and event labels, the overdue
# part of a bar starting at its due line, the closed days; timeline_checks.py). Screenshots of
# the page and of the SVG file on its own come out, and the SVG has a title and a legend.
# Skipped (77) only when chromium or python3 is not installed; CI installs it (scripts/setup --ci).
set -u
binary=$1 src=$2
command -v chromium >/dev/null || { echo "skipped: chromium is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: python3 is not installed (it reads the page's DOM)"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
policy=$src/rules/iso10002.toml scenario=$src/examples/scenarios/retail-week.toml
"$binary" simulate "$policy" "$scenario" --html "$work/timeline.html" --svg "$work/timeline.svg" \
  || { echo "simulate failed"; exit 1; }
"$binary" simulate "$policy" "$scenario" --json > "$work/simulation.json" || { echo "simulate --json failed"; exit 1; }
grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$work/timeline.svg" || { echo "no SVG written"; exit 1; }
grep -q '<title>Retail complaints (ISO 10002) (version 2026.1) — A retail week (ISO 10002)</title>' "$work/timeline.svg" \
  || { echo "the SVG has no title"; exit 1; }
grep -q 'class="legend-box"' "$work/timeline.svg" || { echo "the SVG has no legend"; exit 1; }
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$work/profile"
       --enable-logging=stderr --v=0)   # the page's console (uncaught errors) goes to stderr
timeout 120 chromium "${flags[@]}" --dump-dom "file://$work/timeline.html" >"$work/dom.html" 2>"$work/console.log"
if grep -E "Uncaught|SyntaxError|ReferenceError|TypeError|CONSOLE" "$work/console.log"; then
  echo "script errors or console messages while loading the page"; exit 1
fi
python3 "$src/tests/cli/timeline_checks.py" dom "$work/simulation.json" "$work/dom.html" || {
  echo "the page does not show what the simulation says"; exit 1; }
timeout 120 chromium "${flags[@]}" --window-size=1400,1000 --screenshot="$work/timeline.png" \
  "file://$work/timeline.html" 2>/dev/null
size=$(stat -c %s "$work/timeline.png" 2>/dev/null || echo 0)
if [ "$size" -lt 10000 ]; then echo "screenshot missing or blank ($size bytes)"; exit 1; fi
# The SVG on its own, as a browser opens the file.
timeout 120 chromium "${flags[@]}" --window-size=1400,1000 --screenshot="$work/svg.png" \
  "file://$work/timeline.svg" 2>"$work/svg-console.log"
svg_size=$(stat -c %s "$work/svg.png" 2>/dev/null || echo 0)
if [ "$svg_size" -lt 10000 ]; then echo "SVG screenshot missing or blank ($svg_size bytes)"; exit 1; fi
svg_dom=$(timeout 120 chromium "${flags[@]}" --dump-dom "file://$work/timeline.svg" 2>/dev/null)
case "$svg_dom" in
  *parsererror*) echo "the SVG does not parse:"; echo "$svg_dom" | head -5; exit 1 ;;
esac
if grep -E "Uncaught" "$work/svg-console.log"; then echo "errors while loading the SVG"; exit 1; fi
echo "rendered: $size bytes of PNG from the page, $svg_size from the SVG; the DOM matches the simulation"
