#!/usr/bin/env bash
# redress against moment-business-time (npm), on identical inputs: the same start instants and
# working-time durations on the England & Wales calendar. Installs the peer into a scratch folder
# (never committed), checks that the answers agree (explaining any disagreement), and prints the
# throughput ratios: in-process deadline arithmetic, and whole-process cost per line of
# `redress due --batch` over 1,000,000 lines.
#   bench/peers/run.sh [LINES_TO_COMPARE]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
lines=${1:-100000}
work=build/peers
mkdir -p "$work"
if [ ! -d "$work/node_modules/moment-business-time" ]; then
  echo "installing moment-business-time and moment into $work (npm)"
  npm install --silent --no-audit --no-fund --prefix "$work" moment-business-time@2.0.0 moment >/dev/null
fi
if [ ! -x build/release/src/cli/redress ] || [ ! -x build/release/bench/redress_bench ]; then
  cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
fi
redress=build/release/src/cli/redress
calendar=rules/calendars/england-wales.toml
grep -q '^mon = \["09:00-17:00"\]' "$calendar" && grep -q '^fri = \["09:00-17:00"\]' "$calendar" ||
  { echo "$calendar no longer has Mon-Fri 09:00-17:00: update the peer's hours"; exit 1; }
# The same calendar for the peer: Mon-Fri 09:00-17:00 and the file's holidays.
holidays=$(grep -o '"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]"' <(sed -n '/^holidays = \[/,/^\]/p' "$calendar") | paste -sd,)
day='["09:00:00","17:00:00"]'
echo "{\"hours\":{\"1\":$day,\"2\":$day,\"3\":$day,\"4\":$day,\"5\":$day},\"holidays\":[$holidays]}" > "$work/england-wales.json"
peer() {  # peer ZONE INPUT CALENDAR_JSON OUTPUT STATS
  TZ="$1" NODE_PATH="$work/node_modules" node bench/peers/moment-business-time.js "$2" "$3" > "$4" 2> "$5"
}

# Inputs: starts anywhere in 2026 (minute resolution; inside and outside working time, across
# both clock changes), durations of working time.
make_input() {
  awk -v n="$1" -v seed="$2" 'BEGIN {
    srand(seed); start = 1767225600; span = 365 * 86400;   # 2026-01-01T00:00:00Z
    split("40 business hours|8 business hours|90 business minutes|3 business hours", d, "|");
    for (i = 0; i < n; i++) {
      t = start + int(rand() * span / 60) * 60;
      printf "%s\t%s\n", strftime("%Y-%m-%dT%H:%M:%SZ", t, 1), d[1 + int(rand() * 4)];
    }
  }'
}
make_input "$lines" 7 > "$work/input.tsv"

echo "== agreement on $lines deadlines"
"$redress" due --calendar "$calendar" --batch "$work/input.tsv" > "$work/redress.out"
peer Europe/London "$work/input.tsv" "$work/england-wales.json" "$work/peer.out" "$work/peer-mixed.stats"
disagree=$(paste "$work/input.tsv" "$work/redress.out" "$work/peer.out" | awk -F'\t' '$3 != $4' | tee "$work/disagreements.tsv" | wc -l)
echo "England & Wales, Mon-Fri 09:00-17:00, 2026: $((lines - disagree)) agree, $disagree disagree"
[ "$disagree" = 0 ] || { echo "  first ones (start, duration, redress, peer):"; head -5 "$work/disagreements.tsv" | sed "s/^/    /" || true; }

# DST where it matters: a calendar that works through the fall-back hour (Amsterdam, every day
# 00:00-10:00), starts on the clock-change days of 2022-2026.
awk 'BEGIN { srand(3);
  split("2022-03-27 2022-10-30 2023-03-26 2023-10-29 2024-03-31 2024-10-27 2025-03-30 2025-10-26 2026-03-29 2026-10-25", days, " ");
  for (i = 0; i < 2000; i++) {
    d = days[1 + int(rand() * 10)]; h = int(rand() * 9); m = int(rand() * 4) * 15;
    printf "%sT%02d:%02d:00\t%d business hours\n", d, (h == 2 ? 4 : h), m, 1 + int(rand() * 6);
  }}' > "$work/dst.tsv"
"$redress" due --calendar tests/data/calendars/amsterdam-mornings.toml --batch "$work/dst.tsv" > "$work/dst-redress.out"
all='["00:00:00","10:00:00"]'
echo "{\"hours\":{\"0\":$all,\"1\":$all,\"2\":$all,\"3\":$all,\"4\":$all,\"5\":$all,\"6\":$all}}" > "$work/amsterdam.json"
# The peer reads times without an offset in its TZ; give it the same instants with offsets.
"$redress" due --calendar tests/data/calendars/amsterdam-mornings.toml --batch <(cut -f1 "$work/dst.tsv" | sed 's/$/\t0 business hours/') > "$work/dst-starts.out"
paste "$work/dst-starts.out" <(cut -f2 "$work/dst.tsv") > "$work/dst-peer.tsv"
peer Europe/Amsterdam "$work/dst-peer.tsv" "$work/amsterdam.json" "$work/dst-peer.out" "$work/dst.stats"
dst_disagree=$(paste "$work/dst-peer.tsv" "$work/dst-redress.out" "$work/dst-peer.out" | awk -F'\t' '$3 != $4' | tee "$work/dst-disagreements.tsv" | wc -l)
fallback=$(awk -F'\t' '$1 ~ /-10-/' "$work/dst-disagreements.tsv" | wc -l)
echo "Amsterdam 00:00-10:00 daily, starts on clock-change days: $((2000 - dst_disagree)) agree, $dst_disagree disagree ($fallback of them on fall-back days)"
if [ "$dst_disagree" -gt 0 ]; then
  echo "  the peer adds wall-clock time, so across the repeated hour it counts one hour too few (its issue #58);"
  echo "  the time contract counts working time in elapsed seconds. First ones (start, duration, redress, peer):"
  paste "$work/dst-peer.tsv" "$work/dst-redress.out" "$work/dst-peer.out" | awk -F'\t' '$3 != $4' | head -3 | sed 's/^/    /' || true
fi

echo
echo "== throughput: deadline arithmetic in process (40 business hours)"
make_input 20000 5 | sed 's/\t.*/\t40 business hours/' > "$work/forty.tsv"
peer Europe/London "$work/forty.tsv" "$work/england-wales.json" /dev/null "$work/peer.stats"
peer_ns=$(sed 's/.*"ns_per_op":\([0-9.]*\).*/\1/' "$work/peer.stats")
bench=$(build/release/bench/redress_bench --benchmark_filter='BM_deadline_40_business_hours$|BM_baseline_bare_tz_round_trip$' \
        --benchmark_repetitions=5 --benchmark_report_aggregates_only=true --benchmark_format=csv 2>/dev/null | grep _median)
ours_ns=$(echo "$bench" | grep deadline_40 | cut -d, -f3)
tz_ns=$(echo "$bench" | grep tz_round_trip | cut -d, -f3)
awk -v p="$peer_ns" -v o="$ours_ns" -v z="$tz_ns" -v v="$(node --version)" 'BEGIN {
  printf "  redress deadline:        %10.1f ns per operation (median of 5)\n", o;
  printf "  bare tz round trip:      %10.1f ns (baseline)\n", z;
  printf "  moment-business-time:    %10.1f ns per operation (20,000 starts, %s)\n", p, "node " v;
  printf "  ratio peer / redress:    %10.0fx\n", p / o }'

echo
echo "== whole process: redress due --batch over 1,000,000 lines"
make_input 1000000 11 > "$work/million.tsv"
start=$(date +%s%N)
"$redress" due --calendar "$calendar" --batch "$work/million.tsv" > /dev/null
end=$(date +%s%N)
mixed_ns=$(sed 's/.*"ns_per_op":\([0-9.]*\).*/\1/' "$work/peer-mixed.stats")
awk -v ns=$((end - start)) -v p="$mixed_ns" 'BEGIN {
  printf "  redress due --batch:     %10.1f ns per line, %.2f s in all\n", ns / 1e6, ns / 1e9;
  printf "  peer compute per line:   %10.1f ns (the mixed durations; compute only, no I/O)\n", p;
  printf "  ratio:                   %10.0fx\n", p / (ns / 1e6) }'
