// Policies: what a compliance team writes (rules/README.md documents the TOML language).
// A policy says which calendar applies, which targets (clocks) run on which complaints, when
// they pause, what happens as they near and pass their deadline, and who is responsible.
// A loaded policy is immutable and safe to share across threads.
#ifndef REDRESS_POLICY_HPP
#define REDRESS_POLICY_HPP

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redress/calendar.hpp"
#include "redress/error.hpp"
#include "redress/lifecycle.hpp"
#include "redress/time.hpp"

namespace redress {

/// What starts, stops or re-arms a clock: a lifecycle event ("acknowledge"), or entering a
/// state of the main region ("received", "responded") or of the action-plan region ("done").
struct lifecycle_trigger {
  enum class kind : std::uint8_t { event, state, plan_state };
  kind what = kind::event;
  std::uint8_t value = 0;  // a lifecycle_event, complaint_state or action_plan_state

  /// Returns: the trigger "on event `e`", "on entering state `s`" (main or plan region).
  /// Throws: nothing.
  static lifecycle_trigger on(lifecycle_event e) noexcept {
    return {kind::event, static_cast<std::uint8_t>(e)};
  }
  static lifecycle_trigger entering(complaint_state s) noexcept {
    return {kind::state, static_cast<std::uint8_t>(s)};
  }
  static lifecycle_trigger entering(action_plan_state s) noexcept {
    return {kind::plan_state, static_cast<std::uint8_t>(s)};
  }
  /// Returns: the public name: "acknowledge", "received", "done". Throws: nothing.
  std::string_view name() const noexcept;

  friend bool operator==(const lifecycle_trigger& a, const lifecycle_trigger& b) noexcept {
    return a.what == b.what && a.value == b.value;
  }
};

/// A complaint's classification, as the host gives it when opening the complaint. Known keys:
/// kind, priority, channel, tier, region, site; any other key is a free field (e.g. the
/// customer's name and return address that intake rules require).
using complaint_attributes = std::map<std::string, std::string, std::less<>>;

/// A classification dimension: its key in complaint_attributes and in a selector (`name`), and
/// the key of its list in a policy's [vocabulary] (`plural`).
struct selector_dimension {
  std::string_view name, plural;
};
/// The classification dimensions, the one list of them (the policy reader, selectors, explain
/// and simulate all read it): kind, priority, channel, tier, region, site.
inline constexpr selector_dimension selector_dimensions[] = {
    {"kind", "kinds"}, {"priority", "priorities"}, {"channel", "channels"},
    {"tier", "tiers"}, {"region", "regions"},      {"site", "sites"},
};
/// Returns: whether `key` names one of selector_dimensions (the others are free fields).
/// Throws: nothing.
bool is_selector_dimension(std::string_view key) noexcept;

/// `when = { kind = [...], channel = [...] }`: every listed dimension must match one of its
/// values; an empty selector matches every complaint.
struct selector {
  std::map<std::string, std::vector<std::string>, std::less<>> values;  // dimension -> allowed
  std::optional<bool> justified;  // corrective actions: only justified (or unjustified) complaints

  /// Returns: whether `complaint` has, for every listed dimension, one of its values, and (when
  /// `justified` is set) `is_justified` is given and equal to it. Throws: nothing.
  bool matches(const complaint_attributes& complaint, std::optional<bool> is_justified = {}) const;
  /// Returns: whether it selects every complaint. Throws: nothing.
  bool empty() const noexcept { return values.empty() && !justified; }
  /// Returns: "kind in [claim, staff], channel in [letter]" (and "justified"/"not justified");
  /// "" when empty. Throws: std::bad_alloc only.
  std::string to_string() const;
};

/// One level of an escalation ladder.
struct escalation_step {
  enum class anchor : std::uint8_t { percent, after_due, before_due };
  anchor at = anchor::percent;
  int percent = 100;             // 1..100, for anchor::percent
  duration_spec offset;          // for after_due / before_due
  std::vector<std::string> notify;  // role ids
  std::string assign;               // role id the complaint is reassigned to, or empty
  std::string record;               // a note to record, e.g. "regulatory breach"
  std::string verifier;             // role id that verifies the level was acted on, or empty
  std::string label;                // as written: "80%", "+2 business days", "2 business hours before"
  source_location where;
  /// Quiet hours (rules/README.md, "deliver"): "" (the role's setting applies), "immediately",
  /// "working-hours" (the complaint's calendar) or the name of one of the policy's calendars.
  std::string deliver;
};

/// A target: a named clock.
struct target_definition {
  std::string name;
  std::string description;
  lifecycle_trigger starts;
  std::vector<lifecycle_trigger> stops;
  duration_spec within;
  deadline_options options;
  bool periodic = false;                       // `every`: re-arms after each update
  std::vector<lifecycle_trigger> rearm_on;     // periodic: the update events
  struct extension_rule {
    duration_spec within;                      // counted from the clock's original start
    lifecycle_event condition{};               // must have happened before the original due
  };
  std::optional<extension_rule> extension;
  selector when;
  std::vector<complaint_state> pauses;         // states in which the clock is paused
  std::vector<escalation_step> escalate;       // in firing order
  std::string owner;                           // role responsible; empty: the complaint's owner
  std::string calendar;                        // calendar name; empty: the complaint's calendar
  /// What a reclassification that selects this variant for a clock of another variant (same
  /// name) does: recompute it (start and consumption kept, the due from the original start), or
  /// restart it (a new cycle from the reclassification). docs/spec/clocks.md, "Reclassification".
  enum class reclassify_rule : std::uint8_t { recompute, restart };
  reclassify_rule on_reclassify = reclassify_rule::recompute;
  source_location where;
  source_location within_where;                // the 'within' (or 'every') value, for lint
};

/// How pauses are governed. A clock pauses while the complaint is in one of its target's
/// pause states (e.g. awaiting_customer) and resumes when the complaint leaves it (the customer
/// replied). Once a complaint's paused working time reaches the budget, the pause in progress
/// ends (clocks run again though the state stays); `refuse` then refuses events that would
/// pause again, `end_pause` accepts them without pausing.
struct pause_rules {
  bool reason_required = false;
  std::optional<duration_spec> budget;          // total paused working time per complaint
  enum class over_budget : std::uint8_t { refuse, end_pause };
  over_budget when_exceeded = over_budget::refuse;
};

/// What the policy says of events themselves.
struct event_rules {
  /// How far back an event may be dated: measured from when it was logged back to its `at`, on
  /// the complaint's calendar ("2 business days"). Absent: any instant from the receipt on.
  std::optional<duration_spec> backdate_limit;
};

/// "You will hear from us by ...": promises are clocks whose due instant is the promised one.
struct promise_rules {
  std::vector<escalation_step> escalate;  // warnings and escalations of every promise
  std::vector<lifecycle_trigger> kept_by; // default: contact_customer
};

/// "Who is responsible, to do what, by when, and who verifies that it was done."
struct corrective_action_template {
  selector when;
  std::string what;
  std::string owner;     // role
  duration_spec within;  // counted from the moment the plan is made
  std::string verifier;  // role
  source_location where;
};

struct role_definition {
  std::string id;
  std::string title;
  std::string team;  // the team the role belongs to, if any: the ledger sums working time per team
  source_location where;
  std::string deliver;  // quiet hours for what this role must act on: as escalation_step::deliver
};

struct kind_definition {
  std::string name;
  std::string description;
  std::string owner;                                   // role
  std::map<std::string, std::string, std::less<>> owner_by_region;  // region -> role
  source_location where;
};

/// The loaded form of a policy file.
struct policy_definition {
  std::string name;
  std::string version;
  std::string source;  // the regulation or document it encodes
  std::string file;    // where it was loaded from
  /// The other files read to load it: its calendar files, the files they extend, their holiday
  /// files; each once, in the order first read, with the text read. `path` is relative to the
  /// policy file's directory (as the policy names it; absolute when it was). What a host keeps
  /// to tell whether the same version reloaded reads the same calendars (redress server), and
  /// to load the policy again as it was (parse_policy with files). Empty when built in code.
  std::vector<source_file> files;

  std::map<std::string, business_calendar, std::less<>> calendars;  // by name
  std::string default_calendar;
  std::map<std::string, std::string, std::less<>> region_calendars;  // region -> calendar name
  std::map<std::string, std::string, std::less<>> site_calendars;    // site -> calendar name
  std::vector<std::string> calendar_precedence{"region", "site", "policy"};

  std::vector<role_definition> roles;
  std::map<std::string, std::vector<std::string>, std::less<>> vocabulary;  // dimension -> values
  std::vector<kind_definition> kinds;
  std::vector<std::string> required_fields;                                // every channel
  std::map<std::string, std::vector<std::string>, std::less<>> required_by_channel;
  lifecycle_rules lifecycle;
  pause_rules pauses;
  promise_rules promises;
  std::vector<target_definition> targets;
  std::vector<corrective_action_template> corrective_actions;
  event_rules events;
  // [lifecycle] corrective_action_within: the due of a corrective action that no template
  // matches and whose plan_action event gives no due, counted from the plan (rules/README.md).
  duration_spec corrective_action_within{10, duration_spec::unit::business_days};
  source_location corrective_action_within_where;  // its value in the file, for errors
};

/// A diagnostic from loading or linting a policy.
struct diagnostic {
  enum class severity : std::uint8_t { error, warning };
  severity level = severity::error;
  source_location where;
  std::string message;
  /// Returns: "file:line:col: error: message" ("warning: " for a warning; without the
  /// location when none is known). Throws: std::bad_alloc only.
  std::string to_string() const;
};

/// The most a policy may hold: what the engine packs into its fixed-width fields (rules/README.md,
/// "Limits"). A policy over a limit is refused when it is made, never wrapped round.
struct policy_limits {
  static constexpr std::size_t targets = 65535;             // [[targets]] in one policy
  static constexpr std::size_t corrective_actions = 65535;  // [[corrective-actions]] templates
  static constexpr std::size_t ladder_levels = 32;          // levels of one escalation ladder
  static constexpr std::size_t roles = 255;                 // [roles]
  static constexpr std::int64_t duration_years = 10000;     // any duration: at most 10,000 years
                                                            // (366 days a year, 53 weeks, 12 months)
};

/// The one check of a definition, whether read from a file or built in code: the limits of
/// policy_limits, and every rule about its content that the policy language states (a reference
/// names a declared role, calendar or vocabulary value; a selector names a dimension; a ladder
/// level's point is 1%-100% or a positive offset and it does something; a periodic target has no
/// extension; a pause budget is positive working time ...). Syntax is the TOML reader's.
/// Requires: nothing. Effects: none.
/// Throws: redress::error at the first broken rule, at the place the definition records for the
/// element (its `where`, else its file): "rules/x.toml:812:1: a policy may have at most 65535
/// targets (this is the 65536th)", "code.cpp:3:1: undeclared role 'lead' in target 'response'
/// owner; declare it under [roles] (declared: (none declared))". The message is the one the TOML
/// reader gives for the same mistake; the reader points at the value itself.
void validate(const policy_definition& definition);

/// A loaded policy: cheap to copy, immutable, shareable across threads.
class policy {
public:
  /// A policy from a definition built in code or read from a file.
  /// Requires: `definition` not null. Effects: validate(*definition).
  /// Throws: redress::error when `definition` is null or validate() refuses it.
  explicit policy(std::shared_ptr<const policy_definition> definition);

  /// Returns: the definition (shared by every copy of this policy, never null). Throws: nothing.
  const policy_definition& definition() const noexcept { return *definition_; }
  const policy_definition* operator->() const noexcept { return definition_.get(); }
  /// Returns: [policy] name and version. Throws: nothing.
  const std::string& name() const noexcept { return definition_->name; }
  const std::string& version() const noexcept { return definition_->version; }

  /// Returns: the calendar for a complaint, by the policy's precedence (region, site, policy):
  /// the first of them the complaint's attributes map to a calendar, else the default.
  /// Throws: nothing in practice: validate() checked that every calendar it names exists.
  const business_calendar& calendar_for(const complaint_attributes& complaint) const;
  /// Returns: the named calendar (the policy's name for it: a [calendars] key, or the name of
  /// the default calendar's file). Throws: redress::error when the policy has none by that name.
  const business_calendar& calendar(std::string_view name) const;
  /// Returns: the owner role of a complaint of this kind (owner_by_region for its region first),
  /// or "" when none. Throws: std::bad_alloc only. ("" is
  /// not a failure: a kind may have no owner in the policy.)
  std::string owner_for(const complaint_attributes& complaint) const;
  /// Returns: the index of a role, or -1 when there is none by that id (a lookup; the policy's
  /// references were checked by validate()). Throws: nothing.
  int role_index(std::string_view id) const noexcept;
  /// Returns: the title of a role ("Complaints team leader"), the id when it has none, or
  /// "(nobody)" for an id that is not a role (for text a person reads: never a failure).
  /// Throws: nothing.
  const std::string& role_title(std::string_view id) const;

private:
  std::shared_ptr<const policy_definition> definition_;
  // The role ids in order, each with its index in definition().roles: role_index() and
  // role_title() by binary search (a policy may declare 255 roles; a level names one each time
  // it fires). Shared by every copy, as the definition is.
  std::shared_ptr<const std::vector<std::pair<std::string, int>>> roles_by_id_;
};

/// Requires: `path` names a policy file (rules/README.md) of at most 16 MiB.
/// Effects: reads it, its calendar files and their holiday files (relative to the policy's
/// directory).
/// Returns: the policy, validated (validate()).
/// Throws: redress::error at file:line:col for the first problem that stops loading (syntax,
/// type, unknown key, bad duration, a reference to an undeclared role, calendar, state..., a
/// limit of policy_limits).
policy load_policy(const std::string& path);
/// Requires: `toml_text` a policy in the policy language. Effects: reads the calendar files it
/// names, relative to `file_name`'s directory. Returns: the policy, as load_policy().
/// Throws: as load_policy(), with `file_name` naming the text in messages.
policy parse_policy(std::string_view toml_text, const std::string& file_name);
/// Requires: `files` as a load of this text recorded them (policy_definition::files).
/// Effects: as parse_policy(toml_text, file_name), but reads every calendar and holiday file
/// from `files`, never from the file system: the policy is the one loaded then, whatever the
/// files on disk say now. Returns: the policy, as load_policy(); its definition's files are
/// those it read. Throws: as load_policy(); redress::error at the place that names a file
/// `files` lacks.
policy parse_policy(std::string_view toml_text, const std::string& file_name, const std::vector<source_file>& files);

/// How long before a calendar's listed holidays end lint_policy warns, given `as_of`.
constexpr std::int64_t listed_holidays_warning_days = 90;

/// Lint: warnings (and errors) about a loaded policy that loads but is probably wrong, its
/// calendars' holiday rules included. With `as_of`, also a warning for each calendar whose listed
/// (not rule-made) holidays end within listed_holidays_warning_days of it, or have ended.
/// Requires: nothing. Effects: none (pure).
/// Returns: the diagnostics found; empty when nothing is suspect.
/// Throws: std::bad_alloc only.
std::vector<diagnostic> lint_policy(const policy& p, std::optional<civil_date> as_of = std::nullopt);

}  // namespace redress

#endif
