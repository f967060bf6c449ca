#!/usr/bin/env bash
# Kills the helpdesk with SIGKILL at random points during ingestion (100 times, each run resuming
# the journal) on an interleaved feed with late events, then lets it finish, and checks that every acknowledged complaint and event is in
# the journal and that the rebuilt state equals an uninterrupted run.
#   crash_test.sh HELPDESK_BINARY SOURCE_DIR WORK_DIR [KILLS]
set -u
helpdesk=$1 src=$2 work=$3 kills=${4:-100}
rm -rf "$work" && mkdir -p "$work"
policy="$src/rules/iso10002.toml"
until_time="2026-06-30T00:00:00+01:00"

# 300 complaints over five working weeks, their lines interleaved, about one event in four
# arriving up to 59 minutes late (make_feed.sh): the helpdesk applies them in event-time order
# within its reorder window, so a restart must rebuild the same order.
bash "$src/tests/helpdesk/make_feed.sh" "$work/input.jsonl" late
lines=$(wc -l < "$work/input.jsonl")

# The reference: one uninterrupted run.
"$helpdesk" --policy "$policy" --journal "$work/reference.db" --until "$until_time" --quiet \
  --dump "$work/reference.state" "$work/input.jsonl" > "$work/reference.out" || { echo "reference run failed"; exit 1; }

# The same input, killed again and again: count only the kills that land while it is still
# ingesting (the run printed neither "ingested" nor exited), and keep going until there are enough.
: > "$work/acks"
during=0 runs=0
while ((during < kills && runs < 4 * kills)); do
  runs=$((runs + 1))
  "$helpdesk" --policy "$policy" --journal "$work/crashed.db" --until "$until_time" --quiet --pace-us 2000 \
    "$work/input.jsonl" > "$work/run.out" 2>&1 &
  pid=$!
  sleep "0.$(printf '%03d' $((15 + RANDOM % 50)))"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  grep '^ack ' "$work/run.out" | cut -c5- >> "$work/acks"
  grep -q '^ingested' "$work/run.out" || during=$((during + 1))
done
((during >= kills)) || { echo "only $during of $runs kills landed during ingestion"; exit 1; }
# And once more to the end.
"$helpdesk" --policy "$policy" --journal "$work/crashed.db" --until "$until_time" --quiet \
  --dump "$work/crashed.state" "$work/input.jsonl" > "$work/run.out" 2>&1 || { echo "final run failed"; cat "$work/run.out"; exit 1; }
grep '^ack ' "$work/run.out" | cut -c5- >> "$work/acks"

"$helpdesk" --policy "$policy" --journal "$work/crashed.db" --keys | sort > "$work/journal.keys"
sort -u "$work/acks" > "$work/acks.sorted"
lost=$(comm -23 "$work/acks.sorted" "$work/journal.keys" | wc -l)
acked=$(wc -l < "$work/acks.sorted")
echo "$during kills during ingestion ($runs runs) over $lines input lines: $acked acknowledged, $lost lost"
[ "$lost" = 0 ] || { echo "acknowledged but not in the journal:"; comm -23 "$work/acks.sorted" "$work/journal.keys" | head; exit 1; }
"$helpdesk" --policy "$policy" --journal "$work/reference.db" --keys | sort > "$work/reference.keys"
cmp -s "$work/reference.keys" "$work/journal.keys" || { echo "the journals hold different entries"; diff "$work/reference.keys" "$work/journal.keys" | head; exit 1; }
cmp -s "$work/reference.state" "$work/crashed.state" || { echo "the rebuilt state differs from an uninterrupted run"; diff "$work/reference.state" "$work/crashed.state" | head -20; exit 1; }
rejected=$(grep -c '^rejected ' "$work/reference.out")
[ "$rejected" = 0 ] || { echo "the uninterrupted run rejected $rejected late events"; exit 1; }
echo "the rebuilt state equals the uninterrupted run ($(wc -l < "$work/reference.state") lines of state)"
