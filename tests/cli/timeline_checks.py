#!/usr/bin/env python3
"""Checks the timeline page (DOM after scripts ran) and its PDF (pdftotext -layout, page by
page) against what `redress simulate --json` says of the same scenario (the JSON and the text
table are tested by the simulate cases).

    timeline_checks.py dom SIMULATION.json DOM.html
    timeline_checks.py pdf SIMULATION.json PAGES_DIR PAGE_COUNT

Hand-checked facts of the retail week under rules/iso10002.toml are asserted too: Good Friday
and Easter Monday 2026 (3 and 6 April; Easter Sunday is 5 April) are the closed weekdays, named
in the legend and on the shading, and
C-103's final response (due 2 April) escalates at 50%, 75%, 100% and 2 business days after.
"""
import html.parser
import json
import re
import sys

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def reading(rfc3339):
    """2026-03-23T17:00:00+00:00 -> 2026-03-23 17:00 +00:00 (seconds only when not zero)."""
    m = re.fullmatch(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d)?([+-]\d\d:\d\d|Z)", rfc3339)
    assert m, rfc3339
    seconds = m.group(3) if m.group(3) and m.group(3) != ":00" else ""
    offset = "+00:00" if m.group(4) == "Z" else m.group(4)
    return f"{m.group(1)} {m.group(2)}{seconds} {offset}"


def clock_name(k):
    return k["target"] + (f" #{k['cycle']}" if k["cycle"] > 1 else "")


def outcome(k):
    text = k["state"]
    if k["breached"] and k["state"] != "breached":
        text += ", breached"
    if k["extended"]:
        text += ", extended"
    return text


def expected_row(k):
    return [clock_name(k), reading(k["started"]), reading(k["due"]),
            reading(k["stopped"]) if k.get("stopped") else "—", outcome(k), k["owner"]]


class Dom(html.parser.HTMLParser):
    """Collects what the checks read: sections, clock table rows, mark labels per clock row,
    tooltips, bars and due lines, texts, and the body's data attributes."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.body = {}
        self.complaint = None       # the section (page) or SVG block we are in
        self.clock_row = None       # (complaint, target, cycle) of the SVG row we are in
        self.table_row = None
        self.rows = {}              # complaint -> list of cell lists (clocks table)
        self.labels = {}            # (complaint, target, cycle) -> mark labels in order
        self.event_labels = {}      # complaint -> mark labels outside clock rows
        self.titles = []
        self.texts = []
        self.overdue = {}           # (complaint, target, cycle) -> x of the overdue bar
        self.due = {}               # (complaint, target, cycle) -> x of the due line
        self.holiday_titles = []
        self.sections = []
        self.cell = None
        self.capture = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "").split()
        self.stack.append((tag, cls))
        if tag == "body":
            self.body = a
        if tag == "section" and "complaint" in cls:
            self.complaint = a["id"]
            self.sections.append(a["id"])
        if tag == "g" and "complaint-block" in cls:
            self.complaint = a["data-complaint"]
        if tag == "g" and "clock-row" in cls:
            self.clock_row = (self.complaint, a["data-target"], int(a["data-cycle"]))
        if tag == "tr" and "clock" in cls:
            self.table_row = []
        if tag == "td" and self.table_row is not None:
            self.cell = ""
        if tag == "text" and "mark-label" in cls:
            self.capture = "label"
        elif tag == "title":
            self.capture = "title"
        elif tag == "text":
            self.capture = "text"
        if tag == "rect" and "overdue" in cls and self.clock_row:
            self.overdue[self.clock_row] = a["x"]
        if tag == "line" and "due" in cls and self.clock_row:
            self.due[self.clock_row] = a["x1"]
        if tag == "rect" and "holiday" in cls:
            self.capture_holiday = True

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.table_row.append(self.cell.strip())
            self.cell = None
        if tag == "tr" and self.table_row is not None:
            self.rows.setdefault(self.complaint, []).append(self.table_row)
            self.table_row = None
        if tag == "g" and self.stack and "clock-row" in self.stack[-1][1]:
            self.clock_row = None
        if tag in ("text", "title"):
            self.capture = None
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.capture == "label":
            if self.clock_row:
                self.labels.setdefault(self.clock_row, []).append(data)
            else:
                self.event_labels.setdefault(self.complaint, []).append(data)
        elif self.capture == "title":
            self.titles.append(data)
            if getattr(self, "capture_holiday", False):
                self.holiday_titles.append(data)
                self.capture_holiday = False
        elif self.capture == "text":
            self.texts.append(data)


def repeated_word(text):
    m = re.search(r"\b([A-Za-z]+)\W+\1\b", text)
    return m.group(0) if m else None


def check_dom(sim, dom_file):
    dom = Dom()
    dom.feed(open(dom_file, encoding="utf-8").read())
    opened = [c for c in sim["complaints"] if "clocks" in c]
    check(dom.body.get("data-rendered") == "yes", f"page not rendered: {dom.body}")
    check(dom.body.get("data-charts") == str(len(opened)), f"charts {dom.body.get('data-charts')}, want {len(opened)}")
    check(dom.sections == [c["id"] for c in opened], f"sections {dom.sections}")
    for c in opened:
        want = [expected_row(k) for k in c["clocks"]]
        check(dom.rows.get(c["id"]) == want, f"{c['id']} clocks table\n got {dom.rows.get(c['id'])}\nwant {want}")
        for k in c["clocks"]:
            key = (c["id"], k["target"], k["cycle"])
            overdue = k["breached"] and (not k.get("stopped") or k["stopped"] > k["due"])
            if overdue:
                check(key in dom.overdue and dom.overdue[key] == dom.due.get(key),
                      f"{key}: the red part must start at the due line ({dom.overdue.get(key)} vs {dom.due.get(key)})")
            else:
                check(key not in dom.overdue, f"{key}: not breached, yet drawn overdue")
    # C-103: every level labelled as the policy writes it, and who it reaches.
    got = dom.labels.get(("C-103", "final-response", 1))
    want = ["50% → handler", "75% → team-lead", "100% → team-lead", "breached", "+2 business days → head-of-service"]
    check(got == want, f"C-103 final-response marks {got}, want {want}")
    got = dom.labels.get(("C-103", "primary-response", 1))
    check(got == ["75% → team-lead"], f"C-103 primary-response marks {got}")
    got = dom.event_labels.get("C-101")
    want = ["received", "acknowledge", "register", "owner → store-manager", "start investigation",
            "propose resolution", "customer accepts", "plan action", "corrective action", "send response",
            "verify satisfaction", "complete action", "verify action", "close"]
    check(got == want, f"C-101 event marks {got}, want {want}")
    for t in dom.titles:
        w = repeated_word(t)
        check(w is None, f"a tooltip repeats a word ({w!r}): {t}")
    legend = " ".join(dom.texts)
    check("Holidays and closures, england-wales: Fri 2026-04-03 Good Friday, Mon 2026-04-06 Easter Monday" in legend,
          "the legend does not list Good Friday and Easter Monday 2026 by name")
    check("March 2026" in dom.texts and "April 2026" in dom.texts, "no month and year on the axis")
    check("Fri 2026-04-03: Good Friday (england-wales)" in dom.holiday_titles, f"holiday shading titles {set(dom.holiday_titles)}")


def check_pdf(sim, pages_dir, page_count):
    opened = [c for c in sim["complaints"] if "clocks" in c]
    # A first page (legend, summary, closed days), then one page per opened complaint.
    check(page_count == 1 + len(opened), f"{page_count} pages, want 1 + {len(opened)}")
    first = open(f"{pages_dir}/page-1.txt", encoding="utf-8").read()
    for c in sim["complaints"]:
        check(c["id"] in first, f"page 1 does not list {c['id']}")
    for i, c in enumerate(opened):
        page = i + 2
        try:
            text = open(f"{pages_dir}/page-{page}.txt", encoding="utf-8").read()
        except FileNotFoundError:
            check(False, f"no page {page} for {c['id']}")
            continue
        check(text.lstrip().startswith(f"{c['id']} — {c['state']}, owner {c['owner'] or 'nobody'}"),
              f"page {page} does not open with {c['id']}: {text[:80]!r}")
        lines = text.splitlines()
        for k in c["clocks"]:
            cells = expected_row(k)
            pattern = r"^\s*" + r"\s{2,}".join(re.escape(x) for x in cells) + r"\s*$"
            check(any(re.match(pattern, line) for line in lines),
                  f"page {page} lacks the clock row {cells}")


def main():
    sim = json.load(open(sys.argv[2], encoding="utf-8"))
    if sys.argv[1] == "dom":
        check_dom(sim, sys.argv[3])
    else:
        check_pdf(sim, sys.argv[3], int(sys.argv[4]))
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
