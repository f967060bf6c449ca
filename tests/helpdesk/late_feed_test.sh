#!/usr/bin/env bash
# README: "events up to an hour late are applied in event-time order, so a real feed with late
# events ends where `redress simulate` on the sorted file does". The feed of make_feed.sh (300
# complaints, 2,100 lines, about one event in four arriving up to 59 minutes late) goes through the
# helpdesk; the same lines sorted by event time go through `redress simulate`. Both must fire the
# same actions (id and instant) and end with the same state, owner, level and clocks per complaint.
#   late_feed_test.sh HELPDESK REDRESS SOURCE_DIR WORK_DIR
set -u
helpdesk=$1 redress=$2 src=$3 work=$4
python=/usr/bin/python3; [ -x "$python" ] || python=python3
command -v "$python" >/dev/null || { echo "skipped: python3 is not installed (it reads simulate's JSON)"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
policy="$src/rules/iso10002.toml"
bash "$src/tests/helpdesk/make_feed.sh" "$work/late.jsonl" late
bash "$src/tests/helpdesk/make_feed.sh" "$work/sorted.jsonl" in-order
cmp -s "$work/late.jsonl" "$work/sorted.jsonl" && { echo "the late feed is in order: nothing is tested"; exit 1; }

"$redress" simulate "$policy" "$work/sorted.jsonl" --json > "$work/simulate.json" || { echo "simulate failed"; exit 1; }
until_time=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["until"])' "$work/simulate.json")
"$helpdesk" --policy "$policy" --journal "$work/journal.db" --until "$until_time" --dump "$work/helpdesk.state" \
  "$work/late.jsonl" > "$work/helpdesk.out" || { echo "the helpdesk failed"; exit 1; }

"$python" - "$work" <<'PY'
import json, sys
from datetime import datetime, timezone
work = sys.argv[1]
def utc(text):  # one spelling for an instant: the helpdesk's dump writes Z, simulate the calendar's offset
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc).isoformat()

sim = json.load(open(f"{work}/simulate.json"))
sim_actions, sim_state = [], []
for c in sim["complaints"]:
    sim_actions += [(utc(e["at"]), e["id"]) for e in c["timeline"] if e["type"] == "action"]
    sim_state.append(f'{c["id"]} {c["state"]} owner={c["owner"]} level={c["escalation_level"]}')
    for k in c["clocks"]:
        sim_state.append(f'  {k["target"]}#{k["cycle"]} {k["state"]}{" breached" if k["breached"] else ""}'
                         f' due={utc(k["due"]) if k["due"] else "-"} consumed={k["consumed_seconds"]}')

desk_actions, desk_state = [], []
for line in open(f"{work}/helpdesk.out"):
    if line.startswith("action "):
        _, at, ident = line.split(" ", 3)[:3]
        desk_actions.append((utc(at), ident))
for line in open(f"{work}/helpdesk.state"):
    line = line.rstrip("\n")
    if line.startswith("  "):
        words = line.split(" ")
        words = [f"due={utc(w[4:])}" if w.startswith("due=") and w != "due=-" else w for w in words]
        line = " ".join(words)
    else:
        line = " ".join(w for w in line.split(" ") if not w.startswith("events="))
    desk_state.append(line)

failures = 0
if sorted(desk_actions) != sorted(sim_actions):
    failures += 1
    a, b = set(desk_actions), set(sim_actions)
    print(f"actions differ: {len(desk_actions)} from the helpdesk, {len(sim_actions)} from simulate")
    for x in sorted(a - b)[:10]: print("  only the helpdesk:", *x)
    for x in sorted(b - a)[:10]: print("  only simulate:   ", *x)
if desk_state != sim_state:
    failures += 1
    print("final states differ:")
    for x, y in zip(desk_state, sim_state):
        if x != y: print("  helpdesk:", x, "\n  simulate:", y); break
# The figures a person can check in the files: 300 complaints; 750 actions (300 owners named at
# registration, 95 escalations, 355 breaches), counted in simulate's JSON by type.
if len(sim["complaints"]) != 300 or len(sim_actions) != 750:
    failures += 1
    print(f"expected 300 complaints and 750 actions, got {len(sim['complaints'])} and {len(sim_actions)}")
sys.exit(1 if failures else 0)
PY
