"""The database restarted under load (issue 20, "Tests against real servers"): two `redress
server` processes on one PostgreSQL journal take intakes and events while PostgreSQL is restarted
(`pg_ctl restart -m fast`, which ends every connection); the servers reconnect, and nothing a
server acknowledged (a 2xx reply) is lost.

    db_restart_test.py REDRESS SOURCE_DIR WORK_DIR postgresql://... RESTART_COMMAND

postgres_db_restart_test.sh starts the PostgreSQL, sets PGHOST/... for psql and gives the
command that restarts it. Policy rules/iso10002.toml, the manual clock on both servers.

Checked:
- 240 complaints, each received Wednesday 1 April 2026 14:00 BST by email and acknowledged at
  14:30, sent alternately to server A and server B, one request at a time, while another thread
  restarts PostgreSQL once the first 60 complaints are in. A request that meets the restart is
  refused with 503 journal_error (never another error, never a hang): nothing was journaled for
  it, or, when the connection broke after COMMIT, it was; so each refused request is sent again
  once the database is back, and is then taken (201/200) or found already journaled (409
  duplicate_complaint for an intake; for an acknowledgement, the history then holds it once).
- Afterwards the journal holds exactly the 240 complaints and one acknowledgement each (psql),
  every complaint reads the same on both servers, and both servers' clocks set to Wednesday 1
  April 16:00 BST emit nothing twice: the outbox holds each action id once.
"""
import os
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serverlib  # noqa: E402
from serverlib import check, failures, psql  # noqa: E402

redress, src, work, uri, restart_command = sys.argv[1:6]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
policy = os.path.join(src, "rules", "iso10002.toml")
a = serverlib.Server(redress, policy, uri)
b = serverlib.Server(redress, policy, uri)
for srv in (a, b):
    status, r = srv.call("POST", "/admin/clock", {"now": "2026-04-01T14:30:00+01:00"})
    check(status == 200, f"the clock: {status} {r}")

n = 240
restarted = threading.Event()


def restart():
    started = time.monotonic()
    out = subprocess.run(restart_command, shell=True, capture_output=True, text=True)
    check(out.returncode == 0, f"the restart failed: {out.stdout} {out.stderr}")
    print(f"PostgreSQL restarted in {time.monotonic() - started:.1f} s")
    restarted.set()


def intake(i):
    return {"id": f"R-{i}", "received": "2026-04-01T14:00:00+01:00",
            "attributes": {"kind": "product-quality", "channel": "email", "customer_name": f"Customer {i}",
                           "return_address": f"c{i}@example.org"}}


acknowledge = {"event": "acknowledge", "at": "2026-04-01T14:30:00+01:00"}
refused = []  # (server, method, path, body) to send again
other_errors = []
restarter = None
for i in range(1, n + 1):
    srv = a if i % 2 else b
    if i == 61:
        restarter = threading.Thread(target=restart)
        restarter.start()
    for method, path, body, ok in (("POST", "/complaints", intake(i), 201),
                                   ("POST", f"/complaints/R-{i}/events", acknowledge, 200)):
        status, r = srv.call(method, path, body)
        if status == ok:
            continue
        code = r.get("error", {}).get("code") if isinstance(r, dict) else None
        if status == 503 and code == "journal_error":
            refused.append((srv, method, path, body))
        elif status == 404 and code == "unknown_complaint" and refused and refused[-1][2] == "/complaints" \
                and refused[-1][3]["id"] == f"R-{i}":
            refused.append((srv, method, path, body))  # its intake was refused a moment ago
        else:
            other_errors.append((i, method, path, status, r))
    if restarter and not restarted.is_set():
        time.sleep(0.01)  # keep the load on while the restart runs
restarter.join()
check(other_errors == [], f"errors other than 503 journal_error during the restart: {other_errors[:3]}")
check(len(refused) > 0, "no request met the restart: the test did not test it")
print(f"{len(refused)} request(s) refused with 503 journal_error during the restart")

# Sent again once the database is back: taken, or found already journaled.
for srv, method, path, body in refused:
    status, r = srv.call(method, path, body)
    code = r.get("error", {}).get("code") if isinstance(r, dict) else None
    if method == "POST" and path == "/complaints":
        check(status == 201 or (status == 409 and code == "duplicate_complaint"), f"{path} again: {status} {r}")
    else:
        # An acknowledgement already journaled is refused by the lifecycle as a repeat.
        check(status == 200 or (status == 409 and code == "rejected_event"), f"{path} again: {status} {r}")

check(psql("SELECT count(*) FROM complaints") == [(str(n),)], "the journal's complaints")
check(psql("SELECT count(*), count(DISTINCT complaint) FROM events") == [(str(n), str(n))],
      "one acknowledgement journaled for each complaint")
for i in (1, 2, 61, 62, 120, n):
    sa, ra = a.call("GET", f"/complaints/R-{i}?at=2026-04-01T15:00:00%2B01:00")
    sb, rb = b.call("GET", f"/complaints/R-{i}?at=2026-04-01T15:00:00%2B01:00")
    check(sa == sb == 200 and ra == rb and ra["state"] == "acknowledged", f"R-{i} on A and B: {sa} {ra} / {sb} {rb}")
for srv in (a, b):
    status, r = srv.call("POST", "/admin/clock", {"now": "2026-04-01T16:00:00+01:00"})
    check(status == 200, f"the clock after the restart: {status} {r}")
check(psql("SELECT count(*) = count(DISTINCT id) FROM actions") == [("t",)], "an action id twice in the outbox")
check(a.stop() == 0 and b.stop() == 0, "the servers did not stop cleanly")
print(f"the database restarted under load: {n} complaints, each acknowledged once, nothing lost")
if failures:
    sys.exit(1)
