// What the engine refuses, checked before anything changes: an intake that breaks the policy's
// vocabulary or intake rules, an event out of order or that the lifecycle or the policy refuses,
// and what would take the escalation level past its limit.
#ifndef REDRESS_SRC_ENGINE_REFUSALS_HPP
#define REDRESS_SRC_ENGINE_REFUSALS_HPP

#include <optional>
#include <string>

#include "engine/applied_event.hpp"
#include "redress/engine.hpp"
#include "redress/error.hpp"
#include "redress/policy.hpp"

namespace redress::detail {

// Every refusal is made here: its message, which quotes what the host gave (ids, values, names),
// shows control characters escaped, as a redress::error does.
inline engine_error fail(engine_error::kind k, std::string message) {
  return engine_error{k, escape_controls(std::move(message))};
}

// Vocabulary (every classification given must be declared) and intake requirements (a formal
// complaint is not anonymous).
std::optional<engine_error> check_intake(const policy_definition& d, const complaint_intake& intake);
// The instant up to which the complaint has been processed: its last event or fired action.
std::int64_t horizon(const complaint_record& c);
// An event at `t` is late (back-dated) when it is earlier than the complaint's last event, or
// not after an action already fired: the complaint is rebuilt with it in place.
bool is_late(const complaint_record& c, std::int64_t t);
// When the event was logged: its logged_at, else its `at`, or for a late event the horizon.
std::int64_t logged_instant(const complaint_record& c, const complaint_event& e);
// Not before the receipt, not logged before it happened, and within the policy's backdate limit.
std::optional<engine_error> check_timing(const policy_definition& d, const complaint_record& c,
                                         const complaint_event& e);
// Accepted by the lifecycle (`stepped`), and what it carries complete.
std::optional<engine_error> check_event(const applied_event& x, const step_outcome& stepped);
// The escalation level, with the reassigning levels still to come, within its limit ("" when so).
std::string level_room_refusal(const applied_event& x);

}  // namespace redress::detail

#endif
