"""`redress server` across restarts that change what a complaint was computed with (issue 18,
"Recalculation after a change"; docs/server.md, "Restarts"):

1. Retractions survive a restart. A back-dated pause retracts L1 and L1 fires again as /r2; after
   a SIGKILL restart a second back-dated pause takes back /r2 by its id, and L1 fires as /r3 (the
   engine's worked example in tests/unit/engine_late_tests.cpp, "after a restore, a retraction
   names the revision that was emitted", through HTTP and the journal).
2. A calendar edited between two runs. The journal records the files each policy version read;
   a restart with the same version whose calendar file changed recomputes its open complaints
   from their history (engine::reload_policy) and journals what changed: the retraction of an
   action no longer produced as it was, and the revision due in its place (the hand-worked
   instants of engine_migrate_tests.cpp, "a reloaded calendar recomputes the open complaints").
3. A journal written before the files were recorded (schema version 1) is migrated, and the
   files a version reads now are recorded, with a notice.
4. A holiday file that is not UTF-8 is journaled byte for byte.
5. POST /admin/reload does what a restart does, without one; what it cannot take changes nothing.

    recalculation_test.py REDRESS SOURCE_DIR WORK_DIR

The calendar: Mon-Fri 09:00-17:00 Europe/London (tests/data/calendars/office.toml); December is
GMT, so local time is UTC. Target "contact": starts on receipt, stops on contact_customer, within
4 business hours, pauses while awaiting the customer; L1 at 50% notifies the handler, L2 at
"+1 hours" after the due reassigns to duty.
"""
import json
import os
import shutil
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serverlib  # noqa: E402
from serverlib import check, failures  # noqa: E402

redress, src, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, "cal"))
policy = os.path.join(work, "p.toml")
calendar = os.path.join(work, "cal", "office.toml")
# tests/data/migrate/v1.toml (the policy of the engine's worked examples) reading the office
# calendar from a copy of its own, which the test edits.
v1 = open(os.path.join(src, "tests", "data", "migrate", "v1.toml")).read()
calendar_line = 'england-wales = "../../../rules/calendars/england-wales.toml"'
assert calendar_line in v1
with open(policy, "w") as f:
    f.write(v1.replace(calendar_line, 'england-wales = "cal/office.toml"'))
office = open(os.path.join(src, "tests", "data", "calendars", "office.toml")).read()
with open(calendar, "w") as f:
    f.write(office)


def Server(db):
    return serverlib.Server(redress, policy, "sqlite:" + db)


def ok(srv, method, path, body=None, want=200):
    status, r = srv.call(method, path, body)
    check(status == want, f"{method} {path} {body}: {status} {r}")
    return r


def clock(srv, now):
    return [line(a) for a in ok(srv, "POST", "/admin/clock", {"now": now})["actions"]]


def event(srv, cid, name, at, logged_at=None):
    body = {"event": name, "at": at}
    if logged_at:
        body["logged_at"] = logged_at
    return [line(a) for a in ok(srv, "POST", f"/complaints/{cid}/events", body)["actions"]]


def line(a):
    """An action as the engine's worked examples write it: "id at instant", a retraction as
    "id retracts ID at instant"."""
    if a["kind"] == "retracted":
        return f"{a['id']} retracts {a['retracts']} at {a['at']}"
    return f"{a['id']} at {a['at']}"


def feed(srv):
    return [line(a["action"]) for a in ok(srv, "GET", "/actions?after=0&limit=1000")["actions"]]


def stderr_of(srv):
    srv.kill()
    return srv.proc.stderr.read()


# --- 1. retractions survive a restart ------------------------------------------------------
db = os.path.join(work, "late.db")
srv = Server(db)
clock(srv, "2026-12-07T09:00:00Z")
ok(srv, "POST", "/complaints", {"id": "L-2", "received": "2026-12-07T09:00:00Z", "attributes": {}}, 201)
for name in ("acknowledge", "register", "start_investigation"):
    event(srv, "L-2", name, "2026-12-07T09:00:00Z")
check(clock(srv, "2026-12-07T12:00:00Z") == ["L-2/contact/L1/c1 at 2026-12-07T11:00:00+00:00"], "L1 at 11:00")
# Paused from 10:00 (1 working hour consumed), logged at 12:00: L1 (2 hours) was not reached.
got = event(srv, "L-2", "request_information", "2026-12-07T10:00:00Z", "2026-12-07T12:00:00Z")
check(got == ["L-2/contact/L1/c1/retracted retracts L-2/contact/L1/c1 at 2026-12-07T12:00:00+00:00"], f"the late pause: {got}")
clock(srv, "2026-12-07T12:30:00Z")
event(srv, "L-2", "customer_replied", "2026-12-07T12:30:00Z")
got = clock(srv, "2026-12-07T14:30:00Z")
check(got == ["L-2/contact/L1/c1/r2 at 2026-12-07T13:30:00+00:00"], f"L1 again, revision 2: {got}")
srv.kill()

srv = Server(db)
check(srv.banner.endswith("(journal sqlite:" + db + ", 1 complaints restored, clock manual)"), srv.banner)
# A second late pause, from 13:00 (1.5 hours consumed: 09:00-10:00, 12:30-13:00), logged at
# 14:30, takes back revision 2 by its id (before the fix, a restart forgot what was retracted).
got = event(srv, "L-2", "request_information", "2026-12-07T13:00:00Z", "2026-12-07T14:30:00Z")
check(got == ["L-2/contact/L1/c1/r2/retracted retracts L-2/contact/L1/c1/r2 at 2026-12-07T14:30:00+00:00"],
      f"the second late pause after the restart: {got}")
# Resumed at 15:00: L1 after half an hour more, 15:30, as revision 3; the 2.5 hours left end Tue
# 8 Dec 09:30 (15:00-17:00, then 09:00-09:30).
clock(srv, "2026-12-07T15:00:00Z")
event(srv, "L-2", "customer_replied", "2026-12-07T15:00:00Z")
got = clock(srv, "2026-12-08T17:00:00Z")
check(got == ["L-2/contact/L1/c1/r3 at 2026-12-07T15:30:00+00:00", "L-2/contact/breach/c1 at 2026-12-08T09:30:01+00:00",
              "L-2/contact/L2/c1 at 2026-12-08T10:30:00+00:00"], f"after the resume: {got}")
srv.kill()
print("retractions survive a restart: /r2 retracted by its id, L1 fires as /r3")

# --- 2. a calendar edited between two runs ---------------------------------------------------
db = os.path.join(work, "calendar.db")
srv = Server(db)
clock(srv, "2026-12-07T09:00:00Z")
ok(srv, "POST", "/complaints", {"id": "M-7", "received": "2026-12-07T09:00:00Z", "attributes": {}}, 201)
clock(srv, "2026-12-07T10:00:00Z")
ok(srv, "POST", "/complaints", {"id": "M-8", "received": "2026-12-07T10:00:00Z", "attributes": {}}, 201)
check(clock(srv, "2026-12-07T11:30:00Z") == ["M-7/contact/L1/c1 at 2026-12-07T11:00:00+00:00"], "M-7's L1 at 11:00")
before = feed(srv)
srv.kill()

# The office is closed on Mon 7 Dec 2026 after all: both complaints' working hours start Tue 8
# Dec 09:00, so L1 is at 11:00 and the due 13:00 on Tuesday.
with open(calendar, "w") as f:
    f.write(office.replace('timezone = "Europe/London"\n',
                           'timezone = "Europe/London"\nholidays = [{ date = "2026-12-07", name = "Office closed" }]\n'))
srv = Server(db)
check(srv.banner.endswith(", 2 complaints restored, clock manual)"), srv.banner)
after = feed(srv)
check(after == before + ["M-7/contact/L1/c1/retracted retracts M-7/contact/L1/c1 at 2026-12-07T11:00:00+00:00"],
      f"the feed after the calendar changed: {after}")
status = ok(srv, "GET", "/complaints/M-8?at=2026-12-07T12:00:00Z")
check(status["clocks"][0]["due"] == "2026-12-08T13:00:00+00:00", f"M-8's due: {status['clocks'][0]['due']}")
got = clock(srv, "2026-12-08T12:00:00Z")
check(got == ["M-7/contact/L1/c1/r2 at 2026-12-08T11:00:00+00:00", "M-8/contact/L1/c1 at 2026-12-08T11:00:00+00:00"],
      f"Tuesday's actions: {got}")
status = ok(srv, "GET", "/complaints/M-8?at=2026-12-08T12:00:00Z")
notices = stderr_of(srv).splitlines()
check(notices == [f"redress server: policy version 1 ({policy}): cal/office.toml changed since the journal recorded "
                  "them: its open complaints are recomputed",
                  "redress server: policy version 1 reloaded: 1 action(s) retracted, 0 due again under a new revision"],
      f"the notices: {notices}")
con = sqlite3.connect(db)
files = json.loads(con.execute("SELECT files FROM policies WHERE version = '1'").fetchone()[0])
con.close()
check([f["path"] for f in files] == ["cal/office.toml"] and "Office closed" in files[0]["text"],
      f"the journal's files: {files}")

# The same files again: nothing recomputed, nothing new in the outbox, the same complaints.
srv = Server(db)
check(feed(srv) == after + got, "the feed after a restart with the same files")
again = ok(srv, "GET", "/complaints/M-8?at=2026-12-08T12:00:00Z")
check(again == status, f"M-8 after a restart with the same files: {again}, before it: {status}")
check(stderr_of(srv) == "", "a restart with the same files printed notices")
print("a calendar edited between two runs: L1 retracted, fired Tuesday as /r2; journaled once")

# --- 3. a journal from before the files were recorded -----------------------------------------
con = sqlite3.connect(db)
con.execute("ALTER TABLE policies DROP COLUMN files")
con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
con.commit()
con.close()
srv = Server(db)
check(feed(srv) == after + got, "the feed after migrating a version 1 journal")
notices = stderr_of(srv).splitlines()
check(notices == [f"redress server: policy version 1 ({policy}): the journal did not hold the files it reads "
                  "(journaled by an earlier build); recorded them as they are now"], f"the notices: {notices}")
con = sqlite3.connect(db)
check(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",), "schema version 2")
check(json.loads(con.execute("SELECT files FROM policies").fetchone()[0])[0]["path"] == "cal/office.toml",
      "the files recorded after migrating")
con.close()
print("a version 1 journal: migrated, its policy's files recorded")

# --- 4. a holiday file that is not UTF-8 ---------------------------------------------------------
# An iCalendar file in Latin-1 ("F\xeate", as older exports write it) is journaled byte for byte
# (as hex), so a restart with the same file finds it unchanged.
with open(calendar, "w") as f:
    f.write(office.replace('timezone = "Europe/London"\n', 'timezone = "Europe/London"\nholiday_files = ["fete.ics"]\n'))
with open(os.path.join(work, "cal", "fete.ics"), "wb") as f:
    f.write(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//redress tests//EN\r\nBEGIN:VEVENT\r\nUID:fete@redress.test\r\n"
            b"DTSTAMP:20261201T000000Z\r\nDTSTART;VALUE=DATE:20261229\r\nDTEND;VALUE=DATE:20261230\r\n"
            b"SUMMARY:F\xeate\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
db = os.path.join(work, "latin1.db")
srv = Server(db)
check(stderr_of(srv) == "", "a first start printed notices")
srv = Server(db)
check(stderr_of(srv) == "", "a restart with the same Latin-1 holiday file found it changed")
con = sqlite3.connect(db)
files = json.loads(con.execute("SELECT files FROM policies").fetchone()[0])
con.close()
check([sorted(f) for f in files] == [["path", "text"], ["hex", "path"]] and files[1]["path"] == "cal/fete.ics" and
      "46ea7465" in files[1]["hex"], f"the Latin-1 file as journaled: {files}")
print("a Latin-1 holiday file: journaled as hex, found unchanged at the restart")

# --- 5. POST /admin/reload: the same, without a restart -------------------------------------------
with open(calendar, "w") as f:
    f.write(office)
db = os.path.join(work, "runtime.db")
srv = Server(db)
clock(srv, "2026-12-07T09:00:00Z")
ok(srv, "POST", "/complaints", {"id": "M-7", "received": "2026-12-07T09:00:00Z", "attributes": {}}, 201)
check(clock(srv, "2026-12-07T11:30:00Z") == ["M-7/contact/L1/c1 at 2026-12-07T11:00:00+00:00"], "M-7's L1 at 11:00")
check(ok(srv, "POST", "/admin/reload") == {"reloaded": [], "actions": []}, "a reload with nothing changed")
with open(calendar, "w") as f:
    f.write(office.replace('timezone = "Europe/London"\n',
                           'timezone = "Europe/London"\nholidays = [{ date = "2026-12-07", name = "Office closed" }]\n'))
# A reload whose commit fails (another writer holds the journal's lock past the busy timeout):
# 503, and the engine is put back as the journal holds it, so the same reload succeeds later.
locker = sqlite3.connect(db, isolation_level=None)
locker.execute("BEGIN IMMEDIATE")
status_before = ok(srv, "GET", "/complaints/M-7?at=2026-12-07T12:00:00Z")
status, r = srv.call("POST", "/admin/reload")
check(status == 503 and r["error"]["code"] == "journal_error" and "database is locked" in r["error"]["message"],
      f"a reload under another writer's lock: {status} {r}")
locker.execute("ROLLBACK")
locker.close()
check(ok(srv, "GET", "/complaints/M-7?at=2026-12-07T12:00:00Z") == status_before, "M-7 after the failed reload")
r = ok(srv, "POST", "/admin/reload")
check(r["reloaded"] == [{"version": "1", "changed": policy + ": cal/office.toml changed", "actions": 1}]
      and [line(a) for a in r["actions"]] == ["M-7/contact/L1/c1/retracted retracts M-7/contact/L1/c1 at 2026-12-07T11:00:00+00:00"],
      f"the reload: {r}")
check(feed(srv)[-1] == "M-7/contact/L1/c1/retracted retracts M-7/contact/L1/c1 at 2026-12-07T11:00:00+00:00",
      "the retraction in the feed")
check(clock(srv, "2026-12-08T12:00:00Z") == ["M-7/contact/L1/c1/r2 at 2026-12-08T11:00:00+00:00"], "Tuesday's L1, revision 2")
# What a reload cannot take changes nothing: a calendar that does not load (422 load_error, at its
# place), a policy text changed under its version (409 policy_changed).
counts = serverlib.sqlite_counts(db)
with open(calendar, "a") as f:
    f.write("wed = [\n")
status, r = srv.call("POST", "/admin/reload")
check(status == 422 and r["error"]["code"] == "load_error" and r["error"]["message"].startswith(calendar + ":13:"),
      f"a broken calendar: {status} {r}")
with open(calendar, "w") as f:
    f.write(office.replace('timezone = "Europe/London"\n',
                           'timezone = "Europe/London"\nholidays = [{ date = "2026-12-07", name = "Office closed" }]\n'))
text = open(policy).read()
with open(policy, "w") as f:
    f.write(text.replace('within = "4 business hours"', 'within = "5 business hours"'))
status, r = srv.call("POST", "/admin/reload")
check(status == 409 and r["error"]["code"] == "policy_changed" and
      "its text is not the text the journal holds for that version" in r["error"]["message"], f"a changed text: {status} {r}")
with open(policy, "w") as f:
    f.write(text)
check(serverlib.sqlite_counts(db) == counts, "a refused reload changed the journal")
check(stderr_of(srv) == f"redress server: {policy}: cal/office.toml changed: policy version 1 reloaded: 1 action(s) "
      "retracted, 0 due again under a new revision\n", "the reload's notice")
srv = Server(db)
check(stderr_of(srv) == "", "a restart after a reload found the files changed")
print("POST /admin/reload: L1 retracted, fired Tuesday as /r2; a broken calendar and a changed text refused")

if failures:
    sys.exit(1)
