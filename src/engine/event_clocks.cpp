// What an event does to the clocks (event_clocks.hpp).
#include "engine/event_clocks.hpp"

#include <utility>

#include "engine/ladder.hpp"
#include "engine/lifecycle_adapter.hpp"
#include "engine/pauses.hpp"

namespace redress::detail {
namespace {

void cancel_clock(const policy_definition& d, complaint_record& c, clock_slot& k, std::int64_t t) {
  freeze_fired(d, c, k);
  cancel(k, t);
}

bool any_happens(const applied_event& x, const std::vector<lifecycle_trigger>& triggers) {
  for (const lifecycle_trigger& trigger : triggers)
    if (x.happens(trigger)) return true;
  return false;
}

// A target's next clock, started at t (its calendar, else the complaint's).
clock_slot next_target_clock(const applied_event& x, std::uint16_t index) {
  const target_definition& target = x.d.targets[index];
  return start_target_clock(target_calendar(x.p, x.c, target), target, index, x.t, x.c.next_target_cycle(index));
}

}  // namespace

const business_calendar& target_calendar(const policy& p, const complaint_record& c, const target_definition& target) {
  return target.calendar.empty() ? *c.calendar : p.calendar(target.calendar);
}

bool trigger_happens(const lifecycle_trigger& trigger, lifecycle_event what, const lifecycle_state& before,
                     const lifecycle_state& after) {
  switch (trigger.what) {
    case lifecycle_trigger::kind::event: return static_cast<lifecycle_event>(trigger.value) == what;
    case lifecycle_trigger::kind::state:
      return lifecycle_main(after) != lifecycle_main(before) &&
             static_cast<complaint_state>(trigger.value) == lifecycle_main(after);
    case lifecycle_trigger::kind::plan_state:
      return lifecycle_plan(after) != lifecycle_plan(before) &&
             static_cast<action_plan_state>(trigger.value) == lifecycle_plan(after);
  }
  return false;
}

bool applied_event::happens(const lifecycle_trigger& trigger) const {
  return trigger_happens(trigger, e.what, before, c.state);
}

void stop_clock(const policy_definition& d, complaint_record& c, clock_slot& k, std::int64_t t) {
  freeze_fired(d, c, k);
  stop(k, t);
}

void stop_clocks(applied_event& x) {
  x.c.for_live([&](clock_slot& k) {
    if (!k.active()) return;
    const std::vector<lifecycle_trigger>* stops = nullptr;
    if (k.origin == clock_origin::target) stops = &x.d.targets[k.index].stops;
    else if (k.origin == clock_origin::promise) stops = &x.d.promises.kept_by;
    if (stops && any_happens(x, *stops)) stop_clock(x.d, x.c, k, x.t);
  });
}

// The due becomes the extended one, counted from the clock's original start (then moved by the
// pauses so far, as the original was).
void extend_clocks(applied_event& x) {
  x.c.for_live([&](clock_slot& k) {
    if (k.origin != clock_origin::target || !k.active() || k.extended || k.breached) return;
    const target_definition& target = x.d.targets[k.index];
    if (!target.extension || target.extension->condition != x.e.what || x.t > k.due) return;
    freeze_fired(x.d, x.c, k);
    extend(k, target);
  });
}

// Periodic targets re-arm on an update: the next period counts from the update.
void rearm_periodic_clocks(applied_event& x) {
  std::vector<std::uint16_t> rearmed;
  x.c.for_live([&](clock_slot& k) {
    if (k.origin != clock_origin::target || !k.active()) return;
    const target_definition& target = x.d.targets[k.index];
    if (!target.periodic || !any_happens(x, target.rearm_on)) return;
    stop_clock(x.d, x.c, k, x.t);
    rearmed.push_back(k.index);
  });
  for (std::uint16_t index : rearmed) x.c.add_clock(next_target_clock(x, index));
}

void cancel_clocks(applied_event& x) {
  x.c.for_live([&](clock_slot& k) {
    if (k.active() && k.origin != clock_origin::corrective_action) cancel_clock(x.d, x.c, k, x.t);
  });
}

// A target whose start condition happens and that has no clock running starts one.
void start_clocks(applied_event& x) {
  for (std::uint16_t index : x.selected) {
    if (!x.happens(x.d.targets[index].starts)) continue;
    bool active = false;
    std::as_const(x.c).for_live([&](const clock_slot& k) {
      active = active || (k.origin == clock_origin::target && k.index == index && k.active());
    });
    if (active || x.after_main == complaint_state::withdrawn || x.after_main == complaint_state::closed) continue;
    clock_slot k = next_target_clock(x, index);
    join_pause(x.d, x.c, k, x.after_main, x.t);
    x.c.add_clock(k);
  }
}

// A promise is a clock whose due instant is the promised one.
void start_promise(applied_event& x) {
  x.c.for_live([&](clock_slot& k) {
    if (k.origin == clock_origin::promise && k.active()) cancel_clock(x.d, x.c, k, x.t);
  });
  x.c.add_clock(start_fixed_clock(*x.c.calendar, clock_origin::promise, no_template, x.c.next_promise_cycle(), x.t,
                                  x.e.promised->unix_seconds()));
}

}  // namespace redress::detail
