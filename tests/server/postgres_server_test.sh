#!/bin/sh
# The retail week through `redress server` on a PostgreSQL journal (issue 20): starts a real
# PostgreSQL 15 of its own (initdb in a temporary directory, trust authentication, 127.0.0.1 on a
# free port, its socket in that directory), runs server_test.py against
# postgresql://redress@127.0.0.1:PORT/postgres, and stops and removes the cluster at exit.
#
#     postgres_server_test.sh PYTHON REDRESS HELPDESK SOURCE_DIR WORK_DIR
#
# Exit 77 (a skip) when PostgreSQL is not installed, or when running as root with no `postgres`
# user to run it as (PostgreSQL refuses to run as root).
set -eu
python=$1 redress=$2 helpdesk=$3 src=$4 work=$5
bindir=${REDRESS_PG_BINDIR:-/usr/lib/postgresql/15/bin}
for tool in initdb pg_ctl; do
  if [ ! -x "$bindir/$tool" ]; then
    echo "SKIP: PostgreSQL 15 is not installed ($bindir/$tool missing): apt-get install postgresql-15"
    exit 77
  fi
done
if ! command -v psql >/dev/null 2>&1; then
  echo "SKIP: psql not found: apt-get install postgresql-client-15"
  exit 77
fi
as=""
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "SKIP: running as root and there is no postgres user to run PostgreSQL as (it refuses root)"
    exit 77
  fi
  if ! runuser -u postgres -- true 2>/dev/null; then
    echo "SKIP: running as root and runuser cannot switch to the postgres user (an unprivileged container?)"
    exit 77
  fi
  as="runuser -u postgres --"
fi

d=$(mktemp -d)
stop() {
  $as "$bindir/pg_ctl" -D "$d/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$d"
}
trap stop EXIT
trap 'exit 1' INT TERM HUP
[ -z "$as" ] || chown postgres "$d"
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# A PostgreSQL that cannot be started here (an unprivileged container without shared memory, a
# read-only /tmp, ...) is a skip that says why, not a failure: what is tested is the server.
if ! $as "$bindir/initdb" -D "$d/data" -A trust -U redress >"$d/initdb.log" 2>&1; then
  echo "SKIP: initdb cannot create a PostgreSQL cluster here; its last words:"
  tail -n 5 "$d/initdb.log"
  exit 77
fi
if ! $as "$bindir/pg_ctl" -D "$d/data" -o "-p $port -k $d -c listen_addresses=127.0.0.1" -l "$d/log" -w start >/dev/null; then
  echo "SKIP: PostgreSQL cannot start here; its log ends:"
  tail -n 5 "$d/log"
  exit 77
fi
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (cluster $d/data)"
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=redress PGDATABASE=postgres
uri="postgresql://redress@127.0.0.1:$port/postgres"
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
expect "--migrate on an empty database" "journal $uri: schema version 1 (was 0)" "$redress" server --journal "$uri" --migrate
expect "--migrate again" "journal $uri: schema version 1 (unchanged)" "$redress" server --journal "$uri" --migrate
"$python" "$src/tests/server/server_test.py" "$redress" "$helpdesk" "$src" "$work" "$uri"
