// Pauses (pauses.hpp).
#include "engine/pauses.hpp"

#include <algorithm>
#include <utility>

#include "engine/actions.hpp"
#include "engine/ladder.hpp"

namespace redress::detail {
namespace {

const target_definition* target_of(const policy_definition& d, const clock_slot& k) {
  return k.origin == clock_origin::target ? &d.targets[k.index] : nullptr;
}

void pause_clock(const policy_definition& d, complaint_record& c, clock_slot& k, std::int64_t t) {
  if (k.state != clock_state::running) return;
  freeze_fired(d, c, k);
  pause(k, t);
}

}  // namespace

bool pauses_in(const policy_definition& d, const clock_slot& k, complaint_state s) {
  if (k.origin != clock_origin::target) return false;
  const auto& p = d.targets[k.index].pauses;
  return std::find(p.begin(), p.end(), s) != p.end();
}

bool pause_budget_running(const policy_definition& d, const complaint_record& c) {
  return c.paused && d.pauses.budget && !c.pause_budget_spent;
}

std::int64_t pause_budget_end(const policy_definition& d, const complaint_record& c) {
  const duration_spec& b = *d.pauses.budget;
  const std::int64_t left = std::max<std::int64_t>(0, b.seconds() - c.pause_used);
  try {
    return deadline(*c.calendar, instant::from_unix(c.pause_from),
                    duration_spec{left, duration_spec::unit::business_seconds})
        .unix_seconds();
  } catch (const error&) {
    return never;  // beyond the calendar's range: the budget cannot run out inside it
  }
}

void end_spent_pause(const policy& p, complaint_record& c, std::int64_t w, std::vector<action>& out) {
  const policy_definition& d = p.definition();
  if (!pause_budget_running(d, c) || pause_budget_end(d, c) > w) return;
  c.pause_budget_spent = true;
  try {
    end_pause(d, c, w);
  } catch (const error&) {
    // Resuming needs working time the calendar does not have: the clocks stay paused.
  }
  out.push_back(pause_ended_action(c, d, w));
}

void end_pause(const policy_definition& d, complaint_record& c, std::int64_t t) {
  c.for_live([&](clock_slot& k) { resume(k, target_of(d, k), t); });
  if (c.paused) {
    const std::int64_t worked =
        elapsed_working_time(*c.calendar, instant::from_unix(c.pause_from), instant::from_unix(t)).count();
    c.pause_used += worked;
    // A budget used up by this pause is spent, however it ended: a reply at the very instant it
    // runs out leaves nothing for the next pause, as a budget that ran out mid-pause does.
    if (d.pauses.budget && c.pause_used >= d.pauses.budget->seconds()) c.pause_budget_spent = true;
    c.log().pauses.back().to = instant::from_unix(t);
    c.log().pauses.back().working = std::chrono::seconds{worked};
    c.paused = false;
  }
}

void join_pause(const policy_definition& d, complaint_record& c, clock_slot& k, complaint_state s, std::int64_t t) {
  if (pauses_in(d, k, s) && c.paused) pause_clock(d, c, k, t);
}

std::string pause_refusal(const applied_event& x) {
  if (!x.changes_main() || x.c.paused) return {};
  bool starts_pause = false;
  std::as_const(x.c).for_live([&](const clock_slot& k) {
    if (k.state == clock_state::running && pauses_in(x.d, k, x.after_main) && !pauses_in(x.d, k, x.before_main))
      starts_pause = true;
  });
  if (!starts_pause) return {};
  if (x.d.pauses.reason_required && x.e.reason.find_first_not_of(" \t") == std::string::npos)
    return "'" + std::string(to_string(x.e.what)) + "' pauses the clocks, and policy \"" + x.d.name +
           "\" requires a reason for every pause";
  if (x.d.pauses.budget && x.c.pause_budget_spent && x.d.pauses.when_exceeded == pause_rules::over_budget::refuse)
    return "its pause budget of " + x.d.pauses.budget->to_string() + " is spent; the clocks cannot pause again";
  return {};
}

void follow_pauses(applied_event& x) {
  if (!x.changes_main()) return;
  complaint_record& c = x.c;
  bool any_paused = false;
  c.for_live([&](clock_slot& k) {
    if (!k.active() || k.origin != clock_origin::target) return;
    const bool pause_now = pauses_in(x.d, k, x.after_main);
    if (pause_now && k.state == clock_state::running && !(c.pause_budget_spent && x.d.pauses.budget)) {
      pause_clock(x.d, c, k, x.t);
      any_paused = true;
    } else if (!pause_now && k.state == clock_state::paused) {
      resume(k, target_of(x.d, k), x.t);
    }
  });
  if (any_paused && !c.paused) {
    c.paused = true;
    c.pause_from = x.t;
    c.log().pauses.push_back(pause_record{x.e.at, std::nullopt, x.e.reason, x.e.actor, std::chrono::seconds{0}});
  }
  bool still_paused = false;
  std::as_const(c).for_live([&](const clock_slot& k) { still_paused = still_paused || k.state == clock_state::paused; });
  if (c.paused && !still_paused) end_pause(x.d, c, x.t);
}

}  // namespace redress::detail
