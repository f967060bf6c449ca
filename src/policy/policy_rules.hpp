// The rules a policy_definition must follow, each written once. validate() (validate.cpp) runs
// all of them over a definition, at the places the definition records; the TOML reader
// (policy_file.cpp) calls the same rule as it reads each value, to point at the value itself.
// Each returns "" when the rule holds, else the message without a location.
#ifndef REDRESS_SRC_POLICY_POLICY_RULES_HPP
#define REDRESS_SRC_POLICY_POLICY_RULES_HPP

#include <string>
#include <string_view>
#include <vector>

#include "redress/policy.hpp"

namespace redress::detail {

/// "'a', 'b'", or "(none declared)".
std::string quoted_list(const std::vector<std::string>& values);
/// "kind, priority, channel, tier, region or site" (or the plurals), for messages.
std::string dimensions_in_words(bool plural);

/// The names of the engine's own clocks, beside the policy's targets: a promise made to the
/// customer and a corrective action. Reports and `explain --target` use them as target names.
inline constexpr std::string_view promise_clock_name = "promise";
inline constexpr std::string_view corrective_action_clock_name = "corrective-action";
/// How a report writes a complaint (or a step) with no owner.
inline constexpr std::string_view no_owner_name = "nobody";

/// A target's name is not blank and not the name of one of the engine's clocks ("promise",
/// "corrective-action"), which a report and `explain --target` could not tell apart from it.
std::string target_name_problem(std::string_view name);
/// A role's id is not blank, not "owner" (a ladder's notify = ["owner"] is the complaint's
/// owner) and not "nobody" (how a report writes no owner).
std::string role_name_problem(std::string_view id);

/// `id` names a declared role (or is "owner", where `allow_owner`): "undeclared role 'x' in WHAT; ...".
std::string role_problem(const std::vector<role_definition>& roles, std::string_view id,
                         const std::string& what, bool allow_owner = false);
/// A team's name is not blank: "a team needs a name" (role_definition::team "" is no team).
std::string team_problem(std::string_view team);
/// `name` names one of the definition's calendars: "undeclared calendar 'x' in WHAT; ...".
std::string calendar_problem(const policy_definition& d, std::string_view name, const std::string& what);
/// The policy names its default calendar ([policy] calendar), one of its calendars.
std::string default_calendar_problem(const policy_definition& d);
/// Each of calendar_precedence is "region", "site" or "policy".
std::string calendar_source_problem(std::string_view source);
/// `value` is one of the declared values of `dimension` ([vocabulary], [kinds], [regions], [sites]).
std::string value_problem(const policy_definition& d, std::string_view dimension, std::string_view value,
                          const std::string& where);
/// `dimension` is a selector dimension: "unknown selector 'x' in LABEL; ...".
std::string selector_dimension_problem(std::string_view dimension, const std::string& label);
/// A pause budget is positive working time.
std::string pause_budget_problem(const duration_spec& budget);
/// An [events] backdate_limit is a duration of no less than zero.
std::string backdate_limit_problem(const duration_spec& limit);
/// [lifecycle] corrective_action_within (a corrective action's default due) is positive.
std::string corrective_action_within_problem(const duration_spec& within);
/// A target's `within` is not negative, its `every` positive.
std::string target_duration_problem(const target_definition& t);
/// Only a periodic target has `rearm_on`; only a deadline (not periodic) has an extension.
std::string target_shape_problem(const target_definition& t);
/// An escalation level's point: 1% to 100%, a positive time before the deadline, a positive offset after.
std::string escalation_point_problem(const escalation_step& step);
/// An escalation level notifies, assigns or records something.
std::string escalation_effect_problem(const escalation_step& step);
/// A `deliver` (quiet hours) is "immediately", "working-hours" or one of the definition's calendars.
std::string deliver_problem(const policy_definition& d, std::string_view value, const std::string& what);

}  // namespace redress::detail

#endif
