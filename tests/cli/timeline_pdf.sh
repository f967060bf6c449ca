#!/usr/bin/env bash
# `simulate --pdf` prints the timeline page through headless chromium: A4 landscape, a first
# page (legend, summary, closed days) then one page per opened complaint (the retail week has
# 24 complaints, C-112 refused at intake: 24 pages), each opening with its complaint and holding
# its clock rows (target, start, due, stopped, outcome, owner) as `simulate --json` gives them
# (pdfinfo, pdftotext from Debian's poppler-utils; timeline_checks.py). What needs no real browser
# (a missing or hanging chromium, an unwritable PDF) is pdf_without_browser.sh, run everywhere.
# Skipped (77) only when chromium, poppler-utils or python3 is not installed.
set -u
binary=$1 src=$2
command -v chromium >/dev/null || { echo "skipped: chromium is not installed"; exit 77; }
command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null \
  || { echo "skipped: poppler-utils (pdfinfo, pdftotext) is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: python3 is not installed (it reads the PDF's pages)"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
policy=$src/rules/iso10002.toml scenario=$src/examples/scenarios/retail-week.toml
"$binary" simulate "$policy" "$scenario" --pdf "$work/timeline.pdf" 2>"$work/err" || {
  echo "simulate --pdf failed:"; cat "$work/err"; exit 1; }
[ "$(cat "$work/err")" = "wrote $work/timeline.pdf" ] || { echo "unexpected stderr:"; cat "$work/err"; exit 1; }
"$binary" simulate "$policy" "$scenario" --json > "$work/simulation.json"
pages=$(pdfinfo "$work/timeline.pdf" | sed -n 's/^Pages: *//p')
size=$(pdfinfo "$work/timeline.pdf" | sed -n 's/^Page size: *//p')
case "$size" in
  "841.92 x 594.96 pts (A4)") ;;
  *) echo "page size is '$size', want A4 landscape (841.92 x 594.96 pts)"; exit 1 ;;
esac
mkdir "$work/pages"
for ((i = 1; i <= pages; i++)); do pdftotext -layout -f "$i" -l "$i" "$work/timeline.pdf" "$work/pages/page-$i.txt"; done
python3 "$src/tests/cli/timeline_checks.py" pdf "$work/simulation.json" "$work/pages" "$pages" || {
  echo "the PDF does not hold what the simulation says"; exit 1; }

echo "printed $pages pages (A4 landscape); every complaint's page holds its clocks"
