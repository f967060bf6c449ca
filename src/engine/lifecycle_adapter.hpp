// The few lifecycle operations the engine needs, in one place.
#ifndef REDRESS_SRC_ENGINE_LIFECYCLE_ADAPTER_HPP
#define REDRESS_SRC_ENGINE_LIFECYCLE_ADAPTER_HPP

#include <string>

#include "redress/engine.hpp"
#include "redress/lifecycle.hpp"
#include "redress/policy.hpp"

namespace redress::detail {

inline lifecycle_state lifecycle_initial() { return lifecycle_state{}; }
inline complaint_state lifecycle_main(const lifecycle_state& s) { return s.main; }
inline action_plan_state lifecycle_plan(const lifecycle_state& s) { return s.plan; }
inline int lifecycle_level(const lifecycle_state& s) { return s.escalation_level; }
inline void lifecycle_raise_level(lifecycle_state& s) {
  if (s.escalation_level < 255) ++s.escalation_level;
}
inline void lifecycle_set_owner(lifecycle_state& s, int role_number) {
  s.owner = static_cast<std::uint8_t>(role_number > 0 && role_number < 256 ? role_number : 0);
}

inline step_outcome lifecycle_step(const lifecycle_state& s, const complaint_event& e,
                                   const lifecycle_rules& rules, const policy& p) {
  lifecycle_context context;
  context.justified = e.justified;
  context.satisfied = e.satisfied;
  const int role = p.role_index(e.role);
  context.owner = static_cast<std::uint8_t>(role >= 0 && role < 255 ? role + 1 : 0);
  return step(s, e.what, context, rules);
}

}  // namespace redress::detail

#endif
