// What an event does to a complaint's clocks: the stops (met or breached), the extensions, the
// periodic re-arms, the cancellations when the complaint ends, the starts, and promises.
#ifndef REDRESS_SRC_ENGINE_EVENT_CLOCKS_HPP
#define REDRESS_SRC_ENGINE_EVENT_CLOCKS_HPP

#include "engine/applied_event.hpp"

namespace redress::detail {

void stop_clocks(applied_event& x);
void extend_clocks(applied_event& x);
void rearm_periodic_clocks(applied_event& x);
void cancel_clocks(applied_event& x);  // withdrawn or closed: all but the corrective actions'
void start_clocks(applied_event& x);
void start_promise(applied_event& x);  // a promise replaces the one before

// Whether a start, stop or re-arm condition happens with an event `what` that takes a complaint
// from `before` to `after`: the event itself, or the state (or plan state) it enters. The one
// rule: applied_event::happens() asks it for the event being applied, reclassify for the events
// of a history.
bool trigger_happens(const lifecycle_trigger& trigger, lifecycle_event what, const lifecycle_state& before,
                     const lifecycle_state& after);

// The calendar a target's clocks count in: its own, else the complaint's.
const business_calendar& target_calendar(const policy& p, const complaint_record& c, const target_definition& target);
// Stops one clock (met or breached) at t, its fired levels written to the log first.
void stop_clock(const policy_definition& d, complaint_record& c, clock_slot& k, std::int64_t t);

}  // namespace redress::detail

#endif
