// The escalation ladder (ladder.hpp).
#include "engine/ladder.hpp"

#include <algorithm>

#include "engine/actions.hpp"
#include "engine/lifecycle_adapter.hpp"
#include "engine/pauses.hpp"
#include "engine/responsibility.hpp"

namespace redress::detail {
namespace {

std::optional<std::int64_t> level_instant_or_throw(const clock_slot& k, const escalation_step& step) {
  if (k.state != clock_state::running) return std::nullopt;
  switch (step.at) {
    case escalation_step::anchor::percent: {
      if (step.percent >= 100) return k.due;
      const std::int64_t threshold = (k.budget * step.percent + 99) / 100;
      if (threshold <= k.consumed_before) return k.resumed_at;
      return add_measure(k, k.resumed_at, threshold - k.consumed_before);
    }
    // A level whose instant had already passed when the clock started (or resumed) falls due
    // then, as a percent level already reached does: never before its clock runs, so it fires
    // with the event that started the clock, not as if it had been due before it existed.
    case escalation_step::anchor::after_due:
    case escalation_step::anchor::before_due: {
      const duration_spec& d = step.offset;
      const bool after = step.at == escalation_step::anchor::after_due;
      if (d.is_elapsed()) return std::max(k.resumed_at, after ? k.due + d.seconds() : k.due - d.seconds());
      const duration_spec offset = after ? d : duration_spec{-d.count, d.what};
      return std::max(k.resumed_at, deadline(*k.calendar, instant::from_unix(k.due), offset).unix_seconds());
    }
  }
  return std::nullopt;
}

bool has_fired(const clock_slot& k, std::size_t level) { return (k.fired & (1u << level)) != 0; }

bool is_percent(const escalation_step& step) { return step.at == escalation_step::anchor::percent; }

// Whether a level lies at or after the due: one after it by a duration not negative (a
// deadline is never before its start).
bool at_or_after_due(const escalation_step& step) {
  return step.at == escalation_step::anchor::after_due && step.offset.count >= 0;
}

// The next instant at which something falls due on one clock (cached in the clock). Percent
// levels fall due in the order of their percents (a larger share of the budget is never
// consumed earlier), so of those only the smallest unfired one is computed; a level at or after
// the due is not computed when something falls due by then.
std::int64_t clock_next(const policy_definition& d, const clock_slot& k) {
  if (k.state != clock_state::running) return never;
  if (!k.stale) return k.next_at;
  std::int64_t next = k.breached ? never : k.due + 1;
  if (const auto* steps = ladder(d, k)) {
    const escalation_step* first_percent = nullptr;
    for (std::size_t i = 0; i < steps->size(); ++i)
      if (!has_fired(k, i) && is_percent((*steps)[i]) && (!first_percent || (*steps)[i].percent < first_percent->percent))
        first_percent = &(*steps)[i];
    if (first_percent) {
      if (auto at = level_instant(k, *first_percent)) {
        next = std::min(next, *at);
      } else {
        // Not countable (beyond the calendar's range): the next percent level may be.
        for (std::size_t i = 0; i < steps->size(); ++i)
          if (!has_fired(k, i) && is_percent((*steps)[i]))
            if (auto later = level_instant(k, (*steps)[i])) next = std::min(next, *later);
      }
    }
    for (std::size_t i = 0; i < steps->size(); ++i) {
      const escalation_step& step = (*steps)[i];
      if (has_fired(k, i) || is_percent(step) || (next <= k.due && at_or_after_due(step))) continue;
      if (auto at = level_instant(k, step)) next = std::min(next, *at);
    }
  }
  k.next_at = next;
  k.stale = false;
  return next;
}

// Quiet hours (docs/spec/clocks.md): the level's `deliver`, else that of the role that must act;
// the calendar it names ("working-hours": the complaint's); the next working instant at or after
// `at` by that calendar (next_open). Nothing when none applies or it says "immediately". When the
// calendar has no working time left in its range, the notification is not held back: `at`.
std::optional<instant> deliver_at(const policy& p, const complaint_record& c, const std::string& level_deliver,
                                  const std::string& who, std::int64_t at) {
  const policy_definition& d = p.definition();
  const std::string* deliver = &level_deliver;
  if (deliver->empty()) {
    const int role = p.role_index(who);
    if (role < 0) return std::nullopt;
    deliver = &d.roles[static_cast<std::size_t>(role)].deliver;
  }
  if (deliver->empty() || *deliver == "immediately") return std::nullopt;
  const auto named = d.calendars.find(*deliver);
  const business_calendar& calendar = *deliver == "working-hours" || named == d.calendars.end() ? *c.calendar : named->second;
  try {
    return calendar.next_open(instant::from_unix(at));
  } catch (const error&) {
    return instant::from_unix(at);
  }
}

void fire_level(const policy& p, complaint_record& c, clock_slot& k, std::size_t level, std::int64_t at,
                std::vector<action>& out) {
  const policy_definition& d = p.definition();
  const escalation_step& step = (*ladder(d, k))[level];
  k.fired |= 1u << level;
  k.stale = true;
  std::vector<std::string> notify;
  for (const std::string& role : step.notify) {
    std::string who = role == "owner" ? clock_owner(d, c, k) : role;
    if (!who.empty()) notify.push_back(std::move(who));  // "owner" when no role owns it or its kind
  }
  if (!step.assign.empty()) {
    change_owner(p, c, step.assign, at);
    lifecycle_raise_level(c.state, d.lifecycle);
  }
  // Who must act: the new owner when the level reassigns, else the clock's owner (before
  // registration, the owner of its kind); when its kind has none, the first role notified.
  std::string who = step.assign.empty() ? clock_owner(d, c, k) : step.assign;
  if (who.empty() && !notify.empty()) who = notify.front();
  std::optional<instant> deliver = deliver_at(p, c, step.deliver, who, at);
  out.push_back(escalation_action(c, k, clock_name(d, k), step, level, at, std::move(notify), std::move(who)));
  out.back().deliver_at = deliver;
}

void fire_breach(const policy& p, complaint_record& c, clock_slot& k, std::int64_t at, std::vector<action>& out) {
  const policy_definition& d = p.definition();
  k.breached = true;
  k.stale = true;
  action a = breach_action(c, k, clock_name(d, k), at);
  a.who = clock_owner(d, c, k);
  if (k.origin == clock_origin::corrective_action) a.verifier = c.corrective_of(k).verifier;
  a.deliver_at = deliver_at(p, c, std::string(), a.who, at);
  out.push_back(std::move(a));
}

bool fired_before(const fired_level& a, const fired_level& b) {
  return a.clock != b.clock ? a.clock < b.clock : a.level < b.level;
}

// Writes to the log that level `level` of clock `index` fired at `at`, in the log's order.
void log_fired(complaint_record& c, std::uint32_t index, std::size_t level, std::int64_t at) {
  auto& fired = c.log().fired;
  const fired_level f{index, static_cast<std::uint32_t>(level), at};
  fired.insert(std::upper_bound(fired.begin(), fired.end(), f, fired_before), f);
}

}  // namespace

const std::vector<escalation_step>* ladder(const policy_definition& d, const clock_slot& k) {
  if (k.origin == clock_origin::target) return &d.targets[k.index].escalate;
  if (k.origin == clock_origin::promise) return &d.promises.escalate;
  return nullptr;
}

std::optional<std::int64_t> level_instant(const clock_slot& k, const escalation_step& step) {
  try {
    return level_instant_or_throw(k, step);
  } catch (const error&) {
    return std::nullopt;
  }
}

std::int64_t next_wakeup(const policy_definition& d, const complaint_record& c) {
  std::int64_t next = never;
  c.for_live([&](const clock_slot& k) { next = std::min(next, clock_next(d, k)); });
  if (pause_budget_running(d, c)) next = std::min(next, pause_budget_end(d, c));
  return next;
}

void fire_at(const policy& p, complaint_record& c, std::int64_t w, std::vector<action>& out) {
  const policy_definition& d = p.definition();
  c.for_live([&](clock_slot& k) {
    if (clock_next(d, k) > w) return;
    if (const auto* steps = ladder(d, k)) {
      // A percent level at or above one not yet due is not due either (clock_next).
      std::optional<int> not_due_from;
      for (std::size_t l = 0; l < steps->size(); ++l) {
        if (has_fired(k, l)) continue;
        const escalation_step& step = (*steps)[l];
        if (is_percent(step) && not_due_from && step.percent >= *not_due_from) continue;
        auto at = level_instant(k, step);
        if (at && *at <= w) fire_level(p, c, k, l, w, out);
        else if (at && is_percent(step) && (!not_due_from || step.percent < *not_due_from)) not_due_from = step.percent;
      }
    }
    if (!k.breached && k.due + 1 <= w) fire_breach(p, c, k, w, out);
  });
  end_spent_pause(p, c, w, out);
  c.last_fired = w;
}

void catch_up(const policy& p, complaint_record& c, std::int64_t limit, bool inclusive, std::vector<action>& out) {
  for (;;) {
    const std::int64_t w = next_wakeup(p.definition(), c);
    if (w == never || (inclusive ? w > limit : w >= limit)) return;
    fire_at(p, c, w, out);
  }
}

void freeze_fired(const policy_definition& d, complaint_record& c, const clock_slot& k) {
  if (!k.fired || k.state != clock_state::running) return;
  const auto* steps = ladder(d, k);
  if (!steps) return;
  const std::uint32_t index = c.index_of(k);
  for (std::size_t l = 0; l < steps->size(); ++l) {
    if (!has_fired(k, l) || fired_at(c, index, l)) continue;
    if (auto at = level_instant(k, (*steps)[l])) log_fired(c, index, l, *at);
  }
}

std::optional<std::int64_t> fired_at(const complaint_record& c, std::uint32_t clock, std::size_t level) {
  const auto& fired = c.log().fired;
  const fired_level key{clock, static_cast<std::uint32_t>(level), 0};
  const auto at = std::lower_bound(fired.begin(), fired.end(), key, fired_before);
  if (at != fired.end() && at->clock == clock && at->level == level) return at->at;
  return std::nullopt;
}

void fire_passed(const policy& p, complaint_record& c, clock_slot& k, std::int64_t t, std::vector<action>& out) {
  if (!k.active()) return;
  const policy_definition& d = p.definition();
  const bool running = k.state == clock_state::running;
  clock_slot probe = k;  // a paused clock as it stood when its pause began
  probe.state = clock_state::running;
  const auto passed = [&](std::int64_t at) { return running ? at < t : at <= k.resumed_at; };
  const std::uint32_t index = c.index_of(k);
  if (const auto* steps = ladder(d, k)) {
    for (std::size_t l = 0; l < steps->size(); ++l) {
      if (has_fired(k, l)) continue;
      const auto at = level_instant(probe, (*steps)[l]);
      if (!at || !passed(*at)) continue;
      fire_level(p, c, k, l, t, out);
      log_fired(c, index, l, t);
    }
  }
  if (!k.breached && k.due < (running ? t : k.resumed_at)) fire_breach(p, c, k, t, out);
}

std::int64_t levels_to_come(const policy_definition& d, const complaint_record& c) {
  std::int64_t n = 0;
  c.for_live([&](const clock_slot& k) {
    const auto* steps = k.active() ? ladder(d, k) : nullptr;
    if (!steps) return;
    for (std::size_t i = 0; i < steps->size(); ++i)
      if (!has_fired(k, i) && !(*steps)[i].assign.empty()) ++n;
  });
  return n;
}

}  // namespace redress::detail
