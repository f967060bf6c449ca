#!/usr/bin/env python3
"""Validates the wire format against schemas/ (draft-07, python3-jsonschema):
- every schema is a valid draft-07 schema;
- every value a real engine run writes (the samples program's JSON lines) validates against
  the schema it names, and every schema is covered by at least one sample;
- every example in docs/wire-format.md (a ```json block after <!-- schema: NAME -->) validates,
  and every schema has an example there;
- the validator is not vacuous: broken values (a field missing, a naive instant, a bad
  duration, an unknown key) are refused.
- what `redress report --json`, `due --json` (and `--batch --json`), `elapsed --json` and
  `holidays --json` write validates against its schema (with REDRESS_CLI).
Usage: validate.py SOURCE_DIR SAMPLES_PROGRAM [REDRESS_CLI]"""
import copy
import json
import pathlib
import re
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema is missing (apt-get install python3-jsonschema, or run scripts/setup)")
    sys.exit(77)

source = pathlib.Path(sys.argv[1]).resolve()
schemas_dir = source / "schemas"
failures = []


def validator(name):
    path = schemas_dir / f"{name}.schema.json"
    schema = json.loads(path.read_text())
    resolver = jsonschema.RefResolver(base_uri=path.as_uri(), referrer=schema)
    return jsonschema.Draft7Validator(schema, resolver=resolver)


names = sorted(p.name[: -len(".schema.json")] for p in schemas_dir.glob("*.schema.json"))
validators = {}
for name in names:
    schema = json.loads((schemas_dir / f"{name}.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    validators[name] = validator(name)


def check(name, value, where):
    if name not in validators:
        failures.append(f"{where}: no schema named {name!r}")
        return
    errors = sorted(validators[name].iter_errors(value), key=lambda e: list(e.path))
    for e in errors:
        failures.append(f"{where}: {name}: {'/'.join(map(str, e.path))}: {e.message}")


# 1. What a real run writes.
out = subprocess.run([sys.argv[2], str(source)], check=True, capture_output=True, text=True).stdout
sampled = set()
samples = {}
for number, line in enumerate(out.splitlines(), 1):
    record = json.loads(line)
    check(record["schema"], record["value"], f"sample line {number}")
    sampled.add(record["schema"])
    samples.setdefault(record["schema"], record["value"])
# `redress report --json` on the shipped scenarios, when the CLI is given.
if len(sys.argv) > 3:
    for policy, history, period in [
        ("rules/iso10002.toml", "examples/scenarios/retail-week.toml", ["--from", "2026-03-23", "--to", "2026-03-29"]),
        ("rules/iso10002.toml", "examples/scenarios/retail-week.toml", []),
        ("rules/fca-disp.toml", "examples/scenarios/fca-holding.toml", []),
    ]:
        argv = [sys.argv[3], "report", str(source / policy), str(source / history), "--json", *period]
        value = json.loads(subprocess.run(argv, check=True, capture_output=True, text=True).stdout)
        check("report", value, " ".join(["redress report", history, *period]))
        sampled.add("report")
        samples.setdefault("report", value)
    # The time results and the holidays as the CLI writes them (the C ABI's are the same
    # writer's, src/wire; tests/capi checks them byte for byte).
    calendar = str(source / "rules/calendars/england-wales.toml")
    for schema, argv in [
        ("deadline", ["due", "--calendar", calendar, "--from", "2026-04-01T14:00:00+01:00", "--add", "15 business days", "--json"]),
        ("deadline", ["due", "--calendar", calendar, "--from", "2026-04-01T14:00:00+01:00", "--add", "36 business hours", "--json"]),
        ("elapsed", ["elapsed", "--calendar", calendar, "--from", "2026-04-01T14:00:00+01:00", "--to", "2026-04-24T23:59:59+01:00", "--json"]),
        ("holidays", ["holidays", "--calendar", calendar, "--year", "2027", "--json"]),
    ]:
        value = json.loads(subprocess.run([sys.argv[3], *argv], check=True, capture_output=True, text=True).stdout)
        check(schema, value, "redress " + " ".join(argv))
        sampled.add(schema)
        samples.setdefault(schema, value)
    batch = subprocess.run([sys.argv[3], "due", "--calendar", calendar, "--batch", "-", "--json"], check=True,
                           capture_output=True, text=True,
                           input="2026-04-01T14:00:00+01:00\t15 business days\n2026-04-01T14:00:00+01:00\t8 weeks\n").stdout
    for number, line in enumerate(batch.splitlines(), 1):
        check("deadline", json.loads(line), f"redress due --batch - --json, line {number}")
cli_only = {"report", "holidays"}  # written by the command-line tool only
for name in names:
    if name in cli_only and len(sys.argv) <= 3:
        print(f"note: no redress CLI given (REDRESS_BUILD_TOOLS off): {name} not sampled")
        continue
    if name != "common" and name not in sampled:
        failures.append(f"no sample of {name}: the samples program must write one")

# 2. The documented examples.
doc = (source / "docs" / "wire-format.md").read_text()
documented = set()
for m in re.finditer(r"<!-- schema: ([a-z-]+) -->\s*```json\n(.*?)```", doc, re.S):
    name, text = m.group(1), m.group(2)
    line = doc.count("\n", 0, m.start()) + 1
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        failures.append(f"docs/wire-format.md:{line}: example of {name} is not JSON: {e}")
        continue
    check(name, value, f"docs/wire-format.md:{line}")
    documented.add(name)
for name in names:
    if name != "common" and name not in documented:
        failures.append(f"docs/wire-format.md has no example of {name}")

# 3. Broken values are refused.
def refused(name, value, why):
    if validators[name].is_valid(value):
        failures.append(f"the {name} schema accepts {why}")

action = samples["action"]
broken = copy.deepcopy(action); del broken["at"]; refused("action", broken, "an action without 'at'")
broken = copy.deepcopy(action); broken["at"] = "2026-04-02T09:00:00"; refused("action", broken, "a naive instant")
broken = copy.deepcopy(action); broken["kind"] = "memo"; refused("action", broken, "an unknown kind")
clock = samples["clock-report"]
broken = copy.deepcopy(clock); broken["consumed"] = "30 minutes"; refused("clock-report", broken, "a non-ISO duration")
broken = copy.deepcopy(samples["event"]); broken["when"] = "now"; refused("event", broken, "an unknown key")
broken = copy.deepcopy(samples["snapshot"]); del broken["format_version"]; refused("snapshot", broken, "no format version")
deadline = samples["deadline"]
broken = copy.deepcopy(deadline); del broken["due_utc"]; refused("deadline", broken, "a deadline without 'due_utc'")
broken = copy.deepcopy(deadline); broken["deadline"] = broken.pop("due"); refused("deadline", broken, "the old C ABI key 'deadline'")
broken = copy.deepcopy(deadline); broken["end"] = "end-of-day"; broken.pop("rollover", None); refused("deadline", broken, "'end' without 'rollover'")
elapsed = samples["elapsed"]
broken = copy.deepcopy(elapsed); broken["elapsed"] = broken.pop("duration"); refused("elapsed", broken, "the old C ABI key 'elapsed'")
broken = copy.deepcopy(elapsed); broken["duration"] = "6.5 hours"; refused("elapsed", broken, "a non-ISO duration")
if "holidays" in samples:
    broken = copy.deepcopy(samples["holidays"]); broken["holidays"][0]["weekday"] = "Monday"; refused("holidays", broken, "a weekday spelt out")
    broken = copy.deepcopy(samples["holidays"]); broken["from"] = "2027-1-1"; refused("holidays", broken, "a date without its zeros")
if "report" in samples:
    report = samples["report"]
    broken = copy.deepcopy(report); broken["targets"][0]["met_share"] = 2; refused("report", broken, "a share above 1")
    broken = copy.deepcopy(report); broken["escalations_by_level"]["L1"] = 1; refused("report", broken, "a level that is not a number")
    broken = copy.deepcopy(report); del broken["period"]["to"]; refused("report", broken, "a period without its end")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"{len(names)} schemas; {len(out.splitlines())} sampled values and {len(documented)} documented kinds valid")
