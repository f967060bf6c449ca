#!/usr/bin/env bash
# `redress test BAD GOOD --junit FILE`: the JUnit report is written although one file does not
# load; the good file's testcases are in it and the bad file is one errored testcase whose
# message is its located error.
#   test_junit.sh REDRESS_BINARY SOURCE_DIR
set -u
redress=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bad=$src/tests/data/bad-tests/unknown-complaint.toml
good=$src/rules/tests/fca-disp.toml
"$redress" test "$bad" "$good" --junit "$work/j.xml" > /dev/null 2>&1
status=$?
failures=0
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
[ "$status" = 2 ] || fail "exit status $status, expected 2"
[ -s "$work/j.xml" ] || { fail "no JUnit report written"; exit 1; }
xml=$(cat "$work/j.xml")
want() { case "$xml" in *"$1"*) ;; *) fail "report lacks: $1" ;; esac; }
want '<testsuites name="redress policy tests" tests="10" failures="0" errors="1">'
want "<error message=\"$bad:7:13: complaint C-99 is not in the scenario\">"
want "file=\"$bad\" tests=\"1\" failures=\"0\" errors=\"1\""
want "file=\"$good\" tests=\"9\" failures=\"0\" errors=\"0\""
[ "$(grep -c '<testcase ' "$work/j.xml")" = 10 ] || fail "expected 10 testcases: $(grep -c '<testcase ' "$work/j.xml")"
# Well-formed: checked with python3 (standard library only), else xmllint; said when neither is there.
if command -v python3 >/dev/null; then
  python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$work/j.xml" || fail "not well-formed XML"
elif command -v xmllint >/dev/null; then
  xmllint --noout "$work/j.xml" || fail "not well-formed XML"
else
  echo "skipped the well-formedness check: neither python3 nor xmllint is installed"
fi
[ "$failures" = 0 ] && echo "the JUnit report has the good file's testcases and the bad file as an error"
[ "$failures" = 0 ]
