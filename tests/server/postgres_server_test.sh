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
expect "--migrate on an empty database" "journal $uri: schema version 2 (was 0)" "$redress" server --journal "$uri" --migrate
expect "--migrate again" "journal $uri: schema version 2 (unchanged)" "$redress" server --journal "$uri" --migrate
"$python" "$src/tests/server/server_test.py" "$redress" "$helpdesk" "$src" "$work" "$uri"
