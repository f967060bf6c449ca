#!/usr/bin/env bash
# "-" is standard input wherever a command reads a file: a policy (check, simulate, explain,
# diff), a calendar (due, elapsed, holidays), a scenario and a test file (test_update.sh). Its
# relative paths (a policy's calendars) resolve against the working directory, so the commands
# run in rules/. The values are those of the file-named cases (due/fifteen-business-days-over-
# easter, elapsed/hours-across-a-day, check/shipped-policies). Naming "-" twice is refused
# before anything is read.
#   stdin_everywhere.sh REDRESS_BINARY SOURCE_DIR
set -u
redress=$1 src=$2
cd "$src/rules" || exit 1
failures=0
# expect NAME STDIN WANT_EXIT WANT_OUTPUT(stdout+stderr) REDRESS_ARGS... (or: bash -c PIPELINE)
expect() {
  local name=$1 input=$2 want_exit=$3 want=$4; shift 4
  local got status
  if [ "$1" = bash ]; then got=$("$@" < "$input" 2>&1); else got=$("$redress" "$@" < "$input" 2>&1); fi
  status=$?
  if [ "$status" != "$want_exit" ] || [ "$got" != "$want" ]; then
    echo "FAIL: $name: exit $status (want $want_exit)"; diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/  /'
    failures=$((failures + 1))
  fi
}
cal=calendars/england-wales.toml week=../examples/scenarios/retail-week.toml
expect "check -" iso10002.toml 0 "<stdin>: ok" check -
expect "due --calendar -" $cal 0 "2026-04-24T23:59:59+01:00" \
  due --calendar - --from 2026-04-01T14:00:00+01:00 --add "15 business days"
expect "elapsed --calendar -" $cal 0 "PT6H30M" \
  elapsed --calendar - --from 2026-04-01T14:00:00+01:00 --to 2026-04-02T12:30:00+01:00
expect "holidays --calendar -" $cal 0 "2026-04-03 Fri Good Friday
2026-04-06 Mon Easter Monday" holidays --calendar - --from 2026-04-01 --to 2026-04-30
expect "simulate - SCENARIO" iso10002.toml 0 "24 complaints, 2 rejected events or openings" \
  bash -c "\"$redress\" simulate - $week | tail -1; exit \${PIPESTATUS[0]}"
expect "diff - NEW" iso10002.toml 0 "deadlines: 0 earlier, 0 later, 125 unchanged, 0 new clocks, 0 removed" \
  bash -c "\"$redress\" diff - iso10002.toml --cases $week | grep '^deadlines'; exit \${PIPESTATUS[0]}"
expect "a policy on stdin is located as <stdin>" /dev/null 2 \
  "<stdin>:1:1: error: a policy needs a [policy] table" check -
expect "due: calendar and batch both -" $cal 2 \
  "redress: standard input (\"-\") is named 2 times; it can be read only once" due --calendar - --batch -
expect "simulate - -" iso10002.toml 2 \
  "redress: standard input (\"-\") is named 2 times; it can be read only once" simulate - -
[ "$failures" = 0 ] && echo "every file argument reads standard input as -"
[ "$failures" = 0 ]
