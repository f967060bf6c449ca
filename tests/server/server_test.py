"""`redress server` over real HTTP: the retail week, a SIGKILL restart, bad requests, long-polls,
a failed commit, a webhook that fails on purpose.

    server_test.py REDRESS HELPDESK SOURCE_DIR WORK_DIR [postgresql://...]

With a fifth argument the journal is that PostgreSQL database (postgres_server_test.sh starts one
and sets PGHOST/PGPORT/PGUSER/PGDATABASE for psql): the retail week, the SIGKILL restart and the
bad requests run on it, checked with psql; the rest is SQLite's (its lock, the webhook) and stops.

Starts the real server on a free port (--listen 127.0.0.1:0, the port read from its first line)
with a temporary SQLite journal and --clock=manual, drives it with urllib, and checks the journal
with sqlite3. The reference is the in-process helpdesk example (examples/helpdesk) on the same
input: the same action ids at the same instants, in the same order, and the same state of every
complaint. Exit 77 (a skip) when a module it needs is missing.
"""
import json
import os
import shutil
import subprocess
import sys
import time

try:
    import sqlite3
    from datetime import datetime

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import serverlib
    from serverlib import check, failures, psql, retail_week
except ImportError as e:  # pragma: no cover
    print(f"SKIP: {e}")
    sys.exit(77)

redress, helpdesk, src, work = sys.argv[1:5]
postgres = sys.argv[5] if len(sys.argv) > 5 else None
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
policy = os.path.join(src, "rules", "iso10002.toml")
week = os.path.join(src, "examples", "helpdesk", "retail-week.jsonl")
until = "2026-04-24T00:00:00+01:00"


def Server(journal, *extra):
    return serverlib.Server(redress, policy, journal_spec(journal), *extra)


def journal_spec(path):
    return postgres or "sqlite:" + path


# --- the retail week as wire requests, in event-time order (ties in file order) ---------------
steps = retail_week(week)

# --- the reference: the in-process helpdesk on the same file --------------------------------
ref = subprocess.run([helpdesk, "--policy", policy, "--journal", os.path.join(work, "helpdesk.db"),
                      "--until", until, "--dump", os.path.join(work, "helpdesk.state"), week],
                     capture_output=True, text=True)
check(ref.returncode == 0, f"the helpdesk failed: {ref.stderr}")
ref_actions = [(l.split()[2], l.split()[1]) for l in ref.stdout.splitlines() if l.startswith("action ")]
ref_rejected = sorted(l.split(":")[0] for l in ref.stdout.splitlines() if l.startswith("rejected "))
check(len(ref_actions) > 0, "the helpdesk emitted no action")

db_path = os.path.join(work, "server.db")
server = Server(db_path)
check(server.banner.endswith("(journal " + journal_spec(db_path) + ", 0 complaints restored, clock manual)"), server.banner)

clock = None
refused = []
for at, n, kind, complaint, body in steps:
    # The clock to the step's instant (the server refuses what is dated after its now).
    before = datetime.fromisoformat(at)
    if clock is None or before > clock:
        status, r = server.call("POST", "/admin/clock", {"now": before.isoformat()})
        check(status == 200, f"clock to {before}: {status} {r}")
        clock = before
    if kind == "open":
        status, r = server.call("POST", "/complaints", body)
        ok = 201
    else:
        status, r = server.call("POST", "/complaints/" + complaint + "/events", body)
        ok = 200
    if status != ok:
        refused.append((n, complaint, status, r["error"]["code"]))
status, r = server.call("POST", "/admin/clock", {"now": until})
check(status == 200, f"clock to {until}: {status} {r}")

status, feed = server.call("GET", "/actions?after=0&limit=10000")
check(status == 200, f"the feed: {status}")
got = [(a["action"]["id"], a["action"]["at"]) for a in feed["actions"]]
# The same actions: ids and instants exactly, each complaint's in the same order. Across complaints
# the order within one second may differ: the helpdesk applies an event at T before firing what
# falls due at T elsewhere; the server's clock reaches T (firing those) before it takes events at T.
def by_complaint(actions):
    out = {}
    for aid, at in actions:
        out.setdefault(aid.split("/")[0], []).append((aid, at))
    return out


check(sorted(got) == sorted(ref_actions) and by_complaint(got) == by_complaint(ref_actions),
      f"the server's actions differ from the helpdesk's: {len(got)} against {len(ref_actions)}; "
      f"only the server's: {sorted(set(got) - set(ref_actions))[:5]}, only the helpdesk's: "
      f"{sorted(set(ref_actions) - set(got))[:5]}")
check(len(got) == 93, f"{len(got)} actions, expected 93")
check(got[0] == ("C-101/owner/store-manager/e2", "2026-03-23T10:00:00+00:00"), f"first action {got[0]}")
if sorted(got) == sorted(ref_actions):
    print(f"retail week: {len(got)} actions, the same ids at the same instants as the helpdesk")
check([a["cursor"] for a in feed["actions"]] == list(range(1, len(got) + 1)), "cursors are not 1, 2, ...")
check(feed["next"] == len(got), f"next cursor {feed['next']}")
# The helpdesk refused the same lines the server refused.
check(len(refused) == len(ref_rejected), f"refused {refused} against the helpdesk's {ref_rejected}")
print("refused:", refused)


def state_of(srv):
    """Every complaint at `until`, written as the helpdesk's --dump writes it."""
    return serverlib.state_of(srv, {s[3] for s in steps}, until)


import urllib.parse  # noqa: E402

reference_state = open(os.path.join(work, "helpdesk.state")).read().splitlines()
state = state_of(server)
check(state == reference_state, "the complaints' states at the end differ from the helpdesk's:\n" +
      "\n".join(f"  {a!r} | {b!r}" for a, b in zip(state, reference_state) if a != b)[:2000])
check(len([l for l in state if l.startswith("C-")]) == 23, f"{len(state)} lines of state")

# --- SIGKILL: a restart from the journal loses nothing acknowledged -------------------------
status, history_before = server.call("GET", "/complaints/C-101/history")
check(status == 200, "history")
status, ack = server.call("POST", "/actions/" + urllib.parse.quote(got[0][0], safe="") + "/ack")
check(status == 200 and ack["id"] == got[0][0] and ack["acknowledged"] == "2026-04-23T23:00:00Z", f"ack: {status} {ack}")
server.kill()
server = Server(db_path)
check(server.banner.endswith(", 23 complaints restored, clock manual)"), server.banner)
status, feed2 = server.call("GET", "/actions?after=0&limit=10000")
check(feed2 == {**feed, "actions": [{**a, "acknowledged": "2026-04-23T23:00:00Z"} if a["cursor"] == 1 else a
                                    for a in feed["actions"]]}, "the feed after the restart differs")
check(state_of(server) == reference_state, "the complaints' states after the restart differ")
status, history_after = server.call("GET", "/complaints/C-101/history")
check(history_after == history_before, "C-101's history after the restart differs")
status, h = server.call("GET", "/healthz")
# On PostgreSQL the one server leases every partition of the journal (lease_test.py).
check(h == {"ok": True, "complaints": 23, "now": "2026-04-23T23:00:00Z", "feeds_waiting": 0,
            **({"partitions": list(range(16))} if postgres else {})}, f"healthz {h}")

# --- bad requests: a clear JSON error each, nothing journaled --------------------------------
def journal_counts():
    return serverlib.postgres_counts() if postgres else serverlib.sqlite_counts(db_path)


counts = journal_counts()
print("journal (complaints, events, actions):", counts)


def refused_with(method, path, want_status, want_code, want_message, body=None, raw=None, token=None, srv=None):
    status, r = (srv or server).call(method, path, body=body, raw=raw, token=token)
    check(status == want_status, f"{method} {path}: status {status}, expected {want_status}: {r}")
    err = r.get("error", {}) if isinstance(r, dict) else {}
    check(err.get("code") == want_code, f"{method} {path}: code {err.get('code')}, expected {want_code}: {r}")
    check(want_message in err.get("message", ""), f"{method} {path}: message {err.get('message')!r} lacks {want_message!r}")
    check(journal_counts() == counts, f"{method} {path}: the journal changed")


refused_with("POST", "/complaints", 400, "invalid_json", "invalid JSON: syntax error", raw=b'{"id": "C-900",')
refused_with("POST", "/complaints", 422, "invalid_value",
             "/recieved: unknown key \"recieved\"", body={"id": "C-900", "recieved": "2026-04-20T10:00:00+01:00"})
refused_with("POST", "/complaints/C-999/events", 404, "unknown_complaint", "C-999",
             body={"event": "acknowledge", "at": "2026-04-23T10:00:00+01:00"})
refused_with("GET", "/complaints/C-999", 404, "unknown_complaint", "C-999")
# A late withdrawal (09:14, before the acknowledgement at 09:15) would make that later event
# illegal: refused whole, nothing journaled (docs/spec/clocks.md, "Late events").
refused_with("POST", "/complaints/C-101/events", 409, "rejected_event",
             "would make the later 'acknowledge' at 2026-03-23T09:15:00Z illegal",
             body={"event": "withdraw", "at": "2026-03-23T09:14:00+00:00"})
refused_with("POST", "/complaints/C-101/events", 409, "rejected_event", "is not allowed in state",
             body={"event": "acknowledge", "at": "2026-04-23T10:00:00+01:00"})
refused_with("POST", "/complaints", 413, "too_large", "larger than 1048576 bytes",
             raw=b'{"id": "' + b"x" * (1024 * 1024) + b'"}')
refused_with("GET", "/nowhere", 404, "not_found", "no route GET /nowhere")
refused_with("POST", "/admin/clock", 409, "clock_backwards", "does not go back", body={"now": "2026-04-01T00:00:00Z"})
refused_with("GET", "/actions?after=x", 400, "invalid_request", "?after=x: expected a whole number")
refused_with("POST", "/complaints/C-103/events", 409, "future_event",
             "the event is dated 2026-04-24T08:00:00Z, after the server's now (2026-04-23T23:00:00Z)",
             body={"event": "contact_customer", "at": "2026-04-24T09:00:00+01:00"})
refused_with("POST", "/actions/nope/ack", 404, "unknown_action", "no action nope")

def failed_commits(make_fail, let_pass, intake_says, event_says):
    """An intake (C-950) and an event (C-103's contact) whose commits fail while `make_fail()`
    holds: 503 journal_error (its message containing intake_says / event_says), nothing
    journaled, the engine holding neither; after `let_pass()`, the same requests are taken."""
    intake = {"id": "C-950", "received": "2026-04-23T23:30:00+01:00",
              "attributes": {"kind": "staff", "channel": "phone", "customer_name": "Commit Test"}}
    event = {"event": "contact_customer", "at": "2026-04-23T23:30:00+01:00"}
    _, c103_before = server.call("GET", "/complaints/C-103/history")
    make_fail()
    status, r = server.call("POST", "/complaints", intake)
    check(status == 503 and r["error"]["code"] == "journal_error" and intake_says in r["error"]["message"],
          f"an intake whose commit fails: {status} {r}")
    status, r = server.call("POST", "/complaints/C-103/events", event)
    check(status == 503 and r["error"]["code"] == "journal_error" and event_says in r["error"]["message"],
          f"an event whose commit fails: {status} {r}")
    status, _ = server.call("GET", "/complaints/C-950")
    check(status == 404, f"C-950 is in the engine after its commit failed: {status}")
    _, c103_after = server.call("GET", "/complaints/C-103/history")
    check(c103_after == c103_before, "C-103 kept an event whose commit failed")
    let_pass()
    check(journal_counts() == counts, "the failed commits changed the journal")
    status, r = server.call("POST", "/complaints", intake)
    check(status == 201, f"the intake once the journal takes it: {status} {r}")
    status, r = server.call("POST", "/complaints/C-103/events", event)
    check(status == 200, f"the event once the journal takes it: {status} {r}")
    check(journal_counts() == (counts[0] + 1, counts[1] + 1, counts[2]), f"journal after the retries: {journal_counts()}")


if postgres:
    # The rows in PostgreSQL: the schema version, the outbox as the feed served it (cursor, id,
    # instant emitted), the one acknowledgement, C-101's events in the order accepted.
    check(psql("SELECT value FROM meta WHERE key = 'schema_version'") == [("4",)], "schema_version in meta")
    check(psql("SELECT value FROM meta WHERE key = 'fired_until'") == [("2026-04-23T23:00:00Z",)], "fired_until")
    rows = psql("SELECT cursor, id FROM actions ORDER BY cursor")
    check(rows == [(str(i + 1), aid) for i, (aid, _) in enumerate(got)], "the actions table is not the feed")
    check(psql("SELECT id, acknowledged_at FROM actions WHERE acknowledged_at IS NOT NULL") ==
          [(got[0][0], "2026-04-23T23:00:00Z")], "acknowledged rows")
    c101 = [json.loads(r[0]) for r in psql("SELECT body FROM events WHERE complaint = 'C-101' ORDER BY seq")]
    posted = [body for _, _, kind, cid, body in steps if kind == "event" and cid == "C-101"]
    check(c101 == posted, f"C-101's events in PostgreSQL are not the ones posted: {c101} against {posted}")
    check(psql("SELECT count(*) FROM complaints WHERE open = 1") == [("10",)], "open complaints")
    print("PostgreSQL journal: (complaints, events, actions) =", counts, "; rows checked with psql")
    # A commit that fails on PostgreSQL: constraints added NOT VALID (old rows kept, new ones
    # refused) make the next intake's and event's INSERT fail inside the transaction.
    failed_commits(lambda: (psql("ALTER TABLE complaints ADD CONSTRAINT refuse_new_complaints CHECK (id <> 'C-950') NOT VALID"),
                            psql("ALTER TABLE events ADD CONSTRAINT refuse_new_events CHECK (complaint <> 'C-103') NOT VALID")),
                   lambda: (psql("ALTER TABLE complaints DROP CONSTRAINT refuse_new_complaints"),
                            psql("ALTER TABLE events DROP CONSTRAINT refuse_new_events")),
                   "refuse_new_complaints", "refuse_new_events")
    # Put back as the rest of postgres_server_test.sh expects it (the migration's checks).
    psql("DELETE FROM events WHERE complaint = 'C-103' AND body LIKE '%23:30:00+01:00%'")
    psql("DELETE FROM complaints WHERE id = 'C-950'")
    server.stop()
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("ok")
    sys.exit(0)

# --- a commit that fails (another writer holds the journal's lock past the busy timeout): the
# reply is 503 and the engine is put back as the journal holds it, so the same requests succeed
# once the journal can be written again.
locker = sqlite3.connect(db_path, isolation_level=None)
failed_commits(lambda: locker.execute("BEGIN IMMEDIATE"), lambda: (locker.execute("ROLLBACK"), locker.close()),
               "database is locked", "")

# --- long-polls do not starve the server: 20 feed requests wait at once; 16 (half the pool of 32
# threads) wait, 4 are answered at once with nothing; /healthz still answers; the next actions
# wake the 16.
import threading  # noqa: E402

last = feed["next"]
answers = []


def poll():
    answers.append(server.call("GET", f"/actions?after={last}&wait=60"))


pollers = [threading.Thread(target=poll) for _ in range(20)]
for t in pollers:
    t.start()
for _ in range(600):  # until they are waiting (each look is a request that must be answered)
    status, h = server.call("GET", "/healthz")
    if h.get("feeds_waiting") == 16 and len(answers) == 4:
        break
    time.sleep(0.05)
check(h.get("feeds_waiting") == 16 and len(answers) == 4, f"waiting {h.get('feeds_waiting')}, answered {len(answers)}")
check(all(a == (200, {"actions": [], "next": last}) for a in answers), f"the 4 over the cap: {answers}")
status, r = server.call("POST", "/admin/clock", {"now": "2026-05-01T12:00:00+01:00"})
check(status == 200 and len(r["actions"]) > 0, f"the clock to 1 May: {status}")
for t in pollers:
    t.join()
woken = [a for a in answers if a[1]["actions"]]
check(len(woken) == 16, f"{len(woken)} long-polls woken, expected 16")
check(all(a[1]["actions"][0]["cursor"] == last + 1 and a[1]["actions"][0]["action"] == r["actions"][0] for a in woken),
      "a woken long-poll did not get the first new action")
print(f"long-polls: 16 waited and were woken by {r['actions'][0]['id']}, 4 answered at once, /healthz answered")
server.stop()

token_file = os.path.join(work, "token")
with open(token_file, "w") as f:
    f.write("s3cret\n")
guarded = Server(db_path, "--token-file", token_file)
counts = journal_counts()
refused_with("GET", "/complaints/C-101", 401, "unauthorized", "needs \"Authorization: Bearer TOKEN\"", srv=guarded)
refused_with("POST", "/complaints", 401, "unauthorized", "is not this server's",
             body={"id": "C-900", "received": "2026-04-20T10:00:00+01:00", "attributes": {}}, token="wrong", srv=guarded)
status, _ = guarded.call("GET", "/healthz")
check(status == 200, "/healthz needs no token")
status, s = guarded.call("GET", "/complaints/C-101", token="s3cret")
check(status == 200 and s["id"] == "C-101", f"the right token: {status}")
status, metrics = guarded.call("GET", "/metrics", token="s3cret")
emitted = len(got) + len(r["actions"])
check(f"redress_actions_emitted_total {emitted}\n" in metrics, "metrics: actions emitted")
check(f"redress_actions_unacknowledged {emitted - 1}\n" in metrics, "metrics: unacknowledged")
# The manual clock jumps from the last event (13 April) to the end of the week: C-119's corrective
# action fell due at 2026-04-13T23:00:00Z and was emitted at 2026-04-23T23:00:00Z, 10 days later.
check("redress_action_emission_lag_seconds_max 864000\n" in metrics, "metrics: lag max")
# 11 closed, 2 withdrawn (C-108, C-123), 10 open (the report of the same week says so), and C-950.
check("redress_complaints_open 11\n" in metrics, "metrics: open complaints")
check(guarded.stop() == 0, "SIGTERM: exit 0")

# --- the webhook: a receiver that fails (500), then times out (answers after the server's 1 s
# timeout), then takes everything. Every action not yet acknowledged arrives, in outbox order,
# the first one three times (at least once: de-duplicated by its id), and ends acknowledged.

con = sqlite3.connect(db_path)
pending = [row[0] for row in con.execute("SELECT id FROM actions WHERE acknowledged_at IS NULL ORDER BY cursor")]
bodies = {row[0]: json.loads(row[1]) for row in con.execute("SELECT id, body FROM actions")}
con.close()
arrivals = []
lock = threading.Lock()


def answer(aid, body):
    with lock:
        arrivals.append((aid, body))
        n = len(arrivals)
    # The second answers after 3 s, past the server's --webhook-timeout 1: it gives up and sends again.
    return 500 if n == 1 else 200, 3 if n == 2 else 0


receiver = serverlib.webhook_receiver(answer)
hooked = Server(db_path, "--webhook", f"http://127.0.0.1:{receiver.server_address[1]}/redress",
                "--webhook-timeout", "1")
for _ in range(1200):  # until the journal says every action is acknowledged
    status, h = hooked.call("GET", "/metrics")
    if "redress_actions_unacknowledged 0\n" in h:
        break
    time.sleep(0.1)
check("redress_actions_unacknowledged 0\n" in h, "the webhook did not deliver everything")
check([a[0] for a in arrivals] == [pending[0], pending[0]] + pending,
      f"webhook arrivals: {len(arrivals)} for {len(pending)} actions; first {[a[0] for a in arrivals[:4]]}")
check(all(body == bodies[aid] and body["id"] == aid for aid, body in arrivals), "a webhook body is not its action")
check(hooked.stop() == 0, "SIGTERM with a webhook: exit 0")
stderr = hooked.proc.stderr.read()
check(f"redress server: webhook: {pending[0]}: HTTP 500 (retried in 250 ms)" in stderr, f"webhook log: {stderr[:500]}")
check(f"redress server: webhook: {pending[0]}: no answer: Read (retried in 500 ms)" in stderr,
      f"webhook log: {stderr[:500]}")
receiver.shutdown()
print(f"webhook: {len(pending)} actions delivered after a 500 and a timeout, the first 3 times")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("ok")
