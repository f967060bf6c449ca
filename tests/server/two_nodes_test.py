"""Two `redress server` processes on one PostgreSQL journal (issue 20): an event is validated and
journaled under its complaint's row lock, after reading back what the other server journaled.

    two_nodes_test.py REDRESS HELPDESK SOURCE_DIR WORK_DIR postgresql://...

postgres_two_nodes_test.sh starts the PostgreSQL and sets PGHOST/... for psql; the URI it passes
sets lock_timeout to 1 s. Checked:
- the retail week sent alternately to server A and server B (request i to A when i is even), both
  clocks set together: the outbox holds the helpdesk's 93 actions (ids and instants), both servers
  refuse the lines the helpdesk refuses, and both report every complaint as the helpdesk's --dump;
- 20 complaints each sent "withdraw" by both servers at once: one of each pair accepted, the other
  refused (409 rejected_event), and the journal holds one withdraw for each; an intake of an id the
  other server journaled is refused 409 duplicate_complaint;
- a complaint's row held locked by another session (psql, FOR UPDATE): an event for it is refused
  503 complaint_locked after the lock timeout, nothing journaled; accepted once the lock is gone.
"""
import os
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import Server, check, failures, psql, retail_week, state_of  # noqa: E402

redress, helpdesk, src, work, uri = sys.argv[1:6]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
policy = os.path.join(src, "rules", "iso10002.toml")
week = os.path.join(src, "examples", "helpdesk", "retail-week.jsonl")
until = "2026-04-24T00:00:00+01:00"

ref = subprocess.run([helpdesk, "--policy", policy, "--journal", os.path.join(work, "helpdesk.db"),
                      "--until", until, "--dump", os.path.join(work, "helpdesk.state"), week],
                     capture_output=True, text=True)
check(ref.returncode == 0, f"the helpdesk failed: {ref.stderr}")
ref_actions = [(l.split()[2], l.split()[1]) for l in ref.stdout.splitlines() if l.startswith("action ")]
ref_rejected = len([l for l in ref.stdout.splitlines() if l.startswith("rejected ")])
reference_state = open(os.path.join(work, "helpdesk.state")).read().splitlines()

a = Server(redress, policy, uri)
b = Server(redress, policy, uri)
nodes = (a, b)


def set_clocks(t):
    for srv in nodes:
        status, r = srv.call("POST", "/admin/clock", {"now": t})
        check(status == 200, f"clock to {t}: {status} {r}")


# --- the retail week, alternate requests on A and B ------------------------------------------
steps = retail_week(week)
clock = None
refused = 0
for i, (at, n, kind, complaint, body) in enumerate(steps):
    if clock != at:
        set_clocks(at)
        clock = at
    srv = nodes[i % 2]
    if kind == "open":
        status, r = srv.call("POST", "/complaints", body)
    else:
        status, r = srv.call("POST", "/complaints/" + complaint + "/events", body)
    if status not in (200, 201):
        check(status == 409 or status == 422, f"line {n}: {status} {r}")
        refused += 1
set_clocks(until)
check(refused == ref_rejected, f"{refused} lines refused, the helpdesk refused {ref_rejected}")
got = [tuple(r) for r in psql("SELECT id, due_at FROM actions ORDER BY cursor")]
from datetime import datetime, timezone  # noqa: E402
ref_utc = sorted((aid, datetime.fromisoformat(at).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
                 for aid, at in ref_actions)
check(len(got) == 93, f"{len(got)} actions in the outbox, expected 93")
check(sorted(got) == ref_utc, f"the outbox differs from the helpdesk's actions: only the journal's "
      f"{sorted(set(got) - set(ref_utc))[:5]}, only the helpdesk's {sorted(set(ref_utc) - set(got))[:5]}")
ids = {s[3] for s in steps}
for name, srv in (("A", a), ("B", b)):
    state = state_of(srv, ids, until)
    check(state == reference_state, f"server {name}'s complaints differ from the helpdesk's:\n" +
          "\n".join(f"  {x!r} | {y!r}" for x, y in zip(state, reference_state) if x != y)[:2000])
print(f"retail week on two servers: {len(got)} actions, {refused} lines refused, both servers' "
      f"{len(ids)} complaints as the helpdesk's")

# --- the same event on both servers at once ---------------------------------------------------
now = "2026-04-24T09:00:00+01:00"
set_clocks(now)
race = [f"D-{k}" for k in range(1, 21)]
for k, cid in enumerate(race):
    status, r = nodes[k % 2].call("POST", "/complaints", {"id": cid, "received": now,
                                                           "attributes": {"kind": "staff", "channel": "phone",
                                                                          "priority": "normal", "customer_name": "Ann Lee"}})
    check(status == 201, f"open {cid}: {status} {r}")
    status, r = nodes[(k + 1) % 2].call("GET", "/complaints/" + cid)  # both engines hold it
    check(status == 200, f"{cid} on the other server: {status} {r}")
status, r = b.call("POST", "/complaints", {"id": "D-1", "received": now,
                                            "attributes": {"kind": "staff", "channel": "phone", "priority": "normal", "customer_name": "Ann Lee"}})
check(status == 409 and r["error"]["code"] == "duplicate_complaint", f"D-1 again on B: {status} {r}")
results = {}
together = threading.Barrier(2)


def withdraw(name, srv):
    for cid in race:
        together.wait()  # both requests for a complaint leave at once
        results[(name, cid)] = srv.call("POST", f"/complaints/{cid}/events", {"event": "withdraw", "at": now})


threads = [threading.Thread(target=withdraw, args=(name, srv)) for name, srv in (("A", a), ("B", b))]
for t in threads:
    t.start()
for t in threads:
    t.join()
for cid in race:
    codes = sorted(results[(n, cid)][0] for n in ("A", "B"))
    check(codes == [200, 409], f"{cid}: withdraw on both answered {codes}, expected one 200 and one 409")
    for n in ("A", "B"):
        s, r = results[(n, cid)]
        if s == 409:
            check(r["error"]["code"] == "rejected_event", f"{cid} on {n}: {r}")
rows = psql("SELECT complaint, count(*) FROM events WHERE complaint LIKE 'D-%' GROUP BY complaint ORDER BY complaint")
check(rows == sorted((cid, "1") for cid in race), f"withdraw events journaled: {rows}")
check(psql("SELECT count(*) FROM complaints WHERE id LIKE 'D-%' AND open = 1") == [("0",)], "D-* still open")
print("20 complaints withdrawn on both servers at once: one accepted and one refused each")

# --- a row lock held elsewhere: 503 after the lock timeout, nothing journaled ------------------
status, r = a.call("POST", "/complaints", {"id": "E-1", "received": now,
                                            "attributes": {"kind": "staff", "channel": "phone", "priority": "normal", "customer_name": "Ann Lee"}})
check(status == 201, f"open E-1: {status} {r}")
holder = subprocess.Popen(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"], stdin=subprocess.PIPE,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
holder.stdin.write("BEGIN;\nSELECT 1 FROM complaints WHERE id = 'E-1' FOR UPDATE;\n"
                   "SELECT pg_sleep(30);\n")
holder.stdin.flush()
while psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'") != [("1",)]:
    time.sleep(0.05)
events_before = psql("SELECT count(*) FROM events")
status, r = b.call("POST", "/complaints/E-1/events", {"event": "acknowledge", "at": now})
check(status == 503 and r["error"]["code"] == "complaint_locked" and "lock timeout" in r["error"]["message"],
      f"an event on a locked complaint: {status} {r}")
check(psql("SELECT count(*) FROM events") == events_before, "an event was journaled under another's lock")
psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'")
holder.wait()
status, r = b.call("POST", "/complaints/E-1/events", {"event": "acknowledge", "at": now})
check(status == 200, f"the event once the lock is gone: {status} {r}")
print("a complaint locked elsewhere: 503 complaint_locked, then accepted")

for srv in nodes:
    check(srv.stop() == 0, "a server did not stop cleanly")
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("ok")
