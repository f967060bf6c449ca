#!/bin/sh
# The retail week through `redress server` on a PostgreSQL journal (issue 20): starts a real
# PostgreSQL 15 of its own (postgres_cluster.sh), runs server_test.py against
# postgresql://redress@127.0.0.1:PORT/postgres, and stops and removes the cluster at exit.
#
#     postgres_server_test.sh PYTHON REDRESS HELPDESK SOURCE_DIR WORK_DIR
#
# Exit 77 (a skip) when PostgreSQL cannot be started here (postgres_cluster.sh says why).
set -eu
python=$1 redress=$2 helpdesk=$3 src=$4 work=$5
. "$(dirname "$0")/postgres_cluster.sh"
expect() {  # expect WHAT EXPECTED COMMAND...: COMMAND's output (stdout and stderr) is EXPECTED
  what=$1 want=$2
  shift 2
  got=$("$@" 2>&1) || true
  if [ "$got" != "$want" ]; then
    printf 'FAIL: %s:\n  got:      %s\n  expected: %s\n' "$what" "$got" "$want"
    exit 1
  fi
}
# A database holding another program's table is refused and left as it was.
psql -X -q -c "CREATE DATABASE other" && psql -X -q -d other -c "CREATE TABLE t(x int)"
other="postgresql://redress@127.0.0.1:$port/other"
expect "--migrate on a database with another program's table" \
  "redress: the PostgreSQL schema holds tables but no redress server schema version (another program's database?): refusing to change it; give the server an empty database" \
  "$redress" server --journal "$other" --migrate
expect "the other database's tables" "t" psql -X -At -d other -c "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = 'public'"
expect "--migrate on an empty database" "journal $uri: schema version 4 (was 0)" "$redress" server --journal "$uri" --migrate
expect "--migrate again" "journal $uri: schema version 4 (unchanged)" "$redress" server --journal "$uri" --migrate
"$python" "$src/tests/server/server_test.py" "$redress" "$helpdesk" "$src" "$work" "$uri"
# Version 1 to 4: the journal server_test.py left (its clock at 2026-04-23T23:00:00Z), put back in
# version 1's shape (version 2 adds only the two columns and their index, version 3 the files of
# each policy, version 4 each complaint's partition, the deliveries' claims and their indexes), then
# migrated: every complaint fired up to that clock and due at once; a server on
# it drains each (nothing new is due: the outbox is unchanged) and writes its true next wakeup,
# none at or before that instant.
psql -X -q -c "DROP INDEX complaints_due" -c "ALTER TABLE complaints DROP COLUMN next_wakeup, DROP COLUMN fired_until" \
  -c "ALTER TABLE policies DROP COLUMN files" -c "DROP INDEX actions_unacknowledged, actions_by_complaint" \
  -c "ALTER TABLE actions DROP COLUMN claimed_by, DROP COLUMN claimed_until" \
  -c "ALTER TABLE complaints DROP COLUMN partition" -c "UPDATE meta SET value = '1' WHERE key = 'schema_version'"
expect "--migrate a version 1 journal" "journal $uri: schema version 4 (was 1)" "$redress" server --journal "$uri" --migrate
expect "the version 1 complaints' partitions after migrating (FNV-1a of C-101 is 7 modulo 16)" "7" psql -X -At -c \
  "SELECT partition FROM complaints WHERE id = 'C-101'"
expect "the version 1 complaints after migrating" "t" psql -X -At -c \
  "SELECT count(*) > 0 AND bool_and(fired_until = '2026-04-23T23:00:00Z' AND next_wakeup = '2026-04-23T23:00:00Z') FROM complaints"
"$python" - "$src" "$redress" "$uri" <<'PY'
import sys
sys.path.insert(0, sys.argv[1] + "/tests/server")
from serverlib import Server, psql
actions = psql("SELECT count(*) FROM actions")
srv = Server(sys.argv[2], sys.argv[1] + "/rules/iso10002.toml", sys.argv[3])
status, r = srv.call("POST", "/admin/clock", {"now": "2026-04-23T23:00:00Z"})
assert status == 200 and r["actions"] == [], f"the clock after migrating: {status} {r}"
assert psql("SELECT count(*) FROM actions") == actions, "the drain after migrating emitted actions again"
left = psql("SELECT count(*) FROM complaints WHERE next_wakeup <= '2026-04-23T23:00:00Z' OR fired_until IS NULL")
assert left == [("0",)], f"complaints still due after the drain: {left}"
assert srv.stop() == 0
print("version 1 journal migrated to 4 and drained: the outbox unchanged,", actions[0][0], "actions")
PY
# The same version with a calendar file edited since the journal recorded it: one server of a
# fleet does not reload it alone (the others count with the old file); it refuses to start.
rm -rf "$work/rules-edited" && cp -r "$src/rules" "$work/rules-edited"
echo "# edited" >> "$work/rules-edited/calendars/england-wales.toml"
expect "a fleet server whose calendar file changed" \
  "redress: policy \"$work/rules-edited/iso10002.toml\" (version 2026.1) reads files that changed since the journal recorded them (calendars/england-wales.toml changed): the other servers of a shared journal still count with the old ones, so a server does not reload it alone; give the changed policy a new version, or restart every server with the old files; refusing to start" \
  "$redress" server --policy "$work/rules-edited/iso10002.toml" --journal "$uri" --listen 127.0.0.1:0 --clock=manual
