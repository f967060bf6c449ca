#include "tools/explain.hpp"

#include <algorithm>
#include <cstdio>

#include "policy/policy_rules.hpp"

namespace redress::tools {

namespace {

const char* const weekday_short[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

std::string day_label(civil_date d) {
  return std::string(weekday_short[static_cast<int>(d.day_of_week())]) + " " + d.to_string();
}

// "Wed 2026-04-01 14:00 +01:00": the weekday of the date local_reading writes, then that reading
// (seconds as two digits when not zero; UTC where the zone's offset has seconds).
std::string moment(instant t, const time_zone& zone) {
  const std::string reading = local_reading(t, zone);
  const std::size_t space = reading.find(' ');
  try {
    return day_label(civil_date::parse(reading.substr(0, space))) + reading.substr(space);
  } catch (const error&) {
    return reading;  // a date civil_date does not read (outside 0001-9999): the reading alone
  }
}

std::string ordinal(std::int64_t n) {
  const char* suffix = "th";
  if (n % 100 < 11 || n % 100 > 13) {
    if (n % 10 == 1) suffix = "st";
    else if (n % 10 == 2) suffix = "nd";
    else if (n % 10 == 3) suffix = "rd";
  }
  return std::to_string(n) + suffix;
}

std::string hours(std::chrono::seconds s) { return format_iso8601_duration(s).substr(2); }

// The local working time a weekday's pattern promises, for spotting DST-shortened days.
std::int64_t pattern_seconds(const business_calendar& cal, civil_date d) {
  const calendar_definition& def = cal.definition();
  const std::vector<local_interval>* list = &def.week[static_cast<std::size_t>(d.day_of_week())];
  if (auto e = def.exceptions.find(d); e != def.exceptions.end()) list = &e->second;
  std::int64_t total = 0;
  for (const local_interval& iv : *list) total += (iv.end_minute - iv.start_minute) * 60;
  return total;
}

}  // namespace

std::vector<std::string> explain(const policy& p, const scenario& s, const simulation& sim,
                                 const std::string& id, const std::string& target, int cycle) {
  std::vector<std::string> lines;
  for (const explanation_step& step : explain_clock(p, s, sim, id, target, cycle).steps) {
    std::string padded = step.label;
    padded.resize(std::max<std::size_t>(step.label.size(), 11), ' ');
    lines.push_back(padded + step.text);
  }
  return lines;
}

explanation explain_clock(const policy& p, const scenario& s, const simulation& sim, const std::string& id,
                          const std::string& target, int cycle) {
  explanation result;
  std::vector<explanation_step>& out = result.steps;
  const complaint_run* run = nullptr;
  for (const complaint_run& c : sim.complaints)
    if (c.id == id) run = &c;
  const scenario_complaint* sc = nullptr;
  for (const scenario_complaint& c : s.complaints)
    if (c.intake.id == id) sc = &c;
  if (!run || !sc) throw error("complaint " + id + " is not in the scenario");
  if (!run->opened) throw error("complaint " + id + " was never opened: " + run->timeline.front().detail);
  const complaint_status& status = run->final_status;
  const clock_report* clock = nullptr;
  for (const clock_report& k : status.clocks)
    if (k.target == target && (cycle == 0 || k.cycle == cycle)) clock = &k;
  if (!clock) throw error("complaint " + id + " has no clock '" + target + "'" +
                          (cycle ? " (cycle " + std::to_string(cycle) + ")" : std::string()));
  const policy_definition& d = p.definition();
  const business_calendar& cal = p.calendar(status.calendar);
  const time_zone& zone = cal.zone();
  result.clock = *clock;
  result.zone = zone;
  auto line = [&](const std::string& label, const std::string& text) { out.push_back({label, text}); };

  // Which variant of the target applies, and which calendar.
  const target_definition* variant = nullptr;
  std::vector<std::string> not_chosen;
  for (const target_definition& t : d.targets) {
    if (t.name != target) continue;
    if (t.when.matches(sc->intake.attributes)) {
      variant = &t;
      break;
    }
    not_chosen.push_back("the variant at " + t.where.to_string() + " (when " + t.when.to_string() + ")");
  }
  line("complaint", id + " (" + [&] {
         std::string a;
         for (const auto& [k, v] : sc->intake.attributes)
           if (is_selector_dimension(k))
             a += (a.empty() ? "" : ", ") + k + " " + v;
         return a;
       }() + ")");
  line("policy", d.name + " (version " + d.version + ")");
  if (variant) {
    std::string rule = "within " + variant->within.to_string();
    if (variant->periodic) rule = "every " + variant->within.to_string();
    if (variant->within.is_day_period())
      rule += ", " + std::string(to_string(variant->options.end)) + ", rollover " +
              std::string(to_string(variant->options.rollover)) + ", receipt " +
              std::string(to_string(variant->options.receipt));
    line("target", target + " from " + variant->where.to_string() + ": starts on '" +
                       std::string(variant->starts.name()) + "', " + rule);
    const std::string when = variant->when.to_string();
    line("selected", when.empty() ? "the first variant with no 'when': it applies to every complaint"
                                  : "the first variant whose 'when' matches: " + when);
    for (const std::string& n : not_chosen) line("not chosen", n);
  } else if (target == detail::promise_clock_name || target == detail::corrective_action_clock_name) {
    line("target", target + ": due at the instant given");
  }
  std::string calendar_source = "the policy's default calendar";
  for (const std::string& source : d.calendar_precedence) {
    if (source == "policy") break;
    const auto& places = source == "region" ? d.region_calendars : d.site_calendars;
    auto value = sc->intake.attributes.find(source);
    if (value != sc->intake.attributes.end() && places.count(value->second)) {
      calendar_source = "the calendar of " + source + " " + value->second;
      break;
    }
  }
  line("calendar", cal.name() + " (" + zone.name() + "), " + calendar_source);
  line("started", moment(clock->started, zone) + (clock->cycle > 1 ? " (cycle " + std::to_string(clock->cycle) + ")" : ""));

  const bool restarted = clock->cycle > 1 || (variant && variant->periodic);
  if (variant && variant->within.is_day_period()) {
    // The calendar's own steps (trace_deadline), printed; nothing is counted here.
    const duration_spec& w = variant->within;
    const deadline_trace trace = trace_deadline(cal, clock->started, w, variant->options);
    std::string skipped;
    for (const deadline_step& step : trace.steps) {
      switch (step.what) {
        case deadline_step::kind::received_closed:
          line("receipt", "received outside working time: counts as received at " + moment(step.at, zone));
          break;
        case deadline_step::kind::receipt_day:
          line("received", day_label(step.date) + (restarted ? " (the day this cycle started, not counted)"
                                                               : " (day of receipt, not counted)"));
          break;
        case deadline_step::kind::skipped:
          skipped += (skipped.empty() ? "" : ", ") + day_label(step.date) + " " + step.why;
          break;
        case deadline_step::kind::counted:
          if (!skipped.empty()) {
            line("skipped", skipped);
            skipped.clear();
          }
          line("counted", day_label(step.date) + " (" + std::to_string(step.count) + ")");
          break;
        case deadline_step::kind::calendar_days:
          line("counted", std::to_string(step.count) + " calendar days after the day of receipt");
          break;
        case deadline_step::kind::months:
          line("counted", w.to_string() + ": the same day of the month" +
                              (step.date.day != step.count2
                                   ? ", or the month's last day (no " + std::to_string(step.count2) + "th): "
                                   : ": ") +
                              day_label(step.date));
          break;
        case deadline_step::kind::last_day:
          skipped.clear();  // a count of 0 business days lists the closed days it passes, unprinted
          if (w.what == duration_spec::unit::business_days)
            line("last day", day_label(step.date) + " (the " + ordinal(w.count) + " business day after the day " +
                                 (restarted ? "this cycle started)" : "of receipt)"));
          else
            line("last day", day_label(step.date));
          break;
        case deadline_step::kind::rolled_over:
          line("rollover", "not a business day (" + skipped + "): the next business day, " + day_label(step.date));
          skipped.clear();
          break;
        case deadline_step::kind::dst:  // printed below, over the clock's own span
        case deadline_step::kind::due: break;
      }
    }
  }

  // Working time: each day of the span, the working time it counts or why it counts none.
  // (Pauses move the due instant; their lines follow.)
  if (variant && variant->within.is_working_time()) {
    const civil_date first = cal.local_date(clock->started), last = cal.local_date(clock->due);
    if (last.days_since_epoch() - first.days_since_epoch() > 62) {
      line("counted", variant->within.to_string() + " of working time over " +
                          std::to_string(last.days_since_epoch() - first.days_since_epoch() + 1) +
                          " days (too many to list day by day)");
    } else {
      std::string skipped;
      for (civil_date day = first; day <= last; day = civil_date::from_days(day.days_since_epoch() + 1)) {
        const instant a = std::max(clock->started, cal.start_of_day(day));
        const instant b = std::min(clock->due, cal.end_of_day(day) + std::chrono::seconds{1});
        std::int64_t worked = 0;
        std::string spans;
        if (a < b) {
          for (const auto& [x, y] : cal.working_intervals(a, b)) {
            worked += (y - x).count();
            const civil_time from = zone.to_civil(x), to = zone.to_civil(y);
            char text[32];
            std::snprintf(text, sizeof text, "%02d:%02d-%02d:%02d", from.hour, from.minute, to.hour, to.minute);
            spans += (spans.empty() ? "" : ", ") + std::string(text);
          }
        }
        if (worked == 0) {
          const std::string why = cal.is_business_day(day) ? "no working time left in the span" : why_not_business_day(cal, day);
          skipped += (skipped.empty() ? "" : ", ") + day_label(day) + " " + why;
          continue;
        }
        if (!skipped.empty()) {
          line("skipped", skipped);
          skipped.clear();
        }
        line("counted", day_label(day) + " " + spans + ": " + hours(std::chrono::seconds{worked}));
      }
      if (!skipped.empty()) line("skipped", skipped);
    }
  }

  // Working time: DST shifts inside the clock's span.
  if (variant && !variant->within.is_elapsed()) {
    const instant end = clock->stopped ? std::min(*clock->stopped, clock->due) : clock->due;
    for (civil_date day = cal.local_date(clock->started); day <= cal.local_date(end);
         day = civil_date::from_days(day.days_since_epoch() + 1)) {
      const instant a = cal.start_of_day(day), b = cal.end_of_day(day) + std::chrono::seconds{1};
      if ((b - a).count() == 86400) continue;
      std::int64_t worked = 0;
      for (const auto& [x, y] : cal.working_intervals(a, b)) worked += (y - x).count();
      const std::int64_t pattern = pattern_seconds(cal, day);
      line("dst", day_label(day) + " lasts " + hours(b - a) + " (clocks change)" +
                      (cal.is_business_day(day) ? "; " + hours(std::chrono::seconds{worked}) + " of working time counted against " +
                                                      hours(std::chrono::seconds{pattern}) + " on the clock face"
                                                : std::string("; not a working day")));
    }
  }
  for (const pause_record& pr : status.pauses) {
    if (pr.from < clock->started || (clock->stopped && pr.from >= *clock->stopped)) continue;
    std::string effect;
    if (pr.to && variant) {
      if (variant->within.is_day_period()) {
        const std::int64_t days = cal.business_days_wholly_within(pr.from, *pr.to);
        std::string which;
        for (civil_date day = cal.local_date(pr.from); day <= cal.local_date(*pr.to);
             day = civil_date::from_days(day.days_since_epoch() + 1)) {
          if (!cal.is_business_day(day)) continue;
          if (cal.business_days_wholly_within(std::max(pr.from, cal.start_of_day(day)),
                                              std::min(*pr.to, cal.end_of_day(day) + std::chrono::seconds{1})) == 1)
            which += (which.empty() ? "" : ", ") + day_label(day);
        }
        effect = days == 0 ? "; no business day paused whole: the last day stays"
                           : "; paused for the whole of " + which + ": the last day moves " + std::to_string(days) +
                                 " business day" + (days > 1 ? "s" : "") + " later";
      } else if (variant->within.is_working_time()) {
        effect = "; the due moves " + hours(pr.working) + " of working time later";
      } else {
        effect = "; the due moves " + hours(*pr.to - pr.from) + " later";
      }
    }
    line("paused", moment(pr.from, zone) + " to " + (pr.to ? moment(*pr.to, zone) : std::string("the end")) +
                       (pr.actor.empty() ? "" : " by " + pr.actor) +
                       (pr.reason.empty() ? "" : " (" + pr.reason + ")") + ": " + hours(pr.working) +
                       " of working time" + effect);
  }
  if (clock->extended && variant && variant->extension) {
    line("original", format_rfc3339(deadline(cal, clock->started, variant->within, variant->options), zone) +
                         " (" + variant->within.to_string() + ")");
    line("extended", "'" + std::string(to_string(variant->extension->condition)) + "' before the original due: " +
                         variant->extension->within.to_string() + " counted from the start");
  }
  line("due", format_rfc3339(clock->due, zone) + (variant && variant->within.is_day_period()
                                                      ? " (" + std::string(to_string(variant->options.end)) + ")"
                                                      : ""));
  std::string outcome(to_string(clock->state));
  if (clock->stopped) outcome += " at " + moment(*clock->stopped, zone);
  if (clock->breached && clock->state != clock_state::breached) outcome += ", breached";
  line("outcome", outcome);
  return result;
}

}  // namespace redress::tools
