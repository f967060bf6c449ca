// The few lifecycle operations the engine needs, in one place.
#ifndef REDRESS_SRC_ENGINE_LIFECYCLE_ADAPTER_HPP
#define REDRESS_SRC_ENGINE_LIFECYCLE_ADAPTER_HPP

#include <cstddef>
#include <limits>
#include <string>

#include "redress/engine.hpp"
#include "redress/lifecycle.hpp"
#include "redress/policy.hpp"

namespace redress::detail {

inline lifecycle_state lifecycle_initial() { return lifecycle_state{}; }
inline complaint_state lifecycle_main(const lifecycle_state& s) { return s.main; }
inline action_plan_state lifecycle_plan(const lifecycle_state& s) { return s.plan; }
inline int lifecycle_level(const lifecycle_state& s) { return s.escalation_level; }
// The highest escalation level lifecycle_state holds. The engine keeps a complaint's level plus
// the reassigning levels its live clocks can still fire at or below it, refusing the event that
// would go past, so a level that fires always has room.
constexpr int escalation_limit = std::numeric_limits<decltype(lifecycle_state::escalation_level)>::max();
// A role's number is its index + 1 (0 is nobody): policy_limits::roles keeps it in lifecycle_state::owner.
static_assert(policy_limits::roles <= std::numeric_limits<decltype(lifecycle_state::owner)>::max(),
              "lifecycle_state::owner holds a role number");
inline std::uint8_t lifecycle_role_number(int role_index) {
  return static_cast<std::uint8_t>(role_index >= 0 && static_cast<std::size_t>(role_index) < policy_limits::roles
                                       ? role_index + 1
                                       : 0);
}

// The lifecycle is the only writer of lifecycle_state: the changes the engine makes beside the
// host's events (an owner on registration or by a reassigning level, a raised escalation level)
// are the lifecycle's own assign and escalate events. Each is legal while the complaint is open,
// which it is whenever the engine makes them; a refused one (an undeclared role, a level at its
// limit) changes nothing.
inline void lifecycle_follow(lifecycle_state& s, lifecycle_event e, const lifecycle_context& context,
                             const lifecycle_rules& rules) {
  const step_outcome stepped = step(s, e, context, rules);
  if (stepped.accepted) s = stepped.state;
}
inline void lifecycle_set_owner(lifecycle_state& s, int role_index, const lifecycle_rules& rules) {
  lifecycle_context context;
  context.owner = lifecycle_role_number(role_index);
  lifecycle_follow(s, lifecycle_event::assign, context, rules);
}
inline void lifecycle_raise_level(lifecycle_state& s, const lifecycle_rules& rules) {
  lifecycle_follow(s, lifecycle_event::escalate, {}, rules);
}

inline step_outcome lifecycle_step(const lifecycle_state& s, const complaint_event& e,
                                   const lifecycle_rules& rules, const policy& p) {
  lifecycle_context context;
  context.justified = e.justified;
  context.satisfied = e.satisfied;
  context.owner = lifecycle_role_number(p.role_index(e.role));
  return step(s, e.what, context, rules);
}

}  // namespace redress::detail

#endif
