#!/bin/sh
# redress server through its HTTP API (bench/hosts/server_http_bench.py), beside the in-process
# engine in the same run (redress_server_bench's baselines: the same three requests on a bare
# wire::session, the service layer on SQLite without HTTP, 1,000 due actions fired by one advance).
# SQLite with one server; PostgreSQL (a cluster of its own, tests/server/postgres_cluster.sh) with
# 1, 2 and 3 servers sharing one journal, skipped with the reason when PostgreSQL cannot start.
#
#     bench/hosts/server_http_bench.sh BUILD_DIR        (e.g. build/release; bench/run.sh --server)
#
# System clock; takes about 1 minute per configuration (the levels fall due 20 s and 40 s after
# the burst's intake). Env: COMPLAINTS (phase 1, default 1000), FIRE (the burst, default 1000).
set -eu
build=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
redress=$build/src/cli/redress
baseline=$build/bench/redress_server_bench
python=/usr/bin/python3
[ -x "$python" ] || python=python3
policy=$src/bench/hosts/server_http_bench.toml
n=${COMPLAINTS:-1000} fire=${FIRE:-1000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== in-process baseline (redress_server_bench, wall time)"
"$baseline" --benchmark_filter='BM_session_intake_and_two_events_baseline|BM_server_intake_and_two_events_sqlite|BM_session_advance_1000_due_baseline' \
  --benchmark_color=false 2>/dev/null | grep '^BM_'
echo "== through HTTP (system clock; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
"$python" "$src/bench/hosts/server_http_bench.py" "$redress" "sqlite:$work/journal.db" 1 --policy "$policy" \
  --complaints "$n" --fire "$fire" --label "SQLite, 1 server"
rm -f "$work"/journal.db*
"$python" "$src/bench/hosts/server_http_bench.py" "$redress" "sqlite:$work/journal.db" 1 --policy "$policy" \
  --complaints "$n" --fire "$fire" --new-connection --label "SQLite, 1 server, new connections"
(
  . "$src/tests/server/postgres_cluster.sh"
  for nodes in 1 2 3; do
    psql -X -q -c "CREATE DATABASE bench$nodes" >/dev/null
    "$python" "$src/bench/hosts/server_http_bench.py" "$redress" \
      "postgresql://redress@127.0.0.1:$port/bench$nodes" "$nodes" --policy "$policy" \
      --complaints "$n" --fire "$fire" --label "PostgreSQL, $nodes server(s) on one journal"
  done
  psql -X -q -c "CREATE DATABASE bench1new" >/dev/null
  "$python" "$src/bench/hosts/server_http_bench.py" "$redress" "postgresql://redress@127.0.0.1:$port/bench1new" 1 \
    --policy "$policy" --complaints "$n" --fire "$fire" --new-connection --label "PostgreSQL, 1 server, new connections"
) || { rc=$?; [ "$rc" = 77 ] && echo "PostgreSQL skipped (the reason is above)" || exit "$rc"; }
