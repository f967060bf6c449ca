// Actions (actions.hpp): ids and text.
#include "engine/actions.hpp"

#include <charconv>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "policy/policy_rules.hpp"
#include "time/rfc3339.hpp"

namespace redress::detail {
namespace {

const std::string promise_name(promise_clock_name);
const std::string corrective_name(corrective_action_clock_name);

// Appends the pieces to `out`, growing it once: an action's id and summary are a few pieces each,
// built on every action an event or advance() emits.
void append(std::string& out, std::initializer_list<std::string_view> pieces) {
  std::size_t size = out.size();
  for (std::string_view p : pieces) size += p.size();
  out.reserve(size);
  for (std::string_view p : pieces) out.append(p.data(), p.size());
}

// A number's decimal digits in a caller's buffer.
struct digits {
  explicit digits(std::uint64_t n) noexcept : size(static_cast<std::size_t>(std::to_chars(text, text + sizeof text, n).ptr - text)) {}
  operator std::string_view() const noexcept { return {text, size}; }
  char text[20];
  std::size_t size;
};

// "2026-05-05T15:00:00+01:00": the due as the complaint's calendar zone writes it.
struct due_text {
  due_text(const complaint_record& c, std::int64_t due)
      : size(write_rfc3339(text, instant::from_unix(due), c.calendar->zone())) {}
  operator std::string_view() const noexcept { return {text, size}; }
  char text[rfc3339_capacity];
  std::size_t size;
};

void append_joined(std::string& out, const std::vector<std::string>& items) {
  for (std::size_t i = 0; i < items.size(); ++i) append(out, {i == 0 ? "" : ", ", items[i]});
}

std::string action_id(const complaint_record& c, std::string_view clock, std::string_view level, std::uint64_t cycle) {
  std::string id;
  append(id, {c.intake.id(), "/", clock, "/", level, "/c", digits(cycle)});
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

}  // namespace

const std::string& clock_name(const policy_definition& d, const clock_slot& k) {
  if (k.origin == clock_origin::target) return d.targets[k.index].name;
  if (k.origin == clock_origin::promise) return promise_name;
  return corrective_name;
}

action escalation_action(const complaint_record& c, const clock_slot& k, const std::string& name,
                         const escalation_step& step, std::size_t level, std::int64_t at,
                         std::vector<std::string> notify, std::string who) {
  const std::string level_name = "L" + std::to_string(level + 1);
  action a = clock_action(c, k, name, level_name, action::kind::escalation, at);
  a.level = static_cast<int>(level + 1);
  a.notify = std::move(notify);
  a.assign = step.assign;
  a.record = step.record;
  a.who = std::move(who);
  std::string& s = a.summary;
  append(s, {name, " at ", step.label, " (due ", due_text(c, k.due), ")"});
  if (!step.assign.empty()) append(s, {": reassign to ", step.assign});
  if (!a.notify.empty()) {
    append(s, {step.assign.empty() ? ": notify " : "; notify "});
    append_joined(s, a.notify);
  }
  if (!step.record.empty()) append(s, {"; record \"", step.record, "\""});
  a.verifier = step.verifier;  // who checks the level was acted on, as a corrective action names
  if (!step.verifier.empty()) append(s, {"; verified by ", step.verifier});
  return a;
}

action breach_action(const complaint_record& c, const clock_slot& k, const std::string& name, std::int64_t at) {
  action a = clock_action(c, k, name, "breach", k.origin == clock_origin::promise ? action::kind::promise_breach
                                                                                   : action::kind::breach, at);
  append(a.summary, {name, " breached: due ", due_text(c, k.due), " passed while it ran"});
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
  std::string id;
  append(id, {c.intake.id(), "/owner/", role, "/e", digits(event_number)});
  a.id = c.revised(std::move(id));
  a.what = action::kind::assignment;
  a.complaint = c.intake.id();
  a.at = at;
  a.who = role;
  a.assign = role;
  append(a.summary, {c.intake.id(), " is now owned by ", role, " (", p.role_title(role), ")"});
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
  append(a.summary, {item.owner, " to ", item.what.empty() ? std::string_view("carry out the corrective action") : item.what,
                     " by ", due_text(c, item.due)});
  if (!item.verifier.empty()) append(a.summary, {"; verified by ", item.verifier});
  return a;
}

}  // namespace redress::detail
