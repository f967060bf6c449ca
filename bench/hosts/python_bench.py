"""One event through the Python package, including the conversions (aware datetime and keyword
arguments in, Action dataclasses with datetimes out): the same walk as BM_engine_apply_event
(five events on a fresh complaint per round). Prints microseconds per event, the median of
five runs.  Usage: PYTHONPATH=build/release/python python3 bench/hosts/python_bench.py"""
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
figures = []
for run in range(5):
    engine = redress.Engine(policy)
    spent = 0.0
    for i in range(rounds):
        cid = f"E-{i}"
        engine.open(cid, base, kind="product-quality", channel="email", priority="normal", customer_name="A",
                    return_address="a@x")
        start = time.perf_counter()
        for k in range(5):
            engine.apply(cid, walk[k], at[k], reason="documents")
        spent += time.perf_counter() - start
    figures.append(spent / (rounds * 5) * 1e6)
print(f"python_apply_event: {statistics.median(figures):.2f} us per event "
      f"(median of 5 runs of {rounds * 5} events; runs: {', '.join(f'{f:.2f}' for f in figures)})")
