#!/bin/bash
# The Python helpdesk (examples/python/helpdesk.py) and the C++ one (examples/helpdesk) run the
# retail week on fresh journals and print the same lines, byte for byte; then both restart on
# their journals with a later --until and again print the same; their journals hold the same rows.
# Usage: helpdesk_same_output.sh CXX_HELPDESK PYTHON SOURCE_DIR WORK_DIR
# (PYTHONPATH names the built package, as docs say a host does).
set -u
cxx=$1 python=$2 src=$3 work=$4
rm -rf "$work" && mkdir -p "$work" || exit 1
week=$src/examples/helpdesk/retail-week.jsonl
fail=0
run() {  # run NAME UNTIL
  "$cxx" --policy "$src/rules/iso10002.toml" --journal "$work/cxx.db" --until "$2" --summary "$week" \
    >"$work/cxx-$1.out" 2>"$work/cxx-$1.err" || { echo "FAIL: the C++ helpdesk exited $? ($1)"; cat "$work/cxx-$1.err"; fail=1; }
  "$python" "$src/examples/python/helpdesk.py" --policy "$src/rules/iso10002.toml" --journal "$work/py.db" \
    --until "$2" --summary "$week" >"$work/py-$1.out" 2>"$work/py-$1.err" \
    || { echo "FAIL: the Python helpdesk exited $? ($1)"; cat "$work/py-$1.err"; fail=1; }
  if diff -u "$work/cxx-$1.out" "$work/py-$1.out"; then
    echo "ok: $1: both print the same $(wc -l <"$work/py-$1.out") lines"
  else
    echo "FAIL: $1: the Python helpdesk's output differs from the C++ one's (above: - C++, + Python)"; fail=1
  fi
}
run first 2026-04-24T00:00:00+01:00
grep -q '^23 complaints, 146 events, 93 actions, 2 rejected$' "$work/py-first.out" \
  || { echo "FAIL: the Python helpdesk's journal line is not '23 complaints, 146 events, 93 actions, 2 rejected'"; fail=1; }
run restart 2026-04-30T00:00:00+01:00
grep -q '^recovered 171 journal entries$' "$work/py-restart.out" \
  || { echo "FAIL: the restarted Python helpdesk did not recover 171 journal entries"; fail=1; }
rows() {
  "$python" -c 'import sqlite3, sys
for line in sqlite3.connect(sys.argv[1]).iterdump():
    if line.startswith("INSERT"): print(line)' "$1"
}
if diff -u <(rows "$work/cxx.db") <(rows "$work/py.db") >"$work/rows.diff"; then
  echo "ok: both journals hold the same $(rows "$work/py.db" | wc -l) rows"
else
  echo "FAIL: the journals differ:"; head -40 "$work/rows.diff"; fail=1
fi
exit $fail
