// What the engine refuses (refusals.hpp).
#include "engine/refusals.hpp"

#include <algorithm>

#include "engine/ladder.hpp"
#include "engine/lifecycle_adapter.hpp"
#include "engine/pauses.hpp"
#include "engine/reclassify.hpp"

namespace redress::detail {

std::optional<engine_error> check_intake(const policy_definition& d, const complaint_intake& intake) {
  for (const auto& [key, value] : intake.attributes) {
    auto dimension = d.vocabulary.find(key);
    if (dimension == d.vocabulary.end()) continue;  // a free field
    const auto& allowed = dimension->second;
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      std::string declared;
      for (const std::string& v : allowed) declared += (declared.empty() ? "" : ", ") + v;
      return fail(engine_error::kind::invalid_intake,
                  "complaint " + intake.id + ": " + key + " '" + value + "' is not declared by policy \"" +
                      d.name + "\" (declared: " + (declared.empty() ? "none" : declared) + ")");
    }
  }
  std::vector<std::string> required = d.required_fields;
  const auto channel = intake.attributes.find("channel");
  if (channel != intake.attributes.end()) {
    if (auto extra = d.required_by_channel.find(channel->second); extra != d.required_by_channel.end())
      required.insert(required.end(), extra->second.begin(), extra->second.end());
  }
  for (const std::string& field : required) {
    auto value = intake.attributes.find(field);
    if (value == intake.attributes.end() || value->second.find_first_not_of(" \t") == std::string::npos)
      return fail(engine_error::kind::invalid_intake,
                  "complaint " + intake.id + " lacks '" + field + "', which policy \"" + d.name + "\" requires" +
                      (channel != intake.attributes.end() ? " for " + channel->second + " complaints" : std::string()));
  }
  return std::nullopt;
}

std::int64_t horizon(const complaint_record& c) { return std::max(c.last_event, c.last_fired); }

bool is_late(const complaint_record& c, std::int64_t t) { return t < c.last_event || t <= c.last_fired; }

std::int64_t logged_instant(const complaint_record& c, const complaint_event& e) {
  if (e.logged_at) return e.logged_at->unix_seconds();
  const std::int64_t t = e.at.unix_seconds();
  return is_late(c, t) ? std::max(t, horizon(c)) : t;
}

std::optional<engine_error> check_timing(const policy_definition& d, const complaint_record& c,
                                         const complaint_event& e) {
  const auto who = [&c] { return "complaint " + c.intake.id_text() + ": "; };  // built only to refuse
  const auto event_name = [&] { return "'" + std::string(to_string(e.what)) + "' at " + e.at.to_string(); };
  const std::int64_t t = e.at.unix_seconds(), received = c.intake.received().unix_seconds();
  if (t < received)
    return fail(engine_error::kind::out_of_order, who() + event_name() + " is earlier than its receipt at " +
                                                      instant::from_unix(received).to_string());
  if (e.logged_at && e.logged_at->unix_seconds() < t)
    return fail(engine_error::kind::out_of_order, who() + event_name() + " is logged at " + e.logged_at->to_string() +
                                                      ", before it happened");
  if (!d.events.backdate_limit) return std::nullopt;
  const std::int64_t logged = logged_instant(c, e);
  if (logged == t) return std::nullopt;
  std::int64_t latest = 0;
  try {
    latest = deadline(*c.calendar, e.at, *d.events.backdate_limit).unix_seconds();
  } catch (const error& err) {
    return fail(engine_error::kind::calendar_error, who() + err.what());
  }
  if (logged <= latest) return std::nullopt;
  return fail(engine_error::kind::rejected_event,
              who() + event_name() + " is logged at " + instant::from_unix(logged).to_string() +
                  (e.logged_at ? "" : " (the complaint's latest event or action)") + ", further back than policy \"" +
                  d.name + "\" allows ([events] backdate_limit = \"" + d.events.backdate_limit->to_string() +
                  "\": an event at that instant may be logged until " + instant::from_unix(latest).to_string() + ")");
}

std::optional<engine_error> check_event(const applied_event& x, const step_outcome& stepped) {
  const complaint_record& c = x.c;
  const complaint_event& e = x.e;
  const std::int64_t t = x.t;
  const auto who = [&c] { return "complaint " + c.intake.id_text() + ": "; };  // built only to refuse
  const auto event_name = [&] { return "'" + std::string(to_string(e.what)) + "'"; };
  if (!stepped.accepted) return fail(engine_error::kind::rejected_event, who() + stepped.rejection);
  if (e.what == lifecycle_event::assign && x.p.role_index(e.role) < 0)
    return fail(engine_error::kind::rejected_event, who() + "'assign' needs a declared role, not '" + e.role + "'");
  if (e.what == lifecycle_event::promise) {
    if (!e.promised) return fail(engine_error::kind::rejected_event, who() + "'promise' needs the promised instant");
    if (e.promised->unix_seconds() <= t)
      return fail(engine_error::kind::rejected_event, who() + "the promised instant " + e.promised->to_string() +
                                                          " is not after the promise at " + e.at.to_string());
  }
  if (e.what == lifecycle_event::plan_action && e.action_due && e.action_due->unix_seconds() <= t)
    return fail(engine_error::kind::rejected_event, who() + "the corrective action's due instant " +
                                                        e.action_due->to_string() + " is not after it is planned at " +
                                                        e.at.to_string());
  if (e.what == lifecycle_event::reclassify)
    if (auto refused = reclassify_refusal(x)) return refused;
  if (std::string refusal = pause_refusal(x); !refusal.empty())
    return fail(engine_error::kind::pause_refused, who() + refusal);
  // One event starts at most a clock per selected target, a promise and a corrective action.
  if (c.clocks.size() + x.selected.size() + 2 > max_clocks)
    return fail(engine_error::kind::rejected_event,
                who() + event_name() + " refused: the complaint has started " + std::to_string(c.clocks.size()) +
                    " clocks, and one complaint holds at most " + std::to_string(max_clocks));
  return std::nullopt;
}

std::string level_room_refusal(const applied_event& x) {
  const std::int64_t level = lifecycle_level(x.c.state), to_come = levels_to_come(x.d, x.c);
  if (level + to_come <= escalation_limit) return {};
  return "complaint " + x.c.intake.id_text() + ": '" + std::string(to_string(x.e.what)) +
         "' refused: its escalation level would be " + std::to_string(level) + " with " + std::to_string(to_come) +
         " reassigning level(s) still to come on its clocks, past the limit of " + std::to_string(escalation_limit);
}

}  // namespace redress::detail
