// What the engine refuses, checked before anything changes: an intake that breaks the policy's
// vocabulary or intake rules, an event out of order or that the lifecycle or the policy refuses,
// and what would take the escalation level past its limit.
#ifndef REDRESS_SRC_ENGINE_REFUSALS_HPP
#define REDRESS_SRC_ENGINE_REFUSALS_HPP

#include <optional>
#include <string>

#include "engine/applied_event.hpp"
#include "redress/engine.hpp"
#include "redress/policy.hpp"

namespace redress::detail {

inline engine_error fail(engine_error::kind k, std::string message) { return engine_error{k, std::move(message)}; }

// Vocabulary (every classification given must be declared) and intake requirements (a formal
// complaint is not anonymous).
std::optional<engine_error> check_intake(const policy_definition& d, const complaint_intake& intake);
// The event in order, accepted by the lifecycle (`stepped`), and what it carries complete.
std::optional<engine_error> check_event(const applied_event& x, const step_outcome& stepped);
// The escalation level, with the reassigning levels still to come, within its limit ("" when so).
std::string level_room_refusal(const applied_event& x);

}  // namespace redress::detail

#endif
