"""A small helpdesk in Python: the C++ helpdesk (examples/helpdesk/main.cpp) written as a Python
host would write it, with the standard library's sqlite3 as its journal and redress in-process.
Run on the same input it prints the same lines as the C++ one (tests/python compares them):

    PYTHONPATH=build/default/python python3 examples/python/helpdesk.py \\
        --policy rules/iso10002.toml --journal journal.db --until 2026-04-24T00:00:00+01:00 \\
        --summary examples/helpdesk/retail-week.jsonl

(or without PYTHONPATH once the package is installed: pip install, or cmake --install).

- Input: JSON Lines in the scenario format of rules/README.md, a file or - for standard input.
- Late events: lines are buffered and applied in event-time order (ties in input order) once the
  feed (the latest event time read) is --reorder-window seconds past them.
- Journal: a serial number per complaint, every accepted event, every action, the final result;
  WAL mode, one transaction per applied line, committed before the line is acknowledged. If the
  commit fails, the complaint is put back in the engine as it was (its snapshot), exit 2.
- Policy versions: the journal keeps the text of every version complaints were opened under; a
  complaint stays on its version across restarts; a changed policy without a new version is refused.
- Restart: the engine is rebuilt by replaying the journal in the order lines were applied; actions
  that fired but were not recorded are executed; input lines already journaled are skipped.
"""
import argparse
import datetime as dt
import heapq
import json
import sqlite3
import sys

import redress

SCHEMA = """
CREATE TABLE IF NOT EXISTS complaints(serial INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
  received TEXT NOT NULL, attributes TEXT NOT NULL, policy_version TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'received', owner TEXT NOT NULL DEFAULT '', result TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE NOT NULL,
  complaint TEXT NOT NULL REFERENCES complaints(id), at TEXT NOT NULL, event TEXT NOT NULL, fields TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS actions(id TEXT PRIMARY KEY, complaint TEXT NOT NULL, at TEXT NOT NULL,
  kind TEXT NOT NULL, who TEXT NOT NULL, summary TEXT NOT NULL, by_when TEXT NOT NULL, verifier TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rejected(key TEXT PRIMARY KEY, complaint TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS applied(seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE NOT NULL,
  at TEXT NOT NULL, accepted INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS policies(version TEXT PRIMARY KEY, file TEXT NOT NULL, text TEXT NOT NULL);
"""

# The journal's names of the action kinds (the C++ helpdesk's).
KIND_NAMES = {
    redress.ActionKind.ESCALATION: "escalation",
    redress.ActionKind.BREACH: "breach",
    redress.ActionKind.PROMISE_BREACH: "promise broken",
    redress.ActionKind.CORRECTIVE_ACTION: "corrective action",
    redress.ActionKind.ASSIGNMENT: "owner",
    redress.ActionKind.PAUSE_ENDED: "pause ended",
}
SECOND = dt.timedelta(seconds=1)


def utc(t):
    """An instant as the journal keeps it: "2026-03-23T09:15:00Z"."""
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Line:
    """One input line: an opening or an event, with a key unique in the input."""

    def __init__(self, text, calendar, occurrences):
        j = json.loads(text)
        if not isinstance(j, dict) or not isinstance(j.get("complaint"), str):
            raise ValueError('every line needs "complaint"')
        self.complaint = j["complaint"]
        self.fields = json.dumps(j, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        self.opening = "received" in j

        def time(key):
            if not isinstance(j.get(key), str):
                raise ValueError(f"'{key}' must be a timestamp string")
            return calendar.parse_timestamp(j[key])

        def text_of(key):
            return j[key] if isinstance(j.get(key), str) else ""

        if self.opening:
            self.key = "open " + self.complaint
            self.at = time("received")
            self.attributes = {k: v for k, v in j.items() if k not in ("complaint", "received") and isinstance(v, str)}
            return
        try:
            self.event = redress.Event(j.get("event"))
        except ValueError:
            raise ValueError('unknown or missing "event"') from None
        self.at = time("at")
        self.options = {key: text_of(key) for key in ("actor", "reason", "role", "what", "owner", "verifier")}
        for key, default in (("justified", False), ("satisfied", True)):
            value = j.get(key, default)
            if not isinstance(value, bool):
                raise ValueError(f"'{key}' must be true or false")
            self.options[key] = value
        for key in ("promised", "due"):
            if key in j:
                self.options[key] = time(key)
        base = f"{self.complaint} {utc(self.at)} {self.event.value}"
        occurrences[base] = occurrences.get(base, 0) + 1
        self.key = f"{base} #{occurrences[base]}"

    def apply_to(self, engine, policy_version=None):
        if not self.opening:
            return engine.apply(self.complaint, self.event, self.at, **self.options)
        if policy_version is None:
            return engine.open(self.complaint, self.at, **self.attributes)
        # A journaled complaint reopens under the policy version it was opened under.
        return engine.restore({"format": "redress-snapshot", "format_version": redress.SNAPSHOT_FORMAT_VERSION,
                               "policy_version": policy_version,
                               "intake": {"id": self.complaint, "received": self.at.isoformat(),
                                          "attributes": self.attributes},
                               "events": [], "fired_until": None})


class Helpdesk:
    def __init__(self, args, policy, text):
        self.policy = policy
        self.engine = redress.Engine(policy)
        self.calendar = policy.calendar()
        self.quiet = args.quiet
        self.window = dt.timedelta(seconds=args.reorder_window)
        self.journaled = set()
        self.waiting = []  # heap of (event time, input line number, line)
        # isolation_level=None: this class says where transactions begin and end.
        self.db = sqlite3.connect(args.journal, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            self.db.execute("PRAGMA " + pragma)
        self.db.executescript(SCHEMA)
        known = False
        for version, file, old_text in self.db.execute("SELECT version, file, text FROM policies").fetchall():
            if version != policy.version:
                self.engine.add_policy(redress.parse_policy(old_text, file), False)
                continue
            known = True
            if old_text != text:
                raise RuntimeError(f'policy "{args.policy}" says version "{version}", but its text is not the text '
                                   f'the journal holds for that version (journaled from "{file}"): a changed policy '
                                   f'needs a new version; refusing to start')
        if not known:
            with self.transaction():
                self.db.execute("INSERT INTO policies(version, file, text) VALUES(?,?,?)", (policy.version, args.policy, text))

    def transaction(self):
        db = self.db

        class Transaction:
            def __enter__(self):
                db.execute("BEGIN IMMEDIATE")

            def __exit__(self, kind, value, traceback):
                db.execute("COMMIT" if kind is None else "ROLLBACK")

        return Transaction()

    def local(self, t):
        """An instant in the default calendar's offset, as the C++ helpdesk prints it."""
        return self.calendar.parse_timestamp(utc(t)).isoformat()

    # ---- restart ------------------------------------------------------------------------------
    def recover(self):
        """Replays the journal in the order lines were applied, each after the same advance the
        live run made; then executes the actions that fired but were never recorded."""
        openings = {"open " + i: (fields, version) for i, fields, version in
                    self.db.execute("SELECT id, attributes, policy_version FROM complaints")}
        events = dict(self.db.execute("SELECT key, fields FROM events"))
        recorded = {i for (i,) in self.db.execute("SELECT id FROM actions")}
        fired, lost, occurrences = [], [], {}
        applied = self.db.execute("SELECT key, at, accepted FROM applied ORDER BY seq").fetchall()
        for key, at, accepted in applied:
            self.journaled.add(key)
            fired += self.engine.advance(dt.datetime.fromisoformat(at) - SECOND)
            if not accepted:
                continue
            if key in openings:
                fields, version = openings[key]
                line = Line(fields, self.calendar, occurrences)
                try:
                    fired += line.apply_to(self.engine, version)
                except redress.Error as e:
                    lost.append(f'{line.complaint} (opened under policy version "{version}"): {e.message}')
            elif key in events:
                line = Line(events[key], self.calendar, occurrences)
                try:
                    fired += line.apply_to(self.engine)
                except redress.Error as e:
                    lost.append(f"{line.complaint}: its journaled event {key} is now refused: {e.message}")
            else:
                lost.append(f"{key}: applied, but the journal has no such event")
        self.journaled.update(k for (k,) in self.db.execute("SELECT key FROM rejected"))
        if lost:
            raise RuntimeError(f"cannot restore {len(lost)} journaled complaint(s) or event(s):" +
                               "".join("\n  " + entry for entry in lost))
        missing = []
        for a in fired:
            if a.id not in recorded:
                recorded.add(a.id)
                missing.append(a)
        self.execute(missing)
        return len(applied)

    # ---- ingestion ----------------------------------------------------------------------------
    def ingest(self, lines):
        occurrences, feed = {}, None
        for number, text in enumerate(lines, 1):
            if not text.strip(" \t\r\n"):
                continue
            try:
                line = Line(text, self.calendar, occurrences)
            except (ValueError, redress.Error) as e:
                print(f"line {number}: {e} (skipped)", file=sys.stderr)
                continue
            if feed is None or feed < line.at:
                feed = line.at
            if line.key not in self.journaled:
                heapq.heappush(self.waiting, (line.at, number, line))
            self.release(feed - self.window)
        self.release(None)

    def release(self, limit):
        """Applies, in event-time order, the waiting lines at or before `limit` (all when None)."""
        while self.waiting and (limit is None or self.waiting[0][0] <= limit):
            _, _, line = heapq.heappop(self.waiting)
            self.execute(self.engine.advance(line.at - SECOND))
            self.accept(line)

    def accept(self, line):
        """Applies one line and journals it in one transaction; if the journal cannot commit,
        the complaint is put back as it was and the error goes on up."""
        before = None
        if not line.opening:
            try:
                before = self.engine.snapshot(line.complaint)
            except redress.UnknownComplaint:
                pass
        actions, rejection = [], ""
        try:
            actions = line.apply_to(self.engine)
        except redress.Error as e:
            rejection = e.message
        try:
            with self.transaction():
                self.db.execute("INSERT INTO applied(key, at, accepted) VALUES(?,?,?)",
                                (line.key, utc(line.at), 0 if rejection else 1))
                if rejection:
                    self.db.execute("INSERT OR IGNORE INTO rejected(key, complaint, reason) VALUES(?,?,?)",
                                    (line.key, line.complaint, rejection))
                elif line.opening:
                    self.db.execute("INSERT INTO complaints(id, received, attributes, policy_version) VALUES(?,?,?,?)",
                                    (line.complaint, utc(line.at), line.fields, self.policy.version))
                else:
                    self.db.execute("INSERT INTO events(key, complaint, at, event, fields) VALUES(?,?,?,?,?)",
                                    (line.key, line.complaint, utc(line.at), line.event.value, line.fields))
                if not rejection:
                    self.record_status(line.complaint, line.at)
                    for a in actions:
                        self.record(a)
        except Exception as e:
            if not rejection:  # undo in the engine what the journal does not hold
                self.engine.erase(line.complaint)
                if before is not None:
                    self.engine.restore(before)
            raise RuntimeError(f"journal: {e} (so {line.key} is not applied)") from e
        self.journaled.add(line.key)
        if rejection:
            if not self.quiet:
                print(f"rejected {line.key}: {rejection}")
            return
        print(f"ack {line.key}", flush=True)
        for a in actions:
            self.announce(a)

    def record_status(self, complaint, at):
        s = self.engine.status(complaint, at)
        breached = [c.target for c in s.clocks if c.breached]
        result = "breached: " + ", ".join(breached) if breached else ""
        self.db.execute("UPDATE complaints SET state=?, owner=?, result=? WHERE id=?",
                        (s.state.value, s.owner, result, complaint))

    def record(self, a):
        self.db.execute("INSERT OR IGNORE INTO actions(id, complaint, at, kind, who, summary, by_when, verifier) "
                        "VALUES(?,?,?,?,?,?,?,?)",
                        (a.id, a.complaint, utc(a.at), KIND_NAMES[a.kind], a.who, a.summary,
                         utc(a.by_when) if a.by_when else "", a.verifier))

    def execute(self, actions):
        if not actions:
            return
        # On a failure the engine has fired them; a restart finds them unrecorded and executes them.
        with self.transaction():
            for a in actions:
                self.record(a)
                self.record_status(a.complaint, a.at)
        for a in actions:
            self.announce(a)

    def announce(self, a):
        if self.quiet:
            return
        by = f" by={self.local(a.by_when)}" if a.by_when else ""
        verifier = f" verifier={a.verifier}" if a.verifier else ""
        print(f"action {self.local(a.at)} {a.id} who={a.who}{by}{verifier} : {a.summary}")

    def finish(self, until):
        self.execute(self.engine.advance(until))

    def summary(self, until):
        count = {table: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                 for table in ("complaints", "events", "actions", "rejected")}
        print("\n== journal")
        print(f"{count['complaints']} complaints, {count['events']} events, {count['actions']} actions, "
              f"{count['rejected']} rejected")
        print("\n  serial  complaint  state                    owner             result")
        for serial, i, state, owner, result in self.db.execute(
                "SELECT serial, id, state, owner, result FROM complaints ORDER BY serial"):
            print(f"  {serial:6d}  {i:<9}  {state:<23}  {owner:<16}  {result}")
        print("\n== escalations and breaches")
        for at, complaint, who, summary in self.db.execute(
                "SELECT at, complaint, who, summary FROM actions "
                "WHERE kind IN ('escalation','breach','promise broken') ORDER BY at, id"):
            print(f"  {self.local(dt.datetime.fromisoformat(at))}  {complaint:<6}  {who:<16} {summary}")
        print(f"\n(state at {self.local(until)})")


def main():
    parser = argparse.ArgumentParser(description="A helpdesk that journals complaints in SQLite and lets redress "
                                                 "run the clocks")
    parser.add_argument("--policy", default="rules/iso10002.toml", help="policy file (TOML)")
    parser.add_argument("--journal", default="helpdesk.db", help="the SQLite journal (created when missing)")
    parser.add_argument("--until", help="advance the clocks to TIME at the end (default: now)")
    parser.add_argument("--summary", action="store_true", help="print the journal and the escalations at the end")
    parser.add_argument("--quiet", action="store_true", help="print only acknowledgements")
    parser.add_argument("--reorder-window", type=int, default=3600,
                        help="apply events in event-time order once the feed is SECONDS past them")
    parser.add_argument("input", nargs="?", default="-", help="JSON Lines input, or - for standard input")
    args = parser.parse_args()
    if args.reorder_window < 0:
        parser.error(f"--reorder-window must not be negative, not {args.reorder_window}")
    try:
        with open(args.policy, encoding="utf-8") as f:
            text = f.read()
        policy = redress.parse_policy(text, args.policy)
        calendar = policy.calendar()
        until = (calendar.parse_timestamp(args.until) if args.until
                 else dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
        source = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")
        desk = Helpdesk(args, policy, text)
        recovered = desk.recover()
        if recovered and not args.quiet:
            print(f"recovered {recovered} journal entries")
        with source:
            desk.ingest(source)
        print("ingested", flush=True)
        desk.finish(until)
        if args.summary:
            desk.summary(until)
        sys.stdout.flush()
    except (OSError, RuntimeError, sqlite3.Error, redress.Error) as e:
        print(f"helpdesk.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
