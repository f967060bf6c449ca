#!/bin/sh
# Two `redress server` processes on one PostgreSQL journal (two_nodes_test.py), against a
# PostgreSQL 15 of the test's own (postgres_cluster.sh), with lock_timeout set to 1 s in the URI.
#
#     postgres_two_nodes_test.sh PYTHON REDRESS HELPDESK SOURCE_DIR WORK_DIR
#
# Exit 77 (a skip) when PostgreSQL cannot be started here (postgres_cluster.sh says why).
set -eu
python=$1 redress=$2 helpdesk=$3 src=$4 work=$5
. "$(dirname "$0")/postgres_cluster.sh"
"$python" "$src/tests/server/two_nodes_test.py" "$redress" "$helpdesk" "$src" "$work" \
  "$uri?options=-c%20lock_timeout%3D1000"
