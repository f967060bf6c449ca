#!/usr/bin/env bash
# The helpdesk as an unlucky operator runs it: bad arguments, a directory for input, a restart under
# a new policy version, a policy file changed under the same version, a restart on the same input
# after a rejected and retried event, a journal that fills up, and a feed with late events.
#   restart_test.sh HELPDESK_BINARY SOURCE_DIR WORK_DIR
set -u
helpdesk=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
week=$src/examples/helpdesk/retail-week.jsonl
until_time=2026-04-24T00:00:00+01:00
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect EXIT STDERR_TEXT ARGS...: the exit status, and standard error containing the text
expect() {
  local want_exit=$1 want_err=$2; shift 2
  "$helpdesk" "$@" > "$work/out" 2> "$work/err"
  local status=$?
  [ "$status" = "$want_exit" ] || fail "$*: exit $status, expected $want_exit ($(cat "$work/err"))"
  grep -qF -- "$want_err" "$work/err" || fail "$*: stderr lacks \"$want_err\": $(cat "$work/err")"
}

# --- arguments (CLI11): each a clear message and exit 2, never an abort or a silent default
expect 2 "redress-helpdesk: --policy: 1 required TEXT missing" --policy
expect 2 "redress-helpdesk: Could not convert: --pace-us = abc" --pace-us abc --journal "$work/a.db" "$week"
expect 2 "redress-helpdesk: The following arguments were not expected: $week --polcy" --polcy "$src/rules/iso10002.toml" --journal "$work/a.db" "$week"
expect 2 "redress-helpdesk: the input \"$work\" is a directory, not a JSON Lines file" --policy "$src/rules/iso10002.toml" --journal "$work/a.db" "$work"
[ -e "$work/a.db" ] && fail "a refused run created its journal"
# Standard output that cannot be written (the acknowledgements, the summary): exit 2, not 0.
"$helpdesk" --policy "$src/rules/iso10002.toml" --journal "$work/full-out.db" --until "$until_time" --summary "$week" > /dev/full 2> "$work/err"
status=$?
[ "$status" = 2 ] || fail "standard output on /dev/full: exit $status"
grep -qF "redress-helpdesk: cannot write standard output: No space left on device" "$work/err" || fail "standard output on /dev/full: $(cat "$work/err")"

# --- policy versions: v1 (the shipped policy), then v2 drops the channel 'in-person' (3 of the 23
# complaints came in person). Each complaint stays on the version it was opened under.
sed "s|\"calendars/|\"$src/rules/calendars/|" "$src/rules/iso10002.toml" > "$work/v1.toml"
sed -e 's/^version = "2026.1"/version = "2026.2"/' -e 's/, "in-person"\]/]/' "$work/v1.toml" > "$work/v2.toml"
grep -q '^channels = \["phone", "chat", "email", "web", "letter"\]$' "$work/v2.toml" || fail "v2 does not drop in-person"
"$helpdesk" --policy "$work/v1.toml" --journal "$work/v.db" --until "$until_time" --quiet --dump "$work/v1.state" "$week" > /dev/null \
  || fail "the v1 run failed"
"$helpdesk" --policy "$work/v2.toml" --journal "$work/v.db" --until "$until_time" --quiet --dump "$work/v2.state" "$week" > "$work/out" 2>&1 \
  || fail "the restart under v2 failed: $(cat "$work/out")"
[ "$(grep -c '^C-' "$work/v1.state")" = 23 ] || fail "v1 holds $(grep -c '^C-' "$work/v1.state") complaints, not 23"
cmp -s "$work/v1.state" "$work/v2.state" || { fail "the restart under v2 lost or changed complaints:"; diff "$work/v1.state" "$work/v2.state" | head; }
# A new complaint in person after the change is refused by v2 (its vocabulary), the old ones kept.
printf '{"complaint": "C-900", "received": "2026-04-20T10:00:00", "kind": "staff", "channel": "in-person", "customer_name": "New"}\n' > "$work/new.jsonl"
"$helpdesk" --policy "$work/v2.toml" --journal "$work/v.db" --until "$until_time" "$work/new.jsonl" > "$work/out" 2>&1
grep -qF "rejected open C-900: complaint C-900: channel 'in-person' is not declared by policy" "$work/out" || fail "v2 took a new in-person complaint: $(cat "$work/out")"
# v1's file changed without a new version: refused, loudly.
sed 's/^name = "\(.*\)"$/name = "\1 (edited)"/' "$work/v1.toml" > "$work/v1-changed.toml"
cmp -s "$work/v1.toml" "$work/v1-changed.toml" && fail "the changed v1 is not changed"
expect 2 "policy \"$work/v1-changed.toml\" says version \"2026.1\", but its text is not the text the journal holds for that version" \
  --policy "$work/v1-changed.toml" --journal "$work/v.db" "$week"

# --- the same input again, after an event was rejected and retried: idempotent
{
  printf '{"complaint": "R-1", "received": "2026-04-01T10:00:00", "kind": "staff", "channel": "phone", "customer_name": "R"}\n'
  printf '{"complaint": "R-1", "at": "2026-04-01T10:05:00", "event": "acknowledge"}\n'
  printf '{"complaint": "R-1", "at": "2026-04-01T10:06:00", "event": "register"}\n'
  printf '{"complaint": "R-1", "at": "2026-04-01T10:07:00", "event": "start_investigation"}\n'
  printf '{"complaint": "R-1", "at": "2026-04-01T10:08:00", "event": "request_information"}\n'   # refused: no reason
  printf '{"complaint": "R-1", "at": "2026-04-01T10:08:00", "event": "request_information", "reason": "receipt"}\n'  # the retry
  printf '{"complaint": "R-1", "at": "2026-04-01T10:30:00", "event": "customer_replied"}\n'
  printf '{"complaint": "R-1", "at": "2026-04-01T11:00:00", "event": "assign"}\n'   # refused: no role
  printf '{"complaint": "R-1", "at": "2026-04-01T11:00:00", "event": "assign", "role": "handler"}\n'  # the retry
} > "$work/retry.jsonl"
for run in 1 2 3; do
  "$helpdesk" --policy "$src/rules/iso10002.toml" --journal "$work/r.db" --until "$until_time" --summary --quiet \
    --dump "$work/retry-$run.state" "$work/retry.jsonl" > "$work/retry-$run.out" 2>&1 || fail "run $run on the same input: $(cat "$work/retry-$run.out")"
done
grep -q '^1 complaints, 6 events, [0-9]* actions, 2 rejected$' "$work/retry-3.out" || fail "the journal after three runs: $(grep complaints "$work/retry-3.out")"
cmp -s "$work/retry-1.state" "$work/retry-3.state" || fail "the third run on the same input changed the state"
grep -q '^R-1 investigating owner=[a-z-]* level=[0-9] events=6$' "$work/retry-3.state" || fail "R-1 after three runs: $(head -1 "$work/retry-3.state")"

# --- a journal that fills up (PRAGMA max_page_count): the commit fails, the helpdesk stops with
# exit 2, and the engine holds what the journal holds: its state then equals a restart's.
# 20 pages fill up on an opening, 24 on recording actions the clocks fired, 22 and 32 on events.
for pages in 20 22 24 32; do
  rm -f "$work/full.db"*
  "$helpdesk" --policy "$src/rules/iso10002.toml" --journal "$work/full.db" --journal-max-pages $pages --until "$until_time" \
    --quiet --dump "$work/full.state" "$week" > "$work/out" 2> "$work/err"
  status=$?
  [ "$status" = 2 ] || fail "a journal full at $pages pages: exit $status, expected 2"
  grep -qF "database or disk is full" "$work/err" || fail "a journal full at $pages pages: $(cat "$work/err")"
  "$helpdesk" --policy "$src/rules/iso10002.toml" --journal "$work/full.db" --until "$until_time" --quiet \
    --dump "$work/full-restart.state" /dev/null > /dev/null 2>&1 || fail "the restart after a full journal failed"
  [ -s "$work/full.state" ] || fail "no state written after the failed commit ($pages pages)"
  cmp -s "$work/full.state" "$work/full-restart.state" || { fail "the engine got ahead of its journal ($pages pages):"; diff "$work/full.state" "$work/full-restart.state" | head; }
done

# --- a feed with late events (up to 59 minutes): none refused, the same state as in order
bash "$src/tests/helpdesk/make_feed.sh" "$work/late.jsonl" late
bash "$src/tests/helpdesk/make_feed.sh" "$work/in-order.jsonl" in-order
cmp -s "$work/late.jsonl" "$work/in-order.jsonl" && fail "the late feed is in order"
for f in late in-order; do
  "$helpdesk" --policy "$src/rules/iso10002.toml" --journal "$work/$f.db" --until 2026-06-30T00:00:00+01:00 \
    --dump "$work/$f.state" "$work/$f.jsonl" > "$work/$f.out" 2>&1 || fail "the $f feed: $(tail -3 "$work/$f.out")"
done
late_rejected=$(grep -c '^rejected ' "$work/late.out")
[ "$late_rejected" = 0 ] || fail "$late_rejected late events were refused"
cmp -s "$work/late.state" "$work/in-order.state" || fail "the late feed ends in another state than the same feed in order"
# With no window, they are refused (what the window is for).
"$helpdesk" --policy "$src/rules/iso10002.toml" --journal "$work/nowindow.db" --reorder-window 0 --until 2026-06-30T00:00:00+01:00 \
  "$work/late.jsonl" > "$work/nowindow.out" 2>&1
[ "$(grep -c '^rejected ' "$work/nowindow.out")" -gt 0 ] || fail "without a window no late event was refused: the feed is not late"

[ "$failures" = 0 ] && echo "the helpdesk survives bad arguments, new policy versions, retries, a full journal and late events"
exit $((failures > 0))
