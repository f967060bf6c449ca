#!/usr/bin/env bash
# Kills the helpdesk with SIGKILL at random points during ingestion (100 times, each run resuming
# the journal), then lets it finish, and checks that every acknowledged complaint and event is in
# the journal and that the rebuilt state equals an uninterrupted run.
#   crash_test.sh HELPDESK_BINARY SOURCE_DIR WORK_DIR [KILLS]
set -u
helpdesk=$1 src=$2 work=$3 kills=${4:-100}
rm -rf "$work" && mkdir -p "$work"
policy="$src/rules/iso10002.toml"
until_time="2026-06-30T00:00:00+01:00"

# 300 complaints over five working weeks, 7 lines each, in time order (UTC stamps sort as text).
awk 'BEGIN {
  srand(20261124); base = 1774256400;   # 2026-03-23T09:00:00Z
  split("staff organisation product-quality claim suggestion", kinds, " ");
  split("phone chat email web in-person", channels, " ");
  n = split("acknowledge register start_investigation request_information customer_replied send_response", events, " ");
  for (i = 1; i <= 300; i++) {
    t = base + int((i - 1) / 12) * 86400 + ((i - 1) % 12) * 1500;
    id = sprintf("K-%03d", i);
    printf "%d\t{\"complaint\":\"%s\",\"received\":\"%s\",\"kind\":\"%s\",\"channel\":\"%s\",\"priority\":\"%s\",\"customer_name\":\"Customer %d\",\"return_address\":\"c%d@example.org\"}\n", t, id, iso(t), kinds[1 + i % 5], channels[1 + i % 5], (i % 7 == 0 ? "urgent" : "normal"), i, i;
    for (k = 1; k <= n; k++) {
      t += 1800 + int(rand() * 20000);
      extra = events[k] == "request_information" ? ",\"reason\":\"documents\"" : "";
      printf "%d\t{\"complaint\":\"%s\",\"at\":\"%s\",\"event\":\"%s\"%s}\n", t, id, iso(t), events[k], extra;
    }
  }
}
function iso(t) { return strftime("%Y-%m-%dT%H:%M:%SZ", t, 1) }' | sort -s -n -k1,1 | cut -f2- > "$work/input.jsonl"
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
echo "the rebuilt state equals the uninterrupted run ($(wc -l < "$work/reference.state") lines of state)"
