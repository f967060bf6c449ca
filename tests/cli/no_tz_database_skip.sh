#!/usr/bin/env bash
# no_tz_database.sh must skip (exit 77, saying why), not fail, where mount namespaces are not
# allowed: simulated by an unshare that fails as it does in an unprivileged container.
#   no_tz_database_skip.sh REDRESS_BINARY SOURCE_DIR
set -u
binary=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '#!/bin/sh\necho "unshare: cannot change root filesystem propagation: Permission denied" >&2\nexit 1\n' > "$work/unshare"
chmod +x "$work/unshare"
output=$(UNSHARE="$work/unshare" bash "$src/tests/cli/no_tz_database.sh" "$binary" "$src")
status=$?
if [ "$(id -u)" -ne 0 ]; then
  expected="skipped: needs root and unshare"
else
  expected="skipped: mount namespaces are not allowed here (unshare: cannot change root filesystem propagation: Permission denied)"
fi
if [ "$status" != 77 ] || [ "$output" != "$expected" ]; then
  printf 'expected exit 77 and:\n%s\ngot exit %s and:\n%s\n' "$expected" "$status" "$output"; exit 1
fi
