# Type stubs of the redress package (the implementation is python/redress/__init__.py over the
# C++ extension redress._native): what editors and type checkers complete.
import datetime as _dt
import enum
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Union

SNAPSHOT_FORMAT_VERSION: int
Snapshot = Dict[str, Any]

def version() -> str: ...

class Error(Exception):
    code: str
    message: str
    file: str
    line: int
    column: int
    def __init__(self, message: str, file: str = ..., line: int = ..., column: int = ..., code: Optional[str] = ...) -> None: ...

class LoadError(Error): ...
class InvalidJSON(Error): ...
class InvalidValue(Error, ValueError): ...
class UnknownComplaint(Error, KeyError): ...
class DuplicateComplaint(Error): ...
class RejectedEvent(Error): ...
class OutOfOrder(Error): ...
class InvalidIntake(Error): ...
class PauseRefused(Error): ...
class UnknownPolicyVersion(Error): ...
class CalendarError(Error): ...
class LimitError(Error): ...

class State(enum.Enum):
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
    NONE_REQUIRED = "none_required"
    PLANNED = "planned"
    DONE = "done"
    VERIFIED = "verified"

class Event(enum.Enum):
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

class ActionKind(enum.Enum):
    ESCALATION = "escalation"
    BREACH = "breach"
    PROMISE_BREACH = "promise_breach"
    CORRECTIVE_ACTION = "corrective_action"
    ASSIGNMENT = "assignment"
    PAUSE_ENDED = "pause_ended"

class ClockState(enum.Enum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"
    CANCELLED = "cancelled"

@dataclass(frozen=True)
class Action:
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

@dataclass(frozen=True)
class Level:
    label: str
    at: Optional[_dt.datetime]
    fired: bool

@dataclass(frozen=True)
class ClockReport:
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

@dataclass(frozen=True)
class PauseRecord:
    start: _dt.datetime
    end: Optional[_dt.datetime]
    reason: str
    actor: str
    working: _dt.timedelta

@dataclass(frozen=True)
class CorrectiveAction:
    what: str
    owner: str
    verifier: str
    planned: _dt.datetime
    due: _dt.datetime
    done: Optional[_dt.datetime]
    verified: Optional[_dt.datetime]
    state: ClockState

@dataclass(frozen=True)
class Status:
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
    def clock(self, target: str) -> ClockReport: ...

class Calendar:
    @property
    def name(self) -> str: ...
    @property
    def timezone(self) -> str: ...
    def deadline(self, start: _dt.datetime, duration: str, *, end: str = ..., rollover: str = ...,
                 receipt: str = ...) -> _dt.datetime: ...
    def parse_timestamp(self, text: str) -> _dt.datetime: ...
    def elapsed(self, start: _dt.datetime, end: _dt.datetime) -> _dt.timedelta: ...

class Policy:
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def default_calendar(self) -> str: ...
    @property
    def calendars(self) -> List[str]: ...
    def calendar(self, name: Optional[str] = ...) -> Calendar: ...

def load_policy(path: str) -> Policy: ...
def parse_policy(toml: str, file_name: str = ...) -> Policy: ...
def load_calendar(path: str) -> Calendar: ...

class Engine:
    def __init__(self, policy: Policy) -> None: ...
    def add_policy(self, policy: Policy, make_current: bool = ...) -> None: ...
    def open(self, complaint: str, received: _dt.datetime, **attributes: str) -> List[Action]: ...
    def apply(self, complaint: str, event: Union[Event, str], at: _dt.datetime, *, actor: str = ...,
              reason: str = ..., justified: bool = ..., satisfied: bool = ..., role: str = ...,
              promised: Optional[_dt.datetime] = ..., what: str = ..., owner: str = ..., verifier: str = ...,
              due: Optional[_dt.datetime] = ...) -> List[Action]: ...
    def advance(self, now: _dt.datetime) -> List[Action]: ...
    def next_wakeup(self) -> Optional[_dt.datetime]: ...
    def status(self, complaint: str, now: _dt.datetime) -> Status: ...
    def history(self, complaint: str) -> Dict[str, Any]: ...
    def snapshot(self, complaint: str) -> Snapshot: ...
    def restore(self, snapshot: Union[Snapshot, str]) -> List[Action]: ...
    def migrate(self, complaint: str, version: str) -> List[Action]: ...
    def erase(self, complaint: str) -> bool: ...
    def __len__(self) -> int: ...
