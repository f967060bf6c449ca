#!/usr/bin/env bash
# A missing time zone database is a clear error, not a crash. Debian's date ignores TZDIR, so
# hide /usr/share/zoneinfo in a private mount namespace (needs root; skipped otherwise).
set -u
binary=$1 src=$2
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null; then
  echo "skipped: needs root and unshare"; exit 77
fi
empty=$(mktemp -d)
trap 'rmdir "$empty"' EXIT
output=$(unshare -m sh -c "mount --bind '$empty' /usr/share/zoneinfo && '$binary' due --calendar '$src/tests/data/calendars/office.toml' --from 2026-04-01T10:00:00Z --add '1 day'" 2>&1)
status=$?
if [ "$status" = 1 ] && [ -z "$output" ]; then echo "skipped: mount namespaces not permitted"; exit 77; fi
expected="redress: $src/tests/data/calendars/office.toml:4:12: cannot read the time zone database in /usr/share/zoneinfo (install the tzdata package): time zone \"Europe/London\" is not available"
if [ "$status" != 2 ] || [ "$output" != "$expected" ]; then
  printf 'expected exit 2 and:\n%s\ngot exit %s and:\n%s\n' "$expected" "$status" "$output"; exit 1
fi
