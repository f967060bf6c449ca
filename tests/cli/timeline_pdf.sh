#!/usr/bin/env bash
# `simulate --pdf` prints the timeline page through headless chromium: A4 landscape, a first
# page (legend, summary, closed days) then one page per opened complaint (the retail week has
# 24 complaints, C-112 refused at intake: 24 pages), each opening with its complaint and holding
# its clock rows (target, start, due, stopped, outcome, owner) as `simulate --json` gives them
# (pdfinfo, pdftotext from Debian's poppler-utils). A missing chromium and an unwritable PDF are
# exit 2 with a message. Skipped (77) only when chromium or poppler-utils is not installed.
set -u
binary=$1 src=$2
command -v chromium >/dev/null || { echo "skipped: chromium is not installed"; exit 77; }
command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null \
  || { echo "skipped: poppler-utils (pdfinfo, pdftotext) is not installed"; exit 77; }
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

# No chromium: exit 2, naming the package to install; no file left behind.
REDRESS_CHROMIUM=/nonexistent/chromium "$binary" simulate "$policy" "$scenario" --pdf "$work/none.pdf" 2>"$work/err"
status=$?
[ $status = 2 ] || { echo "missing chromium: exit $status, want 2"; exit 1; }
grep -q "install the Debian package 'chromium'" "$work/err" || { echo "missing chromium: message"; cat "$work/err"; exit 1; }
[ ! -e "$work/none.pdf" ] || { echo "missing chromium: a file was written"; exit 1; }
# A browser that hangs (and has started a child of its own): stopped after the timeout with
# every process it started, exit 2, no file left behind.
printf '#!/bin/sh\nsleep 300 &\necho $! >"%s/hanging-child.pid"\nsleep 300\n' "$work" >"$work/hanging-chromium"
chmod +x "$work/hanging-chromium"
REDRESS_CHROMIUM="$work/hanging-chromium" REDRESS_PDF_TIMEOUT_SECONDS=2 \
  "$binary" simulate "$policy" "$scenario" --pdf "$work/hung.pdf" 2>"$work/err"
status=$?
[ $status = 2 ] || { echo "hanging chromium: exit $status, want 2"; exit 1; }
grep -q "did not finish within 2 seconds and was stopped" "$work/err" || { echo "hanging chromium: message"; cat "$work/err"; exit 1; }
[ ! -e "$work/hung.pdf" ] || { echo "hanging chromium: a file was written"; exit 1; }
sleep 0.5
# Dead means gone or a zombie (state Z) waiting for PID 1, which may reap it late.
child_state=$(awk '{print $3}' "/proc/$(cat "$work/hanging-child.pid")/stat" 2>/dev/null || true)
if [ -n "$child_state" ] && [ "$child_state" != Z ]; then echo "hanging chromium: its child still runs ($child_state)"; exit 1; fi
REDRESS_PDF_TIMEOUT_SECONDS=soon "$binary" simulate "$policy" "$scenario" --pdf "$work/x.pdf" 2>"$work/err"
[ $? = 2 ] && grep -q "expected a whole number of seconds" "$work/err" || { echo "bad timeout: not refused"; cat "$work/err"; exit 1; }
# A PDF that cannot be written: exit 2 naming it.
"$binary" simulate "$policy" "$scenario" --pdf "$work/no-such-dir/t.pdf" 2>"$work/err"
status=$?
[ $status = 2 ] || { echo "unwritable PDF: exit $status, want 2"; exit 1; }
grep -q "cannot write $work/no-such-dir/t.pdf" "$work/err" || { echo "unwritable PDF: message"; cat "$work/err"; exit 1; }
echo "printed $pages pages (A4 landscape); every complaint's page holds its clocks"
