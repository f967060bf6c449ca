"""A dead server's deadlines fire on the survivors (issue 20, "The PostgreSQL fleet"): three
`redress server` processes on one PostgreSQL journal, each draining the journal's due complaints
(FOR UPDATE SKIP LOCKED), whichever server opened them.

    postgres_run.sh PYTHON fleet_test.py REDRESS SOURCE_DIR WORK_DIR

postgres_run.sh starts the PostgreSQL, sets PGHOST/... for psql and passes its URI last. Policy
rules/iso10002.toml, calendar england-wales (Mon-Fri 09:00-17:00 Europe/London; Good Friday 3 April
and Easter Monday 6 April 2026 are bank holidays), the manual clock on every server.

Every complaint is received on Wednesday 1 April 2026 at 14:00 BST (13:00Z) by email and
acknowledged at 14:30 (the primary response stops before its 75% level at 16:15). The hand-checked
instants:
- registration: 1 business day to the close of business: due Thursday 2 April 17:00 BST (16:00Z);
  its one level is at 100%: X/registration/L1/c1 at 16:00Z, and its breach one second after the
  due instant, X/registration/breach/c1 at 16:00:01Z, for the complaints never registered.
- register at Thursday 2 April 09:00 BST: X/owner/quality/e2 at 08:00Z (the reply to the event),
  and keep-customer-informed starts: every 3 business days (Thu 2, Tue 7, Wed 8, Thu 9: Good Friday
  and Easter Monday skipped), to the end of Thursday 9 April, 23:59:59 BST; breached one second
  after: X/keep-customer-informed/breach/c1 at Friday 10 April 00:00 BST (2026-04-09T23:00:00Z).
- final-response: 8 business days, due at the end of Wednesday 15 April; its span counts 67 working
  hours (Wed 1: 14:00-17:00 = 3, then Thu 2, Tue 7, Wed 8, Thu 9, Fri 10, Mon 13, Tue 14, Wed 15 at 8
  each). 50% = 33.5 h: 3 + 8 (Thu 2) + 8 (Tue 7) + 8 (Wed 8) = 27, then 6.5 h into Thursday 9 April:
  15:30 BST (14:30Z), X/final-response/L1/c1 (the same instant as docs/server.md's session).
  75% = 50.25 h: 27 + 8 (Thu 9) + 8 (Fri 10) = 43, then 7.25 h into Monday 13 April: 16:15 BST
  (15:15Z), X/final-response/L2/c1.

Checked:
- 120 complaints opened through server A (B and C, started before, never hold them) and 20 through
  B, all acknowledged and 80 registered through A (so B's copies of its 20 are stale), then A is
  killed with SIGKILL; B and C set to Thursday 9 April 15:30 at once: the 260 actions due (140
  final-response L1, 60 registration L1 and 60 registration breaches) are emitted once each, split
  between their two replies with no id in both, and the outbox holds each once (with the 80 owner
  assignments from before, 340 rows);
- every complaint's row then says fired_until 14:30Z and its next wakeup: the 80 registered
  2026-04-09T23:00:00Z (keep-customer-informed's breach), the 60 others 2026-04-13T15:15:00Z (the
  75% level); the same clock set again emits nothing;
- B alone set to Monday 13 April 16:15 emits the 140 L2 actions and the 80 keep-customer-informed
  breaches; C set there afterwards emits nothing; B and C report the final response's 50% and 75%
  levels fired and the 100% not (C rebuilt the complaints, B's stale copies of its own 20 were
  rebuilt from the journal);
- the feed served by C lists the 560 actions in cursor order, each id once.
"""
import os
import shutil
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import Server, check, failures, psql  # noqa: E402

redress, src, work, uri = sys.argv[1:5]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
policy = os.path.join(src, "rules", "iso10002.toml")
started = time.monotonic()

a = Server(redress, policy, uri)
b = Server(redress, policy, uri)
c = Server(redress, policy, uri)


def set_clock(nodes, t):
    for srv in nodes:
        status, r = srv.call("POST", "/admin/clock", {"now": t})
        check(status == 200, f"clock to {t}: {status} {r}")


def intake(cid):
    return {"id": cid, "received": "2026-04-01T14:00:00+01:00",
            "attributes": {"kind": "product-quality", "channel": "email", "customer_name": "Ann Example",
                           "return_address": "ann@example.org"}}


def event(srv, cid, name, at):
    status, r = srv.call("POST", f"/complaints/{cid}/events", {"event": name, "at": at})
    check(status == 200, f"{name} {cid}: {status} {r}")
    return r.get("actions", []) if isinstance(r, dict) else []


p_ids = [f"P-{k}" for k in range(1, 121)]  # opened through A
q_ids = [f"Q-{k}" for k in range(1, 21)]   # opened through B, their events through A
registered = p_ids[:60] + q_ids
unregistered = p_ids[60:]
everyone = p_ids + q_ids

set_clock((a, b, c), "2026-04-01T14:00:00+01:00")
for cid in p_ids:
    status, r = a.call("POST", "/complaints", intake(cid))
    check(status == 201 and r["actions"] == [], f"open {cid} on A: {status} {r}")
for cid in q_ids:
    status, r = b.call("POST", "/complaints", intake(cid))
    check(status == 201 and r["actions"] == [], f"open {cid} on B: {status} {r}")
set_clock((a, b, c), "2026-04-01T14:30:00+01:00")
for cid in everyone:
    check(event(a, cid, "acknowledge", "2026-04-01T14:30:00+01:00") == [], f"acknowledge {cid}: no action")
set_clock((a, b, c), "2026-04-02T09:00:00+01:00")
for cid in registered:
    got = [x["id"] for x in event(a, cid, "register", "2026-04-02T09:00:00+01:00")]
    check(got == [f"{cid}/owner/quality/e2"], f"register {cid}: {got}")

before = sorted(psql("SELECT id, due_at FROM actions"))
check(before == sorted((f"{cid}/owner/quality/e2", "2026-04-02T08:00:00Z") for cid in registered),
      f"the outbox before the kill: {len(before)} rows {before[:3]}")
a.kill()  # SIGKILL: every complaint above went through A

# --- B and C at once past the deadlines: the dead server's complaints fire, once each ---------
t1 = "2026-04-09T15:30:00+01:00"
replies = {}
together = threading.Barrier(2)


def advance(name, srv):
    together.wait()
    replies[name] = srv.call("POST", "/admin/clock", {"now": t1})


threads = [threading.Thread(target=advance, args=(name, srv)) for name, srv in (("B", b), ("C", c))]
for t in threads:
    t.start()
for t in threads:
    t.join()
for name in ("B", "C"):
    check(replies[name][0] == 200, f"{name}'s clock to {t1}: {replies[name]}")
by = {name: [x["id"] for x in replies[name][1]["actions"]] for name in ("B", "C")}
expected = {(f"{cid}/final-response/L1/c1", "2026-04-09T14:30:00Z") for cid in everyone}
expected |= {(f"{cid}/registration/L1/c1", "2026-04-02T16:00:00Z") for cid in unregistered}
expected |= {(f"{cid}/registration/breach/c1", "2026-04-02T16:00:01Z") for cid in unregistered}
check(len(expected) == 260, "260 actions expected")
emitted = by["B"] + by["C"]
check(len(emitted) == len(set(emitted)), f"an action emitted twice: B {len(by['B'])}, C {len(by['C'])}, "
      f"{len(emitted) - len(set(emitted))} in both")
check(set(emitted) == {aid for aid, _ in expected},
      f"emitted by B and C: {len(emitted)}; missing {sorted({aid for aid, _ in expected} - set(emitted))[:3]}, "
      f"unexpected {sorted(set(emitted) - {aid for aid, _ in expected})[:3]}")
rows = psql("SELECT id, due_at FROM actions")
check(len(rows) == 340 and len({r[0] for r in rows}) == 340, f"{len(rows)} rows in the outbox, expected 340")
check(set(rows) == expected | set(before), "the outbox is not the owner assignments and the 260 due actions: "
      f"missing {sorted(expected - set(rows))[:3]}, unexpected {sorted(set(rows) - expected - set(before))[:3]}")
print(f"A killed; B and C at {t1} at once: {len(by['B'])} actions from B, {len(by['C'])} from C, "
      f"{len(rows)} in the outbox, each once")

# --- each complaint's row: fired up to now, its next wakeup the 75% level -----------------------
utc = "to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
got = psql(f"SELECT {utc % 'fired_until'}, {utc % 'next_wakeup'}, count(*) FROM complaints GROUP BY 1, 2 ORDER BY 2")
check(got == [("2026-04-09T14:30:00Z", "2026-04-09T23:00:00Z", "80"), ("2026-04-09T14:30:00Z", "2026-04-13T15:15:00Z", "60")],
      f"the complaints' rows: {got}")
for srv in (b, c):
    status, r = srv.call("POST", "/admin/clock", {"now": t1})
    check(status == 200 and r["actions"] == [], f"the same clock again: {status} {r}")

# --- one survivor drains everything; the other then finds nothing ------------------------------
t2 = "2026-04-13T16:15:00+01:00"
status, r = b.call("POST", "/admin/clock", {"now": t2})
got = sorted((x["id"], x["at"]) for x in r["actions"]) if status == 200 else []
check(got == sorted([(f"{cid}/final-response/L2/c1", t2) for cid in everyone] +
                   [(f"{cid}/keep-customer-informed/breach/c1", "2026-04-10T00:00:00+01:00") for cid in registered]),
      f"B alone at {t2}: {status} {len(got)} actions {got[:3]}")
status, r = c.call("POST", "/admin/clock", {"now": t2})
check(status == 200 and r["actions"] == [], f"C at {t2} after B: {status} {r}")
for srv, name in ((b, "B"), (c, "C")):
    for cid, events in (("P-1", 2), ("P-61", 1), ("Q-1", 2)):
        status, s = srv.call("GET", f"/complaints/{cid}?at=" + urllib.parse.quote(t2))
        fired = [[lv["fired"] for lv in k["levels"]] for k in s.get("clocks", []) if k["target"] == "final-response"]
        check(status == 200 and fired == [[True, True, False, False]] and s["events"] == events,
              f"{cid} on {name}: {status} final-response levels fired {fired}, events {s.get('events')}")
status, r = c.call("GET", "/actions?after=0&limit=1000")
ids = [x["action"]["id"] for x in r["actions"]]
cursors = [x["cursor"] for x in r["actions"]]
check(len(ids) == 560 and len(set(ids)) == 560 and cursors == list(range(1, 561)),
      f"the feed on C: {len(ids)} actions, {len(set(ids))} ids, cursors 1..{cursors[-1] if cursors else 0}")
print(f"B alone at {t2}: 220 actions; C after it: none; the feed: {len(ids)} actions, each once")

for srv in (b, c):
    check(srv.stop() == 0, "a server did not stop cleanly")
print(f"{time.monotonic() - started:.1f} s")
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("ok")
