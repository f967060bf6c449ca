// Corrective actions: planned (who, what, by when, verifier: from the event, else the policy's
// template), completed and verified, each with a clock of its own.
#ifndef REDRESS_SRC_ENGINE_CORRECTIVE_ACTIONS_HPP
#define REDRESS_SRC_ENGINE_CORRECTIVE_ACTIONS_HPP

#include "engine/applied_event.hpp"

namespace redress::detail {

void plan_corrective_action(applied_event& x);    // plan_action
void complete_corrective_action(applied_event& x);  // complete_action
void verify_corrective_actions(applied_event& x);   // verify_action

}  // namespace redress::detail

#endif
