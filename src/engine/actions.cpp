// Actions (actions.hpp): ids and text.
#include "engine/actions.hpp"

#include <utility>

namespace redress::detail {
namespace {

const std::string promise_name = "promise";
const std::string corrective_name = "corrective-action";

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string action_id(const complaint_record& c, std::string_view clock, std::string_view level, std::uint64_t cycle) {
  std::string id = c.intake.id_text();
  id += '/';
  id += clock;
  id += '/';
  id += level;
  id += "/c";
  id += std::to_string(cycle);
  return c.revised(std::move(id));
}

// An action of a clock: its id, the complaint, the clock's name, cycle and due, and when.
action clock_action(const complaint_record& c, const clock_slot& k, const std::string& name, std::string_view level,
                    action::kind what, std::int64_t at) {
  action a;
  a.id = action_id(c, name, level, k.cycle);
  a.what = what;
  a.complaint = c.intake.id();
  a.target = name;
  a.cycle = static_cast<int>(k.cycle);  // at most max_clocks
  a.at = instant::from_unix(at);
  a.by_when = instant::from_unix(k.due);
  return a;
}

std::string due_text(const complaint_record& c, std::int64_t due) {
  return format_rfc3339(instant::from_unix(due), c.calendar->zone());
}

}  // namespace

const std::string& clock_name(const policy_definition& d, const clock_slot& k) {
  if (k.origin == clock_origin::target) return d.targets[k.index].name;
  if (k.origin == clock_origin::promise) return promise_name;
  return corrective_name;
}

action escalation_action(const complaint_record& c, const clock_slot& k, const std::string& name,
                         const escalation_step& step, std::size_t level, std::int64_t at,
                         std::vector<std::string> notify, std::string who) {
  action a = clock_action(c, k, name, "L" + std::to_string(level + 1), action::kind::escalation, at);
  a.level = static_cast<int>(level + 1);
  a.notify = std::move(notify);
  a.assign = step.assign;
  a.record = step.record;
  a.who = std::move(who);
  a.summary = name + " at " + step.label + " (due " + due_text(c, k.due) + ")";
  if (!step.assign.empty()) a.summary += ": reassign to " + step.assign;
  if (!a.notify.empty()) a.summary += (step.assign.empty() ? ": notify " : "; notify ") + join(a.notify);
  if (!step.record.empty()) a.summary += "; record \"" + step.record + "\"";
  a.verifier = step.verifier;  // who checks the level was acted on, as a corrective action names
  if (!step.verifier.empty()) a.summary += "; verified by " + step.verifier;
  return a;
}

action breach_action(const complaint_record& c, const clock_slot& k, const std::string& name, std::int64_t at) {
  action a = clock_action(c, k, name, "breach", k.origin == clock_origin::promise ? action::kind::promise_breach
                                                                                   : action::kind::breach, at);
  a.summary = name + " breached: due " + due_text(c, k.due) + " passed while it ran";
  return a;
}

action pause_ended_action(const complaint_record& c, const policy_definition& d, std::int64_t at) {
  action a;
  a.id = action_id(c, "pause", "budget", c.log().pauses.size());
  a.what = action::kind::pause_ended;
  a.complaint = c.intake.id();
  a.target = "pause";
  a.at = instant::from_unix(at);
  a.who = c.owner;
  a.summary = "the pause budget of " + d.pauses.budget->to_string() + " is spent: clocks run again";
  return a;
}

action assignment_action(const complaint_record& c, const policy& p, const std::string& role, instant at,
                         std::size_t event_number) {
  action a;
  a.id = c.revised(c.intake.id_text() + "/owner/" + role + "/e" + std::to_string(event_number));
  a.what = action::kind::assignment;
  a.complaint = c.intake.id();
  a.at = at;
  a.who = role;
  a.assign = role;
  a.summary = c.intake.id_text() + " is now owned by " + role + " (" + p.role_title(role) + ")";
  return a;
}

action planned_action(const complaint_record& c, const corrective_item& item, std::uint32_t cycle, instant at) {
  action a;
  a.id = action_id(c, corrective_name, "planned", cycle);
  a.what = action::kind::corrective_action;
  a.complaint = c.intake.id();
  a.target = corrective_name;
  a.cycle = static_cast<int>(cycle);
  a.at = at;
  a.who = item.owner;
  a.by_when = instant::from_unix(item.due);
  a.verifier = item.verifier;
  a.summary = item.owner + " to " + (item.what.empty() ? std::string("carry out the corrective action") : item.what) +
              " by " + due_text(c, item.due) + (item.verifier.empty() ? std::string() : "; verified by " + item.verifier);
  return a;
}

}  // namespace redress::detail
