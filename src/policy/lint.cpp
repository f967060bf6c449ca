// Lint: a policy that loads can still be wrong. Each finding names the place and the reason.
#include <algorithm>
#include <cctype>
#include <set>

#include "redress/policy.hpp"

namespace redress {

namespace {

diagnostic warning(const source_location& where, std::string message) {
  return diagnostic{diagnostic::severity::warning, where, std::move(message)};
}
diagnostic problem(const source_location& where, std::string message) {
  return diagnostic{diagnostic::severity::error, where, std::move(message)};
}

std::string line_of(const source_location& where) { return "line " + std::to_string(where.line); }

// Does every complaint `narrow` selects also match `broad`?
bool contains(const selector& broad, const selector& narrow) {
  if (broad.justified && broad.justified != narrow.justified) return false;
  for (const auto& [dimension, allowed] : broad.values) {
    auto other = narrow.values.find(dimension);
    if (other == narrow.values.end()) return false;
    for (const std::string& v : other->second)
      if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) return false;
  }
  return true;
}

bool overlap(const selector& a, const selector& b) {
  for (const auto& [dimension, allowed] : a.values) {
    auto other = b.values.find(dimension);
    if (other == b.values.end()) continue;
    bool shared = false;
    for (const std::string& v : other->second)
      shared = shared || std::find(allowed.begin(), allowed.end(), v) != allowed.end();
    if (!shared) return false;
  }
  return true;
}

// An ordering key for ladder levels: before the deadline (percentages, "before" offsets), at it,
// after it. Offsets compare by a rough length; they only matter against their own kind.
std::pair<int, double> firing_key(const escalation_step& s) {
  auto rough_seconds = [](const duration_spec& d) {
    switch (d.what) {
      case duration_spec::unit::days: return static_cast<double>(d.count) * 86400;
      case duration_spec::unit::weeks: return static_cast<double>(d.count) * 7 * 86400;
      case duration_spec::unit::months: return static_cast<double>(d.count) * 30 * 86400;
      case duration_spec::unit::business_days: return static_cast<double>(d.count) * 86400;
      default: return static_cast<double>(d.seconds());
    }
  };
  switch (s.at) {
    case escalation_step::anchor::percent:
      return s.percent >= 100 ? std::pair<int, double>{2, 0} : std::pair<int, double>{0, s.percent};
    case escalation_step::anchor::before_due: return {1, -rough_seconds(s.offset)};
    case escalation_step::anchor::after_due: return {3, rough_seconds(s.offset)};
  }
  return {0, 0};
}

// The complaint region's rows, as states; data events (legal in every open state) included.
struct main_row {
  complaint_state from, to;
  lifecycle_event event;
};
std::vector<main_row> main_rows() {
  std::vector<main_row> out;
  for (const lifecycle_transition& t : lifecycle_transitions()) {
    if (t.where == lifecycle_transition::region::complaint) {
      out.push_back({t.from, t.to, t.event});
    } else if (t.where == lifecycle_transition::region::data) {
      for (int s = 0; s < complaint_state_count; ++s) {
        const auto state = static_cast<complaint_state>(s);
        if (state != complaint_state::closed && state != complaint_state::withdrawn)
          out.push_back({state, state, t.event});
      }
    }
  }
  return out;
}

// States the main region can reach from `from` by the lifecycle's table.
std::set<complaint_state> reachable(complaint_state from, const std::vector<main_row>& table) {
  std::set<complaint_state> seen{from};
  std::vector<complaint_state> todo{from};
  while (!todo.empty()) {
    const complaint_state s = todo.back();
    todo.pop_back();
    for (const main_row& t : table)
      if (t.from == s && seen.insert(t.to).second) todo.push_back(t.to);
  }
  return seen;
}

// The calendars' data: a holiday rule named twice for overlapping years (a copy, or a missing
// from/until), and, given `as_of`, listed holidays that end soon or have ended.
void lint_calendars(const policy& p, const std::optional<civil_date>& as_of, std::vector<diagnostic>& out) {
  const source_location file{p.definition().file, 0, 0};
  for (const auto& [name, calendar] : p.definition().calendars) {
    const auto& rules = calendar.definition().holiday_rules;
    for (std::size_t i = 0; i < rules.size(); ++i)
      for (std::size_t j = 0; j < i; ++j) {
        if (rules[i].name != rules[j].name) continue;
        const int a0 = rules[j].from.value_or(1), a1 = rules[j].until.value_or(9999);
        const int b0 = rules[i].from.value_or(1), b1 = rules[i].until.value_or(9999);
        if (std::max(a0, b0) > std::min(a1, b1)) continue;
        out.push_back(warning(file, "calendar \"" + name + "\": holiday rule \"" + rules[i].name +
                                        "\" is given twice for the years " + std::to_string(std::max(a0, b0)) + "-" +
                                        std::to_string(std::min(a1, b1)) + " (\"" + rules[j].date + "\" and \"" +
                                        rules[i].date + "\"): give each its 'from' and 'until', or rename one"));
      }
    const std::optional<civil_date> end = calendar.listed_until();
    if (!end || !as_of) continue;
    const std::int64_t left = end->days_since_epoch() - as_of->days_since_epoch();
    if (left >= listed_holidays_warning_days) continue;
    const std::string when = left < 0 ? "ended on " + end->to_string()
                                      : "end on " + end->to_string() + ", " + std::to_string(left) +
                                            (left == 1 ? " day" : " days") + " after " + as_of->to_string();
    out.push_back(warning(file, "calendar \"" + name + "\": its listed holidays " + when +
                                    ": add the next dates (or holiday rules) and widen 'valid'"));
  }
}

}  // namespace


std::vector<diagnostic> lint_policy(const policy& p, std::optional<civil_date> as_of) {
  const policy_definition& d = p.definition();
  std::vector<diagnostic> out;
  const std::vector<main_row> table = main_rows();

  for (const kind_definition& k : d.kinds)
    if (k.owner.empty())
      out.push_back(warning(k.where.line > 0 ? k.where : source_location{d.file, 0, 0},
                            "kind '" + k.name + "' has no owner: its complaints are registered to nobody "
                            "(give [kinds." + k.name + "] an owner)"));

  for (std::size_t i = 0; i < d.targets.size(); ++i) {
    const target_definition& t = d.targets[i];
    // Variants of one target: first match wins.
    for (std::size_t j = 0; j < i; ++j) {
      const target_definition& earlier = d.targets[j];
      if (earlier.name != t.name) continue;
      if (contains(earlier.when, t.when)) {
        out.push_back(warning(t.where, "target '" + t.name + "' can never apply: every complaint it selects "
                                       "already gets the variant at " + line_of(earlier.where)));
      } else if (overlap(earlier.when, t.when) && !contains(t.when, earlier.when)) {
        out.push_back(warning(t.where, "target '" + t.name + "' overlaps the variant at " + line_of(earlier.where) +
                                       ": complaints matching both silently get that one (first match wins)"));
      }
      // A reclassification between variants keeps the clock the first one started.
      if (!(earlier.starts == t.starts))
        out.push_back(warning(t.where, "target '" + t.name + "' starts on '" + std::string(t.starts.name()) +
                                       "' but its variant at " + line_of(earlier.where) + " on '" +
                                       std::string(earlier.starts.name()) +
                                       "': a reclassification between them keeps the clock as it started "
                                       "(give every variant of a target the same 'starts')"));
    }
    // Start and stop.
    for (const lifecycle_trigger& stop : t.stops)
      if (stop == t.starts)
        out.push_back(problem(t.where, "target '" + t.name + "' starts and stops on the same '" +
                                           std::string(stop.name()) + "': its clock would never run"));
    if (t.starts.what == lifecycle_trigger::kind::state) {
      const auto states = reachable(static_cast<complaint_state>(t.starts.value), table);
      bool can_stop = false;
      for (const lifecycle_trigger& stop : t.stops) {
        if (stop.what == lifecycle_trigger::kind::state)
          can_stop = can_stop || states.count(static_cast<complaint_state>(stop.value)) > 0;
        else if (stop.what == lifecycle_trigger::kind::event) {
          for (const main_row& tr : table)
            can_stop = can_stop || (tr.event == static_cast<lifecycle_event>(stop.value) && states.count(tr.from));
        } else {
          can_stop = true;  // the plan region runs beside any state
        }
      }
      if (!can_stop)
        out.push_back(problem(t.where, "target '" + t.name + "' can never stop: no stop is reachable from '" +
                                           std::string(t.starts.name()) + "'"));
    }
    // Pause states must be left somehow.
    for (complaint_state s : t.pauses) {
      bool leaves = false;
      for (const main_row& tr : table)
        leaves = leaves || (tr.from == s && tr.to != s);
      if (!leaves)
        out.push_back(problem(t.where, "target '" + t.name + "' pauses in '" + std::string(to_string(s)) +
                                           "', a state that can never be left: its clock would stay paused"));
    }
    // Ladders in firing order.
    for (std::size_t l = 1; l < t.escalate.size(); ++l) {
      if (firing_key(t.escalate[l]) < firing_key(t.escalate[l - 1]))
        out.push_back(warning(t.escalate[l].where, "escalation level " + std::to_string(l + 1) + " (" +
                                                       t.escalate[l].label + ") of target '" + t.name +
                                                       "' fires before level " + std::to_string(l) + " (" +
                                                       t.escalate[l - 1].label + "): list levels in firing order"));
    }
    if (t.periodic)
      for (const escalation_step& s : t.escalate)
        if (s.at == escalation_step::anchor::after_due)
          out.push_back(warning(s.where, "escalation at " + s.label + " of periodic target '" + t.name +
                                             "' fires after the period's deadline, when the next period may "
                                             "already have started"));
  }
  // "40 days" among targets that count business days: the commonest slip when a regulation
  // says "working days". Calendar days are meant when another target also counts plain days
  // (ASIC RG 271: 21, 30 and 45 days), or when the target's description or the policy's source
  // says "calendar days"; weeks and months are calendar periods by nature and say nothing either
  // way (FCA DISP: 8 weeks beside business days). rules/README.md ("Lint") states the rule.
  auto says_calendar_days = [](const std::string& text) {
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.find("calendar day") != std::string::npos;
  };
  std::size_t business_day_targets = 0, plain_day_targets = 0;
  for (const target_definition& t : d.targets) {
    if (t.within.what == duration_spec::unit::business_days) ++business_day_targets;
    if (t.within.what == duration_spec::unit::days) ++plain_day_targets;
  }
  if (plain_day_targets == 1 && business_day_targets > 0 && !says_calendar_days(d.source))
    for (const target_definition& t : d.targets) {
      if (t.within.what != duration_spec::unit::days || says_calendar_days(t.description)) continue;
      duration_spec meant = t.within;
      meant.what = duration_spec::unit::business_days;
      out.push_back(warning(t.within_where.line > 0 ? t.within_where : t.where,
                            "target '" + t.name + "' counts \"" + t.within.to_string() +
                                "\", calendar days, where every other target of this policy that counts days "
                                "counts business days: did you mean \"" + meant.to_string() +
                                "\"? (if the rule means calendar days, say \"calendar days\" in the target's "
                                "description)"));
    }
  // Target names with several variants and no catch-all.
  std::set<std::string> names;
  for (const target_definition& t : d.targets) names.insert(t.name);
  for (const std::string& name : names) {
    int variants = 0;
    bool catch_all = false;
    const target_definition* last = nullptr;
    for (const target_definition& t : d.targets)
      if (t.name == name) {
        ++variants;
        catch_all = catch_all || t.when.empty();
        last = &t;
      }
    if (variants > 1 && !catch_all)
      out.push_back(warning(last->where, "target '" + name + "' has " + std::to_string(variants) +
                                             " variants and no catch-all: complaints that match none get no '" +
                                             name + "' clock (add a last variant without 'when')"));
  }
  std::stable_sort(out.begin(), out.end(), [](const diagnostic& a, const diagnostic& b) {
    return a.where.line < b.where.line;
  });
  lint_calendars(p, as_of, out);
  return out;
}

}  // namespace redress
