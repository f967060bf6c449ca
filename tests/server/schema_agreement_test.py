"""`redress server` against the wire schemas (issue 20: "requests validated against the wire
schemas"): a corpus of request bodies, valid and hostile, sent to a real server over HTTP, each
judged by schemas/intake.schema.json or schemas/event.schema.json (draft-07, python3-jsonschema)
too. Checked, for every body:
- the schema refuses it  => the server refuses it 400 or 422 with a JSON error {"error": {"code",
  "message"}}, and the journal is unchanged;
- the schema accepts it  => the server takes it (201 intake / 200 event), except for the values no
  draft-07 pattern can tell (an instant that is not a real one: 30 February, hour 25), listed in
  BEYOND_SCHEMA with the server's exact refusal (30 February).
Each event goes to a complaint of its own, opened for it, so no body is judged after another.

    schema_agreement_test.py REDRESS SOURCE_DIR WORK_DIR

Exit 77 (a skip) when python3-jsonschema is missing.
"""
import json
import os
import pathlib
import shutil
import sys

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema is not installed (apt-get install python3-jsonschema)")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serverlib  # noqa: E402
from serverlib import check, failures  # noqa: E402

redress, src, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)

def validator(name):
    path = pathlib.Path(src, "schemas", name + ".schema.json")
    schema = json.loads(path.read_text())
    return jsonschema.Draft7Validator(schema, resolver=jsonschema.RefResolver(base_uri=path.as_uri(), referrer=schema))


intake_schema, event_schema = validator("intake"), validator("event")

# A policy of its own: one kind, no required intake fields, so what is judged is the request's form.
policy = os.path.join(work, "policy.toml")
with open(policy, "w") as f:
    f.write(f'''[policy]
name = "Schema agreement"
version = "1"
calendar = "{src}/rules/calendars/utc-weekdays.toml"

[roles]
handler = "Complaint handler"

[kinds.claim]
owner = "handler"

[[targets]]
name = "final-response"
starts = "received"
stops = "responded"
within = "8 business days"
''')
db = os.path.join(work, "journal.db")
server = serverlib.Server(redress, policy, "sqlite:" + db)
status, r = server.call("POST", "/admin/clock", {"now": "2026-04-22T00:00:00Z"})
check(status == 200, f"clock: {status} {r}")


def journal_counts():
    return serverlib.sqlite_counts(db)


received = "2026-04-20T10:00:00+01:00"
at = "2026-04-20T11:00:00+01:00"
HUGE = b"1" + b"0" * 400  # a number no double holds

# (name, raw body bytes): intakes. "ID" is replaced by a fresh complaint id.
intakes = [
    ("valid", {"id": "ID", "received": received, "attributes": {"kind": "claim"}}),
    ("valid, Z", {"id": "ID", "received": "2026-04-20T09:00:00Z", "attributes": {"kind": "claim"}}),
    ("valid, zero fraction", {"id": "ID", "received": "2026-04-20T09:00:00.000Z", "attributes": {"kind": "claim"}}),
    ("valid, a free attribute", {"id": "ID", "received": received, "attributes": {"kind": "claim", "note": "x"}}),
    ("id a number", {"id": 5, "received": received}),
    ("id empty", {"id": "", "received": received}),
    ("id an object", {"id": {"x": "y"}, "received": received}),
    ("id an array", {"id": ["ID"], "received": received}),
    ("id missing", {"received": received}),
    ("received missing", {"id": "ID"}),
    ("received null", {"id": "ID", "received": None}),
    ("received a number", {"id": "ID", "received": 1776675600}),
    ("received without offset", {"id": "ID", "received": "2026-04-20T10:00:00"}),
    ("valid, a space for T", {"id": "ID", "received": "2026-04-20 10:00:00+01:00"}),
    ("valid, t and z", {"id": "ID", "received": "2026-04-20t09:00:00z"}),
    ("year 0000", {"id": "ID", "received": "0000-04-20T10:00:00Z"}),
    ("leap second", {"id": "ID", "received": "2026-04-20T10:00:60Z"}),
    ("received with a fraction", {"id": "ID", "received": "2026-04-20T10:00:00.5+01:00"}),
    ("received a date", {"id": "ID", "received": "2026-04-20"}),
    ("unknown key", {"id": "ID", "received": received, "recieved": received}),
    ("attributes a string", {"id": "ID", "received": received, "attributes": "claim"}),
    ("attribute a number", {"id": "ID", "received": received, "attributes": {"kind": 5}}),
    ("attribute nested", {"id": "ID", "received": received, "attributes": {"kind": {"name": "claim"}}}),
    ("attribute null", {"id": "ID", "received": received, "attributes": {"kind": None}}),
    ("body an array", [{"id": "ID", "received": received}]),
    ("body a string", "ID"),
    ("body null", None),
    ("a huge number", b'{"id": "ID", "received": "' + received.encode() + b'", "attributes": {"kind": ' + HUGE + b'}}'),
    ("month 13", {"id": "ID", "received": "2026-13-20T10:00:00Z"}),
    ("30 February", {"id": "ID", "received": "2026-02-30T10:00:00Z"}),
    ("hour 25", {"id": "ID", "received": "2026-04-20T25:00:00Z"}),
    ("offset +25:00", {"id": "ID", "received": "2026-04-20T10:00:00+25:00"}),
]
events = [
    ("valid", {"event": "acknowledge", "at": at}),
    ("valid, actor and reason", {"event": "acknowledge", "at": at, "actor": "Ann", "reason": "phoned"}),
    ("valid, promised null", {"event": "acknowledge", "at": at, "promised": None}),
    ("valid, Z", {"event": "acknowledge", "at": "2026-04-20T10:00:00Z"}),
    ("event unknown", {"event": "ack", "at": at}),
    ("event a number", {"event": 5, "at": at}),
    ("event missing", {"at": at}),
    ("at missing", {"event": "acknowledge"}),
    ("at a number", {"event": "acknowledge", "at": 1776679200}),
    ("at without offset", {"event": "acknowledge", "at": "2026-04-20T11:00:00"}),
    ("unknown key", {"event": "acknowledge", "at": at, "actr": "Ann"}),
    ("actor a number", {"event": "acknowledge", "at": at, "actor": 5}),
    ("actor nested", {"event": "acknowledge", "at": at, "actor": {"name": "Ann"}}),
    ("justified a string", {"event": "acknowledge", "at": at, "justified": "yes"}),
    ("satisfied a number", {"event": "acknowledge", "at": at, "satisfied": 1}),
    ("promised not an instant", {"event": "acknowledge", "at": at, "promised": "tomorrow"}),
    ("due a number", {"event": "acknowledge", "at": at, "due": 12}),
    ("attributes a string", {"event": "acknowledge", "at": at, "attributes": "x"}),
    ("attributes an unknown dimension", {"event": "acknowledge", "at": at, "attributes": {"colour": "red"}}),
    ("attribute a number", {"event": "acknowledge", "at": at, "attributes": {"kind": 5}}),
    ("body an array", [{"event": "acknowledge", "at": at}]),
    ("body a number", 7),
    ("a huge number", b'{"event": "acknowledge", "at": "' + at.encode() + b'", "actor": ' + HUGE + b'}'),
    ("at 30 February", {"event": "acknowledge", "at": "2026-02-30T10:00:00Z"}),
    ("at minute 60", {"event": "acknowledge", "at": "2026-04-20T10:60:00Z"}),
]
# Schema-valid bodies the server refuses, and rightly: an instant's pattern cannot say which days
# a month has. (kind, name) -> (status, code, message).
TIMESTAMP = "(expected RFC 3339 with an offset, such as 2026-03-27T16:00:00+01:00)"
BEYOND_SCHEMA = {
    ("intake", "30 February"): (422, "invalid_value", '/received: invalid timestamp "2026-02-30T10:00:00Z": '
                                "day 30 does not exist in 2026-02 " + TIMESTAMP),
    ("event", "at 30 February"): (422, "invalid_value", '/at: invalid timestamp "2026-02-30T10:00:00Z": '
                                  "day 30 does not exist in 2026-02 " + TIMESTAMP),
}


def as_bytes(body, cid):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return raw.replace(b'"ID"', json.dumps(cid).encode())


def judged(schema, raw):
    try:
        value = json.loads(raw)
    except ValueError:
        return False
    return schema.is_valid(value)


n = 0
for kind, corpus in (("intake", intakes), ("event", events)):
    for name, body in corpus:
        n += 1
        cid = f"S-{n}"
        if kind == "intake":
            raw = as_bytes(body, cid)
            path, ok_status, schema = "/complaints", 201, intake_schema
        else:
            status, r = server.call("POST", "/complaints", {"id": cid, "received": received, "attributes": {"kind": "claim"}})
            check(status == 201, f"open {cid} for event {name!r}: {status} {r}")
            raw = as_bytes(body, cid)
            path, ok_status, schema = f"/complaints/{cid}/events", 200, event_schema
        before = journal_counts()
        status, r = server.call("POST", path, raw=raw)
        valid = judged(schema, raw)
        err = r.get("error") if isinstance(r, dict) else None
        where = f"{kind} {name!r} ({raw.decode()[:120]}): schema {'accepts' if valid else 'refuses'}, server {status} {r}"
        if (kind, name) in BEYOND_SCHEMA:
            want = BEYOND_SCHEMA[(kind, name)]
            check(valid, f"{where}: listed as beyond the schema, but the schema refuses it")
            check(status == want[0] and err is not None and err.get("code") == want[1] and err.get("message") == want[2],
                  f"{where}: expected {want}")
            check(journal_counts() == before, f"{where}: the journal changed")
        elif valid:
            check(status == ok_status, where)
        else:
            check(status in (400, 422) and isinstance(err, dict) and isinstance(err.get("code"), str)
                  and isinstance(err.get("message"), str) and set(r) == {"error"}, where)
            check(journal_counts() == before, f"{where}: the journal changed")
server.stop()
if failures:
    print(f"{len(failures)} disagreements between the server and the schemas")
    sys.exit(1)
print(f"{n} request bodies ({len(intakes)} intakes, {len(events)} events): the server accepts exactly "
      f"those the schemas accept ({len(BEYOND_SCHEMA)} schema-valid days that no month has, refused)")
