#!/usr/bin/env bash
# `redress test DIR` walks DIR for *.toml: a symbolic link that loops is refused with a clear
# message and exit 2 (it was an uncaught std::filesystem::error: abort, exit 134); a link back up
# the tree is not followed (no endless walk); the real tests in the tree still run.
#   test_directory_walk.sh REDRESS_BINARY SOURCE_DIR
set -u
redress=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
check() {  # check NAME EXPECTED_EXIT EXPECTED_STDERR EXPECTED_STDOUT ARGS...
  local name=$1 want_exit=$2 want_err=$3 want_out=$4; shift 4
  "$redress" "$@" > "$work/out" 2> "$work/err"
  local status=$?
  if [ "$status" != "$want_exit" ] || [ "$(cat "$work/err")" != "$want_err" ] || [ "$(cat "$work/out")" != "$want_out" ]; then
    echo "FAIL: $name: exit $status"; echo "  stderr: $(cat "$work/err")"; echo "  stdout: $(cat "$work/out")"
    failures=$((failures + 1))
  fi
}

mkdir -p "$work/tree/sub"
sed -e "s|\"\\.\\./\\.\\./|\"$src/|" -e "s|\"\\.\\./|\"$src/rules/|" "$src/rules/tests/iso10002.toml" > "$work/tree/iso10002.toml"
ln -s .. "$work/tree/sub/up"                      # a loop through a directory link: not followed
# The 13 tests of iso10002.toml, once: followed, the link would run them again under sub/up/.
check "a link back up the tree" 0 "" "13 passed, 0 failed" test "$work/tree"

ln -s loop.toml "$work/tree/sub/loop.toml"        # a link to itself
check "a link that loops" 2 "redress: \"$work/tree/sub/loop.toml\" is a symbolic link that loops (Too many levels of symbolic links)" "" test "$work/tree"
check "a link that loops, named" 2 "redress: \"$work/tree/sub/loop.toml\" is a symbolic link that loops (Too many levels of symbolic links)" "" test "$work/tree/sub/loop.toml"
rm "$work/tree/sub/loop.toml"

mkdir -p "$work/loopdir"
ln -s loopdir2 "$work/loopdir/a" && ln -s a "$work/loopdir/loopdir2"   # a loop as the directory named
check "a directory link that loops" 2 "redress: \"$work/loopdir/a\" is a symbolic link that loops (Too many levels of symbolic links)" "" test "$work/loopdir/a"

[ "$failures" = 0 ] && echo "symbolic link loops are refused clearly"
exit $((failures > 0))
