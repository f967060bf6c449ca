#!/usr/bin/env bash
# The whole benchmark suite, from a Release build, as one table: each figure beside its baseline
# from the same run. Medians of 5 repetitions (the 1,000,000-complaint cases run once each).
#   bench/run.sh            (also: bench/peers/run.sh for the npm peer, bench/compile_time.sh)
#   bench/run.sh --server   redress server through its HTTP API (bench/hosts/server_http_bench.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup
# redress server through HTTP beside the in-process engine (bench/hosts/server_http_bench.sh, about
# 7 minutes of wall time on the system clock; PostgreSQL skipped with the reason when it cannot start).
if [ "${1:-}" = "--server" ]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target redress_cli redress_server_bench >/dev/null
  exec sh bench/hosts/server_http_bench.sh build/release
fi
[ "${1:-}" = "--table-only" ] || cmake --preset release >/dev/null
[ "${1:-}" = "--table-only" ] || cmake --build --preset release >/dev/null
bench=build/release/bench/redress_bench
out=build/release/bench-results.txt
if [ "${1:-}" != "--table-only" ]; then
# Console output (the CSV reporter refuses benchmarks with different counters): NAME TIME UNIT ...
"$bench" --benchmark_filter='BM_(deadline|baseline_bare|baseline_naive|elapsed|lifecycle|baseline_lifecycle|engine_apply|engine_advance_idle|policy|baseline_toml|replay)' \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true --benchmark_color=false 2>/dev/null \
  | grep -E '_median ' | sed 's/_median / /' > "$out"
"$bench" --benchmark_filter='engine_memory|engine_advance_1|engine_advance_10|baseline_full_scan' \
  --benchmark_color=false 2>/dev/null | grep '^BM_' | sed 's|/iterations:1||' >> "$out"
# One event from other languages: the C ABI, and the Python package when it is built.
build/release/bench/redress_capi_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_color=false 2>/dev/null | grep -E '_median ' | sed 's/_median / /' >> "$out"
python=$(sed -n 's/^Python3_EXECUTABLE:[A-Z]*=//p' build/release/CMakeCache.txt 2>/dev/null || true)
if [ -n "$python" ] && ls build/release/python/redress/_native*.so >/dev/null 2>&1; then
  # "NAME: 4.42 us CPU per event (...)" -> "NAME x 4420 ns": the fields value() reads.
  PYTHONPATH=build/release/python "$python" bench/hosts/python_bench.py \
    | awk -F'[: ]+' '{ printf "%s x x %.0f ns\n", $1, $2 * 1000 }' >> "$out"
fi
fi

# name -> nanoseconds of CPU time (steadier than wall time on a shared machine); a counter.
value() { awk -v n="$1" '$1 == n { t = $4; u = $5; if (u == "us") t *= 1e3; else if (u == "ms") t *= 1e6; print t }' "$out"; }
counter() { grep "^$1 " "$out" | head -1 | tr ' ' '\n' | sed -n "s/^$2=//p"; }
row() { awk -v a="$2" -v b="$4" -v l="$1" -v bl="$3" -v u="${5:-ns}" 'BEGIN {
  if (u == "") u = "ns";
  if (bl == "-") { printf "| %s | %.1f %s | - | - | - |\n", l, a, u; exit }
  printf "| %s | %.1f %s | %s | %.1f %s | %.1fx |\n", l, a, u, bl, b, u, (a > 0 ? b / a : 0) }'; }

echo "| figure | redress | baseline | baseline figure | baseline ÷ redress |"
echo "|---|---:|---|---:|---:|"
tz=$(value BM_baseline_bare_tz_round_trip)
row "deadline: 40 business hours" "$(value BM_deadline_40_business_hours)" "naive stepping" "$(value BM_baseline_naive_stepping_40_business_hours)"
row "deadline: 40 business hours" "$(value BM_deadline_40_business_hours)" "one bare tz round trip" "$tz"
row "deadline: 15 business days" "$(value BM_deadline_15_business_days)" "naive stepping" "$(value BM_baseline_naive_stepping_15_business_days)"
row "deadline: 1 month" "$(value BM_deadline_1_month)" "one bare tz round trip" "$tz"
row "deadline: 10 years of business hours" "$(value BM_deadline_10_years_of_business_hours)" "deadline: 1 business day" "$(value BM_deadline_1_business_day)"
row "elapsed working time, a month apart" "$(value BM_elapsed_one_month_apart)" "one bare tz round trip" "$tz"
row "lifecycle: one event (rehydrate, dispatch)" "$(value BM_lifecycle_step_msm)" "plain switch" "$(value BM_baseline_lifecycle_switch)"
apply=$(awk -v t="$(value BM_engine_apply_event)" 'BEGIN { print t / 5 }')
row "engine: one event with clock recomputation" "$apply" "lifecycle step alone" "$(value BM_lifecycle_step_msm)"
row "engine: idle advance, 1,000,000 open" "$(value BM_engine_advance_idle)" "-" "0"
row "advance, 1,000,000 open, 1% due" "$(awk -v t="$(value BM_engine_advance_1pct_due)" 'BEGIN { print t / 1e6 }')" "full scan, 1% due" "$(awk -v t="$(value BM_baseline_full_scan_1pct_due)" 'BEGIN { print t / 1e6 }')" ms
row "advance, 1,000,000 open, 10% due" "$(awk -v t="$(value BM_engine_advance_10pct_due)" 'BEGIN { print t / 1e6 }')" "full scan, 1% due" "$(awk -v t="$(value BM_baseline_full_scan_1pct_due)" 'BEGIN { print t / 1e6 }')" ms
row "policy load, 1,000 targets" "$(awk -v t="$(value BM_policy_load_1000_targets)" 'BEGIN { print t / 1e6 }')" "toml++ parse of the same text" "$(awk -v t="$(value BM_baseline_toml_parse_1000_targets)" 'BEGIN { print t / 1e6 }')" ms
echo
# One event from other languages, beside the C++ API's figure of the same walk (bench/README.md).
per_event=$(awk -v t="$(value BM_engine_apply_event)" 'BEGIN { print t / 5 }')
host() { awk -v l="$1" -v a="$2" -v c="$per_event" 'BEGIN { printf "| %s | %.1f ns | %.1fx |\n", l, a, (c > 0 ? a / c : 0) }'; }
echo "| one event | CPU time | ÷ C++ API |"
echo "|---|---:|---:|"
host "C++ API (BM_engine_apply_event ÷ 5)" "$per_event"
host "C ABI, JSON in and out (BM_capi_apply_event ÷ 5)" "$(awk -v t="$(value BM_capi_apply_event)" 'BEGIN { print t / 5 }')"
if grep -q '^python_apply_event ' "$out"; then
  host "Python, Engine.apply (python_bench.py)" "$(value python_apply_event)"
  host "Python, the same through JSON text (baseline)" "$(value python_apply_event_via_json)"
else
  echo "| Python | not built (pybind11-dev, python3-dev) | - |"
fi
echo
echo "replay: $(counter BM_replay_events items_per_second) events per second"
echo "memory: $(counter BM_engine_memory_per_open_complaint bytes_per_complaint) bytes of heap per open complaint (1,000,000 opened under rules/iso10002.toml)"
echo "history: $(counter BM_engine_memory_history_two_events history_bytes_per_complaint) bytes of heap the first two events (acknowledge, register) add to a complaint, counted apart"
echo "lifecycle state stored per complaint: $(counter BM_lifecycle_step_msm stored_bytes) bytes"
echo
echo "Times are CPU time, medians of 5 repetitions (1,000,000-complaint cases: one run each)."
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(g++ --version | head -1)"
