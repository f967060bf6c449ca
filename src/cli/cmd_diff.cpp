// `redress diff OLD NEW --cases FILE`: the impact of a policy change on a set of complaints.
// Exit 1 when any deadline moves or any complaint flips to breached (a change to review).
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "input.hpp"
#include "redress/policy.hpp"
#include "terminal.hpp"
#include "tools/scenario.hpp"
#include "tools/simulate.hpp"

namespace redress::cli {

namespace {

struct diff_options {
  std::string old_policy, new_policy, cases;
  bool json = false;
};

std::string when_text(const selector& s) {
  const std::string text = s.to_string();
  return text.empty() ? "every complaint" : text;
}

// "3 business hours", "90 minutes", "1 business second": the largest unit that divides it, named
// as the policy names durations (duration_spec::to_string).
std::string amount(std::int64_t seconds, bool business) {
  using unit = duration_spec::unit;
  if (seconds % 3600 == 0) return duration_spec{seconds / 3600, business ? unit::business_hours : unit::hours}.to_string();
  if (seconds % 60 == 0) return duration_spec{seconds / 60, business ? unit::business_minutes : unit::minutes}.to_string();
  return duration_spec{seconds, business ? unit::business_seconds : unit::seconds}.to_string();
}

std::string direction(bool later) { return later ? " later" : " earlier"; }

// How far a deadline moved, in its target's own kind of time on the clock's calendar, the way
// the policy states the target: "2 business days earlier" (business days), "3 business hours
// later" (working time), "2 days later" (days, weeks, months), "36 hours later" (elapsed). A
// move of whole days that also changes the time of day says so: "1 day later (at 17:00 instead
// of 23:59:59)". A move within one day is told in working time (business days) or hours.
std::string move_text(const policy& p, const tools::complaint_run& run, const clock_report& was,
                      const clock_report& now) {
  const bool later = now.due > was.due;
  const instant from = later ? was.due : now.due;
  const instant to = later ? now.due : was.due;
  const target_definition* target = nullptr;
  for (const target_definition& t : p->targets)
    if (t.name == now.target) {
      target = &t;
      break;
    }
  const std::string& calendar_name =
      target && !target->calendar.empty() ? target->calendar : run.final_status.calendar;
  const business_calendar& cal = p.calendar(calendar_name);
  const std::int64_t elapsed = (to - from).count();
  auto working = [&]() -> std::string {
    try {
      const std::int64_t w = elapsed_working_time(cal, from, to).count();
      if (w > 0) return amount(w, true) + direction(later);
    } catch (const error&) {
      // Outside the calendar's range: told in elapsed time below.
    }
    return amount(elapsed, false) + direction(later);
  };
  if (!target || target->within.is_elapsed()) return amount(elapsed, false) + direction(later);
  if (target->within.is_working_time()) return working();
  // A day period: count days between the local dates, business days when the target counts them.
  const civil_time a = cal.zone().to_civil(from), b = cal.zone().to_civil(to);
  const bool business = target->within.what == duration_spec::unit::business_days;
  std::int64_t days = 0;
  const std::int64_t first = a.date.days_since_epoch(), last = b.date.days_since_epoch();
  if (!business) days = last - first;
  else if (last - first > 200000) return amount(elapsed, false) + direction(later);  // no count of centuries
  else
    for (std::int64_t d = first + 1; d <= last; ++d)
      if (cal.is_business_day(civil_date::from_days(d))) ++days;
  if (days == 0) return business ? working() : amount(elapsed, false) + direction(later);
  std::string text = std::to_string(days) + (business ? " business day" : " day") + (days == 1 ? "" : "s") + direction(later);
  auto clock_time = [](const civil_time& t) {
    char buffer[16];
    if (t.second) std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d", t.hour, t.minute, t.second);
    else std::snprintf(buffer, sizeof buffer, "%02d:%02d", t.hour, t.minute);
    return std::string(buffer);
  };
  const civil_time old_local = cal.zone().to_civil(was.due), new_local = cal.zone().to_civil(now.due);
  if (clock_time(old_local) != clock_time(new_local))
    text += " (at " + clock_time(new_local) + " instead of " + clock_time(old_local) + ")";
  return text;
}

int run_diff(const diff_options& o) {
  require_standard_input_once({o.old_policy, o.new_policy, o.cases});
  const policy before = load_policy_argument(o.old_policy);
  const policy after = load_policy_argument(o.new_policy);
  const tools::scenario cases = load_scenario_argument(o.cases, before.calendar(before->default_calendar).zone());
  const tools::simulation a = tools::simulate(before, cases);
  const tools::simulation b = tools::simulate(after, cases);

  // Selectors: target variants whose `when` differ by name and position.
  std::vector<std::string> selector_changes;
  std::map<std::string, std::vector<std::string>> old_when, new_when;
  for (const auto& t : before->targets) old_when[t.name].push_back(when_text(t.when) + " (" + t.within.to_string() + ")");
  for (const auto& t : after->targets) new_when[t.name].push_back(when_text(t.when) + " (" + t.within.to_string() + ")");
  std::set<std::string> names;
  for (const auto& [n, v] : old_when) names.insert(n);
  for (const auto& [n, v] : new_when) names.insert(n);
  for (const std::string& n : names) {
    if (old_when[n] == new_when[n]) continue;
    std::string was, now;
    for (const auto& w : old_when[n]) was += (was.empty() ? "" : "; ") + w;
    for (const auto& w : new_when[n]) now += (now.empty() ? "" : "; ") + w;
    selector_changes.push_back(n + ": " + (was.empty() ? "(none)" : was) + "  ->  " + (now.empty() ? "(none)" : now));
  }

  struct change {
    std::string complaint, target;
    int cycle;
    std::string old_due, new_due;
    std::int64_t seconds;
    std::string moved;  // "2 business days earlier"; empty when the deadline did not move
    bool was_breached, now_breached;
  };
  std::vector<change> changes;
  std::size_t earlier = 0, later = 0, same = 0, flipped_to_breached = 0, flipped_to_met = 0, appeared = 0, vanished = 0;
  for (std::size_t i = 0; i < a.complaints.size(); ++i) {
    const auto& ra = a.complaints[i];
    const auto& rb = b.complaints[i];
    std::map<std::pair<std::string, int>, const clock_report*> old_clocks, new_clocks;
    for (const auto& k : ra.final_status.clocks) old_clocks[{k.target, k.cycle}] = &k;
    for (const auto& k : rb.final_status.clocks) new_clocks[{k.target, k.cycle}] = &k;
    for (const auto& [key, k] : old_clocks) {
      auto other = new_clocks.find(key);
      if (other == new_clocks.end()) {
        ++vanished;
        changes.push_back({ra.id, key.first, key.second, format_rfc3339(k->due, ra.zone), "(no clock)", 0, "", k->breached, false});
        continue;
      }
      const clock_report* n = other->second;
      const std::int64_t moved = (n->due - k->due).count();
      if (moved < 0) ++earlier;
      else if (moved > 0) ++later;
      else ++same;
      if (!k->breached && n->breached) ++flipped_to_breached;
      if (k->breached && !n->breached) ++flipped_to_met;
      if (moved != 0 || k->breached != n->breached)
        changes.push_back({ra.id, key.first, key.second, format_rfc3339(k->due, ra.zone), format_rfc3339(n->due, rb.zone),
                           moved, moved ? move_text(after, rb, *k, *n) : std::string(), k->breached, n->breached});
    }
    for (const auto& [key, n] : new_clocks)
      if (!old_clocks.count(key)) {
        ++appeared;
        changes.push_back({rb.id, key.first, key.second, "(no clock)", format_rfc3339(n->due, rb.zone), 0, "", false, n->breached});
      }
  }

  if (o.json) {
    nlohmann::json out = {{"old", {{"policy", a.policy_name}, {"version", a.policy_version}}},
                          {"new", {{"policy", b.policy_name}, {"version", b.policy_version}}},
                          {"deadlines", {{"earlier", earlier}, {"later", later}, {"unchanged", same},
                                         {"new_clocks", appeared}, {"removed_clocks", vanished}}},
                          {"flipped_to_breached", flipped_to_breached},
                          {"flipped_to_not_breached", flipped_to_met},
                          {"selector_changes", selector_changes},
                          {"changes", nlohmann::json::array()}};
    for (const change& c : changes)
      out["changes"].push_back({{"complaint", c.complaint}, {"target", c.target}, {"cycle", c.cycle},
                                {"old_due", c.old_due}, {"new_due", c.new_due}, {"moved_seconds", c.seconds}, {"moved", c.moved},
                                {"was_breached", c.was_breached}, {"now_breached", c.now_breached}});
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << bold("old") << " " << a.policy_name << " (version " << a.policy_version << ")\n"
              << bold("new") << " " << b.policy_name << " (version " << b.policy_version << ")\n"
              << bold("cases") << " " << cases.complaints.size() << " complaints from " << o.cases << "\n\n"
              << "deadlines: " << earlier << " earlier, " << later << " later, " << same << " unchanged, " << appeared
              << " new clocks, " << vanished << " removed\n"
              << "breaches:  " << (flipped_to_breached ? red(std::to_string(flipped_to_breached)) : std::string("0"))
              << " would flip to breached, " << flipped_to_met << " would no longer breach\n";
    if (!selector_changes.empty()) {
      std::cout << "\ntarget variants changed (selector and duration):\n";
      for (const auto& s : selector_changes) std::cout << "  " << s << "\n";
    }
    if (!changes.empty()) {
      std::cout << "\nchanges:\n";
      for (const change& c : changes) {
        std::cout << "  " << c.complaint << " " << c.target << " #" << c.cycle << ": " << c.old_due << " -> " << c.new_due;
        if (!c.moved.empty()) std::cout << " (" << c.moved << ")";
        if (!c.was_breached && c.now_breached) std::cout << "  " << red("now breached");
        if (c.was_breached && !c.now_breached) std::cout << "  " << green("no longer breached");
        std::cout << "\n";
      }
    }
  }
  return (earlier + later + flipped_to_breached + flipped_to_met + appeared + vanished) ? exit_findings : exit_ok;
}

}  // namespace

void add_diff_command(CLI::App& app, int& exit_status) {
  auto o = std::make_shared<diff_options>();
  CLI::App* command = app.add_subcommand("diff", "Show what a policy change does to a set of complaints");
  command->add_option("old", o->old_policy, "The policy as it is (a file; - reads standard input)")->required();
  command->add_option("new", o->new_policy, "The policy as proposed (a file; - reads standard input)")->required();
  command->add_option("--cases", o->cases, "Scenario of complaints to compare on (a file; - reads standard input)")->required();
  command->add_flag("--json", o->json, "Print JSON");
  command->footer(
      "Exit status: 0 nothing moves, 1 deadlines move or breaches flip, 2 bad input.\n\n"
      "Example (a proposed version that shortens the final response to six business days):\n"
      "  redress diff rules/iso10002.toml tests/data/policy-tests/iso10002-six-days.toml \\\n"
      "    --cases examples/scenarios/retail-week.toml\n"
      "  deadlines: 18 earlier, 0 later, 107 unchanged, 0 new clocks, 0 removed");
  command->callback([o, &exit_status] { exit_status = run_diff(*o); });
}

}  // namespace redress::cli
