"""Servers of one PostgreSQL journal hear each other's commits (LISTEN/NOTIFY; issue 20, "Events
go to the journal first, then to the owning worker"): what waits on a server's own commits also
wakes at another's.

    postgres_run.sh PYTHON listen_test.py REDRESS SOURCE_DIR WORK_DIR

Checked, on a real PostgreSQL 15:
- the webhook: A and B on the manual clock, only B with --webhook. A complaint received on
  Wednesday 1 April 2026 14:00 BST (rules/iso10002.toml, kind product-quality) and registered
  through A on Thursday 2 April 09:00 emits R-1/owner/quality/e2 (due 2026-04-02T08:00:00Z) in A's
  reply. B, which took no request since its clock was set, delivers it to the receiver: its
  delivery woke at A's commit. (Without the word from A, B's delivery would wait for a commit of
  B's own, forever here.)
- the feed: a long-poll on B (`GET /actions?after=1&wait=20`) returns R-2/owner/quality/e2 when A
  journals it, before its 20 seconds are out;
- the scheduler, on the system clock: tests/data/listen/seconds.toml escalates a reply 6 seconds
  (elapsed) after receipt. C and D start with nothing due (D's scheduler then sleeps a minute);
  a complaint received through C one second ago, then C killed with SIGKILL: D fires
  S-1/reply/L1/c1 at its instant (the outbox's lag, emitted minus due, is under 3 seconds, where
  a minute's sleep would give up to 60), because C's commit of the complaint's next wakeup woke
  D's scheduler.
"""
import json
import os
import shutil
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import Server, check, failures, psql, webhook_receiver  # noqa: E402

redress, src, work, uri = sys.argv[1:5]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
policy = os.path.join(src, "rules", "iso10002.toml")

arrivals = []




def answer(aid, body):
    arrivals.append((aid, body))
    return 200, 0


receiver = webhook_receiver(answer)

a = Server(redress, policy, uri)
b = Server(redress, policy, uri, "--webhook", f"http://127.0.0.1:{receiver.server_address[1]}/hook")
for srv in (a, b):
    status, r = srv.call("POST", "/admin/clock", {"now": "2026-04-02T09:00:00+01:00"})
    check(status == 200 and r["actions"] == [], f"clock: {status} {r}")


def intake(cid):
    return {"id": cid, "received": "2026-04-01T14:00:00+01:00",
            "attributes": {"kind": "product-quality", "channel": "phone", "customer_name": "Ann Example"}}


def register(cid):
    for path, body in (("/complaints", intake(cid)),
                       (f"/complaints/{cid}/events", {"event": "acknowledge", "at": "2026-04-01T14:30:00+01:00"})):
        status, r = a.call("POST", path, body)
        check(status in (200, 201) and r["actions"] == [], f"{path} on A: {status} {r}")
    status, r = a.call("POST", f"/complaints/{cid}/events", {"event": "register", "at": "2026-04-02T09:00:00+01:00"})
    got = [(x["id"], x["at"]) for x in r.get("actions", [])] if status == 200 else []
    check(got == [(f"{cid}/owner/quality/e2", "2026-04-02T09:00:00+01:00")], f"register {cid} on A: {status} {r}")


# --- the webhook of a server that took no request ------------------------------------------------
time.sleep(1)  # B's delivery has found nothing to deliver since its clock was set, and waits
register("R-1")
for _ in range(300):
    if arrivals:
        break
    time.sleep(0.1)
check([x[0] for x in arrivals] == ["R-1/owner/quality/e2"], f"B's webhook delivered {arrivals}")
check(psql("SELECT id, acknowledged_at IS NOT NULL FROM actions") == [("R-1/owner/quality/e2", "t")],
      f"the outbox: {psql('SELECT id, acknowledged_at FROM actions')}")
print("B's webhook delivered the action A journaled:", [x[0] for x in arrivals])

# --- a long-poll on B answered by A's commit ---------------------------------------------------
polled = {}


def poll():
    began = time.monotonic()
    polled["reply"] = b.call("GET", "/actions?after=1&wait=20")
    polled["seconds"] = time.monotonic() - began


t = threading.Thread(target=poll)
t.start()
time.sleep(1)
register("R-2")
t.join()
status, r = polled["reply"]
got = [x["action"]["id"] for x in r.get("actions", [])] if status == 200 else r
check(got == ["R-2/owner/quality/e2"] and r.get("next") == 2, f"B's long-poll: {status} {r}")
check(polled["seconds"] < 15, f"B's long-poll waited {polled['seconds']:.1f} s of its 20 for an action A journaled")
print(f"B's long-poll answered {got} after {polled['seconds']:.1f} s")
for srv in (a, b):
    check(srv.stop() == 0, "a server did not stop cleanly")

# --- the scheduler on the system clock, woken by another server's new wakeup --------------------
seconds_policy = os.path.join(src, "tests", "data", "listen", "seconds.toml")
c = Server(redress, seconds_policy, uri, clock="system")
d = Server(redress, seconds_policy, uri, clock="system")
received = (datetime.now(timezone.utc) - timedelta(seconds=1)).replace(microsecond=0)
due = received + timedelta(seconds=6)
status, r = c.call("POST", "/complaints", {"id": "S-1", "received": received.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                            "attributes": {"kind": "claim", "channel": "phone"}})
check(status == 201 and r["actions"] == [], f"S-1 on C: {status} {r}")
c.kill()
rows = []
for _ in range(300):
    rows = psql("SELECT id, due_at, lag_seconds FROM actions WHERE id = 'S-1/reply/L1/c1'")
    if rows:
        break
    time.sleep(0.1)
check([(x[0], x[1]) for x in rows] == [("S-1/reply/L1/c1", due.strftime("%Y-%m-%dT%H:%M:%SZ"))],
      f"the outbox for S-1: {rows}")
check(bool(rows) and int(rows[0][2]) < 3, f"S-1/reply/L1/c1 emitted {rows[0][2] if rows else '-'} s after its instant")
print(f"D fired S-1/reply/L1/c1, due {due:%H:%M:%S}Z, {rows[0][2] if rows else '-'} s after it")
check(d.stop() == 0, "D did not stop cleanly")
receiver.shutdown()
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("ok")
