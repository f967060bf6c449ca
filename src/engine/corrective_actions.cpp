// Corrective actions (corrective_actions.hpp).
#include "engine/corrective_actions.hpp"

#include <utility>

#include "engine/actions.hpp"
#include "engine/event_clocks.hpp"

namespace redress::detail {
namespace {

// The policy's first template for the complaint (its attributes, and whether it was justified).
const corrective_action_template* corrective_template(const policy_definition& d, const complaint_record& c) {
  const complaint_attributes attributes = c.intake.attributes();
  for (const corrective_action_template& candidate : d.corrective_actions)
    if (candidate.when.matches(attributes, c.justified)) return &candidate;
  return nullptr;
}

}  // namespace

void plan_corrective_action(applied_event& x) {
  const complaint_event& e = x.e;
  complaint_record& c = x.c;
  const corrective_action_template* tmpl = corrective_template(x.d, c);
  corrective_item item;
  item.what = !e.action_what.empty() ? e.action_what : tmpl ? tmpl->what : "";
  item.owner = !e.action_owner.empty() ? e.action_owner : tmpl ? tmpl->owner : c.owner;
  item.verifier = !e.action_verifier.empty() ? e.action_verifier : tmpl ? tmpl->verifier : "";
  item.planned = x.t;
  if (e.action_due) item.due = e.action_due->unix_seconds();
  else if (tmpl) item.due = deadline(*c.calendar, e.at, tmpl->within).unix_seconds();
  else item.due = deadline(*c.calendar, e.at, x.d.corrective_action_within).unix_seconds();  // [lifecycle]
  const auto cycle = static_cast<std::uint32_t>(c.log().corrective.size() + 1);  // at most max_clocks
  const std::uint16_t index = tmpl ? static_cast<std::uint16_t>(tmpl - x.d.corrective_actions.data()) : no_template;
  item.clock = c.clocks.size();
  c.add_clock(start_fixed_clock(*c.calendar, clock_origin::corrective_action, index, cycle, x.t, item.due));
  x.out.push_back(planned_action(c, item, cycle, e.at));
  c.log().corrective.push_back(std::move(item));
}

void complete_corrective_action(applied_event& x) {
  x.c.for_live([&](clock_slot& k) {
    if (!k.active() || k.origin != clock_origin::corrective_action) return;
    stop_clock(x.d, x.c, k, x.t);
    x.c.corrective_of(k).done = x.t;
  });
}

// The actions done and not yet verified. The lifecycle plans one at a time (plan, complete,
// verify, plan again), so they are the last ones, after the last one verified.
void verify_corrective_actions(applied_event& x) {
  auto& items = x.c.log().corrective;
  for (auto item = items.rbegin(); item != items.rend() && !item->verified; ++item)
    if (item->done) item->verified = x.t;
}

}  // namespace redress::detail
