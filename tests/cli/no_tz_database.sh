#!/usr/bin/env bash
# A missing time zone database is a clear error, not a crash. Debian's date ignores TZDIR, so
# hide /usr/share/zoneinfo in a private mount namespace. That needs root and a system that allows
# mount namespaces (an unprivileged container or a chroot does not: "unshare: cannot change root
# filesystem propagation"); wherever it is not allowed the test is skipped (exit 77) saying why.
# UNSHARE names the unshare program (tests of this script simulate one that fails).
set -u
binary=$1 src=$2
unshare=${UNSHARE:-unshare}
if [ "$(id -u)" -ne 0 ] || ! command -v "$unshare" >/dev/null; then
  echo "skipped: needs root and unshare"; exit 77
fi
empty=$(mktemp -d)
trap 'rmdir "$empty"' EXIT
# First only the namespace and the bind mount: if they fail, the test cannot run here.
if ! probe=$("$unshare" -m sh -c "mount --bind '$empty' /usr/share/zoneinfo" 2>&1); then
  echo "skipped: mount namespaces are not allowed here (${probe:-no message})"; exit 77
fi
output=$("$unshare" -m sh -c "mount --bind '$empty' /usr/share/zoneinfo && '$binary' due --calendar '$src/tests/data/calendars/office.toml' --from 2026-04-01T10:00:00Z --add '1 day'" 2>&1)
status=$?
expected="redress: $src/tests/data/calendars/office.toml:4:12: cannot read the time zone database in /usr/share/zoneinfo (install the tzdata package): time zone \"Europe/London\" is not available"
if [ "$status" != 2 ] || [ "$output" != "$expected" ]; then
  printf 'expected exit 2 and:\n%s\ngot exit %s and:\n%s\n' "$expected" "$status" "$output"; exit 1
fi
