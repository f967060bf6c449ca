#!/bin/sh
# Runs a Python test of the server against a PostgreSQL 15 of the test's own
# (postgres_cluster.sh), passing the cluster's connection URI as the script's last argument.
#
#     postgres_run.sh PYTHON SCRIPT ARG...    runs: PYTHON SCRIPT ARG... postgresql://...
#
# Exit 77 (a skip) when PostgreSQL cannot be started here (postgres_cluster.sh says why).
set -eu
python=$1 script=$2
shift 2
. "$(dirname "$0")/postgres_cluster.sh"
"$python" "$script" "$@" "$uri"
