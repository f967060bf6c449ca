// engine::status(): everything about one complaint at an instant, its clocks measured then.
#include <algorithm>

#include "engine/actions.hpp"
#include "engine/engine_state.hpp"
#include "engine/ladder.hpp"
#include "engine/lifecycle_adapter.hpp"
#include "engine/refusals.hpp"
#include "engine/responsibility.hpp"

namespace redress {
namespace {

clock_report report_clock(const policy_definition& d, const detail::complaint_record& c, const detail::clock_slot& k,
                          std::int64_t t) {
  clock_report r;
  r.target = detail::clock_name(d, k);
  r.cycle = static_cast<int>(k.cycle);
  r.state = k.state;
  // A paused clock's due moves when it resumes, so `now` past its stored due is no breach;
  // only a due that had passed before the pause began is (resume() keeps that one).
  r.breached = k.breached || k.state == clock_state::breached || (k.state == clock_state::running && t > k.due) ||
               (k.state == clock_state::paused && k.resumed_at > k.due);
  // A paused clock as it would be if the pause ended at t: its due and its unfired levels.
  std::optional<detail::clock_slot> resumed;
  if (k.state == clock_state::paused && t >= k.resumed_at) {
    try {
      detail::clock_slot w = k;
      detail::resume(w, k.origin == detail::clock_origin::target ? &d.targets[k.index] : nullptr, t);
      resumed = w;
      r.due_if_resumed_now = instant::from_unix(w.due);
    } catch (const error&) {
      // `now` is beyond the calendar's range: no instant to report.
    }
  }
  // A stopped clock (met, breached, cancelled) as if it had run on from its stop, its due as it
  // stood then: where its unfired levels would have fired. stop() and cancel() leave the
  // consumption up to the stop in consumed_before.
  if (!k.active() && k.stopped != detail::never) {
    detail::clock_slot w = k;
    w.state = clock_state::running;
    w.resumed_at = k.stopped;
    resumed = w;
  }
  r.started = instant::from_unix(k.start);
  r.due = instant::from_unix(k.due);
  if (k.stopped != detail::never) r.stopped = instant::from_unix(k.stopped);
  r.extended = k.extended;
  std::int64_t consumed = k.budget;
  try {
    consumed = detail::consumed_at(k, std::min(t, k.stopped));
  } catch (const error&) {
    // `now` is beyond the calendar's range: at least all of the budget was consumed.
  }
  r.consumed = std::chrono::seconds{consumed};
  r.remaining = std::chrono::seconds{k.budget - consumed};
  r.percent_consumed = k.budget > 0 ? 100.0 * static_cast<double>(consumed) / static_cast<double>(k.budget) : 100.0;
  r.owner = detail::clock_owner(d, c, k);
  if (const auto* steps = detail::ladder(d, k)) {
    for (std::size_t i = 0; i < steps->size(); ++i) {
      level_report l;
      l.label = (*steps)[i].label;
      l.fired = (k.fired & (1u << i)) != 0;
      // A fired level: when it fired, as written to the log before anything moved the clock;
      // else where the ladder puts it (unchanged since it fired). A level not fired of a paused
      // clock: where the ladder would put it if the pause ended at t; of a stopped clock: where it
      // would have fired had the clock run on.
      const auto fired = l.fired ? detail::fired_at(c, c.index_of(k), i) : std::nullopt;
      if (fired) l.at = instant::from_unix(*fired);
      else if (auto at = detail::level_instant(resumed && !l.fired ? *resumed : k, (*steps)[i]))
        l.at = instant::from_unix(*at);
      r.levels.push_back(l);
    }
  }
  return r;
}

corrective_action_report report_corrective(const detail::complaint_record& c, const detail::corrective_item& item) {
  corrective_action_report r;
  r.what = item.what;
  r.owner = item.owner;
  r.verifier = item.verifier;
  r.planned = instant::from_unix(item.planned);
  r.due = instant::from_unix(item.due);
  if (item.done) r.done = instant::from_unix(*item.done);
  if (item.verified) r.verified = instant::from_unix(*item.verified);
  r.state = c.clocks[item.clock].state;
  return r;
}

}  // namespace

outcome<complaint_status> engine::status(std::string_view id, instant now) const {
  const detail::engine_state& s = *state_;
  const auto found = s.find(id);
  if (!found) return detail::fail(engine_error::kind::unknown_complaint, "no open complaint " + std::string(id));
  const detail::complaint_record& c = *s.slots[*found];
  const policy_definition& d = s.def(c);
  complaint_status out;
  out.id = c.intake.id();
  out.policy_name = d.name;
  out.policy_version = d.version;
  // The policy's name for the calendar (the key under [calendars]), which may differ from the
  // name the calendar's own file gives it; policy::calendar() finds it by this name.
  out.calendar = c.calendar->name();
  for (const auto& [name, calendar] : d.calendars)
    if (&calendar == c.calendar) out.calendar = name;
  out.received = c.intake.received();
  out.state = c.state;
  out.owner = c.owner;
  out.escalation_level = detail::lifecycle_level(c.state);
  const std::int64_t t = now.unix_seconds();
  try {
    for (const detail::clock_slot& k : c.clocks) out.clocks.push_back(report_clock(d, c, k, t));
    out.pauses = c.log().pauses;
    for (const detail::corrective_item& item : c.log().corrective)
      out.corrective_actions.push_back(report_corrective(c, item));
    for (const auto& [role, seconds] : c.log().ledger) out.ledger[role] = std::chrono::seconds{seconds};
    if (!c.owner.empty() && c.owner_since != detail::no_instant && t > c.owner_since) {
      try {
        out.ledger[c.owner] += elapsed_working_time(*c.calendar, instant::from_unix(c.owner_since), now);
      } catch (const error&) {
        // Beyond the calendar's range: the ledger counts what it can.
      }
    }
  } catch (const error& e) {
    return detail::fail(engine_error::kind::calendar_error, "complaint " + c.intake.id_text() + ": " + e.what());
  }
  for (const auto& [role, seconds] : out.ledger)
    for (const role_definition& r : d.roles)
      if (r.id == role && !r.team.empty()) out.team_ledger[r.team] += seconds;
  out.events = c.log().events.size();
  return out;
}

}  // namespace redress
