# Sourced (`. postgres_cluster.sh`) by the PostgreSQL server tests: starts a real PostgreSQL 15 of
# the test's own (initdb in a temporary directory, trust authentication, 127.0.0.1 on a free port,
# its socket in that directory) and stops and removes it when the test's shell exits.
#
# Needs: $python (to find a free port). Sets: $d (the temporary directory), $bindir, $as (the
# prefix that runs a PostgreSQL tool as the postgres user when root, else empty), $port, $uri
# (postgresql://redress@127.0.0.1:$port/postgres), and exports PGHOST PGPORT PGUSER PGDATABASE
# for psql.
#
# Exit 77 (a skip) with the reason when PostgreSQL is not installed, when running as root with
# no `postgres` user to run it as (PostgreSQL refuses to run as root), or when it cannot be
# created or started here.
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
