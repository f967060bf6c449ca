#include "tools/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "policy/policy_rules.hpp"
#include "redress/calendar.hpp"
#include "tools/markup.hpp"

namespace redress::tools {

namespace {

bool within(const report_period& period, instant t) { return period.from <= t && t <= period.to; }

// The FCA return's bands, counted by the complaint's calendar from its receipt.
void add_age(age_bands& bands, const business_calendar& calendar, instant received, instant at) {
  static const duration_spec three_business_days = duration_spec::parse("3 business days");
  static const duration_spec eight_weeks = duration_spec::parse("8 weeks");
  if (at <= deadline(calendar, received, three_business_days)) ++bands.within_3_business_days;
  else if (at <= deadline(calendar, received, eight_weeks)) ++bands.within_8_weeks;
  else ++bands.after_8_weeks;
}

std::string owner_name(const std::string& role) { return role.empty() ? "(nobody)" : role; }

std::string attribute(const complaint_intake& intake, const char* key) {
  auto found = intake.attributes.find(key);
  return found == intake.attributes.end() || found->second.empty() ? "(none)" : found->second;
}

}  // namespace

std::int64_t percentile(std::vector<std::int64_t> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(p * static_cast<double>(values.size()));
  const auto index = static_cast<std::size_t>(std::max(1.0, rank)) - 1;
  return values[std::min(index, values.size() - 1)];
}

report_period make_period(const policy& p, const scenario& history, const std::string& from,
                          const std::string& to) {
  const business_calendar& calendar = p.calendar(p->default_calendar);
  auto read = [](const std::string& text, const char* option) {
    try {
      return civil_date::parse(text);
    } catch (const error& e) {
      throw error(std::string(option) + ": " + e.message());
    }
  };
  report_period period;
  if (!from.empty()) {
    period.from_date = read(from, "--from");
  } else {
    std::optional<instant> first;
    for (const scenario_complaint& c : history.complaints)
      if (!first || c.intake.received < *first) first = c.intake.received;
    period.from_date = calendar.local_date(first.value_or(history.horizon()));
  }
  period.from = calendar.start_of_day(period.from_date);
  if (!to.empty()) {
    period.to_date = read(to, "--to");
  } else {
    // The day of the last thing the history records: a receipt or an event.
    std::optional<instant> last;
    for (const scenario_complaint& c : history.complaints) {
      if (!last || *last < c.intake.received) last = c.intake.received;
      for (const scenario_event& e : c.events)
        if (*last < e.event.at) last = e.event.at;
    }
    period.to_date = calendar.local_date(last.value_or(history.horizon()));
  }
  period.to = calendar.end_of_day(period.to_date);
  if (period.to < period.from)
    throw error("--to: the period ends (" + period.to_date.to_string() + ") before it starts (" +
                period.from_date.to_string() + ")");
  return period;
}

report_builder::report_builder(const policy& p, report_period period) : p_(p) {
  r_.policy_name = p.name();
  r_.policy_version = p.version();
  const business_calendar& calendar = p.calendar(p->default_calendar);
  r_.zone = calendar.zone().name();
  r_.period = period;
  for (const target_definition& t : p->targets) {
    target_figures& f = target(t.name);
    f.working_time = f.working_time && !t.within.is_elapsed();
  }
  const std::int64_t first = period.from_date.days_since_epoch() - static_cast<int>(period.from_date.day_of_week());
  for (std::int64_t d = first; d <= period.to_date.days_since_epoch(); d += 7)
    r_.weeks.push_back({civil_date::from_days(d), 0, 0, 0});
}

target_figures& report_builder::target(const std::string& name) {
  auto found = target_index_.find(name);
  if (found != target_index_.end()) return r_.targets[found->second];
  target_index_.emplace(name, r_.targets.size());
  r_.targets.push_back({name, true, 0, 0, 0, {}});
  return r_.targets.back();
}

void report_builder::add_week(instant t, std::size_t week_figures::*field) {
  if (r_.weeks.empty()) return;
  const civil_date day = p_.calendar(p_->default_calendar).local_date(t);
  const std::int64_t index = (day.days_since_epoch() - r_.weeks.front().monday.days_since_epoch()) / 7;
  if (index >= 0 && static_cast<std::size_t>(index) < r_.weeks.size()) ++(r_.weeks[static_cast<std::size_t>(index)].*field);
}

void report_builder::add(const scenario_complaint& complaint) {
  const report_period& period = r_.period;
  const complaint_intake& intake = complaint.intake;
  if (period.to < intake.received) return;  // after the period: not in this report
  ++r_.complaints;
  engine e(p_);
  auto opened = e.open(intake);
  if (!opened) {
    ++r_.rejected_intakes;
    return;
  }
  std::vector<action> actions = std::move(opened).value();
  const business_calendar& calendar = *e.calendar(intake.id);
  const std::string kind = attribute(intake, "kind"), channel = attribute(intake, "channel");
  if (within(period, intake.received)) {
    ++r_.received;
    ++r_.received_by_kind[kind];
    ++r_.received_by_channel[channel];
    add_week(intake.received, &week_figures::received);
  }

  // Events in the order simulate applies them (scenario_complaint::in_order), up to the
  // period's end.
  bool proposed = false, justified = false, was_closed = false, closed_in_period = false;
  complaint_state before = complaint_state::received;
  for (const scenario_event& se : complaint.in_order()) {
    const complaint_event& ev = se.event;
    if (period.to < ev.at) break;
    auto applied = e.apply(intake.id, ev);
    if (!applied) {
      ++r_.rejected_events;
      continue;
    }
    for (action& a : applied.value()) actions.push_back(std::move(a));
    if (ev.what == lifecycle_event::propose_resolution) {
      proposed = true;
      justified = ev.justified;
    }
    const complaint_state now = e.state(intake.id)->main;
    if (now == complaint_state::withdrawn && before != complaint_state::withdrawn && within(period, ev.at))
      ++r_.withdrawn;
    before = now;
    const bool closed = now == complaint_state::closed;
    if (closed && !was_closed && within(period, ev.at) && !closed_in_period) {
      // Counted once, at the first time it reaches the closed state in the period.
      closed_in_period = true;
      ++r_.closed;
      add_age(r_.closed_by_age, calendar, intake.received, ev.at);
      if (!proposed) ++r_.no_resolution;
      else if (justified) ++r_.upheld;
      else ++r_.not_upheld;
      add_week(ev.at, &week_figures::closed);
    }
    was_closed = closed;
  }
  for (action& a : e.advance(period.to)) actions.push_back(std::move(a));
  const complaint_status status = e.status(intake.id, period.to).value();

  for (const action& a : actions) {
    if (!within(period, a.at)) continue;
    if (a.what == action::kind::breach) {
      ++r_.breaches;
      ++r_.breaches_by_target[a.target];
      ++r_.breaches_by_kind[kind];
      ++r_.breaches_by_channel[channel];
      ++r_.breaches_by_owner[owner_name(a.who)];
      add_week(a.at, &week_figures::breaches);
    } else if (a.what == action::kind::escalation) {
      ++r_.escalations_by_level[a.level];
    }
  }
  for (const clock_report& k : status.clocks) {
    if (k.target == detail::corrective_action_clock_name) continue;
    const bool breached_in_period = k.breached && within(period, k.due + std::chrono::seconds{1});
    const bool stopped_in_period = k.stopped && within(period, *k.stopped);
    if (k.target == detail::promise_clock_name) {
      if (breached_in_period) ++r_.promises_broken;
      else if (!k.breached && k.state == clock_state::met && stopped_in_period) ++r_.promises_kept;
      continue;
    }
    target_figures& f = target(k.target);
    if (breached_in_period) ++f.breached;
    else if (!k.breached && k.state == clock_state::met && stopped_in_period) ++f.met;
    else if (!k.breached && k.state == clock_state::cancelled && stopped_in_period) ++f.cancelled;
    if (stopped_in_period && k.state != clock_state::cancelled) f.taken.push_back(k.consumed.count());
  }
  if (status.state.main != complaint_state::closed && status.state.main != complaint_state::withdrawn) {
    ++r_.open_at_end;
    add_age(r_.open_by_age, calendar, intake.received, period.to);
  }
}

// --- output -------------------------------------------------------------------------------

namespace {

std::string fixed(double v, int digits = 1) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

std::string share_text(std::size_t good, std::size_t bad) {
  return good + bad ? fixed(100.0 * static_cast<double>(good) / static_cast<double>(good + bad)) + "%" : "-";
}

nlohmann::json counts(const std::map<std::string, std::size_t>& m) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, n] : m) j[k] = n;
  return j;
}

nlohmann::json bands(const age_bands& b) {
  return {{"within_3_business_days", b.within_3_business_days},
          {"within_8_weeks", b.within_8_weeks},
          {"after_8_weeks", b.after_8_weeks}};
}

struct taken_summary {
  std::int64_t p50, p90, p95, max;
};

taken_summary summarise(const target_figures& t) {
  return {percentile(t.taken, 0.5), percentile(t.taken, 0.9), percentile(t.taken, 0.95),
          t.taken.empty() ? 0 : *std::max_element(t.taken.begin(), t.taken.end())};
}

std::string hours(std::int64_t seconds) { return fixed(static_cast<double>(seconds) / 3600.0) + "h"; }

}  // namespace

std::string report_json(const report& r) {
  nlohmann::json targets = nlohmann::json::array();
  for (const target_figures& t : r.targets) {
    nlohmann::json j = {{"target", t.target},
                        {"time", t.working_time ? "working" : "elapsed"},
                        {"met", t.met},
                        {"breached", t.breached},
                        {"cancelled", t.cancelled},
                        {"met_share", nullptr},
                        {"stopped", t.taken.size()},
                        {"taken", nullptr}};
    if (t.met + t.breached) j["met_share"] = static_cast<double>(t.met) / static_cast<double>(t.met + t.breached);
    if (!t.taken.empty()) {
      const taken_summary s = summarise(t);
      auto both = [](std::int64_t v) {
        return nlohmann::json{{"time", format_iso8601_duration(std::chrono::seconds{v})}, {"seconds", v}};
      };
      j["taken"] = {{"p50", both(s.p50)}, {"p90", both(s.p90)}, {"p95", both(s.p95)}, {"max", both(s.max)}};
    }
    targets.push_back(j);
  }
  nlohmann::json escalations = nlohmann::json::object();
  for (const auto& [level, n] : r.escalations_by_level) escalations[std::to_string(level)] = n;
  nlohmann::json weeks = nlohmann::json::array();
  for (const week_figures& w : r.weeks)
    weeks.push_back({{"week", w.monday.to_string()}, {"received", w.received}, {"closed", w.closed}, {"breaches", w.breaches}});
  nlohmann::json closed = {{"total", r.closed}, {"upheld", r.upheld}, {"not_upheld", r.not_upheld}, {"no_resolution", r.no_resolution}};
  closed.update(bands(r.closed_by_age));
  nlohmann::json open = {{"total", r.open_at_end}};
  open.update(bands(r.open_by_age));
  const nlohmann::json out = {
      {"format", "redress-report"},
      {"format_version", 1},
      {"policy", {{"name", r.policy_name}, {"version", r.policy_version}}},
      {"period", {{"from", r.period.from_date.to_string()}, {"to", r.period.to_date.to_string()}, {"zone", r.zone}}},
      {"complaints", {{"read", r.complaints}, {"rejected_intakes", r.rejected_intakes}, {"rejected_events", r.rejected_events}}},
      {"received", {{"total", r.received}, {"by_kind", counts(r.received_by_kind)}, {"by_channel", counts(r.received_by_channel)}}},
      {"closed", closed},
      {"withdrawn", r.withdrawn},
      {"targets", targets},
      {"breaches", {{"total", r.breaches}, {"by_target", counts(r.breaches_by_target)}, {"by_kind", counts(r.breaches_by_kind)},
                    {"by_channel", counts(r.breaches_by_channel)}, {"by_owner", counts(r.breaches_by_owner)}}},
      {"promises", {{"kept", r.promises_kept}, {"broken", r.promises_broken}}},
      {"escalations_by_level", escalations},
      {"open_at_end", open},
      {"weeks", weeks}};
  return out.dump(2) + "\n";
}

std::string report_csv(const report& r) {
  // One long table (section, item, figure, value): every figure on its own row, so that a
  // spreadsheet's pivot or a dashboard reads any of them without parsing cells.
  std::ostringstream out;
  auto quoted = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  auto row = [&](const std::string& section, const std::string& item, const std::string& figure, const std::string& value) {
    out << quoted(section) << "," << quoted(item) << "," << quoted(figure) << "," << quoted(value) << "\n";
  };
  auto n = [](std::size_t v) { return std::to_string(v); };
  out << "section,item,figure,value\n";
  row("period", "", "from", r.period.from_date.to_string());
  row("period", "", "to", r.period.to_date.to_string());
  row("received", "", "total", n(r.received));
  for (const auto& [k, v] : r.received_by_kind) row("received", "kind " + k, "complaints", n(v));
  for (const auto& [k, v] : r.received_by_channel) row("received", "channel " + k, "complaints", n(v));
  row("closed", "", "total", n(r.closed));
  row("closed", "", "within_3_business_days", n(r.closed_by_age.within_3_business_days));
  row("closed", "", "within_8_weeks", n(r.closed_by_age.within_8_weeks));
  row("closed", "", "after_8_weeks", n(r.closed_by_age.after_8_weeks));
  row("closed", "", "upheld", n(r.upheld));
  row("closed", "", "not_upheld", n(r.not_upheld));
  row("closed", "", "no_resolution", n(r.no_resolution));
  for (const target_figures& t : r.targets) {
    row("target", t.target, "met", n(t.met));
    row("target", t.target, "breached", n(t.breached));
    row("target", t.target, "cancelled", n(t.cancelled));
    row("target", t.target, "met_share", t.met + t.breached ? fixed(static_cast<double>(t.met) / static_cast<double>(t.met + t.breached), 4) : "");
    row("target", t.target, "stopped", n(t.taken.size()));
    if (!t.taken.empty()) {
      const taken_summary s = summarise(t);
      const std::string unit = t.working_time ? "_working_seconds" : "_seconds";
      row("target", t.target, "taken_p50" + unit, std::to_string(s.p50));
      row("target", t.target, "taken_p90" + unit, std::to_string(s.p90));
      row("target", t.target, "taken_p95" + unit, std::to_string(s.p95));
      row("target", t.target, "taken_max" + unit, std::to_string(s.max));
    }
  }
  row("breaches", "", "total", n(r.breaches));
  for (const auto& [k, v] : r.breaches_by_target) row("breaches", "target " + k, "breaches", n(v));
  for (const auto& [k, v] : r.breaches_by_kind) row("breaches", "kind " + k, "breaches", n(v));
  for (const auto& [k, v] : r.breaches_by_channel) row("breaches", "channel " + k, "breaches", n(v));
  for (const auto& [k, v] : r.breaches_by_owner) row("breaches", "owner " + k, "breaches", n(v));
  row("promises", "", "kept", n(r.promises_kept));
  row("promises", "", "broken", n(r.promises_broken));
  for (const auto& [level, v] : r.escalations_by_level) row("escalations", "level " + std::to_string(level), "escalations", n(v));
  row("withdrawn", "", "total", n(r.withdrawn));
  row("open_at_end", "", "total", n(r.open_at_end));
  row("open_at_end", "", "within_3_business_days", n(r.open_by_age.within_3_business_days));
  row("open_at_end", "", "within_8_weeks", n(r.open_by_age.within_8_weeks));
  row("open_at_end", "", "after_8_weeks", n(r.open_by_age.after_8_weeks));
  for (const week_figures& w : r.weeks) {
    row("week", w.monday.to_string(), "received", n(w.received));
    row("week", w.monday.to_string(), "closed", n(w.closed));
    row("week", w.monday.to_string(), "breaches", n(w.breaches));
  }
  return out.str();
}

namespace {

std::string listing(const std::map<std::string, std::size_t>& m) {
  std::string out;
  for (const auto& [k, v] : m) out += (out.empty() ? "" : ", ") + k + " " + std::to_string(v);
  return out.empty() ? "none" : out;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

std::string report_text(const report& r) {
  std::ostringstream out;
  out << "policy    " << r.policy_name << " (version " << r.policy_version << ")\n";
  out << "period    " << r.period.from_date.to_string() << " to " << r.period.to_date.to_string() << " (" << r.zone << ")\n";
  out << "received  " << r.received << " (kind: " << listing(r.received_by_kind) << "; channel: " << listing(r.received_by_channel) << ")\n";
  out << "closed    " << r.closed << " (within 3 business days " << r.closed_by_age.within_3_business_days << ", 3 business days to 8 weeks "
      << r.closed_by_age.within_8_weeks << ", over 8 weeks " << r.closed_by_age.after_8_weeks << "; upheld " << r.upheld
      << ", not upheld " << r.not_upheld << ", no resolution proposed " << r.no_resolution << ")\n";
  out << "open      " << r.open_at_end << " at the period's end (within 3 business days " << r.open_by_age.within_3_business_days
      << ", 3 business days to 8 weeks " << r.open_by_age.within_8_weeks << ", over 8 weeks " << r.open_by_age.after_8_weeks << ")\n";
  if (r.withdrawn) out << "withdrawn " << r.withdrawn << " in the period\n";
  if (r.rejected_intakes || r.rejected_events)
    out << "rejected  " << r.rejected_intakes << " intakes, " << r.rejected_events << " events\n";
  out << "\n";
  std::size_t width = 6;
  for (const target_figures& t : r.targets) width = std::max(width, t.target.size());
  out << pad("target", width) << "  met  breached  met share  taken p50  taken p90  taken p95\n";
  for (const target_figures& t : r.targets) {
    const taken_summary s = summarise(t);
    const bool any = !t.taken.empty();
    out << pad(t.target, width) << "  " << pad(std::to_string(t.met), 3) << "  " << pad(std::to_string(t.breached), 8) << "  "
        << pad(share_text(t.met, t.breached), 9) << "  " << pad(any ? hours(s.p50) : "-", 9) << "  "
        << pad(any ? hours(s.p90) : "-", 9) << "  " << (any ? hours(s.p95) : "-") << "\n";
  }
  out << "(taken: working hours consumed, pauses excluded, by clocks stopped in the period)\n\n";
  out << "breaches     " << r.breaches << "\n";
  out << "  by target  " << listing(r.breaches_by_target) << "\n";
  out << "  by kind    " << listing(r.breaches_by_kind) << "\n";
  out << "  by channel " << listing(r.breaches_by_channel) << "\n";
  out << "  by owner   " << listing(r.breaches_by_owner) << "\n";
  out << "promises     kept " << r.promises_kept << ", broken " << r.promises_broken << "\n";
  std::string levels;
  for (const auto& [level, n] : r.escalations_by_level) levels += (levels.empty() ? "" : ", ") + ("L" + std::to_string(level)) + " " + std::to_string(n);
  out << "escalations  " << (levels.empty() ? "none" : levels) << "\n\n";
  out << "week of     received  closed  breaches\n";
  for (const week_figures& w : r.weeks)
    out << w.monday.to_string() << "  " << pad(std::to_string(w.received), 8) << "  " << pad(std::to_string(w.closed), 6) << "  " << w.breaches << "\n";
  return out.str();
}

}  // namespace redress::tools
