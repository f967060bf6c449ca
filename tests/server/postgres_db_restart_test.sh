#!/bin/sh
# PostgreSQL restarted under the load of two `redress server` processes (db_restart_test.py),
# against a PostgreSQL 15 of the test's own (postgres_cluster.sh), restarted with
# `pg_ctl restart -m fast` on the same port.
#
#     postgres_db_restart_test.sh PYTHON REDRESS SOURCE_DIR WORK_DIR
#
# Exit 77 (a skip) when PostgreSQL cannot be started here (postgres_cluster.sh says why).
set -eu
python=$1 redress=$2 src=$3 work=$4
. "$(dirname "$0")/postgres_cluster.sh"
restart="$as $bindir/pg_ctl -D $d/data -o '-p $port -k $d -c listen_addresses=127.0.0.1' -l $d/log -m fast -w restart"
"$python" "$src/tests/server/db_restart_test.py" "$redress" "$src" "$work" "$uri" "$restart"
