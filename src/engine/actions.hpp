// Actions: their stable ids ("C-17/final-response/L2/c1": complaint, clock, level, cycle) and the
// text a person reads. Each kind of action is made in one place here.
#ifndef REDRESS_SRC_ENGINE_ACTIONS_HPP
#define REDRESS_SRC_ENGINE_ACTIONS_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/complaint.hpp"
#include "redress/engine.hpp"
#include "redress/policy.hpp"

namespace redress::detail {

// The clock's name in actions and reports: its target's name, "promise" or "corrective-action".
const std::string& clock_name(const policy_definition& d, const clock_slot& k);

// A ladder level reached; `notify` and `who` are the roles responsibility resolved.
action escalation_action(const complaint_record& c, const clock_slot& k, const std::string& name,
                         const escalation_step& step, std::size_t level, std::int64_t at,
                         std::vector<std::string> notify, std::string who);
// A clock still running one second after its due.
action breach_action(const complaint_record& c, const clock_slot& k, const std::string& name, std::int64_t at);
// The pause budget ran out at `at`.
action pause_ended_action(const complaint_record& c, const policy_definition& d, std::int64_t at);
// The complaint changed owner with its `event_number`th event.
action assignment_action(const complaint_record& c, const policy& p, const std::string& role, instant at,
                         std::size_t event_number);
// A corrective action planned, the complaint's `cycle`th.
action planned_action(const complaint_record& c, const corrective_item& item, std::uint32_t cycle, instant at);

}  // namespace redress::detail

#endif
