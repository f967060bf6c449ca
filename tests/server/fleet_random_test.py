"""Three servers on one PostgreSQL journal through random histories (issue 20, "Tests against real
servers"): 20,000 complaints, one server killed with SIGKILL mid-run, another stopped and
restarted, time driven by the manual clock, every action delivered to a webhook receiver that
fails and times out on purpose.

    postgres_run.sh PYTHON fleet_random_test.py REDRESS SOURCE_DIR WORK_DIR

postgres_run.sh starts the PostgreSQL, sets PGHOST/... for psql and passes its URI last.
REDRESS_FLEET_COMPLAINTS=N runs N complaints instead of 20,000 (to try a change quickly). Policy
rules/iso10002.toml (calendar england-wales), seeded random histories (random.Random(20)), so a
run is reproducible. What is checked is what the issue names, against a single in-process engine
(`redress serve`, the same policy) replaying what the journal holds:

- time moves in about 1,300 steps from Monday 2 March 2026 09:00Z to four weeks after the last
  event; at each step the test sets every live server's clock at once (each drains the journal's
  due complaints, FOR UPDATE SKIP LOCKED), then sends the step's intakes and events, each to a
  server drawn at random, dated the step's instant (so no event is late: a late event would
  retract, and is tested elsewhere);
- a history is a walk through the lifecycle with random turns (pauses for information, proposals
  accepted and rejected, corrective plans, holding responses, promises, escalations, reassignments,
  reopenings, withdrawals, complaints left to go overdue) and about one event in 30 drawn from
  every event the lifecycle has, most of them refused; about one intake in 50 lacks its return
  address and is refused;
- server A is killed with SIGKILL while its requests are in flight, two fifths of the way; the
  request it was serving, whose fate the client cannot know, is sent again to another server, as a
  helpdesk would; server B is stopped (SIGTERM, exit 0) and started again three quarters of the
  way, rebuilding the complaints of the partitions it leases from the journal;
- the receiver fails the first delivery of one action in 300 (HTTP 500) and lets the first
  delivery of one in 3,000 time out (the servers' --webhook-timeout is 1 s).

Checked:
- the journal holds exactly the accepted requests: every complaint and event answered 201/200, and
  at most the one request A was serving when it died; nothing refused;
- the outbox is exactly the actions the single engine emits replaying the journal's intakes and
  events at their steps with the same clock steps, each id once, with its body, none emitted
  before its due instant;
- every action arrives at the receiver (de-duplicated by id: each server delivers at least once),
  with its body, none while the fleet's clock was before its instant, and ends acknowledged;
- B and C end holding 8 of the 16 partitions each, and each engine exactly the journaled
  complaints of its partitions;
- the status of every complaint at the end, read from a server, equals the single engine's.
"""
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import zlib
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import Server, check, failures, psql, webhook_receiver  # noqa: E402

redress, src, work, uri = sys.argv[1:5]
count = int(os.environ.get("REDRESS_FLEET_COMPLAINTS", "20000"))
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
policy = os.path.join(src, "rules", "iso10002.toml")
# The servers' sessions commit without waiting for the WAL to reach the disk (the test's cluster
# is thrown away; what is tested is the fleet, whose servers are killed, not the database's
# durability, which db_restart_test.py tests with fsync on): 160,000 requests fit in minutes.
servers_uri = uri + ("&" if "?" in uri else "?") + "options=-c%20synchronous_commit%3Doff"
started = time.monotonic()
rng = random.Random(20)


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the histories ---------------------------------------------------------------------------
# Steps: 5 to 120 minutes apart; intakes over the first four weeks, events after them.
start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
intake_span = timedelta(days=28)
steps = [start]
while steps[-1] < start + intake_span + timedelta(days=14):
    steps.append(steps[-1] + timedelta(minutes=rng.randint(5, 120)))
last_event_step = len(steps) - 1
while steps[-1] < start + intake_span + timedelta(days=42):  # time passes: deadlines left open fire
    steps.append(steps[-1] + timedelta(hours=rng.randint(4, 30)))
texts = [stamp(t) for t in steps]
intake_steps = [k for k, t in enumerate(steps) if t < start + intake_span]

kinds = ["staff", "organisation", "product-quality", "claim", "suggestion"]
channels = ["phone", "chat", "email", "web", "letter", "in-person"]
every_event = ["acknowledge", "register", "start_investigation", "request_information", "customer_replied",
               "propose_resolution", "customer_accepts", "customer_rejects", "send_holding_response",
               "send_response", "verify_satisfaction", "close", "reopen", "withdraw", "escalate", "assign",
               "promise", "contact_customer", "plan_action", "complete_action", "verify_action"]
roles = ["agent", "handler", "team-lead", "store-manager", "quality", "head-of-service"]


def event_body(name, at):
    e = {"event": name, "at": texts[at]}
    if name in ("request_information", "send_holding_response", "reopen", "escalate"):
        e["reason"] = rng.choice(["order number", "photo of the label", "the supplier must answer",
                                  "the customer says nothing changed", "a safety issue"])
    elif name == "propose_resolution":
        e["justified"] = rng.random() < 0.6
    elif name == "verify_satisfaction":
        e["satisfied"] = rng.random() < 0.8
    elif name == "assign":
        e["role"] = rng.choice(roles)
    elif name == "promise":
        e["promised"] = stamp(steps[at] + timedelta(hours=rng.randint(2, 120)))
    elif name == "plan_action":
        e["what"] = "Find the root cause and prevent it"
    if rng.random() < 0.3:
        e["actor"] = rng.choice(["agent-ben", "handler-dee", "lead-sam"])
    return e


def walk():
    """The events of one history, by name: the lifecycle's usual ways with random turns."""
    state, plan, names = "received", None, []
    while len(names) < 16:
        r = rng.random()
        if r < 0.04:
            return names  # left alone: its deadlines fire
        if r < 0.07:
            names.append(rng.choice(every_event))  # anything: most are refused
            continue
        if r < 0.09 and state not in ("closed",):
            names.append(rng.choice(["escalate", "assign", "contact_customer", "promise"]))
            continue
        if r < 0.10 and state != "closed":
            names.append("withdraw")
            return names
        nxt = {
            "received": ["acknowledge"] * 9 + ["register"],
            "acknowledged": ["register"],
            "registered": ["start_investigation"] * 4 + ["send_response"],
            "investigating": ["request_information", "propose_resolution", "propose_resolution", "send_response",
                              "send_holding_response", "contact_customer"],
            "awaiting_customer": ["customer_replied"],
            "proposed": ["customer_accepts", "customer_accepts", "customer_rejects"],
            "agreed": ["plan_action", "send_response"],
            "responded": ["verify_satisfaction", "close"],
            "verifying": ["close"],
            "closed": ["reopen"],
        }[state]
        name = rng.choice(nxt)
        if state == "closed" and rng.random() < 0.9:
            return names
        if name == "send_response" and plan == "planned":
            names += ["complete_action", "verify_action"]
            plan = "verified"
        names.append(name)
        state = {"acknowledge": "acknowledged", "register": "registered", "start_investigation": "investigating",
                 "request_information": "awaiting_customer", "customer_replied": "investigating",
                 "propose_resolution": "proposed", "customer_accepts": "agreed", "customer_rejects": "investigating",
                 "send_response": "responded", "verify_satisfaction": "verifying", "close": "closed",
                 "reopen": "investigating"}.get(name, state)
        if name == "plan_action":
            plan = "planned"
    return names


requests = [[] for _ in steps]  # per step: (complaint, "open"|"event", body)
for n in range(1, count + 1):
    cid = f"R-{n}"
    k = rng.choice(intake_steps)
    channel = rng.choice(channels)
    attributes = {"kind": rng.choice(kinds), "channel": channel,
                  "priority": "urgent" if rng.random() < 0.1 else "normal",
                  "tier": rng.choice(["standard", "loyalty"]), "customer_name": f"Customer {n}"}
    if channel in ("email", "web", "letter") and rng.random() > 0.02:
        attributes["return_address"] = f"c{n}@example.org"
    requests[k].append((cid, "open", {"id": cid, "received": texts[k], "attributes": attributes}))
    for name in walk():
        k += 1 + min(int(rng.expovariate(1 / 12)), 200)
        if k > last_event_step:
            break
        requests[k].append((cid, "event", event_body(name, k)))
for reqs in requests:
    rng.shuffle(reqs)
total = sum(len(r) for r in requests)
print(f"{count} complaints, {total - count} events, {len(steps)} clock steps "
      f"({texts[0]} to {texts[-1]}, events until {texts[last_event_step]})", flush=True)

# --- the receiver: fails and times out on purpose; records what arrives, and the fleet's clock -------
fleet_now = [texts[0]]  # set before the servers' clocks: never behind any server's
arrivals = {}           # id -> (body, fleet clock at its first arrival)
deliveries = [0, 0, 0]  # arrivals, refused with 500, left to time out
lock = threading.Lock()


def first_attempt_fails(aid, one_in):
    return zlib.crc32(aid.encode()) % one_in == 0


seen_once = set()


def answer(aid, body):
    with lock:
        deliveries[0] += 1
        first = aid not in seen_once
        seen_once.add(aid)
        fail = first and first_attempt_fails(aid, 300)
        stall = first and not fail and first_attempt_fails(aid + "t", 3000)
        if fail:
            deliveries[1] += 1
        elif stall:
            deliveries[2] += 1
        elif aid not in arrivals:
            arrivals[aid] = (body, fleet_now[0])
    # A stall answers past the servers' --webhook-timeout 1: they give up and send again.
    return 500 if fail else 200, 1.5 if stall else 0


receiver = webhook_receiver(answer)
hook = ["--webhook", f"http://127.0.0.1:{receiver.server_address[1]}/redress", "--webhook-timeout", "1"]


# --- the fleet -----------------------------------------------------------------------------------
class Node:
    """A server and a keep-alive connection to it."""

    def __init__(self, name):
        self.name = name
        self.server = Server(redress, policy, servers_uri, *hook)
        self.host, port = self.server.base.split("//")[1].split(":")
        self.port = int(port)
        self.conn = None

    def call(self, method, path, body=None, sent=None):
        """(status, reply); raises OSError/HTTPException when the server is gone. `sent`: called
        once the request is written, before the reply is read."""
        data = None if body is None else json.dumps(body).encode()
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
                if sent:
                    sent()
                r = self.conn.getresponse()
                return r.status, json.loads(r.read() or b"null")
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                # A keep-alive connection the server closed between two requests: once more, on
                # a new one (the request was not read). A dead server fails again.
                if attempt == 2 or self.server.proc.poll() is not None:
                    raise


a, b, c = Node("A"), Node("B"), Node("C")
live = [a, b, c]
kill_step, restart_step = len(steps) * 2 // 5, len(steps) * 3 // 4
answered = {"open": {}, "event": {}}  # (status, code) -> count
accepted_events, uncertain, refused = 0, [], 0
stats_lock = threading.Lock()


def set_clocks(k):
    fleet_now[0] = texts[k]
    replies = {}

    def one(node):
        replies[node.name] = node.call("POST", "/admin/clock", {"now": texts[k]})

    threads = [threading.Thread(target=one, args=(n,)) for n in live]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for n in live:
        status, r = replies.get(n.name, (None, None))
        check(status == 200, f"{n.name}'s clock to {texts[k]}: {status} {str(r)[:300]}")


def send(node, reqs, spill, kill_at=None):
    """Sends `reqs` to `node`; when the node dies, the rest (and the one it was serving) go to
    `spill`. `kill_at`: the node is killed with SIGKILL once that request is written to it."""
    global accepted_events, refused
    for i, (cid, what, body) in enumerate(reqs):
        path = "/complaints" if what == "open" else f"/complaints/{cid}/events"
        try:
            status, r = node.call("POST", path, body, sent=node.server.kill if i == kill_at else None)
        except (OSError, http.client.HTTPException):
            with stats_lock:
                uncertain.append((cid, what))
                spill.extend(reqs[i:])
            return
        code = r["error"]["code"] if status >= 300 and isinstance(r, dict) and "error" in r else ""
        with stats_lock:
            key = (status, code)
            answered[what][key] = answered[what].get(key, 0) + 1
            if what == "event" and status == 200:
                accepted_events += 1
            if status >= 300:
                refused += 1
        if status >= 500:
            check(False, f"{node.name} {what} {cid}: {status} {r}")


for k in range(len(steps)):
    if k == restart_step:
        check(b.server.stop() == 0, "B stopped with SIGTERM: exit 0")
        live.remove(b)
        b = Node("B")
        live.append(b)
        print(f"step {k}: B stopped and started again ({b.server.banner})", flush=True)
    set_clocks(k)
    if not requests[k]:
        continue
    shares = {n.name: [] for n in live}
    for req in requests[k]:
        shares[rng.choice(live).name].append(req)
    spill = []
    # Two fifths of the way, at the first step that gives A at least 4 requests: A is killed
    # once the middle one is written to it, before it answers (so whether it was journaled is
    # A's secret: the journal says).
    kill_at = {}
    if k >= kill_step and a in live and len(shares["A"]) >= 4:
        kill_at["A"] = len(shares["A"]) // 2
        print(f"step {k}: A killed with SIGKILL while serving request {kill_at['A'] + 1} of {len(shares['A'])}",
              flush=True)
    threads = [threading.Thread(target=send, args=(n, shares[n.name], spill, kill_at.get(n.name))) for n in live]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if a in live and a.server.proc.poll() is not None:
        live.remove(a)
    if spill:  # as a helpdesk would: what a dead server did not answer goes to one that lives
        send(live[0], spill, [])
    if k % 200 == 0:
        print(f"step {k}/{len(steps)} {texts[k]}: {sum(len(r) for r in requests[:k + 1])} requests sent, "
              f"{time.monotonic() - started:.0f} s", flush=True)
check(a not in live, "A was killed")
check(len(uncertain) == 1, f"requests in flight when A died: {uncertain}")
print(f"answers: {answered}; in flight when A died: {uncertain}", flush=True)

# --- the webhook delivers everything ----------------------------------------------------------------
for _ in range(3000):
    if psql("SELECT count(*) FROM actions WHERE acknowledged_at IS NULL") == [("0",)]:
        break
    time.sleep(0.1)
check(psql("SELECT count(*) FROM actions WHERE acknowledged_at IS NULL") == [("0",)],
      "actions left unacknowledged: " + str(psql("SELECT count(*) FROM actions WHERE acknowledged_at IS NULL")))

# --- the single engine replays the journal --------------------------------------------------------
step_of = {t: k for k, t in enumerate(texts)}
journaled = psql("SELECT id, intake FROM complaints ORDER BY serial")
events = psql("SELECT complaint, body FROM events ORDER BY seq")
by_step = [[] for _ in steps]
for cid, intake in journaled:
    by_step[step_of[json.loads(intake)["received"]]].append({"op": "open", "intake": json.loads(intake)})
for cid, body in events:
    by_step[step_of[json.loads(body)["at"]]].append({"op": "apply", "complaint": cid, "event": json.loads(body)})
ops = []
for k in range(len(steps)):
    ops.append({"op": "advance", "now": texts[k]})
    ops += by_step[k]
for cid, _ in journaled:
    ops.append({"op": "status", "complaint": cid, "now": texts[-1]})
replay_in = os.path.join(work, "replay.jsonl")
with open(replay_in, "w") as f:
    for i, op in enumerate(ops):
        f.write(json.dumps({"id": i, **op}) + "\n")
with open(replay_in) as f:
    out = subprocess.run([redress, "serve", "--policy", policy], stdin=f, capture_output=True, text=True)
check(out.returncode == 0, f"redress serve: exit {out.returncode} {out.stderr[:300]}")
replies = [json.loads(line) for line in out.stdout.splitlines()]
check(len(replies) == len(ops), f"redress serve: {len(replies)} replies to {len(ops)} requests")
expected, statuses = {}, {}
for op, rep in zip(ops, replies):
    check(rep.get("ok") is True, f"the replay refused {op['op']} {op.get('complaint', '')}: {rep.get('error')}")
    if op["op"] == "status":
        statuses[op["complaint"]] = rep.get("result")
    else:
        for x in rep.get("result") or []:
            check(x["id"] not in expected, f"the replay emitted {x['id']} twice")
            expected[x["id"]] = x
check(accepted_events <= len(events) <= accepted_events + len(uncertain),
      f"the journal holds {len(events)} events; {accepted_events} were accepted, {len(uncertain)} in doubt")
opened = answered["open"].get((201, ""), 0)
check(opened <= len(journaled) <= opened + len(uncertain),
      f"the journal holds {len(journaled)} complaints; {opened} were accepted, {len(uncertain)} in doubt")

rows = psql("SELECT id, due_at, emitted_at, body FROM actions ORDER BY cursor")
outbox = {}
for aid, due, emitted, body in rows:
    check(aid not in outbox, f"{aid} twice in the outbox")
    outbox[aid] = json.loads(body)
    check(datetime.fromisoformat(emitted.replace("Z", "+00:00")) >= datetime.fromisoformat(due.replace("Z", "+00:00")),
          f"{aid} emitted at {emitted}, before its instant {due}")
missing, unexpected = sorted(set(expected) - set(outbox)), sorted(set(outbox) - set(expected))
check(not missing and not unexpected,
      f"the outbox against the replay: {len(outbox)} against {len(expected)}; missing {missing[:3]}, "
      f"unexpected {unexpected[:3]}")
differing = [aid for aid in expected if aid in outbox and outbox[aid] != expected[aid]]
check(not differing, f"{len(differing)} actions differ from the replay's, first {differing[:1]}: "
      f"{[(outbox[x], expected[x]) for x in differing[:1]]}")

late = [aid for aid, (body, now) in arrivals.items()
        if datetime.fromisoformat(body["at"].replace("Z", "+00:00")) > datetime.fromisoformat(now.replace("Z", "+00:00"))]
check(set(arrivals) == set(outbox), f"the receiver has {len(arrivals)} actions, the outbox {len(outbox)}: missing "
      f"{sorted(set(outbox) - set(arrivals))[:3]}")
check(all(body == outbox.get(aid) for aid, (body, _) in arrivals.items()), "a delivered body is not its action")
check(not late, f"{len(late)} actions arrived while the fleet's clock was before their instant: {late[:3]}")
check(deliveries[1] > 0 and deliveries[2] > 0, f"the receiver's failures: {deliveries}")

# --- the partitions: B and C share them, each engine holding its own partitions' complaints -------
partition_of = dict(psql("SELECT id, partition FROM complaints"))
for _ in range(300):
    held = {n.name: set(n.call("GET", "/healthz")[1]["partitions"]) for n in live}
    if sorted(len(h) for h in held.values()) == [8, 8] and not held["B"] & held["C"]:
        break
    time.sleep(0.1)
check(held["B"] | held["C"] == set(range(16)) and not held["B"] & held["C"], f"the partitions held: {held}")
for n in live:
    mine = sum(1 for p in partition_of.values() if int(p) in held[n.name])
    h = n.call("GET", "/healthz")[1]
    check(h["complaints"] == mine, f"{n.name}'s engine holds {h['complaints']} complaints; its partitions {mine}")
print(f"partitions: B {sorted(held['B'])}, C {sorted(held['C'])}")

# --- every complaint's final state --------------------------------------------------------------
mismatched = []


def compare(node, ids):
    for cid in ids:
        status, s = node.call("GET", f"/complaints/{cid}?at={quote(texts[-1])}")
        if status != 200 or s != statuses.get(cid):
            mismatched.append((node.name, cid, status, s, statuses.get(cid)))


ids = [cid for cid, _ in journaled]
threads = [threading.Thread(target=compare, args=(n, ids[i::len(live)])) for i, n in enumerate(live)]
for t in threads:
    t.start()
for t in threads:
    t.join()
check(not mismatched, f"{len(mismatched)} complaints differ from the replay, first: {mismatched[:1]}")
states = {}
for s in statuses.values():
    states[s["state"]] = states.get(s["state"], 0) + 1
kinds_of = {}
for x in expected.values():
    key = x["kind"] if x["kind"] != "escalation" else f"escalation L{x['level']}"
    kinds_of[key] = kinds_of.get(key, 0) + 1
print(f"journal: {len(journaled)} complaints, {len(events)} events; {refused} requests refused; final states {states}")
print(f"outbox: {len(outbox)} actions, each once, equal to the replay's ({kinds_of}); receiver: {len(arrivals)} "
      f"distinct of {deliveries[0]} deliveries, {deliveries[1]} refused with 500, {deliveries[2]} left to time out")

for n in live:
    check(n.server.stop() == 0, f"{n.name} did not stop cleanly")
receiver.shutdown()
print(f"{time.monotonic() - started:.1f} s")
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("ok")
