"""What the multi-server tests share: a `redress server` process driven over HTTP, psql, and the
retail week (examples/helpdesk/retail-week.jsonl) as wire requests in event-time order."""
import http.server
import json
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

london = ZoneInfo("Europe/London")

# The failed checks of a test, in order; a test exits 1 when any are listed.
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


JOURNAL_TABLES = ("complaints", "events", "actions")


def sqlite_counts(db):
    """(complaints, events, actions) rows in the SQLite journal `db`: a refused request changes none."""
    con = sqlite3.connect(db)
    try:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in JOURNAL_TABLES)
    finally:
        con.close()


def postgres_counts():
    """As sqlite_counts, in the PostgreSQL journal psql() reaches."""
    return tuple(int(psql(f"SELECT count(*) FROM {t}")[0][0]) for t in JOURNAL_TABLES)


class Server:
    """`redress server --listen 127.0.0.1:0 --clock=manual` on `journal` (`clock="system"`: on the
    system clock); its port read from its first line."""

    def __init__(self, redress, policy, journal, *extra, clock="manual"):
        self.proc = subprocess.Popen(
            [redress, "server", "--policy", policy, "--journal", journal, "--listen", "127.0.0.1:0",
             f"--clock={clock}", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "listening on http://127.0.0.1:" not in line:
            raise SystemExit("the server did not start: " + line + self.proc.stderr.read())
        self.banner = line.strip()
        self.base = line.split("listening on ")[1].split(" ")[0]

    def call(self, method, path, body=None, token=None, raw=None):
        """(status, JSON reply, or its text when it is not JSON). `raw`: bytes sent as they are;
        `token`: a bearer token."""
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                text, status = r.read().decode(), r.status
        except urllib.error.HTTPError as e:
            text, status = e.read().decode(), e.code
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        return self.proc.returncode


def psql(sql):
    """Rows of `sql` (PGHOST/PGPORT/PGUSER/PGDATABASE from postgres_cluster.sh), tuples of text."""
    out = subprocess.run(["psql", "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("psql: " + out.stderr)
    return [tuple(line.split("\t")) for line in out.stdout.splitlines()]


def rfc3339(local_text):
    return datetime.fromisoformat(local_text).replace(tzinfo=london).isoformat()


def retail_week(path):
    """(instant, line, "open"|"event", complaint, body) for each line, in event-time order (ties in
    file order)."""
    steps = []
    for n, line in enumerate(open(path)):
        j = json.loads(line)
        if "received" in j:
            attributes = {k: v for k, v in j.items() if k not in ("complaint", "received")}
            steps.append((rfc3339(j["received"]), n, "open", j["complaint"],
                          {"id": j["complaint"], "received": rfc3339(j["received"]), "attributes": attributes}))
        else:
            event = {k: (rfc3339(v) if k in ("at", "promised", "due") else v) for k, v in j.items() if k != "complaint"}
            steps.append((event["at"], n, "event", j["complaint"], event))
    steps.sort(key=lambda s: (datetime.fromisoformat(s[0]), s[1]))
    return steps


def state_of(srv, ids, until):
    """Every complaint of `ids` at `until`, written as the helpdesk's --dump writes it."""
    import urllib.parse
    out = []
    for cid in sorted(ids):
        status, s = srv.call("GET", "/complaints/" + cid + "?at=" + urllib.parse.quote(until))
        if status != 200:
            continue
        out.append(f"{cid} {s['state']} owner={s['owner']} level={s['escalation_level']} events={s['events']}")
        for c in s["clocks"]:
            due = datetime.fromisoformat(c["due"]).astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")
            out.append(f"  {c['target']}#{c['cycle']} {c['state']}{' breached' if c['breached'] else ''} "
                       f"due={due} consumed={c['consumed_seconds']}")
    return out


def webhook_receiver(answer):
    """A webhook receiver the test runs on 127.0.0.1 (a free port: `.server_address[1]`), serving
    in a thread of its own until `.shutdown()`. `answer(action_id, body)` is called for each POST
    and returns (HTTP status, seconds to wait before answering)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            status, delay = answer(self.headers["Redress-Action-Id"], body)
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:
                pass  # the server gave up waiting (its --webhook-timeout) and closed the connection

        def log_message(self, *args):
            pass

    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.daemon_threads = True
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    return receiver
