#!/usr/bin/env python3
"""Checks the report page (the DOM headless chromium rendered) against what `redress report
--json` says of the same history and period: every bar per kind and per target, every point of
the weekly lines, the summary and target tables, and that the page loads nothing from outside
(no script, no external resource).

    report_checks.py REPORT.json DOM.html
"""
import html.parser
import json
import sys

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.bars = []      # (chart id, attrs) of rect.bar
        self.points = []    # attrs of circle.point
        self.lines = []     # attrs of polyline
        self.rows = {}      # tr id -> cell texts
        self.target_rows = {}
        self.svg_stack = []
        self.row = None
        self.row_key = None
        self.cell = None
        self.external = []
        self.scripts = 0
        self.titles = []    # svg <title> texts
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self.svg_stack.append(a.get("id", ""))
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            if key in a and not a[key].startswith("#"):
                self.external.append(f"<{tag} {key}={a[key]}>")
        if tag == "link":
            self.external.append("<link>")
        chart = self.svg_stack[-1] if self.svg_stack else None
        classes = a.get("class", "").split()
        if tag == "rect" and "bar" in classes:
            self.bars.append((chart, a))
        if tag == "circle" and "point" in classes:
            self.points.append(a)
        if tag == "polyline":
            self.lines.append(a)
        if tag == "tr":
            self.row = []
            self.row_key = ("id", a["id"]) if "id" in a else ("target", a["data-target"]) if "data-target" in a else None
        if tag in ("td", "th") and self.row is not None:
            self.cell = ""
        if tag == "title" and self.svg_stack:
            self.in_title = True
            self.titles.append("")

    def handle_endtag(self, tag):
        if tag == "svg" and self.svg_stack:
            self.svg_stack.pop()
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        if tag == "tr" and self.row is not None:
            if self.row_key:
                (self.rows if self.row_key[0] == "id" else self.target_rows)[self.row_key[1]] = self.row
            self.row = None
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.in_title:
            self.titles[-1] += data


report = json.load(open(sys.argv[1]))
dom = Dom()
dom.feed(open(sys.argv[2]).read())

check(dom.scripts == 0, f"the page has {dom.scripts} scripts; it must have none")
check(not dom.external, f"the page loads outside resources: {dom.external}")

# Bars per kind: received and breaches, one pair per kind received or breached.
kinds = sorted(set(report["received"]["by_kind"]) | set(report["breaches"]["by_kind"]))
kind_bars = {(a["data-kind"], a["data-series"]): int(a["data-value"]) for chart, a in dom.bars if chart == "chart-kind"}
for k in kinds:
    check(kind_bars.get((k, "received")) == report["received"]["by_kind"].get(k, 0),
          f"kind {k}: received bar {kind_bars.get((k, 'received'))}, want {report['received']['by_kind'].get(k, 0)}")
    check(kind_bars.get((k, "breaches")) == report["breaches"]["by_kind"].get(k, 0),
          f"kind {k}: breaches bar {kind_bars.get((k, 'breaches'))}, want {report['breaches']['by_kind'].get(k, 0)}")
check(len(kind_bars) == 2 * len(kinds), f"{len(kind_bars)} bars per kind, want {2 * len(kinds)}")

# Share met per target, and breaches per target.
share_bars = {a["data-target"]: float(a["data-value"]) for chart, a in dom.bars if chart == "chart-target"}
for t in report["targets"]:
    if t["met_share"] is None:
        check(t["target"] not in share_bars, f"target {t['target']}: a share bar although none was decided")
    else:
        check(abs(share_bars.get(t["target"], -1) - t["met_share"]) < 1e-4,
              f"target {t['target']}: share bar {share_bars.get(t['target'])}, want {t['met_share']}")
breach_bars = {a["data-target"]: int(a["data-value"]) for chart, a in dom.bars if chart == "chart-target-breaches"}
check(breach_bars == report["breaches"]["by_target"], f"breaches per target: {breach_bars}, want {report['breaches']['by_target']}")

# The weekly trend: a point per week and series, and two lines through them.
for series in ("received", "closed"):
    points = [(p["data-week"], int(p["data-value"])) for p in dom.points if p["data-series"] == series]
    want = [(w["week"], w[series]) for w in report["weeks"]]
    check(points == want, f"weekly {series}: {points}, want {want}")
    line = [l for l in dom.lines if l.get("data-series") == series]
    check(len(line) == 1 and len(line[0]["points"].split()) == len(want), f"weekly {series}: the line does not join {len(want)} points")

# Tables.
def cell(row_id):
    return int(dom.rows[row_id][1]) if row_id in dom.rows else None

for row_id, value in [("received", report["received"]["total"]), ("closed", report["closed"]["total"]),
                      ("closed-3bd", report["closed"]["within_3_business_days"]),
                      ("closed-8w", report["closed"]["within_8_weeks"]), ("upheld", report["closed"]["upheld"]),
                      ("not-upheld", report["closed"]["not_upheld"]), ("open", report["open_at_end"]["total"]), ("withdrawn", report["withdrawn"]),
                      ("promises-kept", report["promises"]["kept"]), ("promises-broken", report["promises"]["broken"])]:
    check(cell(row_id) == value, f"summary row {row_id}: {cell(row_id)}, want {value}")
for t in report["targets"]:
    row = dom.target_rows.get(t["target"])
    check(row is not None, f"no table row for target {t['target']}")
    if row:
        check(row[1:3] == [str(t["met"]), str(t["breached"])], f"target {t['target']}: met/breached {row[1:3]}")
        if t["taken"]:
            want = f"{t['taken']['p50']['seconds'] / 3600:.1f} h"
            check(row[5] == want, f"target {t['target']}: taken p50 {row[5]}, want {want}")
check(any("Received and closed per week" in t for t in dom.titles), "the trend chart has no title")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"{len(dom.bars)} bars and {len(dom.points)} points match the report")
