// The clock: one target's (or promise's, or corrective action's) clock and what happens to it:
// start, stop, pause, resume, extend, cancel, and measuring its consumption. Rules per
// docs/spec/clocks.md; the counting itself is the calendar's (deadline, elapsed_working_time).
#ifndef REDRESS_SRC_ENGINE_CLOCK_HPP
#define REDRESS_SRC_ENGINE_CLOCK_HPP

#include <climits>
#include <cstdint>
#include <limits>

#include "redress/calendar.hpp"
#include "redress/engine.hpp"
#include "redress/policy.hpp"

namespace redress::detail {

constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t no_instant = std::numeric_limits<std::int64_t>::min();

enum class clock_origin : std::uint8_t { target, promise, corrective_action };

struct clock_slot {
  std::uint32_t cycle = 1;      // 1-based; at most max_clocks (a clock per cycle)
  std::uint32_t fired = 0;      // bit per ladder level
  std::uint16_t index = 0;      // target or corrective-action template index (or no_template)
  clock_origin origin = clock_origin::target;
  clock_state state = clock_state::running;
  bool breached = false;
  bool extended = false;
  bool working = true;          // consumption measured in working time (else elapsed)
  // The next instant something falls due on this clock is cached (next_at) because it costs
  // calendar arithmetic; `stale` is set by every change that can move it.
  mutable bool stale = true;
  std::int64_t start = 0;
  std::int64_t due = 0;
  std::int64_t resumed_at = 0;  // when it last started or resumed; while paused, when it paused
  std::int64_t stopped = never;
  std::int64_t consumed_before = 0;  // consumed up to resumed_at
  std::int64_t budget = 0;           // consumed at the due instant, pauses excluded
  std::int64_t last_day = 0;         // day periods: the last day, days since epoch
  std::int64_t shift = 0;            // how far pauses moved the due: business days for day
                                     // periods, else the clock's kind of time
  const business_calendar* calendar = nullptr;
  mutable std::int64_t next_at = 0;  // a level or the breach

  bool active() const noexcept { return state == clock_state::running || state == clock_state::paused; }
};

// The fields above are as wide as policy_limits (include/redress/policy.hpp) needs; the policy
// refuses anything wider when it is made, so nothing here wraps round.
constexpr std::uint16_t no_template = 0xffff;  // clock_slot::index of a clock without one
// Indices run below the limit, so no_template is never one.
static_assert(policy_limits::targets <= no_template, "a target index must fit clock_slot::index");
static_assert(policy_limits::corrective_actions <= no_template, "a template index must fit clock_slot::index");
static_assert(policy_limits::ladder_levels <= sizeof(clock_slot::fired) * CHAR_BIT,
              "clock_slot::fired has a bit per ladder level");
// A complaint holds at most this many clocks (each cycle of a target, each promise and each
// corrective action is one), so a cycle fits clock_slot::cycle and action::cycle (an int). An
// event that could start a clock beyond it is refused; reaching it takes about 200 GB of clocks.
constexpr std::size_t max_clocks = static_cast<std::size_t>(std::numeric_limits<int>::max());

// --- measure --------------------------------------------------------------------------------
// The clock's kind of time from a to b, and the instant `amount` of it after t.
std::int64_t measure(const clock_slot& k, std::int64_t a, std::int64_t b);
std::int64_t add_measure(const clock_slot& k, std::int64_t t, std::int64_t amount);
// Consumed up to `now`, pauses excluded.
std::int64_t consumed_at(const clock_slot& k, std::int64_t now);

// --- start ----------------------------------------------------------------------------------
// A target's clock, started at t: its due from the target's duration and options.
clock_slot start_target_clock(const business_calendar& calendar, const target_definition& target,
                              std::uint16_t target_index, std::int64_t t, std::uint32_t cycle);
// A clock with a fixed due (a promise, a corrective action), in working time.
clock_slot start_fixed_clock(const business_calendar& calendar, clock_origin origin, std::uint16_t index,
                             std::uint32_t cycle, std::int64_t t, std::int64_t due);

// --- stop, pause, resume, extend, cancel ----------------------------------------------------
// Callers write a running clock's fired levels to the log first (ladder: freeze_fired), since
// these move the instants the ladder computes.
void stop(clock_slot& k, std::int64_t t);    // met or breached
void cancel(clock_slot& k, std::int64_t t);  // neither
void pause(clock_slot& k, std::int64_t t);   // a running clock; else nothing
// A paused clock (else nothing). `target` is the clock's target, or nullptr for a promise or corrective action.
void resume(clock_slot& k, const target_definition* target, std::int64_t t);
// Replaces the due by the target's extended one, counted from the clock's start and moved by
// the pauses so far.
void extend(clock_slot& k, const target_definition& target);
// Reclassification (recompute): the clock's target becomes another variant of it (`target`, at
// `index`), counting in `calendar`, at t; its start and consumption are kept. In the same
// calendar and kind of time, the due is the new variant's from the clock's original start, moved
// by the pauses so far; else the working time consumed so far is kept and the rest of the new
// variant's budget counted in the new calendar. A running or paused clock; an extended one keeps
// its extension when the new variant has one.
void retarget(clock_slot& k, const target_definition& old_target, const business_calendar& calendar,
              const target_definition& target, std::uint16_t index, std::int64_t t);

}  // namespace redress::detail

#endif
