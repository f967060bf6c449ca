#include <algorithm>

#include "redress/policy.hpp"

namespace redress {

bool is_selector_dimension(std::string_view key) noexcept {
  for (const selector_dimension& d : selector_dimensions)
    if (d.name == key) return true;
  return false;
}


std::string_view lifecycle_trigger::name() const noexcept {
  switch (what) {
    case kind::event: return to_string(static_cast<lifecycle_event>(value));
    case kind::state: return to_string(static_cast<complaint_state>(value));
    case kind::plan_state: return to_string(static_cast<action_plan_state>(value));
  }
  return "";
}

bool selector::matches(const complaint_attributes& complaint, std::optional<bool> is_justified) const {
  if (justified && (!is_justified || *is_justified != *justified)) return false;
  for (const auto& [dimension, allowed] : values) {
    auto found = complaint.find(dimension);
    if (found == complaint.end()) return false;
    if (std::find(allowed.begin(), allowed.end(), found->second) == allowed.end()) return false;
  }
  return true;
}

std::string selector::to_string() const {
  std::string out;
  for (const auto& [dimension, allowed] : values) {
    out += (out.empty() ? "" : ", ") + dimension + " in [";
    for (std::size_t i = 0; i < allowed.size(); ++i) out += (i ? ", " : "") + allowed[i];
    out += "]";
  }
  if (justified) out += std::string(out.empty() ? "" : ", ") + (*justified ? "justified" : "not justified");
  return out;
}

std::string diagnostic::to_string() const {
  std::string out = where.to_string();
  if (!out.empty()) out += ": ";
  out += level == severity::error ? "error: " : "warning: ";
  return out + message;
}

namespace {

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

}  // namespace

void check_policy_limits(const policy_definition& d) {
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
  for (const corrective_action_template& a : d.corrective_actions)
    check_duration(a.within, a.where, "[[corrective-actions]] within");
}

policy::policy(std::shared_ptr<const policy_definition> definition) : definition_(std::move(definition)) {
  if (!definition_) throw error("a policy needs a definition");
  check_policy_limits(*definition_);
}

const business_calendar& policy::calendar(std::string_view name) const {
  auto found = definition_->calendars.find(name);
  if (found == definition_->calendars.end())
    throw error("policy \"" + definition_->name + "\" has no calendar named '" + std::string(name) + "'");
  return found->second;
}

const business_calendar& policy::calendar_for(const complaint_attributes& complaint) const {
  const policy_definition& d = *definition_;
  for (const std::string& source : d.calendar_precedence) {
    if (source == "policy") return calendar(d.default_calendar);
    const auto& places = source == "region" ? d.region_calendars : d.site_calendars;
    auto value = complaint.find(source);
    if (value == complaint.end()) continue;
    auto mapped = places.find(value->second);
    if (mapped != places.end()) return calendar(mapped->second);
  }
  return calendar(d.default_calendar);
}

std::string policy::owner_for(const complaint_attributes& complaint) const {
  auto kind = complaint.find("kind");
  if (kind == complaint.end()) return {};
  for (const kind_definition& k : definition_->kinds) {
    if (k.name != kind->second) continue;
    if (auto region = complaint.find("region"); region != complaint.end()) {
      auto by_region = k.owner_by_region.find(region->second);
      if (by_region != k.owner_by_region.end()) return by_region->second;
    }
    return k.owner;
  }
  return {};
}

int policy::role_index(std::string_view id) const noexcept {
  const auto& roles = definition_->roles;
  for (std::size_t i = 0; i < roles.size(); ++i)
    if (roles[i].id == id) return static_cast<int>(i);
  return -1;
}

const std::string& policy::role_title(std::string_view id) const {
  for (const role_definition& r : definition_->roles)
    if (r.id == id) return r.title.empty() ? r.id : r.title;
  static const std::string nobody = "(nobody)";
  return nobody;
}

}  // namespace redress
