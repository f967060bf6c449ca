// The SLA engine a helpdesk embeds: it joins the lifecycle, the calendars and a policy into one
// deterministic engine. The host opens complaints, applies events, and advances time; each call
// returns the actions now due, in time order; next_wakeup() says when to call again. Time is
// always an input: the engine never reads a clock. Clocks follow docs/spec/clocks.md.
#ifndef REDRESS_ENGINE_HPP
#define REDRESS_ENGINE_HPP

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "redress/lifecycle.hpp"
#include "redress/policy.hpp"
#include "redress/time.hpp"

namespace redress {

/// A new complaint, as the host received it.
struct complaint_intake {
  std::string id;
  instant received;
  /// kind, priority, channel, tier, region, site (checked against the policy's vocabulary),
  /// and free fields such as customer_name and return_address (checked against [intake]).
  complaint_attributes attributes;
};

/// An event the host applies to a complaint.
struct complaint_event {
  lifecycle_event what{};
  instant at;
  std::string actor;                // who did it, for the audit trail
  std::string reason;               // why (pauses may require one)
  bool justified = false;           // propose_resolution: is the complaint justified?
  bool satisfied = true;            // verify_satisfaction: is the customer satisfied?
  std::string role;                 // assign / register: the role that now owns the complaint
  std::optional<instant> promised;  // promise: the instant promised to the customer
  // plan_action: overrides of the policy's corrective-action template (empty: from the template)
  std::string action_what;
  std::string action_owner;
  std::string action_verifier;
  std::optional<instant> action_due;
  /// reclassify: the selector attributes that change (kind, priority, channel, tier, region,
  /// site), each to a value of the policy's vocabulary; the others keep theirs.
  complaint_attributes attributes;
  /// When the host logged it, if later than `at` (a contact entered after the fact). Absent: at
  /// `at`, or, for an event earlier than the complaint's latest event or fired action, at that
  /// latest instant (the engine knows it was logged no earlier). The policy's
  /// `[events] backdate_limit` is measured from it back to `at`; retractions are due at it.
  std::optional<instant> logged_at;
};

/// Something the host must do now: notify, reassign, record. `id` is stable
/// ("C-17/final-response/L2/c1": complaint, target, level, cycle), so a host that retries or
/// replays can de-duplicate.
struct action {
  enum class kind : std::uint8_t {
    escalation,        // a level of a target's ladder
    breach,            // a target's due instant passed while its clock ran
    promise_breach,    // a promise to the customer was broken
    corrective_action, // a corrective action was planned: who, what, by when, verifier
    assignment,        // the complaint changed owner (registration, assign, escalation)
    pause_ended,       // a pause ran out of budget
    retracted,         // an action emitted before that the complaint's history no longer
                       // produces (a back-dated event changed it): `retracts` names its id
  };
  std::string id;
  kind what = kind::escalation;
  std::string complaint;
  std::string target;         // target name, "promise", or the corrective action's name
  int level = 0;              // 1-based ladder level; 0 when not a ladder level
  int cycle = 1;              // 1-based cycle of the clock
  instant at;                 // when it became due
  std::string who;            // the role that must act (the owner, or the assignee)
  std::vector<std::string> notify;  // roles to notify
  std::string assign;         // role the complaint is reassigned to, if any
  std::string record;         // text to record, if any
  std::string summary;        // one line a person reads: what is due and why
  std::optional<instant> by_when;   // the deadline it concerns
  std::string verifier;       // who verifies it was done, if anyone
  /// Quiet hours: when the host should notify a person, the next working instant at or after
  /// `at` of the calendar the level's (or its role's) `deliver` names; absent when none applies.
  std::optional<instant> deliver_at;
  /// A retraction: the id of the action it retracts ("" for every other kind). Its own id is
  /// that id + "/retracted"; target, level and cycle are the retracted action's.
  std::string retracts;
};

/// A clock's state.
enum class clock_state : std::uint8_t { running, paused, met, breached, cancelled };
/// Returns: "running", "paused", "met", "breached" or "cancelled". Throws: nothing.
std::string_view to_string(clock_state) noexcept;

struct level_report {
  std::string label;                 // "80%", "+2 business days"
  std::optional<instant> at;         // when it fires (or fired); while its clock is paused and
                                     // it has not fired: when it would fire if the pause ended
                                     // at status()'s `now` (nullopt: beyond the calendar's range)
  bool fired = false;
};

struct clock_report {
  std::string target;
  int cycle = 1;
  clock_state state = clock_state::running;
  bool breached = false;             // the due instant passed while it ran (even if stopped since)
  instant started;
  instant due;
  std::optional<instant> stopped;
  bool extended = false;
  std::chrono::seconds consumed{0};  // in the target's kind of time, pauses excluded
  std::chrono::seconds remaining{0}; // until due, in the same kind of time (negative when late)
  double percent_consumed = 0;
  std::string owner;                 // the role responsible for meeting it
  std::vector<level_report> levels;
  // Requires: nothing. Effects: none. Returns: for a paused clock, the due instant it would
  // have if the pause ended at status()'s `now` (`due` is the due as it stood when the pause
  // began, which the pause moves); nullopt for a clock not paused, or when that instant lies
  // beyond the calendar's range.
  std::optional<instant> due_if_resumed_now;
};

struct pause_record {
  instant from;
  std::optional<instant> to;
  std::string reason;
  std::string actor;
  std::chrono::seconds working{0};   // working time the pause covered (when ended)
};

struct corrective_action_report {
  std::string what;
  std::string owner;
  std::string verifier;
  instant planned;
  instant due;
  std::optional<instant> done;
  std::optional<instant> verified;
  clock_state state = clock_state::running;
};

/// Everything about one complaint at an instant: a value the host can render or store.
struct complaint_status {
  std::string id;
  std::string policy_name;
  std::string policy_version;
  std::string calendar;               // the policy's name for it: policy::calendar(name) finds it
  instant received;
  lifecycle_state state;
  std::string owner;                 // role id, or "" before registration
  int escalation_level = 0;
  std::vector<clock_report> clocks;  // targets and promises, in the order they started
  std::vector<pause_record> pauses;
  std::vector<corrective_action_report> corrective_actions;
  std::map<std::string, std::chrono::seconds, std::less<>> ledger;  // working time per owner role
  std::map<std::string, std::chrono::seconds, std::less<>> team_ledger;  // the same, per team of
                                     // the roles that have one ([roles] NAME = { team = ... })
  std::size_t events = 0;
};

/// An error value: what went wrong and why; the complaint (if any) is unchanged.
struct engine_error {
  enum class kind : std::uint8_t {
    unknown_complaint, duplicate_complaint, rejected_event, out_of_order, invalid_intake,
    pause_refused, unknown_policy_version, calendar_error, duplicate_policy_version
  };
  kind what = kind::rejected_event;
  std::string message;
};

/// Thrown when an outcome is read the wrong way: value() (or * and ->) of a failed outcome, or
/// error() of a successful one. A mistake of the host's code, not of its input: test the
/// outcome (`if (result)`) before reading it.
class bad_outcome_access : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

/// A value or an engine_error (C++17 has no std::expected). [[nodiscard]]: a call whose outcome
/// is dropped might have failed unseen.
template <typename T>
class [[nodiscard]] outcome {
public:
  outcome(T value) : value_(std::move(value)) {}                   // NOLINT: implicit by design
  outcome(engine_error e) : error_(std::move(e)) {}                // NOLINT
  /// Returns: true when it holds a value, false when it holds an engine_error.
  explicit operator bool() const noexcept { return !error_.has_value(); }
  /// Returns: the value. Throws: bad_outcome_access (quoting the error) when it failed.
  const T& value() const& { return checked(); }
  T& value() & { return checked(); }
  T&& value() && { return std::move(checked()); }
  const T& operator*() const& { return checked(); }
  const T* operator->() const { return &checked(); }
  /// Returns: the error. Throws: bad_outcome_access when it succeeded.
  const engine_error& error() const {
    if (!error_) throw bad_outcome_access("outcome::error() of a successful outcome");
    return *error_;
  }

private:
  const T& checked() const {
    if (error_) throw bad_outcome_access("outcome::value() of a failed outcome: " + error_->message);
    return *value_;
  }
  T& checked() {
    if (error_) throw bad_outcome_access("outcome::value() of a failed outcome: " + error_->message);
    return *value_;
  }
  std::optional<T> value_;
  std::optional<engine_error> error_;
};

/// A complaint as it can be stored and restored: its policy version, intake and events, and
/// the instant up to which its actions have fired. Restoring replays it (the state is a pure
/// function of these), so a restored complaint continues exactly as the original would.
struct complaint_snapshot {
  std::string policy_version;
  complaint_intake intake;
  std::vector<complaint_event> events;
  std::optional<instant> fired_until;
  /// The ids of actions retracted so far (in the order retracted): what was emitted and taken
  /// back, so that a restored complaint names a level that fires again with its next revision
  /// ("C-17/final-response/L1/c1/r2") and a later retraction names the right id.
  std::vector<std::string> retracted;
};

namespace detail {
struct engine_state;
}

/// The engine. Not thread-safe: use one per thread or lock around it (policies and calendars
/// are shared safely). Deterministic: a complaint's state is a pure function of its policy
/// version and its events (replay() reproduces live processing exactly).
class engine {
public:
  /// Requires: a policy (any policy object is valid: its constructor ran validate()).
  /// Effects: an empty engine whose current version, for new complaints, is `current`.
  /// Throws: std::bad_alloc only.
  explicit engine(policy current);
  ~engine();
  /// Effects: takes over the other engine's complaints and policies; the moved-from engine may
  /// only be destroyed or assigned to. Throws: nothing.
  engine(engine&&) noexcept;
  engine& operator=(engine&&) noexcept;

  /// Requires: a version() this engine does not hold yet (the constructor's policy included):
  /// a version names one policy text, so restore() and migrate() find exactly one.
  /// Effects: registers another policy version; when `make_current`, later complaints open
  /// under it (open complaints keep theirs until migrate()). On an error nothing changes.
  /// Returns: the number of versions the engine now holds, or an engine_error:
  /// duplicate_policy_version (naming the version).
  /// Throws: std::length_error beyond 65,536 versions in one engine.
  outcome<std::size_t> add_policy(policy p, bool make_current = true);

  /// Requires: an id not open in this engine; attributes in the policy's vocabulary, and the
  /// free fields its [intake] requires.
  /// Effects: opens the complaint under the current policy and starts the clocks whose start is
  /// "received"; on an error nothing changes.
  /// Returns: the actions now due (none, or an assignment), or an engine_error:
  /// duplicate_complaint, invalid_intake (naming the field), calendar_error.
  /// Throws: nothing but std::bad_alloc: failures are returned.
  outcome<std::vector<action>> open(const complaint_intake& intake);
  /// Requires: `e.at` not earlier than the complaint's receipt; `e.logged_at`, when given, not
  /// earlier than `e.at`, and within the policy's `[events] backdate_limit` of it.
  /// Effects: an event at or after the complaint's last event and after the actions already
  /// fired: fires the actions due before `e.at` first, then applies the event: the lifecycle
  /// step, then the clocks it starts, stops, pauses, resumes or extends. An earlier event (a
  /// late, back-dated one): the complaint is rebuilt from its history with the event in its
  /// place (after the events at the same instant), up to the instant its actions had fired.
  /// A rejected event changes nothing; a late event that makes a later one illegal is refused
  /// whole.
  /// Returns: the actions in time order; for a late event, the actions the new history produces
  /// that were not emitted before (a changed one under its next revision, "/r2"), then one
  /// `retracted` action for each emitted action it no longer produces. Or an engine_error:
  /// unknown_complaint, out_of_order (before receipt; logged before it happened), rejected_event
  /// (the lifecycle's reason; beyond the backdate limit; a later event made illegal),
  /// pause_refused, calendar_error.
  /// Throws: nothing but std::bad_alloc: failures are returned.
  outcome<std::vector<action>> apply(std::string_view id, const complaint_event& e);
  /// Requires: nothing (a `now` before earlier calls fires nothing).
  /// Effects: fires every action due at or before `now`, across all complaints.
  /// Returns: those actions, in time order.
  /// Throws: nothing but std::bad_alloc.
  std::vector<action> advance(instant now);
  /// Returns: the next instant at which an action falls due, if any. (optional, not outcome:
  /// nothing due is an answer, not a failure.) Throws: nothing but std::bad_alloc.
  std::optional<instant> next_wakeup() const;
  /// Returns: the next instant at which an action falls due for one complaint (what
  /// next_wakeup() would say were it alone in the engine); nullopt when nothing will, or for an
  /// unknown id. Throws: nothing.
  std::optional<instant> next_wakeup(std::string_view id) const;

  /// Requires: nothing. Effects: none (the engine's state is not changed).
  /// Returns: everything about one complaint, with clocks measured at `now`; or an
  /// engine_error: unknown_complaint, calendar_error. Throws: nothing but std::bad_alloc.
  outcome<complaint_status> status(std::string_view id, instant now) const;
  /// Returns: the complaint's events, in the order applied; or unknown_complaint.
  /// Throws: nothing but std::bad_alloc.
  outcome<std::vector<complaint_event>> history(std::string_view id) const;
  /// Returns: the complaint's intake as it was opened, or nullopt for an unknown id. (optional,
  /// not outcome: a lookup, whose one way to miss is the unknown id the host asked about.)
  /// Throws: nothing but std::bad_alloc.
  std::optional<complaint_intake> intake(std::string_view id) const;
  /// Returns: the role that owns the complaint now ("" before registration; status().owner,
  /// without measuring the clocks), or nullopt for an unknown id (a lookup, as intake()).
  /// Throws: nothing but std::bad_alloc.
  std::optional<std::string> owner(std::string_view id) const;
  /// The complaint's lifecycle state now (status().state, without measuring the clocks), or
  /// nullopt for an unknown id (a lookup: absence is an answer, not a failure).
  std::optional<lifecycle_state> state(std::string_view id) const;
  /// The business calendar the complaint's clocks count on (the one status().calendar names),
  /// or nullptr for an unknown id. Valid while the complaint stays in this engine.
  const business_calendar* calendar(std::string_view id) const;

  /// Returns: a snapshot of one complaint (policy version, intake, events, fired_until), or
  /// unknown_complaint. Throws: nothing but std::bad_alloc.
  outcome<complaint_snapshot> snapshot(std::string_view id) const;
  /// Requires: a snapshot whose policy version this engine has, and whose id is not open here.
  /// Effects: replays it, in this or another engine, so it continues as the original would.
  /// Returns: the actions its history produces up to the snapshot's fired_until: these fired
  /// before (same ids as the first time), so a host that already executed them skips them by
  /// id; later ones come from advance(). Or an engine_error: unknown_policy_version,
  /// duplicate_complaint, or the error its history now meets. On an error nothing changes.
  /// Throws: nothing but std::bad_alloc.
  outcome<std::vector<action>> restore(const complaint_snapshot& snapshot);

  /// Requires: a version added with add_policy().
  /// Effects: rebuilds the complaint under that version from its history, up to the instant its
  /// actions had fired, keeping its paused time and what it retracted before; on an error the
  /// complaint stays as it was.
  /// Returns: what the recomputation changed, as for a late event (apply()): the actions the
  /// rebuilt history produces that were not emitted before (a changed one under its next
  /// revision, "C-17/final-response/L1/c1/r2"), then one `retracted` action for each emitted
  /// action it no longer produces as it was (due at the complaint's last event or fired action).
  /// An action that is the same under both versions is neither returned nor retracted. Or an
  /// engine_error: unknown_complaint, unknown_policy_version, or the error its history meets
  /// under the other version.
  /// Throws: nothing but std::bad_alloc.
  outcome<std::vector<action>> migrate(std::string_view id, std::string_view version);
  /// Requires: `p` of a version this engine holds: the same policy reloaded after its text or a
  /// calendar file it reads changed (a holiday added, working hours moved).
  /// Effects: `p` takes that version's place, and every open complaint under the version is
  /// recomputed from its history as migrate() does. All or nothing: when one complaint's
  /// history is illegal under `p`, nothing changes.
  /// Returns: what changed, complaint by complaint in the order of their ids (each as
  /// migrate() returns it); or an engine_error: unknown_policy_version, or the first
  /// complaint's error, naming it.
  /// Throws: nothing but std::bad_alloc.
  outcome<std::vector<action>> reload_policy(policy p);
  /// Effects: removes a complaint (e.g. after archiving) and its pending actions.
  /// Returns: whether there was one. (bool, not outcome: erasing is idempotent, and false
  /// only says there was no such complaint.) Throws: nothing but std::bad_alloc.
  bool erase(std::string_view id);

  /// Returns: the number of open (not erased) complaints. Throws: nothing.
  std::size_t size() const noexcept;

private:
  // apply() of a late event: rebuilds the complaint with it in place (recalculation.cpp).
  outcome<std::vector<action>> apply_late(std::string_view id, const complaint_event& e, std::int64_t logged);
  // The complaint rebuilt as `after` says, returning what changed from `emitted` (recalculation.cpp).
  outcome<std::vector<action>> recompute(std::string_view id, const complaint_snapshot& before,
                                         complaint_snapshot after, const std::vector<action>& emitted,
                                         const std::vector<action>& produced, instant retracted_at,
                                         std::string_view why);
  std::unique_ptr<detail::engine_state> state_;
};

/// Requires: `events` in the order they were applied. Effects: none outside the call: a fresh
/// engine under `p` opens the complaint, applies the events and advances to `until` (the
/// reference for "replay equals live").
/// Returns: the complaint's status at `until`, or the first engine_error the history meets;
/// with `actions`, every action fired is appended to it.
/// Throws: nothing but std::bad_alloc.
outcome<complaint_status> replay(const policy& p, const complaint_intake& intake,
                                 const std::vector<complaint_event>& events, instant until,
                                 std::vector<action>* actions = nullptr);

}  // namespace redress

#endif
