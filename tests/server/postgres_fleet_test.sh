#!/bin/sh
# Three `redress server` processes on one PostgreSQL journal, one killed with SIGKILL: its
# complaints' deadlines fire on the other two (fleet_test.py), against a PostgreSQL 15 of the
# test's own (postgres_cluster.sh).
#
#     postgres_fleet_test.sh PYTHON REDRESS SOURCE_DIR WORK_DIR
#
# Exit 77 (a skip) when PostgreSQL cannot be started here (postgres_cluster.sh says why).
set -eu
python=$1 redress=$2 src=$3 work=$4
. "$(dirname "$0")/postgres_cluster.sh"
"$python" "$src/tests/server/fleet_test.py" "$redress" "$src" "$work" "$uri"
