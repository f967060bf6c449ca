#!/usr/bin/env bash
# Every output of every command, written where it cannot go (/dev/full: "No space left on
# device"; a missing directory), is exit 2 with the file or "standard output" and the system's
# reason; never exit 0 with the output lost. And a reader that stops early (`| head -1`) is not
# an error: no message, whether SIGPIPE ends the program (the default) or is ignored.
#   write_failures.sh REDRESS_BINARY SOURCE_DIR
set -u
redress=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
exec 3>&1  # this script's own messages, while a command's standard output is /dev/full
failures=0
cal=$src/rules/calendars/england-wales.toml
iso=$src/rules/iso10002.toml
week=$src/examples/scenarios/retail-week.toml

# expect STDERR_LINE COMMAND...: runs the command, expects exit 2 and exactly that stderr.
expect() {
  local want=$1; shift
  "$@" 2> "$work/err"
  local status=$?
  local got
  got=$(cat "$work/err")
  if [ "$status" != 2 ] || [ "$got" != "$want" ]; then
    { echo "FAIL: $*"; echo "  expected exit 2 and: $want"; echo "  got exit $status and: $got"; } >&3
    failures=$((failures + 1))
  fi
}

full='redress: cannot write standard output: No space left on device'
printf '2026-04-01T14:00:00+01:00\t15 business days\n' > "$work/batch.tsv"
expect "$full" "$redress" due --calendar "$cal" --from 2026-04-01T14:00:00+01:00 --add "15 business days" > /dev/full
expect "$full" "$redress" due --calendar "$cal" --from 2026-04-01T14:00:00+01:00 --add "15 business days" --json > /dev/full
expect "$full" "$redress" due --calendar "$cal" --batch "$work/batch.tsv" > /dev/full
expect "$full" "$redress" elapsed --calendar "$cal" --from 2026-04-01T14:00:00+01:00 --to 2026-04-02T12:30:00+01:00 > /dev/full
expect "$full" "$redress" elapsed --calendar "$cal" --from 2026-04-01T14:00:00+01:00 --to 2026-04-02T12:30:00+01:00 --json > /dev/full
expect "$full" "$redress" check "$iso" > /dev/full
expect "$full" "$redress" check "$iso" --json > /dev/full
expect "$full" "$redress" lifecycle --format dot > /dev/full
expect "$full" "$redress" lifecycle --format mermaid > /dev/full
expect "$full" "$redress" simulate "$iso" "$week" > /dev/full
expect "$full" "$redress" simulate "$iso" "$week" --json > /dev/full
expect "$full" "$redress" test "$src/rules/tests" > /dev/full
expect "$full" "$redress" explain "$src/rules/asic-rg271.toml" "$src/examples/scenarios/asic-easter.toml" --complaint AU-2 --target idr-response > /dev/full
expect "$full" "$redress" diff "$iso" "$iso" --cases "$week" > /dev/full
expect "$full" "$redress" diff "$iso" "$iso" --cases "$week" --json > /dev/full
expect "$full" "$redress" report "$iso" "$week" > /dev/full
expect "$full" "$redress" report "$iso" "$week" --json > /dev/full
expect "$full" "$redress" report "$iso" "$week" --csv > /dev/full
expect "$full" "$redress" holidays --calendar "$cal" --year 2026 > /dev/full
expect "$full" "$redress" holidays --calendar "$cal" --year 2026 --json > /dev/full
expect "$full" "$redress" holidays --calendar "$cal" --year 2026 --ics > /dev/full
# serve stops at the first reply it cannot write, naming the request line, and says it once.
echo '{"id": 1, "op": "next_wakeup"}' > "$work/requests.jsonl"
expect "redress: cannot write the reply to request line 1 to standard output: No space left on device" \
  "$redress" serve --policy "$iso" < "$work/requests.jsonl" > /dev/full
expect "$full" "$redress" --help > /dev/full
expect "$full" "$redress" due --help > /dev/full
expect "$full" "$redress" --version > /dev/full

# Files: a missing directory, a full device. Nothing claims to have written them.
expect "redress: cannot write \"$work/missing-dir/t.svg\": No such file or directory" \
  "$redress" simulate "$iso" "$week" --svg "$work/missing-dir/t.svg"
expect "redress: cannot write \"/dev/full\": No space left on device" "$redress" simulate "$iso" "$week" --svg /dev/full
expect "redress: cannot write \"$work/missing-dir/t.html\": No such file or directory" \
  "$redress" simulate "$iso" "$week" --html "$work/missing-dir/t.html"
expect "redress: cannot write \"/dev/full\": No space left on device" "$redress" test "$src/rules/tests" --junit /dev/full > /dev/null
expect "redress: cannot write \"$work\": Is a directory" "$redress" test "$src/rules/tests" --junit "$work" > /dev/null

# A closed standard output (not a full one): EBADF.
expect "redress: cannot write standard output: Bad file descriptor" "$redress" lifecycle --format dot >&-

# `| head -1` on an output far longer than a pipe holds: no message on stderr; with SIGPIPE at its
# default the program ends by it (as `cat` does), with SIGPIPE ignored it ends with status 0.
yes "$(printf '2026-04-01T14:00:00+01:00\t15 business days')" | head -n 200000 > "$work/long.tsv"
"$redress" due --calendar "$cal" --batch "$work/long.tsv" 2> "$work/err" | head -1 > /dev/null
status=${PIPESTATUS[0]}
if [ -s "$work/err" ] || { [ "$status" != 0 ] && [ "$status" != 141 ]; }; then
  echo "FAIL: | head -1 (SIGPIPE default): exit $status, stderr: $(cat "$work/err")"; failures=$((failures + 1))
fi
(trap '' PIPE; "$redress" due --calendar "$cal" --batch "$work/long.tsv" 2> "$work/err" | head -1 > /dev/null; exit "${PIPESTATUS[0]}")
status=$?
if [ -s "$work/err" ] || [ "$status" != 0 ]; then
  echo "FAIL: | head -1 (SIGPIPE ignored): exit $status, stderr: $(cat "$work/err")"; failures=$((failures + 1))
fi

# serve, whose helpdesk closed the pipe (SIGPIPE ignored, as a host's child may have it): it stops
# quietly, status 0, as it does at the end of its input.
yes '{"id": 1, "op": "next_wakeup"}' | head -n 100000 > "$work/many.jsonl"
(trap '' PIPE; "$redress" serve --policy "$iso" < "$work/many.jsonl" 2> "$work/err" | head -1 > /dev/null; exit "${PIPESTATUS[0]}")
status=$?
if [ -s "$work/err" ] || [ "$status" != 0 ]; then
  echo "FAIL: serve | head -1 (SIGPIPE ignored): exit $status, stderr: $(cat "$work/err")"; failures=$((failures + 1))
fi

[ "$failures" = 0 ] && echo "every failed write was exit 2 with its reason"
exit $((failures > 0))
