"""redress for Python: complaint handling on time, in-process.

Load a policy, open complaints, apply events, advance time; each call returns the actions now
due. Time is always an input: pass timezone-aware ``datetime`` values (naive ones are refused);
instants come back in the offset of the complaint's calendar. The engine runs in this process
(a C++ extension, ``redress._native``); values cross in the wire format of
docs/wire-format.md, so a snapshot taken here restores in any other host, and back.

    import redress
    from datetime import datetime, timezone
    policy = redress.load_policy("rules/iso10002.toml")
    engine = redress.Engine(policy)
    engine.open("C-17", datetime(2026, 4, 1, 13, 0, tzinfo=timezone.utc),
                kind="product-quality", channel="email",
                customer_name="Ann Example", return_address="ann@example.org")
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import json
from typing import Any, Dict, List, Optional, Union

from . import _native

__all__ = [
    "version", "load_policy", "parse_policy", "load_calendar", "Policy", "Calendar", "Engine",
    "State", "PlanState", "Event", "ActionKind", "ClockState", "Action", "Level", "ClockReport",
    "PauseRecord", "CorrectiveAction", "Status", "Error", "LoadError", "InvalidValue", "InvalidJSON",
    "UnknownComplaint", "DuplicateComplaint", "RejectedEvent", "OutOfOrder", "InvalidIntake",
    "PauseRefused", "UnknownPolicyVersion", "DuplicatePolicyVersion", "CalendarError", "LimitError",
]

SNAPSHOT_FORMAT_VERSION: int = _native.snapshot_format_version


def version() -> str:
    """The version of the redress library: "MAJOR.MINOR.PATCH"."""
    return _native.version()


# ---- errors -------------------------------------------------------------------------------------

class Error(Exception):
    """What went wrong and where. ``code`` is the wire format's error code ("rejected_event",
    "load_error", ...); ``file``, ``line`` and ``column`` say where, when known ("" and 0
    otherwise). A rejected call changes nothing: the complaint is exactly as it was."""

    code = "internal"

    def __init__(self, message: str, file: str = "", line: int = 0, column: int = 0, code: Optional[str] = None):
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        if code is not None:
            self.code = code
        place = file
        if line:
            place += f":{line}" + (f":{column}" if column else "")
        super().__init__(f"{place}: {message}" if place else message)


class LoadError(Error):
    """A policy or calendar file that cannot be read or is wrong (file, line, column)."""
    code = "load_error"


class InvalidJSON(Error):
    """A value that is not JSON (a snapshot given as text)."""
    code = "invalid_json"


class InvalidValue(Error, ValueError):
    """A value that does not follow the wire format; the message names it."""
    code = "invalid_value"


class UnknownComplaint(Error, KeyError):
    code = "unknown_complaint"

    def __str__(self) -> str:  # KeyError would quote the message
        return Exception.__str__(self)


class DuplicateComplaint(Error):
    code = "duplicate_complaint"


class RejectedEvent(Error):
    """The event is not legal in the complaint's state, or a rule forbids it now."""
    code = "rejected_event"


class OutOfOrder(Error):
    """The event is earlier than the complaint's last event or an action already fired."""
    code = "out_of_order"


class InvalidIntake(Error):
    """Vocabulary or required intake fields."""
    code = "invalid_intake"


class PauseRefused(Error):
    """The pause budget is spent, or a reason is required."""
    code = "pause_refused"


class UnknownPolicyVersion(Error):
    code = "unknown_policy_version"


class DuplicatePolicyVersion(Error):
    """add_policy: the engine holds that policy version already (a changed policy needs a new version)."""
    code = "duplicate_policy_version"


class CalendarError(Error):
    """A deadline beyond the calendar's data or year 9999."""
    code = "calendar_error"


class LimitError(Error):
    """A limit of the engine (e.g. 65,536 policy versions in one engine)."""
    code = "limit"


_ERRORS = {cls.code: cls for cls in (LoadError, InvalidJSON, InvalidValue, UnknownComplaint, DuplicateComplaint,
                                     RejectedEvent, OutOfOrder, InvalidIntake, PauseRefused, UnknownPolicyVersion,
                                     DuplicatePolicyVersion, CalendarError, LimitError)}


def _error(e: "_native.NativeError") -> Error:
    code, message, file, line, column = e.args
    return _ERRORS.get(code, Error)(message, file, line, column, code=code)


def _call(function, *args):
    try:
        return function(*args)
    except _native.NativeError as e:
        raise _error(e) from None


# ---- enums: the wire format's names are their values ----------------------------------------------

class State(enum.Enum):
    """The complaint's state (the main region of the lifecycle)."""
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    REGISTERED = "registered"
    INVESTIGATING = "investigating"
    AWAITING_CUSTOMER = "awaiting_customer"
    RESOLUTION_PROPOSED = "resolution_proposed"
    RESOLUTION_AGREED = "resolution_agreed"
    RESPONDED = "responded"
    VERIFYING_SATISFACTION = "verifying_satisfaction"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class PlanState(enum.Enum):
    """The corrective action plan's state."""
    NONE_REQUIRED = "none_required"
    PLANNED = "planned"
    DONE = "done"
    VERIFIED = "verified"


class Event(enum.Enum):
    """Everything that can happen to a complaint."""
    ACKNOWLEDGE = "acknowledge"
    REGISTER = "register"
    START_INVESTIGATION = "start_investigation"
    REQUEST_INFORMATION = "request_information"
    CUSTOMER_REPLIED = "customer_replied"
    PROPOSE_RESOLUTION = "propose_resolution"
    CUSTOMER_ACCEPTS = "customer_accepts"
    CUSTOMER_REJECTS = "customer_rejects"
    SEND_HOLDING_RESPONSE = "send_holding_response"
    SEND_RESPONSE = "send_response"
    VERIFY_SATISFACTION = "verify_satisfaction"
    CLOSE = "close"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"
    ESCALATE = "escalate"
    ASSIGN = "assign"
    PROMISE = "promise"
    CONTACT_CUSTOMER = "contact_customer"
    PLAN_ACTION = "plan_action"
    COMPLETE_ACTION = "complete_action"
    VERIFY_ACTION = "verify_action"
    RECLASSIFY = "reclassify"


class ActionKind(enum.Enum):
    ESCALATION = "escalation"
    BREACH = "breach"
    PROMISE_BREACH = "promise_breach"
    CORRECTIVE_ACTION = "corrective_action"
    ASSIGNMENT = "assignment"
    PAUSE_ENDED = "pause_ended"
    RETRACTED = "retracted"  # an action emitted before that a late event's history no longer produces


class ClockState(enum.Enum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"
    CANCELLED = "cancelled"


# ---- instants and durations -----------------------------------------------------------------------

def _instant(value: _dt.datetime, name: str) -> str:
    """The instant in the wire format. The rule (aware, whole seconds; TypeError or ValueError
    naming ``name``) is the extension's, which the hot path applies itself."""
    _native.instant_seconds(value, name)
    return value.isoformat()


def _check_texts(pairs) -> None:
    """TypeError naming the first of (name, value) whose value is not a str."""
    for key, value in pairs:
        if not isinstance(value, str):
            raise TypeError(f"{key}: expected a str, got {type(value).__name__}") from None


def _time(text: Optional[str]) -> Optional[_dt.datetime]:
    return None if text is None else _dt.datetime.fromisoformat(text)


def _seconds(n: int) -> _dt.timedelta:
    return _dt.timedelta(seconds=n)


# ---- values ---------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Action:
    """Something the host must do now. ``id`` is stable (complaint/target/level/cycle): a host
    that retries or replays de-duplicates by it."""
    id: str
    kind: ActionKind
    complaint: str
    target: str
    level: int
    cycle: int
    at: _dt.datetime
    who: str
    notify: List[str]
    assign: str
    record: str
    summary: str
    by_when: Optional[_dt.datetime]
    verifier: str
    deliver_at: Optional[_dt.datetime] = None  # quiet hours: when to notify a person
    retracts: str = ""  # a RETRACTED action: the id of the action it takes back

    @classmethod
    def _from_wire(cls, j: Dict[str, Any]) -> "Action":
        return cls(j["id"], ActionKind(j["kind"]), j["complaint"], j["target"], j["level"], j["cycle"],
                   _time(j["at"]), j["who"], list(j["notify"]), j["assign"], j["record"], j["summary"],
                   _time(j["by_when"]), j["verifier"], _time(j.get("deliver_at")),
                   j.get("retracts", ""))


@dataclasses.dataclass(frozen=True)
class Level:
    label: str
    at: Optional[_dt.datetime]
    fired: bool


@dataclasses.dataclass(frozen=True)
class ClockReport:
    """A clock (a target or a promise) measured at the status's ``as_of``."""
    target: str
    cycle: int
    state: ClockState
    breached: bool
    started: _dt.datetime
    due: _dt.datetime
    stopped: Optional[_dt.datetime]
    extended: bool
    consumed: _dt.timedelta
    remaining: _dt.timedelta
    percent_consumed: float
    owner: str
    levels: List[Level]

    @classmethod
    def _from_wire(cls, j: Dict[str, Any]) -> "ClockReport":
        return cls(j["target"], j["cycle"], ClockState(j["state"]), j["breached"], _time(j["started"]),
                   _time(j["due"]), _time(j["stopped"]), j["extended"], _seconds(j["consumed_seconds"]),
                   _seconds(j["remaining_seconds"]), j["percent_consumed"], j["owner"],
                   [Level(level["label"], _time(level["at"]), level["fired"]) for level in j["levels"]])


@dataclasses.dataclass(frozen=True)
class PauseRecord:
    start: _dt.datetime
    end: Optional[_dt.datetime]
    reason: str
    actor: str
    working: _dt.timedelta

    @classmethod
    def _from_wire(cls, j: Dict[str, Any]) -> "PauseRecord":
        return cls(_time(j["from"]), _time(j["to"]), j["reason"], j["actor"], _seconds(j["working_seconds"]))


@dataclasses.dataclass(frozen=True)
class CorrectiveAction:
    what: str
    owner: str
    verifier: str
    planned: _dt.datetime
    due: _dt.datetime
    done: Optional[_dt.datetime]
    verified: Optional[_dt.datetime]
    state: ClockState

    @classmethod
    def _from_wire(cls, j: Dict[str, Any]) -> "CorrectiveAction":
        return cls(j["what"], j["owner"], j["verifier"], _time(j["planned"]), _time(j["due"]), _time(j["done"]),
                   _time(j["verified"]), ClockState(j["state"]))


@dataclasses.dataclass(frozen=True)
class Status:
    """Everything about one complaint, with its clocks measured at ``as_of``."""
    id: str
    policy_name: str
    policy_version: str
    calendar: str
    as_of: _dt.datetime
    received: _dt.datetime
    state: State
    action_plan: PlanState
    justified: bool
    satisfied: bool
    holding_response_sent: bool
    first_contact: bool
    owner: str
    escalation_level: int
    clocks: List[ClockReport]
    pauses: List[PauseRecord]
    corrective_actions: List[CorrectiveAction]
    ledger: Dict[str, _dt.timedelta]
    team_ledger: Dict[str, _dt.timedelta]
    events: int

    def clock(self, target: str) -> ClockReport:
        """The latest clock of ``target``. Raises KeyError when there is none."""
        for k in reversed(self.clocks):
            if k.target == target:
                return k
        raise KeyError(target)

    @classmethod
    def _from_wire(cls, j: Dict[str, Any]) -> "Status":
        return cls(j["id"], j["policy_name"], j["policy_version"], j["calendar"], _time(j["as_of"]),
                   _time(j["received"]), State(j["state"]), PlanState(j["action_plan"]), j["justified"],
                   j["satisfied"], j["holding_response_sent"], j["first_contact"], j["owner"],
                   j["escalation_level"], [ClockReport._from_wire(k) for k in j["clocks"]],
                   [PauseRecord._from_wire(p) for p in j["pauses"]],
                   [CorrectiveAction._from_wire(c) for c in j["corrective_actions"]],
                   {k: _seconds(v) for k, v in j["ledger_seconds"].items()},
                   {k: _seconds(v) for k, v in j["team_ledger_seconds"].items()}, j["events"])


def _actions(text: str) -> List[Action]:
    return [Action._from_wire(a) for a in json.loads(text)]


_ACTION_KINDS = {kind.value: kind for kind in ActionKind}


def _native_actions(fields: List[tuple]) -> List[Action]:
    """Actions from the extension's hot path: tuples of Action's fields, the kind by its name."""
    return [Action(f[0], _ACTION_KINDS[f[1]], *f[2:]) for f in fields]


# ---- policies and calendars -------------------------------------------------------------------------

class Calendar:
    """A business calendar: immutable, safe to share across threads."""

    def __init__(self, native: "_native.Calendar"):
        self._native = native

    @property
    def name(self) -> str:
        return self._native.name

    @property
    def timezone(self) -> str:
        """The IANA zone name, e.g. "Europe/London"."""
        return self._native.timezone

    def deadline(self, start: _dt.datetime, duration: str, *, end: str = "", rollover: str = "",
                 receipt: str = "") -> _dt.datetime:
        """The deadline for ``duration`` ("15 business days", "36 business hours", "8 weeks")
        counted from ``start``, in the calendar's offset. ``end``: "end-of-day" (default),
        "close-of-business", "same-time"; ``rollover``: "none", "next-business-day"; ``receipt``:
        "as-received", "next-business-day-if-closed"."""
        return _time(_call(self._native.deadline, _instant(start, "start"), duration, end, rollover, receipt))

    def parse_timestamp(self, text: str) -> _dt.datetime:
        """Reads a timestamp as the CLI and the scenario files do: RFC 3339 with an offset, or a
        local time without one ("2026-03-27T16:00:00") read in the calendar's zone (a time in a
        spring-forward gap is the transition, one in an autumn overlap the first of the two).
        Returns it in the calendar's offset. Raises InvalidValue quoting the text."""
        return _time(_call(self._native.parse_timestamp, text))

    def elapsed(self, start: _dt.datetime, end: _dt.datetime) -> _dt.timedelta:
        """The working time between two instants (negative when ``end`` is before ``start``)."""
        return _seconds(_call(self._native.elapsed, _instant(start, "start"), _instant(end, "end")))

    def __repr__(self) -> str:
        return f"<redress.Calendar {self.name} ({self.timezone})>"


class Policy:
    """A loaded policy: immutable, safe to share across threads and engines."""

    def __init__(self, native: "_native.Policy"):
        self._native = native

    @property
    def name(self) -> str:
        return self._native.name

    @property
    def version(self) -> str:
        return self._native.version

    @property
    def default_calendar(self) -> str:
        return self._native.default_calendar

    @property
    def calendars(self) -> List[str]:
        return list(self._native.calendars)

    @property
    def files(self) -> List[Tuple[str, bytes]]:
        """The calendar and holiday files the policy read when it was loaded, each once, in the
        order read: (path relative to the policy file, content). Two loads of one version that
        read different files count differently: compare them to know when to reload_policy()."""
        return list(self._native.files)

    def calendar(self, name: Optional[str] = None) -> Calendar:
        """The policy's calendar by name (its default calendar when None). Raises InvalidValue."""
        return Calendar(_call(self._native.calendar, name or self.default_calendar))

    def __repr__(self) -> str:
        return f"<redress.Policy {self.name!r} version {self.version!r}>"


def load_policy(path: str) -> Policy:
    """Loads a policy file (TOML), its calendars and their holiday files. Raises LoadError at
    file:line:column."""
    return Policy(_call(_native.load_policy, str(path)))


def parse_policy(toml: str, file_name: str = "<string>") -> Policy:
    """The same from text; ``file_name`` names it in messages and resolves relative paths."""
    return Policy(_call(_native.parse_policy, toml, file_name))


def load_calendar(path: str) -> Calendar:
    """Loads a calendar file (TOML). Raises LoadError at file:line:column."""
    return Calendar(_call(_native.load_calendar, str(path)))


# ---- the engine -----------------------------------------------------------------------------------

Snapshot = Dict[str, Any]


class Engine:
    """The engine a host embeds. Not thread-safe: use one per thread or lock around it.
    Deterministic: a complaint's state is a pure function of its policy version and events."""

    def __init__(self, policy: Policy):
        self._native = _call(_native.Session, policy._native)

    def add_policy(self, policy: Policy, make_current: bool = True) -> None:
        """Registers another policy version; new complaints use it when ``make_current``.
        Raises DuplicatePolicyVersion for a version the engine holds already (nothing changes)."""
        _call(self._native.add_policy, policy._native, make_current)

    def open(self, complaint: str, received: _dt.datetime, **attributes: str) -> List[Action]:
        """Opens a complaint. ``attributes``: kind, priority, channel, tier, region, site and the
        free fields the policy's [intake] requires (customer_name=...). Returns the actions now
        due. Raises DuplicateComplaint, InvalidIntake, CalendarError, InvalidValue."""
        for key, value in attributes.items():
            if not isinstance(value, str):
                raise TypeError(f"attribute {key}: expected a str, got {type(value).__name__}")
        intake = {"id": complaint, "received": _instant(received, "received"), "attributes": attributes}
        return _actions(_call(self._native.open, json.dumps(intake)))

    def apply(self, complaint: str, event: Union[Event, str], at: _dt.datetime, *, actor: str = "",
              reason: str = "", justified: bool = False, satisfied: bool = True, role: str = "",
              promised: Optional[_dt.datetime] = None, what: str = "", owner: str = "", verifier: str = "",
              due: Optional[_dt.datetime] = None, logged_at: Optional[_dt.datetime] = None) -> List[Action]:
        """Applies ``event`` at ``at`` to a complaint; the actions due before it fire first.
        An event earlier than the complaint's last event or fired action is a late one, put in its
        place (``logged_at``: when it was entered); the actions returned then include RETRACTED
        ones (docs/spec/clocks.md, "Late events"). A rejected event changes nothing. Raises
        RejectedEvent, OutOfOrder, PauseRefused, UnknownComplaint, InvalidValue."""
        if logged_at is not None:
            wire: Dict[str, Any] = {"event": event._value_ if type(event) is Event else Event(event).value,
                                    "at": _instant(at, "at"), "logged_at": _instant(logged_at, "logged_at")}
            texts = (("actor", actor), ("reason", reason), ("role", role), ("what", what), ("owner", owner),
                     ("verifier", verifier))
            _check_texts(texts)
            wire.update((key, value) for key, value in texts if value)
            if justified:
                wire["justified"] = True
            if not satisfied:
                wire["satisfied"] = False
            if promised is not None:
                wire["promised"] = _instant(promised, "promised")
            if due is not None:
                wire["due"] = _instant(due, "due")
            return _actions(_call(self._native.apply, complaint, json.dumps(wire)))
        # The hot path: the fields and datetimes go to the engine's own event, with no JSON between.
        name = event._value_ if type(event) is Event else Event(event).value
        try:
            fields = self._native.apply_event(complaint, name, at, actor, reason, bool(justified), bool(satisfied),
                                              role, promised, what, owner, verifier, due)
        except _native.NativeError as e:
            raise _error(e) from None
        except TypeError:
            _check_texts((("actor", actor), ("reason", reason), ("role", role), ("what", what), ("owner", owner),
                          ("verifier", verifier)))
            raise
        return [Action(f[0], _ACTION_KINDS[f[1]], *f[2:]) for f in fields]

    def reclassify(self, complaint: str, at: _dt.datetime, *, actor: str = "", reason: str = "",
                   **attributes: str) -> List[Action]:
        """Applies a ``reclassify`` event at ``at``: ``attributes`` are the selector attributes it
        changes (kind, priority, channel, tier, region, site), e.g. priority="urgent"
        (docs/spec/clocks.md, "Reclassification"). Raises RejectedEvent, OutOfOrder,
        UnknownComplaint, CalendarError, InvalidValue."""
        for key, value in attributes.items():
            if not isinstance(value, str):
                raise TypeError(f"attribute {key}: expected a str, got {type(value).__name__}")
        event: Dict[str, Any] = {"event": "reclassify", "at": _instant(at, "at"), "attributes": attributes}
        if actor:
            event["actor"] = actor
        if reason:
            event["reason"] = reason
        return _actions(_call(self._native.apply, complaint, json.dumps(event)))

    def advance(self, now: _dt.datetime) -> List[Action]:
        """Fires every action due at or before ``now``, across all complaints, in time order."""
        return _native_actions(_call(self._native.advance_actions, now))

    def next_wakeup(self) -> Optional[_dt.datetime]:
        """The next instant at which an action falls due, or None."""
        return _time(json.loads(_call(self._native.next_wakeup))["next_wakeup"])

    def status(self, complaint: str, now: _dt.datetime) -> Status:
        """Everything about one complaint, with its clocks measured at ``now``."""
        return Status._from_wire(json.loads(_call(self._native.status, complaint, _instant(now, "now"))))

    def history(self, complaint: str) -> Dict[str, Any]:
        """The complaint's intake and events as applied, in the wire format."""
        return json.loads(_call(self._native.history, complaint))

    def snapshot(self, complaint: str) -> Snapshot:
        """A snapshot of one complaint, a JSON-ready dict (docs/wire-format.md): store it with
        json.dumps; restore() takes it back here or in any other host."""
        return json.loads(_call(self._native.snapshot, complaint))

    def restore(self, snapshot: Union[Snapshot, str]) -> List[Action]:
        """Restores a snapshot (a dict or its JSON text). Returns the actions its history
        produced up to its fired_until (they fired before, with the same ids: skip them)."""
        text = snapshot if isinstance(snapshot, str) else json.dumps(snapshot)
        return _actions(_call(self._native.restore, text))

    def migrate(self, complaint: str, version: str) -> List[Action]:
        """Rebuilds a complaint under another registered policy version, keeping its paused time.
        Returns what changed: the actions newly due (a changed one under its next revision,
        ".../L1/c1/r2"), then a `retracted` action for each emitted action it changed."""
        return _actions(_call(self._native.migrate, complaint, version))

    def reload_policy(self, policy: Policy) -> List[Action]:
        """Puts ``policy`` in the place of the version it names (the same policy loaded again
        after its text or a calendar file changed) and recomputes every open complaint of that
        version as migrate() does. Returns what changed. All or nothing: raises
        UnknownPolicyVersion, or the first complaint's error (the engine is unchanged)."""
        return _actions(_call(self._native.reload_policy, policy._native))

    def erase(self, complaint: str) -> bool:
        """Removes a complaint; False when there was none."""
        return self._native.erase(complaint)

    def __len__(self) -> int:
        return len(self._native)
