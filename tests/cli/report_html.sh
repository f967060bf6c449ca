#!/usr/bin/env bash
# `redress report --html` renders in a real headless browser (Debian's chromium): the page loads
# with no console message, and the DOM chromium rendered holds the figures `redress report
# --json` gives for the same history and period: bars per kind and per target, the weekly lines,
# the summary and target tables (report_checks.py); the page has no script and loads nothing
# from outside. A screenshot comes out, and the page prints to PDF. Run on the retail week's
# whole history (four weeks) and on its first week. Skipped (77) only when chromium is absent.
set -u
binary=$1 src=$2
command -v chromium >/dev/null || { echo "skipped: chromium is not installed"; exit 77; }
python=/usr/bin/python3; [ -x "$python" ] || python=python3
command -v "$python" >/dev/null || { echo "skipped: python3 is not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
policy=$src/rules/iso10002.toml history=$src/examples/scenarios/retail-week.toml
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$work/profile"
       --enable-logging=stderr --v=0)
run=0
for period in "" "--from 2026-03-23 --to 2026-03-29"; do
  run=$((run + 1))
  # shellcheck disable=SC2086
  "$binary" report "$policy" "$history" $period --html "$work/report-$run.html" 2>"$work/err" >"$work/out" \
    || { echo "report --html failed:"; cat "$work/err"; exit 1; }
  [ "$(cat "$work/err")" = "wrote $work/report-$run.html" ] || { echo "unexpected stderr:"; cat "$work/err"; exit 1; }
  [ ! -s "$work/out" ] || { echo "report --html printed a table too:"; head -3 "$work/out"; exit 1; }
  # shellcheck disable=SC2086
  "$binary" report "$policy" "$history" $period --json >"$work/report-$run.json" || { echo "report --json failed"; exit 1; }
  timeout 120 chromium "${flags[@]}" --dump-dom "file://$work/report-$run.html" >"$work/dom-$run.html" 2>"$work/console.log"
  if grep -E "Uncaught|SyntaxError|ReferenceError|TypeError|CONSOLE" "$work/console.log"; then
    echo "errors or console messages while loading the page"; exit 1
  fi
  "$python" "$src/tests/cli/report_checks.py" "$work/report-$run.json" "$work/dom-$run.html" \
    || { echo "the page does not show what report --json says (period: ${period:-whole history})"; exit 1; }
done
timeout 120 chromium "${flags[@]}" --window-size=1100,1600 --screenshot="$work/report.png" "file://$work/report-1.html" 2>/dev/null
size=$(stat -c %s "$work/report.png" 2>/dev/null || echo 0)
[ "$size" -ge 10000 ] || { echo "screenshot missing or blank ($size bytes)"; exit 1; }
timeout 120 chromium "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$work/report.pdf" "file://$work/report-1.html" 2>/dev/null
head -c 5 "$work/report.pdf" 2>/dev/null | grep -q '%PDF-' || { echo "the page did not print to PDF"; exit 1; }
# A page that cannot be written: exit 2 naming it.
"$binary" report "$policy" "$history" --html "$work/no-such-dir/r.html" 2>"$work/err"
status=$?
[ $status = 2 ] || { echo "unwritable page: exit $status, want 2"; exit 1; }
grep -q "cannot write \"$work/no-such-dir/r.html\"\|cannot write $work/no-such-dir/r.html" "$work/err" \
  || { echo "unwritable page: message"; cat "$work/err"; exit 1; }
echo "rendered twice; the DOM matches report --json; $size bytes of screenshot; printed to PDF"
