"""`redress server` through its HTTP API (issue 20): real server processes, real sockets, the
system clock (no --clock=manual).

    server_http_bench.py REDRESS JOURNAL NODES [--complaints N] [--fire N] [--clients N]

JOURNAL is sqlite:PATH or postgresql://...; NODES server processes are started on it (more than
one only on PostgreSQL: N API nodes sharing one journal, each validating and journaling under the
complaint's row lock; there is no partitioned fleet). Two phases, one line of results:

1. events accepted: --complaints complaints, each an intake and two events (acknowledge,
   register, all three at the system clock's now as the complaint's first request leaves), sent by --clients threads over keep-alive connections,
   the requests spread over the nodes in turn; requests accepted (201/200) per second of wall
   time. Acknowledged within 20 s, these complaints fire nothing.
2. actions emitted: --fire complaints opened with `received` = the current whole second R, so
   each has two levels (bench/hosts/server_http_bench.toml) falling due during the run, at R+20 s
   and R+40 s, and its breach at R+41 s (a clock still running one second after its due instant):
   3 x --fire actions whose due instants fall at the same three seconds. One thread per
   node long-polls GET /actions (wait=1) and notes, for each action id, when it was first seen on
   any node. The lag of an action = the time it was first seen in a feed (the client's
   time.time(), the same system clock the server reads) minus its `at`; reported: the 50th, 99th
   percentile and the largest. Actions per second = actions of one due second / (time the last
   of them was seen - their due instant): the rate of a burst, every one due at once.
The lag includes the server's scheduling granularity (it wakes 50 ms after the due second began)
and the feed's round trip; `emitted` (the server's journaled instant, whole seconds) is not used.
"""
import argparse
import atexit
import http.client
import json
import socket
import subprocess
import threading
import time
from datetime import datetime, timezone

p = argparse.ArgumentParser()
p.add_argument("redress")
p.add_argument("journal")
p.add_argument("nodes", type=int)
p.add_argument("--policy", required=True)
p.add_argument("--complaints", type=int, default=1000)
p.add_argument("--fire", type=int, default=1000)
p.add_argument("--clients", type=int, default=4)
p.add_argument("--label", default="")
p.add_argument("--new-connection", action="store_true",
               help="phase 1: a new connection for each request (default: one keep-alive connection per node)")
args = p.parse_args()


def now_text(t=None):
    return datetime.fromtimestamp(time.time() if t is None else t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


servers = []
stop = threading.Event()  # set: the feed threads end


@atexit.register
def stop_servers():
    """The servers end with the benchmark, on a failure too (SystemExit)."""
    stop.set()
    for proc, _ in servers:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=60)


for _ in range(args.nodes):
    proc = subprocess.Popen([args.redress, "server", "--policy", args.policy, "--journal", args.journal,
                             "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if "listening on http://127.0.0.1:" not in line:
        raise SystemExit("the server did not start: " + line + proc.stderr.read())
    port = int(line.split("listening on http://127.0.0.1:")[1].split(" ")[0].rstrip("/"))
    servers.append((proc, port))


def connect(k):
    conn = http.client.HTTPConnection("127.0.0.1", servers[k % len(servers)][1], timeout=120)
    conn.connect()
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # the client's side sends at once
    return conn


def call(conn, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data is not None else {}
    conn.request(method, path, body=data, headers=headers)
    r = conn.getresponse()
    text = r.read()
    return r.status, json.loads(text)


failures = []


def send_all(jobs_of_client):
    """Each client thread runs its list of jobs, each a function of the current instant (the
    system clock, read as the job starts) giving (method, path, body, expected status) requests,
    sent in order, node by node in turn over one keep-alive connection per node (or a new
    connection each, with --new-connection)."""
    def client(jobs, c):
        conns = [connect(k) for k in range(len(servers))]
        i = 0
        for job in jobs:
            for method, path, body, expected in job(now_text()):
                k = (i + c) % len(conns)
                i += 1
                if args.new_connection:
                    conns[k].close()
                    conns[k] = connect(k)
                status, reply = call(conns[k], method, path, body)
                if status != expected:
                    failures.append(f"{method} {path}: {status} {reply}")
                    return
    threads = [threading.Thread(target=client, args=(jobs, c)) for c, jobs in enumerate(jobs_of_client)]
    start = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.time() - start


def intake(cid, received):
    return ("POST", "/complaints", {"id": cid, "received": received, "attributes": {"kind": "claim"}}, 201)


def handled(cid):
    """An intake, then acknowledge and register at the same instant: nothing falls due."""
    return lambda t: [intake(cid, t), ("POST", f"/complaints/{cid}/events", {"event": "acknowledge", "at": t}, 200),
                      ("POST", f"/complaints/{cid}/events", {"event": "register", "at": t}, 200)]


# --- phase 1: events accepted --------------------------------------------------------------------
jobs = [[] for _ in range(args.clients)]
for i in range(args.complaints):
    jobs[i % args.clients].append(handled(f"E-{i}"))
elapsed = send_all(jobs)
if failures:
    raise SystemExit("refused: " + failures[0])
requests = 3 * args.complaints
events_per_second = requests / elapsed

# --- phase 2: actions emitted, lag from due instant to the feed -----------------------------------
seen = {}  # action id -> (at, first seen)


def feed(k):
    conn = connect(k)
    cursor = 0
    while not stop.is_set():
        try:
            status, reply = call(conn, "GET", f"/actions?after={cursor}&wait=1&limit=10000")
        except (OSError, http.client.HTTPException):
            if stop.is_set():
                return  # the servers are being stopped
            raise
        got = time.time()
        if status != 200:
            failures.append(f"feed: {status} {reply}")
            return
        for a in reply["actions"]:
            aid = a["action"]["id"]
            if aid.startswith("F-") and aid not in seen:
                seen[aid] = (datetime.fromisoformat(a["action"]["at"]).timestamp(), got)
        cursor = reply["next"]


# The feed starts after phase 1's actions (none) and before the burst's intakes.
feeders = [threading.Thread(target=feed, args=(k,), daemon=True) for k in range(len(servers))]
for f in feeders:
    f.start()
received = int(time.time())
jobs = [[] for _ in range(args.clients)]
for i in range(args.fire):
    jobs[i % args.clients].append(lambda t, cid=f"F-{i}": [intake(cid, now_text(received))])
intake_time = send_all(jobs)
if failures:
    raise SystemExit("refused: " + failures[0])
if time.time() >= received + 20:
    raise SystemExit(f"the {args.fire} intakes took {intake_time:.1f} s, past the first due instant: use a smaller --fire")
deadline = received + 41 + 30
while len(seen) < 3 * args.fire and time.time() < deadline and not failures:
    time.sleep(0.1)
stop.set()
for f in feeders:
    f.join()
stop_servers()
if failures:
    raise SystemExit(failures[0])
if len(seen) != 3 * args.fire:
    raise SystemExit(f"{len(seen)} actions seen in the feed, expected {3 * args.fire}")
lags = sorted(got - at for at, got in seen.values())
early = [x for x in lags if x < 0]
if early:
    raise SystemExit(f"{len(early)} actions seen before their due instant")


def pct(q):
    return lags[min(len(lags) - 1, int(q * len(lags)))]


rates = []
for due in (received + 20, received + 40, received + 41):
    batch = [got for at, got in seen.values() if at == due]
    rates.append(len(batch) / (max(batch) - due))
print(f"{args.label}: {events_per_second:.0f} requests accepted per second ({requests} in {elapsed:.2f} s, "
      f"{args.clients} clients, {args.nodes} node(s), {'new connections' if args.new_connection else 'keep-alive'}); actions emitted: {min(rates):.0f}-{max(rates):.0f} per second "
      f"({3 * args.fire} actions in three bursts of {args.fire}); lag due -> feed: p50 {pct(0.5) * 1000:.0f} ms, "
      f"p99 {pct(0.99) * 1000:.0f} ms, max {lags[-1] * 1000:.0f} ms")
