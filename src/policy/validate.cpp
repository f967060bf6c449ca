// validate(): every rule a policy definition must follow, whether it was read from TOML or built
// in code (policy_rules.hpp), and the engine's limits (policy_limits).
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "files/toml_reader.hpp"
#include "policy/policy_rules.hpp"
#include "redress/policy.hpp"

namespace redress {
namespace detail {

std::string quoted_list(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + ("'" + v + "'");
  return out.empty() ? "(none declared)" : out;
}

std::string dimensions_in_words(bool plural) {
  std::string out;
  const std::size_t n = std::size(selector_dimensions);
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out += i + 1 == n ? " or " : ", ";
    out += plural ? selector_dimensions[i].plural : selector_dimensions[i].name;
  }
  return out;
}

std::string target_name_problem(std::string_view name) {
  if (name.empty()) return "a target's name cannot be empty";
  if (name == promise_clock_name || name == corrective_action_clock_name)
    return "a target cannot be named '" + std::string(name) + "': it is the name of the engine's " +
           (name == promise_clock_name ? "promise" : "corrective action") +
           " clock, which reports and explain --target would confuse with it";
  return {};
}

std::string role_name_problem(std::string_view id) {
  if (id.empty()) return "a role's id cannot be empty";
  if (id == "owner") return "a role cannot be named 'owner': notify = [\"owner\"] means the complaint's owner";
  if (id == no_owner_name) return "a role cannot be named 'nobody': it is how reports write no owner";
  return {};
}

std::string role_problem(const std::vector<role_definition>& roles, std::string_view id,
                         const std::string& what, bool allow_owner) {
  if (allow_owner && id == "owner") return {};
  for (const role_definition& r : roles)
    if (r.id == id) return {};
  std::vector<std::string> ids;
  for (const role_definition& r : roles) ids.push_back(r.id);
  std::string message = "undeclared role '" + std::string(id) + "' in " + what;
  const std::string near = closest_match(id, ids);
  if (!near.empty()) message += "; did you mean '" + near + "'?";
  else message += "; declare it under [roles] (declared: " + quoted_list(ids) + ")";
  return message;
}

std::string team_problem(std::string_view team) {
  return team.find_first_not_of(" \t") == std::string_view::npos ? "a team needs a name" : "";
}

std::string calendar_problem(const policy_definition& d, std::string_view name, const std::string& what) {
  if (d.calendars.count(name)) return {};
  std::vector<std::string> names;
  for (const auto& entry : d.calendars) names.push_back(entry.first);
  std::string message = "undeclared calendar '" + std::string(name) + "' in " + what;
  const std::string near = closest_match(name, names);
  if (!near.empty()) message += "; did you mean '" + near + "'?";
  else message += "; declare it under [calendars] (declared: " + quoted_list(names) + ")";
  return message;
}

std::string deliver_problem(const policy_definition& d, std::string_view value, const std::string& what) {
  if (value == "immediately" || value == "working-hours" || d.calendars.count(value)) return {};
  std::vector<std::string> names{"immediately", "working-hours"};
  for (const auto& entry : d.calendars) names.push_back(entry.first);
  std::string message = "unknown deliver '" + std::string(value) + "' in " + what;
  const std::string near = closest_match(value, names);
  if (!near.empty()) message += "; did you mean '" + near + "'?";
  else message += "; expected \"immediately\", \"working-hours\" or a calendar under [calendars] (declared: " +
                  quoted_list(names) + ")";
  return message;
}

std::string default_calendar_problem(const policy_definition& d) {
  if (d.default_calendar.empty())
    return d.calendars.empty() ? "[policy] needs a 'calendar': a calendar file such as "
                                 "\"calendars/england-wales.toml\", or the name of one under [calendars]"
                               : "[policy] needs a 'calendar' naming the default among [calendars]";
  return calendar_problem(d, d.default_calendar, "'calendar'");
}

std::string calendar_source_problem(std::string_view source) {
  if (source == "region" || source == "site" || source == "policy") return {};
  return "unknown calendar source '" + std::string(source) + "': expected \"region\", \"site\" or \"policy\"";
}

std::string value_problem(const policy_definition& d, std::string_view dimension, std::string_view value,
                          const std::string& where) {
  static const std::vector<std::string> none;
  const auto found = d.vocabulary.find(dimension);
  const std::vector<std::string>& declared = found == d.vocabulary.end() ? none : found->second;
  if (std::find(declared.begin(), declared.end(), value) != declared.end()) return {};
  std::string message = "undeclared " + std::string(dimension) + " '" + std::string(value) + "' in " + where;
  const std::string near = closest_match(value, declared);
  if (!near.empty()) message += "; did you mean '" + near + "'?";
  else message += " (declared: " + quoted_list(declared) + ")";
  return message;
}

std::string selector_dimension_problem(std::string_view dimension, const std::string& label) {
  if (is_selector_dimension(dimension)) return {};
  std::vector<std::string> names;
  for (const selector_dimension& s : selector_dimensions) names.emplace_back(s.name);
  std::string message = "unknown selector '" + std::string(dimension) + "' in " + label;
  const std::string near = closest_match(dimension, names);
  message += near.empty() ? "; expected " + dimensions_in_words(false) : "; did you mean '" + near + "'?";
  return message;
}

std::string pause_budget_problem(const duration_spec& budget) {
  if (budget.is_working_time() && budget.count > 0) return {};
  return "a pause budget is working time per complaint: write it as \"40 business hours\" or \"90 business "
         "minutes\"";
}

std::string backdate_limit_problem(const duration_spec& limit) {
  if (limit.count >= 0) return {};
  return "[events] backdate_limit is how far back an event may be dated: a duration such as \"2 business "
         "days\", not a negative one";
}

std::string corrective_action_within_problem(const duration_spec& within) {
  if (within.count > 0) return {};
  return "[lifecycle] 'corrective_action_within' must be positive, e.g. \"10 business days\"";
}

std::string target_duration_problem(const target_definition& t) {
  const std::string label = "target '" + t.name + "'";
  if (t.periodic && t.within.count <= 0) return label + " 'every' must be positive";
  if (!t.within.is_day_period() && t.within.count < 0) return label + " 'within' must not be negative";
  return {};
}

std::string target_shape_problem(const target_definition& t) {
  if (t.periodic && t.extension) return "a periodic target cannot have an extension";
  if (!t.periodic && !t.rearm_on.empty()) return "'rearm_on' is for periodic targets (written with 'every')";
  return {};
}

namespace {

// The point as written, or as it would be written when a definition built in code has no label.
std::string label_of(const escalation_step& step) {
  if (!step.label.empty()) return step.label;
  switch (step.at) {
    case escalation_step::anchor::percent: return std::to_string(step.percent) + "%";
    case escalation_step::anchor::before_due: return step.offset.to_string() + " before";
    case escalation_step::anchor::after_due: return "+" + step.offset.to_string();
  }
  return {};
}

}  // namespace

std::string escalation_point_problem(const escalation_step& step) {
  const std::string invalid = "invalid escalation point \"" + label_of(step) + "\": ";
  switch (step.at) {
    case escalation_step::anchor::percent:
      if (step.percent < 1 || step.percent > 100) return invalid + "a percentage must be 1% to 100%";
      break;
    case escalation_step::anchor::before_due:
      if (step.offset.is_day_period() || step.offset.count <= 0)
        return invalid + "before the deadline, write a positive elapsed or working time such as \"2 business "
                         "hours before\"";
      break;
    case escalation_step::anchor::after_due:
      if (step.offset.count <= 0 && step.offset.what != duration_spec::unit::business_days)
        return invalid + "the offset must be positive";
      break;
  }
  return {};
}

std::string escalation_effect_problem(const escalation_step& step) {
  if (step.notify.empty() && step.assign.empty() && step.record.empty())
    return "an escalation level must notify, assign or record something";
  return {};
}

}  // namespace detail

namespace {

using namespace detail;

void check(const std::string& problem, const source_location& where) {
  if (!problem.empty()) throw error(problem, where);
}

std::string ordinal(std::size_t n) {
  const std::size_t tens = n % 100, ones = n % 10;
  const char* suffix = (tens >= 11 && tens <= 13) ? "th" : ones == 1 ? "st" : ones == 2 ? "nd" : ones == 3 ? "rd" : "th";
  return std::to_string(n) + suffix;
}

// Throws at the first of `items` past `limit`: "OWNER may have at most LIMIT NOUN (this is the Nth)".
template <typename T>
void check_count(const std::vector<T>& items, std::size_t limit, const std::string& owner, const char* noun) {
  if (items.size() <= limit) return;
  throw error(owner + " may have at most " + std::to_string(limit) + " " + noun + " (this is the " +
                  ordinal(limit + 1) + ")",
              items[limit].where);
}

// Throws at `where` when `d` counts more than policy_limits::duration_years: the engine adds
// durations to instants, and one near the range of int64 would wrap round.
void check_duration(const duration_spec& d, const source_location& where, const std::string& what) {
  constexpr std::int64_t days = policy_limits::duration_years * 366;
  std::int64_t limit = days;
  switch (d.what) {
    case duration_spec::unit::seconds:
    case duration_spec::unit::business_seconds: limit = days * 86400; break;
    case duration_spec::unit::minutes:
    case duration_spec::unit::business_minutes: limit = days * 1440; break;
    case duration_spec::unit::hours:
    case duration_spec::unit::business_hours: limit = days * 24; break;
    case duration_spec::unit::days:
    case duration_spec::unit::business_days: limit = days; break;
    case duration_spec::unit::weeks: limit = policy_limits::duration_years * 53; break;
    case duration_spec::unit::months: limit = policy_limits::duration_years * 12; break;
  }
  if (d.count > limit || d.count < -limit)
    throw error(what + " \"" + d.to_string() + "\" is longer than the " +
                    std::to_string(policy_limits::duration_years) + " years a policy may count",
                where);
}

void check_limits(const policy_definition& d) {
  check_count(d.targets, policy_limits::targets, "a policy", "targets");
  check_count(d.corrective_actions, policy_limits::corrective_actions, "a policy", "corrective actions");
  check_count(d.roles, policy_limits::roles, "a policy", "roles");
  for (const target_definition& t : d.targets)
    check_count(t.escalate, policy_limits::ladder_levels, "target '" + t.name + "'", "escalation levels");
  check_count(d.promises.escalate, policy_limits::ladder_levels, "[promises]", "escalation levels");
  const auto check_ladder = [](const std::vector<escalation_step>& ladder, const std::string& owner) {
    for (const escalation_step& step : ladder)
      if (step.at != escalation_step::anchor::percent) check_duration(step.offset, step.where, owner + " escalation at");
  };
  for (const target_definition& t : d.targets) {
    const std::string label = "target '" + t.name + "'";
    check_duration(t.within, t.where, label + (t.periodic ? " every" : " within"));
    if (t.extension) check_duration(t.extension->within, t.where, label + " extension within");
    check_ladder(t.escalate, label);
  }
  check_ladder(d.promises.escalate, "[promises]");
  if (d.pauses.budget) check_duration(*d.pauses.budget, source_location{d.file, 0, 0}, "[pauses] budget");
  if (d.events.backdate_limit)
    check_duration(*d.events.backdate_limit, source_location{d.file, 0, 0}, "[events] backdate_limit");
  for (const corrective_action_template& a : d.corrective_actions)
    check_duration(a.within, a.where, "[[corrective-actions]] within");
  check_duration(d.corrective_action_within,
                 d.corrective_action_within_where.line ? d.corrective_action_within_where : source_location{d.file, 0, 0},
                 "[lifecycle] corrective_action_within");
}

// An escalation ladder: each level's point, its effect, and the roles it names. `label` is
// "target 'x' escalate" or "[promises] escalate".
void check_ladder(const policy_definition& d, const std::vector<escalation_step>& ladder, const std::string& label) {
  for (const escalation_step& step : ladder) {
    check(escalation_point_problem(step), step.where);
    for (const std::string& role : step.notify) check(role_problem(d.roles, role, label + " notify", true), step.where);
    if (!step.assign.empty()) check(role_problem(d.roles, step.assign, label + " assign"), step.where);
    if (!step.verifier.empty()) check(role_problem(d.roles, step.verifier, label + " verifier"), step.where);
    if (!step.deliver.empty()) check(deliver_problem(d, step.deliver, label + " deliver"), step.where);
    check(escalation_effect_problem(step), step.where);
  }
}

void check_selector(const policy_definition& d, const selector& s, const std::string& label, bool allow_justified,
                    const source_location& where) {
  if (s.justified && !allow_justified) check(selector_dimension_problem("justified", label), where);
  for (const auto& [dimension, values] : s.values) {
    check(selector_dimension_problem(dimension, label), where);
    for (const std::string& v : values) check(value_problem(d, dimension, v, label + " when"), where);
  }
}

}  // namespace

void validate(const policy_definition& d) {
  check_limits(d);
  const source_location file{d.file, 0, 0};
  for (const std::string& source : d.calendar_precedence) check(calendar_source_problem(source), file);
  for (const role_definition& r : d.roles) {
    check(role_name_problem(r.id), r.where);
    if (!r.team.empty()) check(team_problem(r.team), r.where);
  }
  check(default_calendar_problem(d), file);
  for (const role_definition& r : d.roles)
    if (!r.deliver.empty()) check(deliver_problem(d, r.deliver, "role '" + r.id + "' deliver"), r.where);
  for (const auto& [region, calendar] : d.region_calendars)
    check(calendar_problem(d, calendar, "[regions." + region + "] calendar"), file);
  for (const auto& [site, calendar] : d.site_calendars)
    check(calendar_problem(d, calendar, "[sites." + site + "] calendar"), file);
  for (const kind_definition& k : d.kinds) {
    const std::string label = "[kinds." + k.name + "]";
    if (!k.owner.empty()) check(role_problem(d.roles, k.owner, label + " owner"), k.where);
    for (const auto& [region, role] : k.owner_by_region) {
      check(role_problem(d.roles, role, label + " owner_by_region"), k.where);
      check(value_problem(d, "region", region, label + " owner_by_region"), k.where);
    }
  }
  for (const auto& entry : d.required_by_channel)
    check(value_problem(d, "channel", entry.first, "[intake.channels]"), file);
  if (d.pauses.budget) check(pause_budget_problem(*d.pauses.budget), file);
  if (d.events.backdate_limit) check(backdate_limit_problem(*d.events.backdate_limit), file);
  check(corrective_action_within_problem(d.corrective_action_within),
        d.corrective_action_within_where.line ? d.corrective_action_within_where : file);
  check_ladder(d, d.promises.escalate, "[promises] escalate");
  for (const target_definition& t : d.targets) {
    const std::string label = "target '" + t.name + "'";
    check(target_name_problem(t.name), t.where);
    check(target_duration_problem(t), t.within_where.line ? t.within_where : t.where);
    check(target_shape_problem(t), t.where);
    check_selector(d, t.when, label, false, t.where);
    check_ladder(d, t.escalate, label + " escalate");
    if (!t.owner.empty()) check(role_problem(d.roles, t.owner, label + " owner"), t.where);
    if (!t.calendar.empty()) check(calendar_problem(d, t.calendar, label + " calendar"), t.where);
  }
  for (const corrective_action_template& a : d.corrective_actions) {
    check_selector(d, a.when, "[[corrective-actions]]", true, a.where);
    check(role_problem(d.roles, a.owner, "[[corrective-actions]] owner"), a.where);
    check(role_problem(d.roles, a.verifier, "[[corrective-actions]] verifier"), a.where);
  }
}

}  // namespace redress
