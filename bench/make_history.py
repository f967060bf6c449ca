#!/usr/bin/env python3
"""Writes a JSON Lines complaint history of N event lines to standard output: N/4 complaints
received a minute apart from 2026-01-05T09:00:00Z (kind staff, channel phone), then four event
rounds an hour apart: acknowledge, register, start_investigation, and a second acknowledge
(rejected). The same history as bench/scenario_bench.cpp's history(N), for timing the whole
command (`redress simulate`, `redress report`) with /usr/bin/time; never commit its output.

Usage: bench/make_history.py N > /tmp/history.jsonl"""
import datetime
import sys

events = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
complaints = events // 4
start = datetime.datetime(2026, 1, 5, 9, 0, 0, tzinfo=datetime.timezone.utc)
names = ["acknowledge", "register", "start_investigation", "acknowledge"]


def stamp(seconds):
    return (start + datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


out = sys.stdout
for c in range(complaints):
    out.write(f'{{"complaint": "C-{c}", "received": "{stamp(60 * c)}", "kind": "staff", '
              f'"channel": "phone", "customer_name": "A"}}\n')
for e, name in enumerate(names):
    for c in range(complaints):
        out.write(f'{{"complaint": "C-{c}", "at": "{stamp(60 * c + 3600 * (e + 1))}", "event": "{name}"}}\n')
