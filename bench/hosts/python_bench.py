"""One event through the Python package, including the conversions (aware datetime and keyword
arguments in, Action dataclasses with datetimes out): the same walk as BM_engine_apply_event
(five events on a fresh complaint per round, the clock read around the five as the C++ benchmark
does). Prints microseconds per event, the median of five runs, in CPU time (the machine may be
shared; bench/README.md reports CPU time too), for two paths:
- python_apply_event: Engine.apply, the package's hot path (the event's fields and datetimes go
  to the engine's own structs, actions come back as tuples built in C++);
- python_apply_event_via_json: the same events through the wire format's JSON text, the way
  Engine.apply went before (json.dumps, the extension's JSON apply, json.loads, dataclasses from
  the wire), the baseline of the first.
Usage: PYTHONPATH=build/release/python python3 bench/hosts/python_bench.py [ROUNDS]"""
import json
import pathlib
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone

import redress

source = pathlib.Path(__file__).resolve().parents[2]
policy = redress.load_policy(str(source / "rules/iso10002.toml"))
bst = timezone(timedelta(hours=1))
base = datetime(2026, 5, 5, 9, 0, tzinfo=bst)
walk = [redress.Event.ACKNOWLEDGE, redress.Event.REGISTER, redress.Event.START_INVESTIGATION,
        redress.Event.REQUEST_INFORMATION, redress.Event.CUSTOMER_REPLIED]
at = [base + timedelta(minutes=10 * (k + 1)) for k in range(5)]
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 4000


def via_api(engine, cid, k):
    return engine.apply(cid, walk[k], at[k], reason="documents")


def via_json(engine, cid, k):
    event = {"event": redress.Event(walk[k]).value, "at": redress._instant(at[k], "at"), "reason": "documents"}
    return redress._actions(redress._call(engine._native.apply, cid, json.dumps(event)))


def measure(apply):
    figures = []
    for run in range(5):
        engine = redress.Engine(policy)
        spent = 0.0
        for i in range(rounds):
            cid = f"E-{i}"
            engine.open(cid, base, kind="product-quality", channel="email", priority="normal", customer_name="A",
                        return_address="a@x")
            start = time.process_time()
            for k in range(5):
                apply(engine, cid, k)
            spent += time.process_time() - start
        figures.append(spent / (rounds * 5) * 1e6)
    return figures


# Both paths give the same actions (tests/python checks it field by field too).
check = [redress.Engine(policy), redress.Engine(policy)]
for e in check:
    e.open("check", base, kind="product-quality", channel="email", priority="normal", customer_name="A",
           return_address="a@x")
assert [via_api(check[0], "check", k) for k in range(5)] == [via_json(check[1], "check", k) for k in range(5)]

for name, apply in (("python_apply_event", via_api), ("python_apply_event_via_json", via_json)):
    figures = measure(apply)
    print(f"{name}: {statistics.median(figures):.2f} us CPU per event "
          f"(median of 5 runs of {rounds * 5} events; runs: {', '.join(f'{f:.2f}' for f in figures)})")
