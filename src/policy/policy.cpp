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

policy::policy(std::shared_ptr<const policy_definition> definition) : definition_(std::move(definition)) {
  if (!definition_) throw error("a policy needs a definition");
  validate(*definition_);
  auto roles = std::make_shared<std::vector<std::pair<std::string, int>>>();
  roles->reserve(definition_->roles.size());
  for (std::size_t i = 0; i < definition_->roles.size(); ++i)
    roles->emplace_back(definition_->roles[i].id, static_cast<int>(i));
  std::sort(roles->begin(), roles->end());  // by id, then index: a repeated id finds its first
  roles_by_id_ = std::move(roles);
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
  const auto& roles = *roles_by_id_;
  // No role named (most events): the first id sorted is the only one that could be "".
  if (id.empty()) return !roles.empty() && roles.front().first.empty() ? roles.front().second : -1;
  const auto it = std::lower_bound(roles.begin(), roles.end(), id,
                                   [](const std::pair<std::string, int>& r, std::string_view key) { return r.first < key; });
  return it != roles.end() && it->first == id ? it->second : -1;
}

const std::string& policy::role_title(std::string_view id) const {
  if (const int i = role_index(id); i >= 0) {
    const role_definition& r = definition_->roles[static_cast<std::size_t>(i)];
    return r.title.empty() ? r.id : r.title;
  }
  static const std::string nobody = "(nobody)";
  return nobody;
}

}  // namespace redress
