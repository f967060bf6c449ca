"""The Python package at the level a host sees: open, events, pauses, escalations at exact
instants, snapshot/restore, bad input. Expected values are worked by hand from
rules/iso10002.toml and the England and Wales calendar (Mon-Fri 09:00-17:00 Europe/London;
Good Friday 3 April and Easter Monday 6 April 2026 are bank holidays):
- the final response is due 8 business days after Wed 1 April 14:00 BST: the business days after
  it are 2, 7, 8, 9, 10, 13, 14, 15 April, so 15 April 23:59:59 BST;
- it holds 3 h + 8 x 8 h = 67 working hours; 50% (33 h 30 min) is spent on 9 April at 15:30 BST,
  75% (50 h 15 min) on 13 April at 16:15 BST."""
import dataclasses
import enum
import json
import os
import pathlib
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import redress

SOURCE = pathlib.Path(os.environ.get("REDRESS_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
POLICY = str(SOURCE / "rules" / "iso10002.toml")
LONDON = ZoneInfo("Europe/London")
BST = timezone(timedelta(hours=1))


def local(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture(scope="module")
def policy():
    return redress.load_policy(POLICY)


@pytest.fixture
def engine(policy):
    e = redress.Engine(policy)
    e.open("C-17", local(2026, 4, 1, 14, 0), kind="product-quality", channel="email",
           customer_name="Ann Example", return_address="ann@example.org")
    e.apply("C-17", redress.Event.ACKNOWLEDGE, local(2026, 4, 1, 14, 30), actor="agent-ben")
    return e


def test_enums_are_real_enums():
    for cls in (redress.State, redress.PlanState, redress.Event, redress.ActionKind, redress.ClockState):
        assert issubclass(cls, enum.Enum)
    assert redress.Event("register") is redress.Event.REGISTER
    assert dataclasses.is_dataclass(redress.Action) and dataclasses.is_dataclass(redress.Status)


# Every member of each enum, name and value; the values are the wire format's names.
ENUMS = {
    redress.State: ["received", "acknowledged", "registered", "investigating", "awaiting_customer",
                    "resolution_proposed", "resolution_agreed", "responded", "verifying_satisfaction", "closed",
                    "withdrawn"],
    redress.PlanState: ["none_required", "planned", "done", "verified"],
    redress.Event: ["acknowledge", "register", "start_investigation", "request_information", "customer_replied",
                    "propose_resolution", "customer_accepts", "customer_rejects", "send_holding_response",
                    "send_response", "verify_satisfaction", "close", "reopen", "withdraw", "escalate", "assign",
                    "promise", "contact_customer", "plan_action", "complete_action", "verify_action", "reclassify"],
    redress.ActionKind: ["escalation", "breach", "promise_breach", "corrective_action", "assignment", "pause_ended",
                         "retracted"],
    redress.ClockState: ["running", "paused", "met", "breached", "cancelled"],
}


@pytest.mark.parametrize("cls", list(ENUMS), ids=lambda cls: cls.__name__)
def test_enum_members_are_the_wire_names(cls):
    assert [(m.name, m.value) for m in cls] == [(v.upper(), v) for v in ENUMS[cls]]


def test_enums_agree_with_the_schemas_and_the_engine(engine):
    schemas = SOURCE / "schemas"
    def schema_enum(file, *path):
        node = json.loads((schemas / file).read_text())
        for key in path:
            node = node[key]
        return node["enum"]
    assert ENUMS[redress.State] == schema_enum("status.schema.json", "properties", "state")
    assert ENUMS[redress.PlanState] == schema_enum("status.schema.json", "properties", "action_plan")
    assert ENUMS[redress.Event] == schema_enum("event.schema.json", "properties", "event")
    assert ENUMS[redress.ActionKind] == schema_enum("action.schema.json", "properties", "kind")
    assert ENUMS[redress.ClockState] == schema_enum("common.schema.json", "definitions", "clock_state")
    # The engine's own list of event names, in the message for an unknown one.
    with pytest.raises(redress._native.NativeError) as e:
        engine._native.apply_event("C-17", "shout", local(2026, 4, 2, 9, 0), "", "", False, True, "", None, "", "",
                                   "", None)
    code, message = e.value.args[:2]
    assert code == "invalid_value"
    assert message.endswith('unknown event "shout"; expected one of ' + ", ".join(ENUMS[redress.Event]))


def test_policy_and_calendar(policy):
    assert policy.name == "Retail complaints (ISO 10002)"
    assert policy.version == "2026.1"
    calendar = policy.calendar()
    assert calendar.name == "england-wales"
    assert calendar.timezone == "Europe/London"
    due = calendar.deadline(local(2026, 4, 1, 14, 0), "8 business days")
    assert due == datetime(2026, 4, 15, 23, 59, 59, tzinfo=BST)
    assert due.utcoffset() == timedelta(hours=1)
    assert calendar.deadline(local(2026, 4, 1, 14, 0), "8 business days", end="close-of-business") == \
        datetime(2026, 4, 15, 17, 0, tzinfo=BST)
    # 3 h on 1 April, 8 h on 2 April, 1 h on 7 April.
    assert calendar.elapsed(local(2026, 4, 1, 14, 0), local(2026, 4, 7, 10, 0)) == timedelta(hours=12)
    assert redress.load_calendar(str(SOURCE / "rules/calendars/england-wales.toml")).name == "england-wales"


def test_calendar_reads_timestamps_as_the_scenario_files_do(policy):
    calendar = policy.calendar()
    utc = timezone.utc
    # A local time in the calendar's zone; an offset is kept as an instant.
    assert calendar.parse_timestamp("2026-03-27T16:00:00") == datetime(2026, 3, 27, 16, 0, tzinfo=utc)
    assert calendar.parse_timestamp("2026-04-01T14:00:00") == datetime(2026, 4, 1, 13, 0, tzinfo=utc)
    assert calendar.parse_timestamp("2026-04-01T14:00:00").utcoffset() == timedelta(hours=1)
    assert calendar.parse_timestamp("2026-04-01T13:00:00Z") == datetime(2026, 4, 1, 13, 0, tzinfo=utc)
    # 29 March 2026, 01:00 GMT -> 02:00 BST: 01:30 does not exist and is the transition, 01:00 UTC.
    assert calendar.parse_timestamp("2026-03-29T01:30:00") == datetime(2026, 3, 29, 1, 0, tzinfo=utc)
    # 25 October 2026, 02:00 BST -> 01:00 GMT: 01:30 happens twice and is the first, 00:30 UTC.
    assert calendar.parse_timestamp("2026-10-25T01:30:00") == datetime(2026, 10, 25, 0, 30, tzinfo=utc)
    with pytest.raises(redress.InvalidValue, match="2026-13-01"):
        calendar.parse_timestamp("2026-13-01T10:00:00")


def test_open_returns_no_action_and_registration_assigns_the_owner(engine):
    actions = engine.apply("C-17", redress.Event.REGISTER, local(2026, 4, 2, 9, 0))
    assert [(a.kind, a.who, a.at) for a in actions] == \
        [(redress.ActionKind.ASSIGNMENT, "quality", datetime(2026, 4, 2, 9, 0, tzinfo=BST))]
    status = engine.status("C-17", local(2026, 4, 2, 9, 0))
    assert status.state is redress.State.REGISTERED
    assert status.owner == "quality"
    assert status.clock("final-response").due == datetime(2026, 4, 15, 23, 59, 59, tzinfo=BST)
    assert status.clock("primary-response").state is redress.ClockState.MET
    assert len(engine) == 1


def test_escalations_fire_at_their_exact_instants(engine):
    engine.apply("C-17", "register", local(2026, 4, 2, 9, 0))
    assert engine.next_wakeup() == datetime(2026, 4, 9, 15, 30, tzinfo=BST)
    assert engine.advance(local(2026, 4, 9, 15, 29, 59)) == []
    fired = engine.advance(local(2026, 4, 9, 15, 30))
    assert [(a.id, a.at, a.notify) for a in fired] == \
        [("C-17/final-response/L1/c1", datetime(2026, 4, 9, 15, 30, tzinfo=BST), ["quality"])]
    later = engine.advance(datetime(2026, 4, 13, 15, 15, tzinfo=timezone.utc))   # 16:15 BST
    assert [a.id for a in later] == ["C-17/keep-customer-informed/breach/c1", "C-17/final-response/L2/c1"]
    assert later[1].at == datetime(2026, 4, 13, 16, 15, tzinfo=BST)
    assert later[1].by_when == datetime(2026, 4, 15, 23, 59, 59, tzinfo=BST)
    assert later[1].kind is redress.ActionKind.ESCALATION


def test_a_pause_stops_the_clock_and_is_recorded(engine):
    engine.apply("C-17", "register", local(2026, 4, 2, 9, 0))
    engine.apply("C-17", "start_investigation", local(2026, 4, 2, 10, 0))
    engine.apply("C-17", redress.Event.REQUEST_INFORMATION, local(2026, 4, 2, 11, 0), reason="receipt needed")
    paused = engine.status("C-17", local(2026, 4, 7, 9, 30))
    assert paused.state is redress.State.AWAITING_CUSTOMER
    assert paused.clock("final-response").state is redress.ClockState.PAUSED
    engine.apply("C-17", "customer_replied", local(2026, 4, 7, 10, 0))
    status = engine.status("C-17", local(2026, 4, 7, 10, 0))
    [pause] = status.pauses
    assert pause.start == datetime(2026, 4, 2, 11, 0, tzinfo=BST)
    assert pause.end == datetime(2026, 4, 7, 10, 0, tzinfo=BST)
    assert pause.reason == "receipt needed"
    # 2 April 11:00-17:00 and 7 April 09:00-10:00.
    assert pause.working == timedelta(hours=7)
    # 3 h on 1 April and 2 h on 2 April ran before the pause.
    assert status.clock("final-response").consumed == timedelta(hours=5)


def test_a_pause_without_a_reason_is_refused_and_changes_nothing(engine):
    engine.apply("C-17", "register", local(2026, 4, 2, 9, 0))
    engine.apply("C-17", "start_investigation", local(2026, 4, 2, 10, 0))
    before = engine.status("C-17", local(2026, 4, 2, 11, 0))
    with pytest.raises(redress.PauseRefused) as refused:
        engine.apply("C-17", "request_information", local(2026, 4, 2, 11, 0))
    assert refused.value.code == "pause_refused"
    assert engine.status("C-17", local(2026, 4, 2, 11, 0)) == before


def test_reclassify_recomputes_from_the_original_start_and_refuses_unknown_values(engine):
    # Urgent from the original start: the due an urgent complaint received then has.
    engine.open("C-18", local(2026, 4, 1, 14, 0), kind="product-quality", channel="email", priority="urgent",
                customer_name="Bo Example", return_address="bo@example.org")
    engine.reclassify("C-17", local(2026, 4, 2, 9, 0), actor="supervisor", priority="urgent")
    due = {c: next(k.due for k in engine.status(c, local(2026, 4, 2, 9, 0)).clocks if k.target == "final-response")
           for c in ("C-17", "C-18")}
    assert due["C-17"] == due["C-18"]
    event = engine.history("C-17")["events"][-1]
    assert event["event"] == "reclassify" and event["attributes"] == {"priority": "urgent"}
    before = engine.status("C-17", local(2026, 4, 2, 10, 0))
    with pytest.raises(redress.RejectedEvent):
        engine.reclassify("C-17", local(2026, 4, 2, 10, 0), priority="critical")
    assert engine.status("C-17", local(2026, 4, 2, 10, 0)) == before


def test_snapshot_and_restore_round_trip(engine, policy):
    engine.apply("C-17", "register", local(2026, 4, 2, 9, 0))
    engine.advance(local(2026, 4, 9, 15, 30))
    snapshot = engine.snapshot("C-17")
    assert snapshot["format"] == "redress-snapshot"
    assert snapshot["format_version"] == redress.SNAPSHOT_FORMAT_VERSION == 1
    assert snapshot["fired_until"] == "2026-04-09T15:30:00+01:00"
    other = redress.Engine(policy)
    replayed = other.restore(json.dumps(snapshot))
    assert [a.id for a in replayed] == ["C-17/owner/quality/e2", "C-17/final-response/L1/c1"]
    now = local(2026, 4, 10, 12, 0)
    assert other.status("C-17", now) == engine.status("C-17", now)
    assert [a.id for a in other.advance(local(2026, 4, 14))] == [a.id for a in engine.advance(local(2026, 4, 14))]
    with pytest.raises(redress.DuplicateComplaint):
        other.restore(snapshot)
    assert other.erase("C-17") and not other.erase("C-17")


def test_the_committed_snapshot_restores(policy):
    engine = redress.Engine(policy)
    text = (SOURCE / "tests/data/wire/snapshot-v1.json").read_text()
    actions = engine.restore(text)
    assert actions[-1].id == "C-17/corrective-action/breach/c1"
    status = engine.status("C-17", local(2026, 4, 20, 12, 0))
    assert status.state is redress.State.RESOLUTION_PROPOSED
    assert status.action_plan is redress.PlanState.PLANNED
    assert status.clock("final-response").consumed == timedelta(hours=79)
    [action] = status.corrective_actions
    assert action.owner == "head-of-service" and action.verifier == "quality"
    assert action.due == datetime(2026, 4, 23, 23, 59, 59, tzinfo=BST)


def test_naive_datetimes_are_refused(engine):
    with pytest.raises(ValueError, match="naive datetime 2026-04-02T09:00:00 refused"):
        engine.apply("C-17", "register", datetime(2026, 4, 2, 9, 0))
    with pytest.raises(ValueError, match="whole seconds"):
        engine.advance(datetime(2026, 4, 2, 9, 0, 0, 500, tzinfo=timezone.utc))
    with pytest.raises(TypeError, match="expected a datetime"):
        engine.advance("2026-04-02T09:00:00Z")


def test_bad_input_raises_errors_that_say_where(engine, policy, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[policy]\nname = \n")
    with pytest.raises(redress.LoadError) as e:
        redress.load_policy(str(bad))
    assert (e.value.file, e.value.line) == (str(bad), 2)
    assert e.value.column > 0
    assert str(e.value).startswith(f"{bad}:2:")
    with pytest.raises(redress.RejectedEvent, match="'close' is not allowed in state 'acknowledged'"):
        engine.apply("C-17", redress.Event.CLOSE, local(2026, 4, 2, 9, 0))
    with pytest.raises(redress.OutOfOrder):
        engine.apply("C-17", "register", local(2026, 4, 1, 9, 0))
    with pytest.raises(redress.UnknownComplaint):
        engine.status("C-99", local(2026, 4, 2, 9, 0))
    with pytest.raises(redress.DuplicateComplaint):
        engine.open("C-17", local(2026, 4, 1, 14, 0), kind="claim", channel="phone", customer_name="B")
    with pytest.raises(redress.InvalidIntake, match="customer_name"):
        engine.open("C-18", local(2026, 4, 1, 14, 0), kind="claim", channel="phone")
    with pytest.raises(ValueError):
        engine.apply("C-17", "shout", local(2026, 4, 2, 9, 0))
    with pytest.raises(redress.InvalidJSON) as e:
        engine.restore('{"format": ')
    assert (e.value.file, e.value.line) == ("snapshot", 1)
    with pytest.raises(redress.InvalidValue, match="format version 2"):
        engine.restore({"format": "redress-snapshot", "format_version": 2})
    with pytest.raises(redress.UnknownPolicyVersion):
        engine.migrate("C-17", "1999.1")
    with pytest.raises(redress.DuplicatePolicyVersion, match='policy version "2026.1" is already in this engine'):
        engine.add_policy(policy)
    with pytest.raises(redress.InvalidValue):
        policy.calendar("mars")
    with pytest.raises(redress.CalendarError):
        policy.calendar().deadline(local(9999, 12, 20, 10, 0), "30 business days")  # beyond its data
    # Nothing of the above changed the complaint.
    assert engine.status("C-17", local(2026, 4, 2, 9, 0)).events == 1


@pytest.mark.parametrize("calendar_file, offset", [("england-wales.toml", timedelta(hours=1)),
                                                   ("new-york-state.toml", timedelta(hours=-4))])
def test_the_hot_path_gives_what_the_wire_format_gives(calendar_file, offset):
    """apply() and advance() convert the engine's values directly (no JSON); every action they
    return equals the wire format's, field by field, its instants in the same offset (BST, and
    EDT for a calendar in New York: a negative offset)."""
    text = (SOURCE / "rules/iso10002.toml").read_text().replace("calendars/england-wales.toml",
                                                                 f"calendars/{calendar_file}")
    policy = redress.parse_policy(text, str(SOURCE / "rules/iso10002.toml"))
    direct, wire = redress.Engine(policy), redress.Engine(policy)
    start = datetime(2026, 4, 1, 14, 0, tzinfo=timezone(offset))
    for e in (direct, wire):
        e.open("C-17", start, kind="product-quality", channel="email", customer_name="Ann Example",
               return_address="ann@example.org")
    walk = [(redress.Event.ACKNOWLEDGE, {"actor": "agent-ben"}), ("register", {}),
            (redress.Event.START_INVESTIGATION, {}),
            (redress.Event.PROMISE, {"promised": start + timedelta(days=2)}),
            (redress.Event.PLAN_ACTION, {"what": "recall batch", "owner": "quality", "verifier": "head-of-service",
                                         "due": start + timedelta(days=20)})]
    got, expected = [], []
    for k, (event, options) in enumerate(walk):
        at = start + timedelta(hours=k + 1)
        got += direct.apply("C-17", event, at, **options)
        fields = {"event": redress.Event(event).value, "at": at.isoformat()}
        fields.update({key: v.isoformat() if isinstance(v, datetime) else v for key, v in options.items()})
        expected += redress._actions(wire._native.apply("C-17", json.dumps(fields)))
    end = start + timedelta(days=30)
    got += direct.advance(end)
    expected += redress._actions(wire._native.advance(end.isoformat()))
    assert len(got) > 5 and got == expected
    for a, b in zip(got, expected):
        assert (a.at.isoformat(), a.by_when and a.by_when.isoformat()) == \
            (b.at.isoformat(), b.by_when and b.by_when.isoformat())
        assert a.at.tzinfo == b.at.tzinfo
    assert got[0].at.utcoffset() == offset
    assert direct.status("C-17", end) == wire.status("C-17", end)


def test_the_hot_path_refuses_what_the_wire_format_refuses(engine):
    with pytest.raises(TypeError, match="actor: expected a str, got int"):
        engine.apply("C-17", "register", local(2026, 4, 2, 9, 0), actor=7)
    with pytest.raises(TypeError, match="promised: expected a datetime with a tzinfo, got str"):
        engine.apply("C-17", "promise", local(2026, 4, 2, 9, 0), promised="2026-04-03T09:00:00Z")
    with pytest.raises(ValueError, match="due: naive datetime 2026-04-20T09:00:00 refused"):
        engine.apply("C-17", "plan_action", local(2026, 4, 2, 9, 0), due=datetime(2026, 4, 20, 9, 0))
    with pytest.raises(redress.UnknownComplaint):
        engine.apply("C-99", "register", local(2026, 4, 2, 9, 0))
    assert engine.status("C-17", local(2026, 4, 2, 9, 0)).events == 1


def test_the_extension_stub_names_what_the_extension_has():
    """_native.pyi is the one hand-written description of the compiled module: every name it
    declares exists, and every public name of the module is declared."""
    import ast
    stub = ast.parse((pathlib.Path(redress.__file__).parent / "_native.pyi").read_text())
    declared = {}
    for node in stub.body:
        if isinstance(node, ast.ClassDef):
            declared[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        elif isinstance(node, ast.FunctionDef):
            declared[node.name] = None
        elif isinstance(node, (ast.AnnAssign, ast.Assign)):
            target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            declared[target.id] = None
    declared.pop("ActionFields")  # a type alias of the stub only
    native = redress._native
    public = {n for n in dir(native) if not n.startswith("_")}
    assert set(declared) == public
    for name, members in declared.items():
        if members is not None and name != "NativeError":
            have = {m for m in dir(getattr(native, name)) if not m.startswith("_")} | {"__init__", "__len__"}
            assert members <= have, f"{name}: the stub declares {members - have}"
            assert {m for m in have if not m.startswith("_")} <= members, f"{name}: undeclared {have - members}"


def test_quiet_hours_deliver_at_on_both_paths():
    """tests/data/quiet/policy.toml (hand-worked in tests/unit/engine_quiet_tests.cpp): the breach
    at 00:00 on New Year's Day 2027 (a Friday bank holiday) is delivered Monday 4 January 09:00
    GMT; the level with deliver = "immediately" has none. The direct and wire paths agree."""
    policy = redress.load_policy(str(SOURCE / "tests/data/quiet/policy.toml"))
    direct, wire = redress.Engine(policy), redress.Engine(policy)
    received = datetime(2026, 12, 30, 10, 0, tzinfo=timezone.utc)
    for e in (direct, wire):
        e.open("Q-1", received, kind="claim")
    end = datetime(2027, 1, 6, tzinfo=timezone.utc)
    got = direct.advance(end)
    expected = redress._actions(wire._native.advance(end.isoformat()))
    assert got == expected
    by_id = {a.id: a.deliver_at for a in got}
    assert by_id["Q-1/reply/breach/c1"] == datetime(2027, 1, 4, 9, 0, tzinfo=timezone.utc)
    assert by_id["Q-1/reply/L1/c1"] == datetime(2026, 12, 31, 15, 0, tzinfo=timezone.utc)
    assert by_id["Q-1/reply/L2/c1"] is None


def test_a_late_contact_retracts_what_it_prevents():
    """tests/data/late/policy.toml (hand-worked in tests/unit/engine_late_tests.cpp): received Mon
    7 Dec 2026 09:00 GMT, L1 11:00, breach 13:00:01, L2 14:00 fire by 15:00; a contact at 10:00
    logged at 15:00 retracts all three, at 15:00."""
    policy = redress.load_policy(str(SOURCE / "tests/data/late/policy.toml"))
    engine = redress.Engine(policy)
    utc = timezone.utc
    engine.open("L-1", datetime(2026, 12, 7, 9, 0, tzinfo=utc))
    assert [a.id for a in engine.advance(datetime(2026, 12, 7, 15, 0, tzinfo=utc))] == [
        "L-1/contact/L1/c1", "L-1/contact/breach/c1", "L-1/contact/L2/c1"]
    got = engine.apply("L-1", redress.Event.CONTACT_CUSTOMER, datetime(2026, 12, 7, 10, 0, tzinfo=utc),
                       logged_at=datetime(2026, 12, 7, 15, 0, tzinfo=utc))
    assert [(a.kind, a.retracts, a.at) for a in got] == [
        (redress.ActionKind.RETRACTED, "L-1/contact/L1/c1", datetime(2026, 12, 7, 15, 0, tzinfo=utc)),
        (redress.ActionKind.RETRACTED, "L-1/contact/breach/c1", datetime(2026, 12, 7, 15, 0, tzinfo=utc)),
        (redress.ActionKind.RETRACTED, "L-1/contact/L2/c1", datetime(2026, 12, 7, 15, 0, tzinfo=utc))]
    with pytest.raises(TypeError, match="actor: expected a str, got int"):
        engine.apply("L-1", redress.Event.ACKNOWLEDGE, datetime(2026, 12, 7, 10, 0, tzinfo=utc), actor=3,
                     logged_at=datetime(2026, 12, 7, 15, 0, tzinfo=utc))


def test_a_migration_retracts_the_level_it_moves_and_fires_its_revision():
    """tests/data/migrate (hand-worked in tests/unit/engine_migrate_tests.cpp): received Mon 7 Dec
    2026 09:00 GMT under version 1, L1 (50% of 4 working hours) fired at 11:00; version 2 puts it
    at 75%, 12:00: migrating retracts it at 11:00, and it fires again at 12:00 as revision 2."""
    engine = redress.Engine(redress.load_policy(str(SOURCE / "tests/data/migrate/v1.toml")))
    engine.add_policy(redress.load_policy(str(SOURCE / "tests/data/migrate/v2.toml")), make_current=False)
    utc = timezone.utc
    engine.open("M-1", datetime(2026, 12, 7, 9, 0, tzinfo=utc))
    assert [a.id for a in engine.advance(datetime(2026, 12, 7, 12, 0, tzinfo=utc))] == ["M-1/contact/L1/c1"]
    got = engine.migrate("M-1", "2")
    assert [(a.id, a.kind, a.retracts, a.at) for a in got] == [
        ("M-1/contact/L1/c1/retracted", redress.ActionKind.RETRACTED, "M-1/contact/L1/c1",
         datetime(2026, 12, 7, 11, 0, tzinfo=utc))]
    assert [(a.id, a.at) for a in engine.advance(datetime(2026, 12, 7, 12, 0, tzinfo=utc))] == [
        ("M-1/contact/L1/c1/r2", datetime(2026, 12, 7, 12, 0, tzinfo=utc))]


def test_a_policy_names_the_files_it_read_so_a_host_knows_when_to_reload(tmp_path):
    """Policy.files: the calendar files a load read, relative to the policy, with their bytes.
    A host loads its policy again on a schedule and calls reload_policy only when they differ."""
    text = (SOURCE / "tests/data/migrate/v1.toml").read_text()
    text = text.replace('england-wales = "../../../rules/calendars/england-wales.toml"', 'england-wales = "cal/office.toml"')
    (tmp_path / "cal").mkdir()
    office = (SOURCE / "tests/data/calendars/office.toml").read_bytes()
    (tmp_path / "cal" / "office.toml").write_bytes(office)
    (tmp_path / "p.toml").write_text(text)
    before = redress.load_policy(str(tmp_path / "p.toml"))
    assert before.files == [("cal/office.toml", office)]
    assert redress.load_policy(str(tmp_path / "p.toml")).files == before.files  # nothing changed: no reload
    closed = (SOURCE / "tests/data/calendars/office-7-dec-2026-closed.toml").read_bytes()
    (tmp_path / "cal" / "office.toml").write_bytes(closed)
    after = redress.load_policy(str(tmp_path / "p.toml"))
    assert after.version == before.version and after.files == [("cal/office.toml", closed)]


def test_a_reloaded_calendar_recomputes_open_complaints(tmp_path):
    """The same policy version loaded again after its calendar file changed (office hours
    Mon-Fri 09:00-17:00 London; Mon 7 Dec 2026 then declared closed): L1 fired Mon 11:00 is
    retracted, and fires again Tue 8 Dec 11:00 as revision 2."""
    text = (SOURCE / "tests/data/migrate/v1.toml").read_text()
    calendar_line = 'england-wales = "../../../rules/calendars/england-wales.toml"'
    assert calendar_line in text

    def policy_with(calendar):
        path = tmp_path / ("policy-" + calendar)
        path.write_text(text.replace(calendar_line, 'england-wales = "%s"' % (SOURCE / "tests/data/calendars" / calendar)))
        return redress.load_policy(str(path))

    engine = redress.Engine(policy_with("office.toml"))
    utc = timezone.utc
    engine.open("M-7", datetime(2026, 12, 7, 9, 0, tzinfo=utc))
    assert [a.id for a in engine.advance(datetime(2026, 12, 7, 11, 30, tzinfo=utc))] == ["M-7/contact/L1/c1"]
    got = engine.reload_policy(policy_with("office-7-dec-2026-closed.toml"))
    assert [(a.kind, a.retracts, a.at) for a in got] == [
        (redress.ActionKind.RETRACTED, "M-7/contact/L1/c1", datetime(2026, 12, 7, 11, 0, tzinfo=utc))]
    assert [(a.id, a.at) for a in engine.advance(datetime(2026, 12, 8, 11, 30, tzinfo=utc))] == [
        ("M-7/contact/L1/c1/r2", datetime(2026, 12, 8, 11, 0, tzinfo=utc))]
    with pytest.raises(redress.UnknownPolicyVersion, match='no policy version "2" in this engine to reload'):
        engine.reload_policy(redress.load_policy(str(SOURCE / "tests/data/migrate/v2.toml")))
