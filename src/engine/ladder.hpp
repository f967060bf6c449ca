// The escalation ladder: when each level of a clock's ladder falls due, the breach one second
// after its due, the next instant anything falls due for a complaint, and firing what is due
// (in clock order, then ladder order).
#ifndef REDRESS_SRC_ENGINE_LADDER_HPP
#define REDRESS_SRC_ENGINE_LADDER_HPP

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/complaint.hpp"
#include "redress/engine.hpp"
#include "redress/policy.hpp"

namespace redress::detail {

// The clock's ladder, or nullptr (a corrective action has none).
const std::vector<escalation_step>* ladder(const policy_definition& d, const clock_slot& k);

// A level's instant, or nullopt while the clock is paused, or when the instant lies where the
// calendar cannot count (beyond its `valid` range or year 9999): such a level is not
// scheduled, and status() shows it without an instant.
std::optional<std::int64_t> level_instant(const clock_slot& k, const escalation_step& step);

// The next instant at which something falls due for the complaint (never: nothing).
std::int64_t next_wakeup(const policy_definition& d, const complaint_record& c);

// Fires everything of `c` due exactly at `w`, in clock order then ladder order.
void fire_at(const policy& p, complaint_record& c, std::int64_t w, std::vector<action>& out);
// Fires every timer of `c` due before `limit` (strictly), or at or before it when `inclusive`.
void catch_up(const policy& p, complaint_record& c, std::int64_t limit, bool inclusive, std::vector<action>& out);

// A fired level's instant is where the ladder puts it while nothing has moved the clock since;
// before a change that can move it (a pause, a stop, an extension, a cancellation), the
// instants of the fired levels are written to the log, so status() reports when they fired.
// (Recording them as they fire would allocate the log on advance(), the hot path.)
void freeze_fired(const policy_definition& d, complaint_record& c, const clock_slot& k);
// The instant a level fired, once written to the log.
std::optional<std::int64_t> fired_at(const complaint_record& c, std::uint32_t clock, std::size_t level);

// Reclassification: fires at t, once, each level of k's (new) ladder not yet fired whose instant
// had passed before t (for a paused clock: by the start of its pause), and the breach when its
// due had; each is logged as fired at t.
void fire_passed(const policy& p, complaint_record& c, clock_slot& k, std::int64_t t, std::vector<action>& out);

// The reassigning levels (each raises the escalation level) the live clocks can still fire.
std::int64_t levels_to_come(const policy_definition& d, const complaint_record& c);

}  // namespace redress::detail

#endif
