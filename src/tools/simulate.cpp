#include "tools/simulate.hpp"

#include <algorithm>

#include "time/rfc3339.hpp"

namespace redress::tools {

std::string_view to_string(action::kind k) noexcept {
  switch (k) {
    case action::kind::escalation: return "escalation";
    case action::kind::breach: return "breach";
    case action::kind::promise_breach: return "promise broken";
    case action::kind::corrective_action: return "corrective action";
    case action::kind::assignment: return "owner";
    case action::kind::pause_ended: return "pause ended";
    case action::kind::retracted: return "retracted";
  }
  return "action";
}

void append_local_reading(std::string& out, const instant& t, const time_zone& zone) {
  // format_rfc3339 decides how an instant reads in a zone: "2026-04-01T14:00:00+01:00", or
  // "...Z" (UTC) when the zone's offset has seconds (local mean time). The reading splits that
  // text at its 'T' and at the start of its offset rather than at fixed places.
  char written[detail::rfc3339_capacity];
  const std::string_view text(written, detail::write_rfc3339(written, t, zone));
  const std::size_t tee = text.find('T');
  const std::size_t offset_at = text.find_first_of("Z+-", tee);
  if (tee == std::string_view::npos || offset_at == std::string_view::npos) {
    out += text;
    return;
  }
  std::string_view clock = text.substr(tee + 1, offset_at - tee - 1);
  if (clock.size() == 8 && clock.compare(5, 3, ":00") == 0) clock.remove_suffix(3);
  out.append(text.substr(0, tee)).append(1, ' ').append(clock).append(1, ' ');
  if (text[offset_at] == 'Z') out += "UTC";
  else out += text.substr(offset_at);
}

std::string local_reading(const instant& t, const time_zone& zone) {
  std::string reading;
  append_local_reading(reading, t, zone);
  return reading;
}

std::string clock_outcome(const clock_report& k) {
  std::string state(to_string(k.state));
  if (k.breached && k.state != clock_state::breached) state += ", breached";
  return state;
}

complaint_run simulate_complaint(const policy& p, const scenario_complaint& sc, instant horizon, bool only_until_horizon) {
  engine e(p);
  return simulate_complaint(e, p, sc, horizon, only_until_horizon);
}

complaint_run simulate_complaint(engine& e, const policy& p, const scenario_complaint& sc, instant horizon,
                                 bool only_until_horizon) {
  complaint_run run;
  run.id = sc.intake.id;
  // The opening, the events and a few actions, without regrowing the timeline per entry.
  run.timeline.reserve(sc.events.size() + 8);

  const std::vector<scenario::step> steps = scenario::steps_of(sc, 0);

  auto record_actions = [&](std::vector<action> fired) {
    for (action& a : fired) {
      timeline_entry entry;
      entry.what = timeline_entry::kind::action;
      entry.at = a.at;
      entry.label = std::string(to_string(a.what));
      entry.fired = run.actions.size();
      run.timeline.push_back(std::move(entry));
      run.actions.push_back(std::move(a));
    }
  };

  for (const scenario::step& st : steps) {
    if (only_until_horizon && st.at > horizon) continue;
    // Actions due strictly before this instant fire first; events at an instant come before
    // the actions due at that same instant.
    record_actions(e.advance(st.at - std::chrono::seconds{1}));
    timeline_entry entry;
    entry.at = st.at;
    if (st.event < 0) {
      auto opened = e.open(sc.intake);
      if (!opened) {
        entry.what = timeline_entry::kind::rejected;
        entry.label = "open";
        entry.detail = opened.error().message;
        ++run.rejected;
      } else {
        run.opened = true;
        entry.what = timeline_entry::kind::opened;
        entry.label = "received";
        std::string detail;
        for (const auto& [k, v] : sc.intake.attributes)
          if (is_selector_dimension(k))
            detail += (detail.empty() ? "" : ", ") + k + " " + v;
        entry.detail = detail;
        const auto status = e.status(sc.intake.id, st.at);
        if (status) {
          run.calendar = status->calendar;
          run.zone = p.calendar(status->calendar).zone();
        }
      }
      run.timeline.push_back(std::move(entry));
      if (opened) record_actions(std::move(opened).value());
      continue;
    }
    const scenario_event& se = sc.events[static_cast<std::size_t>(st.event)];
    entry.label = std::string(to_string(se.event.what));
    entry.who = se.event.actor;
    if (!run.opened) {
      entry.what = timeline_entry::kind::rejected;
      entry.detail = "the complaint was never opened";
      run.timeline.push_back(std::move(entry));
      ++run.rejected;
      continue;
    }
    auto applied = e.apply(sc.intake.id, se.event);
    if (!applied) {
      entry.what = timeline_entry::kind::rejected;
      entry.detail = applied.error().message;
      ++run.rejected;
      run.timeline.push_back(std::move(entry));
      continue;
    }
    entry.what = timeline_entry::kind::event;
    std::string detail;
    if (!se.event.reason.empty()) detail += "reason: " + se.event.reason;
    if (se.event.promised) detail += (detail.empty() ? "" : "; ") + std::string("promised ") + format_rfc3339(*se.event.promised, run.zone);
    if (!se.event.role.empty()) detail += (detail.empty() ? "" : "; ") + std::string("role ") + se.event.role;
    if (se.event.what == lifecycle_event::propose_resolution) detail += se.event.justified ? "justified" : "not justified";
    for (const auto& [k, v] : se.event.attributes) detail += (detail.empty() ? "" : ", ") + k + " " + v;  // reclassify
    if (se.event.logged_at && *se.event.logged_at != se.event.at)  // a late event, shown where it was logged
      detail += (detail.empty() ? "" : "; ") + std::string("logged late: it happened at ") +
                format_rfc3339(se.event.at, run.zone);
    entry.detail = detail;
    run.timeline.push_back(std::move(entry));
    run.owner_after.emplace_back(run.timeline.back().label, e.owner(sc.intake.id).value_or(std::string()));
    record_actions(std::move(applied).value());
  }
  // To the horizon one wake-up at a time (the same actions in the same order as one advance(),
  // without gathering all of them in one vector first).
  for (auto w = e.next_wakeup(); w && *w <= horizon; w = e.next_wakeup()) record_actions(e.advance(*w));
  if (!run.opened) return run;  // its entries are in step order already
  auto status = e.status(run.id, horizon);
  if (status) run.final_status = std::move(status).value();
  // In time order, ties as they were recorded (stable_sort, skipped when already in order).
  const auto earlier = [](const timeline_entry& a, const timeline_entry& b) { return a.at < b.at; };
  if (!std::is_sorted(run.timeline.begin(), run.timeline.end(), earlier))
    std::stable_sort(run.timeline.begin(), run.timeline.end(), earlier);
  return run;
}

simulation simulation_head(const policy& p, const scenario& s) {
  simulation out;
  out.policy_name = p.name();
  out.policy_version = p.version();
  out.scenario_name = s.name;
  out.horizon = s.horizon();
  return out;
}

simulation simulate(const policy& p, const scenario& s) {
  simulation out = simulation_head(p, s);
  out.complaints.reserve(s.complaints.size());
  for (const scenario_complaint& c : s.complaints) {
    out.complaints.push_back(simulate_complaint(p, c, out.horizon));
    out.rejected += out.complaints.back().rejected;
  }
  return out;
}

}  // namespace redress::tools
