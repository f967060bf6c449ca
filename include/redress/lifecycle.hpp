// The complaint lifecycle: which events are legal in which state, as a compile-time state machine
// (Boost.MSM, in src/lifecycle/lifecycle.cpp; this header includes only the standard library).
//
// Two orthogonal regions: the complaint itself (received ... closed, or withdrawn) and its
// corrective action plan (none_required | planned -> done -> verified). Escalation level, owner
// and a few facts the guards need are data carried beside the states. The names returned by
// to_string() are the public contract policies use.
#ifndef REDRESS_LIFECYCLE_HPP
#define REDRESS_LIFECYCLE_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress {

/// The main region. Stored by hosts: the values are stable and never reordered.
enum class complaint_state : std::uint8_t {
  received = 0,                // accepted through any channel
  acknowledged = 1,            // primary response given (thank, apologise, say by when)
  registered = 2,              // in the journal with a serial number, classified, owned
  investigating = 3,
  awaiting_customer = 4,       // information requested from the customer
  resolution_proposed = 5,     // justified or not, with the remedy or the explanation
  resolution_agreed = 6,
  responded = 7,               // the written final response, signed by a manager
  verifying_satisfaction = 8,
  closed = 9,
  withdrawn = 10,              // by the customer; accepts no further events
};
constexpr int complaint_state_count = 11;

/// The corrective action plan: who, what, by when, and who verifies.
enum class action_plan_state : std::uint8_t { none_required = 0, planned = 1, done = 2, verified = 3 };
constexpr int action_plan_state_count = 4;

/// Everything that can happen to a complaint. Stable values.
enum class lifecycle_event : std::uint8_t {
  acknowledge = 0,
  register_complaint = 1,       // "register"
  start_investigation = 2,
  request_information = 3,
  customer_replied = 4,
  propose_resolution = 5,       // with lifecycle_context::justified
  customer_accepts = 6,
  customer_rejects = 7,
  send_holding_response = 8,    // a written delay notice; the state does not change
  send_response = 9,
  verify_satisfaction = 10,     // with lifecycle_context::satisfied
  close = 11,
  reopen = 12,
  withdraw = 13,
  escalate = 14,                // raises the escalation level
  assign = 15,                  // with lifecycle_context::owner
  promise = 16,                 // a contact date given to the customer
  contact_customer = 17,
  plan_action = 18,
  complete_action = 19,
  verify_action = 20,
  reclassify = 21,              // with complaint_event::attributes; the state does not change
};
constexpr int lifecycle_event_count = 22;

/// "received", "awaiting_customer"; "none_required"; "register", "send_holding_response".
std::string_view to_string(complaint_state) noexcept;
std::string_view to_string(action_plan_state) noexcept;
std::string_view to_string(lifecycle_event) noexcept;
/// The inverse of to_string(); nullopt for any other text. (optional, not an error: the caller
/// knows where the text came from, and says so in its located error with the names expected.)
std::optional<complaint_state> parse_complaint_state(std::string_view) noexcept;
std::optional<action_plan_state> parse_action_plan_state(std::string_view) noexcept;
std::optional<lifecycle_event> parse_lifecycle_event(std::string_view) noexcept;

/// What a host stores per complaint: 8 bytes, trivially copyable.
struct lifecycle_state {
  complaint_state main = complaint_state::received;
  action_plan_state plan = action_plan_state::none_required;
  std::uint8_t escalation_level = 0;
  std::uint8_t owner = 0;            // a role number the policy assigns; 0 = nobody
  bool justified = false;            // the last proposed resolution was justified
  bool satisfied = false;            // the customer said so at verification
  bool holding_response_sent = false;
  bool first_contact = false;        // responded straight after the acknowledgement

  friend bool operator==(const lifecycle_state& a, const lifecycle_state& b) noexcept {
    return a.main == b.main && a.plan == b.plan && a.escalation_level == b.escalation_level &&
           a.owner == b.owner && a.justified == b.justified && a.satisfied == b.satisfied &&
           a.holding_response_sent == b.holding_response_sent && a.first_contact == b.first_contact;
  }
  friend bool operator!=(const lifecycle_state& a, const lifecycle_state& b) noexcept { return !(a == b); }
};

/// The switches a policy sets; the lifecycle's guards read nothing else.
struct lifecycle_rules {
  bool may_close_with_unverified_plan = false;
  bool first_contact_may_skip_registration = true;
};

/// What an event carries.
struct lifecycle_context {
  bool justified = false;       // propose_resolution
  bool satisfied = true;        // verify_satisfaction
  std::uint8_t owner = 0;       // assign: the new owner's role number (not 0)
};

/// What a step did, for the clocks to follow.
struct step_outcome {
  bool accepted = false;
  lifecycle_state state;             // the new state (the input state when rejected)
  bool main_changed = false;         // left `before.main`, entered `state.main`
  bool plan_changed = false;
  bool refused_by_guard = false;     // legal in this state, but a rule forbids it now
  std::string rejection;             // names the state and the event, in words
};

/// Requires: nothing. Effects: none (pure).
/// Returns: the outcome of `event` in `state` under `rules`; a rejected event leaves the state
/// unchanged and says why ("a withdrawn complaint accepts no further events: ...").
step_outcome step(const lifecycle_state& state, lifecycle_event event,
                  const lifecycle_context& context = {}, const lifecycle_rules& rules = {});

/// One row of the transition table, generated from the state machine itself. The states are
/// enums: `from`/`to` for the complaint region, `plan_from`/`plan_to` for the action-plan
/// region; a data row (an event legal in every open state, which changes no state) has neither.
struct lifecycle_transition {
  enum class region : std::uint8_t { complaint, action_plan, data };
  region where = region::complaint;
  complaint_state from{};          // region::complaint: the state left
  complaint_state to{};            // region::complaint: the state entered (== from when internal)
  action_plan_state plan_from{};   // region::action_plan: the plan state left
  action_plan_state plan_to{};     // region::action_plan: the plan state entered
  lifecycle_event event{};
  std::string_view guard;          // "" or the rule that guards it
  bool internal = false;           // the state does not change

  /// Returns: the name of the state left, in its region ("received", "none_required"), or
  /// "open" for a data row.
  std::string_view from_name() const noexcept;
  /// Returns: the name of the state entered, as from_name() (equal to it when internal).
  std::string_view to_name() const noexcept;
};

/// Returns: every transition of the table, in table order.
const std::vector<lifecycle_transition>& lifecycle_transitions();

/// Returns: the diagram of the real transition table: "dot" (Graphviz) or "mermaid".
/// Throws: redress::error for any other format: "unknown diagram format 'svg': expected \"dot\"
/// or \"mermaid\"".
std::string lifecycle_diagram(std::string_view format);

}  // namespace redress

#endif
