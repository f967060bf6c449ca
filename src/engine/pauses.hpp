// Pauses of a complaint: which states pause which clocks, the pause record, and the pause budget
// (its end, and what happens when it is spent). The clock's own pause and resume are clock.hpp's.
#ifndef REDRESS_SRC_ENGINE_PAUSES_HPP
#define REDRESS_SRC_ENGINE_PAUSES_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/applied_event.hpp"
#include "engine/complaint.hpp"
#include "redress/policy.hpp"

namespace redress::detail {

// Whether the clock's target pauses in state s.
bool pauses_in(const policy_definition& d, const clock_slot& k, complaint_state s);
// Whether a pause with a budget is running, and the instant its budget runs out.
bool pause_budget_running(const policy_definition& d, const complaint_record& c);
std::int64_t pause_budget_end(const policy_definition& d, const complaint_record& c);
// At w, when the pause budget is spent: the pause ends there, with a pause_ended action.
void end_spent_pause(const policy& p, complaint_record& c, std::int64_t w, std::vector<action>& out);
// Resumes the paused clocks and ends the pause record at t.
void end_pause(const policy_definition& d, complaint_record& c, std::int64_t t);
// The clock pauses now if a pause is in progress (a clock started during it).
void join_pause(const policy_definition& d, complaint_record& c, clock_slot& k, complaint_state s, std::int64_t t);

// Why the event may not pause the clocks, if it would and may not ("" when it may).
std::string pause_refusal(const applied_event& x);
// Pauses follow the states the targets name: the event's new state pauses or resumes them.
void follow_pauses(applied_event& x);

}  // namespace redress::detail

#endif
