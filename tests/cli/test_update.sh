#!/usr/bin/env bash
# `redress test --update` writes the actual values into the failed expectations, in place: the
# file's diff is exactly the changed values (comments, layout and the values that passed kept),
# and a second `redress test` passes. The right values are those of rules/tests/iso10002.toml
# (the same complaints of the retail week), written wrong here on purpose. Also: the file keeps
# its permissions, a link is followed (the link stays a link), no temporary file is left; a value
# that cannot be stated is left and still fails; standard input ("-") runs but is not updated.
#   test_update.sh REDRESS_BINARY SOURCE_DIR
set -u
redress=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
# same NAME WANT GOT
same() { [ "$2" = "$3" ] || { fail "$1"; diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/  /'; }; }

mkdir "$work/tests"
cat > "$work/tests/week.toml" <<EOF
# Snapshot test: values written wrong on purpose.
[test]
name = "update me"
policy = "$src/rules/iso10002.toml"
scenario = "$src/examples/scenarios/retail-week.toml"

# A due instant, off by a day (and a comment after it).
[[expect]]
complaint = "C-102"
target = "final-response"
due = "2026-03-26T23:59:59+00:00"   # Thursday? no: Friday

[[expect]]
complaint = "C-102"
target   =   "final-response"
state = 'breached'

[[expect]]
complaint = "C-103"
target = "final-response"
level = 3
fires = "2026-04-02T23:59:59+01:00"   # right: left alone
assigns = "store-manager"
notifies = "complaints-officer"

[[expect]]
complaint = "C-111"
breaches = "none"

[[expect]]
complaint = "C-101"
breaches = ["final-response", "promise"]

[[expect]]
complaint = "C-112"
rejected = 0

[[expect]]
complaint = "C-110"
owner = "store-manager"  # after the reopening
after = "assign"

[[expect]] # Kofi's promise
complaint = "C-111"
target = "promise"
level = 1
fires = "never"

[[expect]]
complaint = "C-101"
owner = "store-manager"
after = "register"
EOF
cp "$work/tests/week.toml" "$work/before.toml"
chmod 640 "$work/tests/week.toml"
ln -s tests/week.toml "$work/link.toml"

"$redress" test "$work/tests/week.toml" > "$work/out" 2>&1
same "before --update: exit" 1 $?
same "before --update: summary" "1 passed, 8 failed" "$(tail -1 "$work/out")"

"$redress" test "$work/link.toml" --update > "$work/out" 2> "$work/err"
same "--update: exit" 0 $?
same "--update: stderr" "" "$(cat "$work/err")"
same "--update: stdout" "UPDATE $work/link.toml:8:1: C-102 final-response due
  was: 2026-03-26T23:59:59+00:00
  now: 2026-03-27T23:59:59+00:00
UPDATE $work/link.toml:13:1: C-102 final-response state
  was: breached
  now: met
UPDATE $work/link.toml:18:1: C-103 final-response level 3
  was: fires at 2026-04-02T23:59:59+01:00, assigns store-manager, notifies complaints-officer
  now: fires at 2026-04-02T23:59:59+01:00, assigns team-lead, notifies head-of-service
UPDATE $work/link.toml:26:1: C-111 breaches
  was: none
  now: promise
UPDATE $work/link.toml:30:1: C-101 breaches
  was: final-response, promise
  now: none
UPDATE $work/link.toml:34:1: C-112 rejected events
  was: 0
  now: 1
UPDATE $work/link.toml:38:1: C-110 owner after assign
  was: store-manager
  now: team-lead
UPDATE $work/link.toml:43:1: C-111 promise level 1
  was: never fires
  now: fires at 2026-03-27T10:00:00+00:00
1 passed, 0 failed, 8 updated" "$(cat "$work/out")"
same "--update: the diff is the changed values" '11c11
< due = "2026-03-26T23:59:59+00:00"   # Thursday? no: Friday
---
> due = "2026-03-27T23:59:59+00:00"   # Thursday? no: Friday
16c16
< state = '"'breached'"'
---
> state = "met"
23,24c23,24
< assigns = "store-manager"
< notifies = "complaints-officer"
---
> assigns = "team-lead"
> notifies = "head-of-service"
28c28
< breaches = "none"
---
> breaches = "promise"
32c32
< breaches = ["final-response", "promise"]
---
> breaches = "none"
36c36
< rejected = 0
---
> rejected = 1
40c40
< owner = "store-manager"  # after the reopening
---
> owner = "team-lead"  # after the reopening
47c47
< fires = "never"
---
> fires = "2026-03-27T10:00:00+00:00"' "$(diff "$work/before.toml" "$work/tests/week.toml")"
[ -L "$work/link.toml" ] || fail "the link was replaced by a file"
same "permissions kept" 640 "$(stat -c %a "$work/tests/week.toml")"
same "no temporary left" "week.toml" "$(ls -A "$work/tests")"

"$redress" test "$work/tests/week.toml" > "$work/out" 2>&1
same "after --update: exit" 0 $?
same "after --update: output" "9 passed, 0 failed" "$(cat "$work/out")"
cp "$work/tests/week.toml" "$work/after.toml"
"$redress" test "$work/tests/week.toml" --update > "$work/out" 2>&1
same "--update with nothing to update: output" "9 passed, 0 failed" "$(cat "$work/out")"
cmp -s "$work/after.toml" "$work/tests/week.toml" || fail "--update with nothing to update changed the file"

# What cannot be stated as an expectation is left as it was, and still fails.
cat > "$work/unstated.toml" <<EOF
[test]
policy = "$src/rules/iso10002.toml"
scenario = "$src/examples/scenarios/retail-week.toml"

[[expect]]
complaint = "C-101"
owner = "team-lead"
after = "escalate"
EOF
cp "$work/unstated.toml" "$work/unstated-before.toml"
"$redress" test "$work/unstated.toml" --update > "$work/out" 2>&1
same "not stated: exit" 1 $?
same "not stated: output" "FAIL $work/unstated.toml:5:1: C-101 owner after escalate
  expected: team-lead
  actual:   (no 'escalate' event)
  (not updated: the actual value is not one an expectation can state)
0 passed, 1 failed" "$(cat "$work/out")"
cmp -s "$work/unstated-before.toml" "$work/unstated.toml" || fail "not stated: the file changed"

# Standard input: run as <stdin>; --update cannot write it back; read once only.
"$redress" test - < "$work/before.toml" > "$work/out" 2>&1
same "stdin: exit" 1 $?
same "stdin: first failure" "FAIL <stdin>:8:1: C-102 final-response due" "$(head -1 "$work/out")"
"$redress" test - < "$work/tests/week.toml" > "$work/out" 2>&1
same "stdin: passing" "0 9 passed, 0 failed" "$? $(cat "$work/out")"
"$redress" test - --update < "$work/before.toml" > "$work/out" 2>&1
same "stdin --update" "2 redress: --update writes the expectations back into their file: it cannot with standard input (\"-\")" \
  "$? $(cat "$work/out")"
"$redress" test - - < "$work/before.toml" > "$work/out" 2>&1
same "stdin twice" "2 redress: standard input (\"-\") is named 2 times; it can be read only once" "$? $(cat "$work/out")"

[ "$failures" = 0 ] && echo "--update wrote exactly the changed values; the second run passed"
[ "$failures" = 0 ]
