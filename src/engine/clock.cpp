// The clock (clock.hpp): start, stop, pause, resume, extend, cancel, measure.
#include "engine/clock.hpp"

#include <algorithm>

namespace redress::detail {

std::int64_t measure(const clock_slot& k, std::int64_t a, std::int64_t b) {
  if (!k.working) return b - a;
  return elapsed_working_time(*k.calendar, instant::from_unix(a), instant::from_unix(b)).count();
}

std::int64_t add_measure(const clock_slot& k, std::int64_t t, std::int64_t amount) {
  if (!k.working) return t + amount;
  return deadline(*k.calendar, instant::from_unix(t), duration_spec{amount, duration_spec::unit::business_seconds})
      .unix_seconds();
}

std::int64_t consumed_at(const clock_slot& k, std::int64_t now) {
  if (k.state == clock_state::running) return k.consumed_before + measure(k, k.resumed_at, std::max(now, k.resumed_at));
  return k.consumed_before;
}

namespace {

// The budget of a running clock: consumed so far, and what remains from resumed_at to the due.
void rebudget(clock_slot& k) { k.budget = k.consumed_before + measure(k, k.resumed_at, std::max(k.resumed_at, k.due)); }

// The instant a day-period clock counts from: receipt, or the next opening when it counts so.
instant counted_from(const business_calendar& cal, const target_definition& target, std::int64_t t) {
  instant received = instant::from_unix(t);
  if (target.options.receipt == receipt_rule::next_business_day_if_closed && !cal.is_open(received))
    received = cal.next_open(received);
  return received;
}

// The due of a day-period clock whose last day is k.last_day.
std::int64_t due_for_last_day(const clock_slot& k, const target_definition& target) {
  const business_calendar& cal = *k.calendar;
  const civil_date last = civil_date::from_days(k.last_day);
  switch (target.options.end) {
    case day_end::end_of_day: return cal.end_of_day(last).unix_seconds();
    case day_end::close_of_business:
      if (auto close = cal.close_of_business(last)) return close->unix_seconds();
      return cal.end_of_day(last).unix_seconds();
    case day_end::same_time: {
      civil_time wall = cal.zone().to_civil(counted_from(cal, target, k.start));
      wall.date = last;
      return cal.zone().resolve(wall).unix_seconds();
    }
  }
  return k.due;
}

// Moves a day-period clock's last day `days` business days later.
void move_last_day(clock_slot& k, const target_definition& target, std::int64_t days) {
  k.last_day = k.calendar->business_day_after(civil_date::from_days(k.last_day), days).days_since_epoch();
  k.due = due_for_last_day(k, target);
}

}  // namespace

clock_slot start_target_clock(const business_calendar& calendar, const target_definition& target,
                              std::uint16_t target_index, std::int64_t t, std::uint32_t cycle) {
  clock_slot k;
  k.origin = clock_origin::target;
  k.index = target_index;
  k.cycle = cycle;
  k.calendar = &calendar;
  k.working = !target.within.is_elapsed();
  k.start = k.resumed_at = t;
  if (target.within.is_day_period()) {
    const auto [due, last] = day_period_deadline(calendar, instant::from_unix(t), target.within, target.options);
    k.due = due.unix_seconds();
    k.last_day = last.days_since_epoch();
  } else {
    k.due = deadline(calendar, instant::from_unix(t), target.within, target.options).unix_seconds();
  }
  // A working-time due is where deadline() counted exactly the duration from the start, so
  // that is the budget: measuring it again would give the same number.
  k.budget = target.within.is_working_time() ? target.within.seconds() : measure(k, k.start, k.due);
  return k;
}

clock_slot start_fixed_clock(const business_calendar& calendar, clock_origin origin, std::uint16_t index,
                             std::uint32_t cycle, std::int64_t t, std::int64_t due) {
  clock_slot k;
  k.origin = origin;
  k.index = index;
  k.cycle = cycle;
  k.calendar = &calendar;
  k.working = true;
  k.start = k.resumed_at = t;
  k.due = due;
  k.budget = measure(k, k.start, k.due);
  return k;
}

void stop(clock_slot& k, std::int64_t t) {
  k.stale = true;
  if (k.state == clock_state::running) k.consumed_before += measure(k, k.resumed_at, t);
  k.stopped = t;
  k.state = (!k.breached && t <= k.due) ? clock_state::met : clock_state::breached;
}

void cancel(clock_slot& k, std::int64_t t) {
  if (k.state == clock_state::running) k.consumed_before += measure(k, k.resumed_at, t);
  k.state = clock_state::cancelled;
  k.stopped = t;
}

void pause(clock_slot& k, std::int64_t t) {
  if (k.state != clock_state::running) return;
  k.stale = true;
  k.consumed_before += measure(k, k.resumed_at, t);
  k.resumed_at = t;  // now: when it paused
  k.state = clock_state::paused;
}

void resume(clock_slot& k, const target_definition* target, std::int64_t t) {
  if (k.state != clock_state::paused) return;
  k.stale = true;
  const std::int64_t from = k.resumed_at;  // when it paused
  if (from > k.due) {
    // Paused when already overdue: the deadline was missed before the pause, and waiting
    // on the customer afterwards does not move it.
  } else if (target && target->within.is_day_period()) {
    const std::int64_t days = k.calendar->business_days_wholly_within(instant::from_unix(from), instant::from_unix(t));
    if (days > 0) {
      move_last_day(k, *target, days);
      k.shift += days;
    }
  } else {
    const std::int64_t moved = measure(k, from, t);
    k.due = add_measure(k, k.due, moved);
    k.shift += moved;
  }
  k.resumed_at = t;
  k.state = clock_state::running;
  rebudget(k);
}

void extend(clock_slot& k, const target_definition& target) {
  k.extended = true;
  k.stale = true;
  const instant start = instant::from_unix(k.start);
  if (target.within.is_day_period()) {
    if (target.extension->within.is_day_period()) {
      const auto [due, last] = day_period_deadline(*k.calendar, start, target.extension->within, target.options);
      k.due = due.unix_seconds();
      k.last_day = last.days_since_epoch();
    } else {  // a day period extended by a span of time: its last day is the due's date
      k.due = deadline(*k.calendar, start, target.extension->within, target.options).unix_seconds();
      k.last_day = k.calendar->local_date(instant::from_unix(k.due)).days_since_epoch();
    }
    if (k.shift > 0) move_last_day(k, target, k.shift);
  } else {
    k.due = add_measure(k, deadline(*k.calendar, start, target.extension->within, target.options).unix_seconds(), k.shift);
  }
  if (k.state == clock_state::running) rebudget(k);
}

void retarget(clock_slot& k, const target_definition& old_target, const business_calendar& calendar,
              const target_definition& target, std::uint16_t index, std::int64_t t) {
  k.stale = true;
  // The new variant as if it had started with the clock (no pauses yet): its due and budget.
  clock_slot fresh = start_target_clock(calendar, target, index, k.start, k.cycle);
  const bool extended = k.extended && target.extension;
  if (extended) extend(fresh, target);
  const bool same_count = &calendar == k.calendar && fresh.working == k.working &&
                          target.within.is_day_period() == old_target.within.is_day_period();
  k.index = index;
  k.extended = extended;
  if (same_count) {
    k.due = fresh.due;
    k.last_day = fresh.last_day;
    if (k.shift > 0) {
      if (target.within.is_day_period()) move_last_day(k, target, k.shift);
      else k.due = add_measure(k, k.due, k.shift);
    }
  } else {
    // What the clock consumed up to `from` (now, or when its pause began) and the time paused
    // before it, in its old calendar and kind of time; the rest is counted in the new ones.
    const std::int64_t from = k.state == clock_state::running ? t : k.resumed_at;
    const std::int64_t consumed = consumed_at(k, from);
    const std::int64_t paused = std::max<std::int64_t>(0, measure(k, k.start, from) - consumed);
    k.consumed_before = consumed;
    k.resumed_at = from;
    k.calendar = &calendar;
    k.working = fresh.working;
    k.shift = target.within.is_day_period() ? 0 : paused;
    if (consumed < fresh.budget) {
      k.due = add_measure(k, from, fresh.budget - consumed);
      if (target.within.is_day_period()) {  // the day on which the rest runs out, ended as the variant says
        k.last_day = calendar.local_date(instant::from_unix(k.due)).days_since_epoch();
        k.due = std::max(k.due, due_for_last_day(k, target));
      }
    } else {  // spent already: due when its new budget ran out, counted from the start
      k.due = std::min(add_measure(k, fresh.due, paused), from - 1);
      k.last_day = calendar.local_date(instant::from_unix(k.due)).days_since_epoch();
    }
  }
  rebudget(k);
}

}  // namespace redress::detail
