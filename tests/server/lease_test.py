"""Partition leases (issue 20, "The PostgreSQL fleet": workers lease partitions and rebuild their
complaints from the journal on taking one): servers of one PostgreSQL journal split its 16
partitions between them, each holding in its engine only the complaints of its own, and a dead
server's partitions are taken, with their complaints, by the others.

    postgres_run.sh PYTHON lease_test.py REDRESS SOURCE_DIR WORK_DIR

A complaint's partition is FNV-1a (32 bits) of its id's bytes modulo 16 ("P-1": 5, worked below
as the test computes it); leases are rebalanced every 2 seconds (each live server's share: 16 over
the servers alive, rounded up). Checked, on a real PostgreSQL 15, rules/iso10002.toml, the manual
clock:
- A alone leases all 16; 40 complaints opened through it, each journaled with its partition;
  A's engine holds the 40; an id of 3,000 bytes, longer than PostgreSQL's unique index holds,
  is refused 422 `limit` and not kept;
- B started: within 30 s A and B hold 8 each, disjoint; each engine then holds exactly the
  journaled complaints of its partitions (B rebuilt them from the journal on taking them);
- an event for one of A's complaints sent to B is taken, and B's engine does not keep the
  complaint afterwards;
- A killed with SIGKILL: within 30 s B holds all 16 and its engine the 40, whose statuses it
  serves (the acknowledged one with its event).
"""
import os
import random
import shutil
import string
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import Server, check, failures, psql  # noqa: E402

redress, src, work, uri = sys.argv[1:5]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
policy = os.path.join(src, "rules", "iso10002.toml")


def fnv1a_partition(cid):
    h = 2166136261
    for byte in cid.encode():
        h = ((h ^ byte) * 16777619) % 2 ** 32
    return h % 16


check(fnv1a_partition("P-1") == 5, "FNV-1a of P-1 modulo 16")


def health(srv):
    status, h = srv.call("GET", "/healthz")
    check(status == 200, f"healthz: {status} {h}")
    return h


def settle(nodes, want):
    """Waits up to 30 s for the nodes' partitions to be `want` (a list of sets); returns them."""
    for _ in range(300):
        got = [set(health(n).get("partitions", [])) for n in nodes]
        if want(got):
            return got
        time.sleep(0.1)
    return got


a = Server(redress, policy, uri)
status, r = a.call("POST", "/admin/clock", {"now": "2026-04-01T14:00:00+01:00"})
check(status == 200, f"A's clock: {status} {r}")
check(health(a).get("partitions") == list(range(16)), f"A alone: {health(a)}")
ids = [f"P-{k}" for k in range(1, 41)]
for cid in ids:
    status, r = a.call("POST", "/complaints", {"id": cid, "received": "2026-04-01T14:00:00+01:00", "attributes": {
        "kind": "product-quality", "channel": "phone", "customer_name": "Ann Example"}})
    check(status == 201, f"open {cid}: {status} {r}")
# An id longer than PostgreSQL's unique index holds (2,704 bytes): refused as a limit, 422, not a
# 503 that invites sending it again; nothing journaled, nothing kept.
# (Random letters: a repeated one would be compressed below the limit.)
letters = random.Random(3000)
long_id = "".join(letters.choice(string.ascii_letters) for _ in range(3000))
status, r = a.call("POST", "/complaints", {"id": long_id, "received": "2026-04-01T14:00:00+01:00", "attributes": {
    "kind": "product-quality", "channel": "phone", "customer_name": "Ann Example"}})
check(status == 422 and r["error"]["code"] == "limit" and "exceeds btree version 4 maximum 2704" in r["error"]["message"]
      and r["error"]["message"].endswith("(nothing was changed; sending it again will not help)"),
      f"a 3,000-byte id: {status} {str(r)[:400]}")
check(a.call("GET", "/complaints/" + long_id)[0] == 404, "the 3,000-byte id is not held")
journaled = dict(psql("SELECT id, partition FROM complaints"))
check(journaled == {cid: str(fnv1a_partition(cid)) for cid in ids}, f"the journal's partitions: {journaled}")
check(health(a)["complaints"] == 40, f"A's engine: {health(a)}")

b = Server(redress, policy, uri)
status, r = b.call("POST", "/admin/clock", {"now": "2026-04-01T14:00:00+01:00"})
check(status == 200, f"B's clock: {status} {r}")
held_a, held_b = settle((a, b), lambda g: len(g[0]) == 8 and len(g[1]) == 8 and not g[0] & g[1])
check(len(held_a) == 8 and len(held_b) == 8 and held_a | held_b == set(range(16)),
      f"A holds {sorted(held_a)}, B {sorted(held_b)}")
in_a = [cid for cid in ids if fnv1a_partition(cid) in held_a]
in_b = [cid for cid in ids if fnv1a_partition(cid) in held_b]
check(health(a)["complaints"] == len(in_a) and health(b)["complaints"] == len(in_b),
      f"engines: A {health(a)['complaints']} of its {len(in_a)}, B {health(b)['complaints']} of its {len(in_b)}")
print(f"A holds partitions {sorted(held_a)} ({len(in_a)} complaints), B {sorted(held_b)} ({len(in_b)})")

status, r = b.call("POST", f"/complaints/{in_a[0]}/events", {"event": "acknowledge", "at": "2026-04-01T14:00:00+01:00"})
check(status == 200 and r["actions"] == [], f"acknowledge {in_a[0]} (A's) on B: {status} {r}")
check(health(b)["complaints"] == len(in_b), f"B kept A's complaint: {health(b)}")

a.kill()
(held_b,) = settle((b,), lambda g: g[0] == set(range(16)))
check(held_b == set(range(16)), f"B after A died: {sorted(held_b)}")
check(health(b)["complaints"] == 40, f"B's engine after taking A's partitions: {health(b)}")
for cid in ids:
    status, s = b.call("GET", f"/complaints/{cid}")
    check(status == 200 and s["events"] == (1 if cid == in_a[0] else 0), f"{cid} on B: {status} {s}")
print(f"A killed: B holds all 16 partitions and the 40 complaints; {in_a[0]} has its event")
check(b.stop() == 0, "B did not stop cleanly")
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("ok")
