// Reclassification (reclassify.hpp).
#include "engine/reclassify.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "engine/actions.hpp"
#include "engine/event_clocks.hpp"
#include "engine/ladder.hpp"
#include "engine/lifecycle_adapter.hpp"
#include "engine/pauses.hpp"
#include "engine/refusals.hpp"
#include "engine/responsibility.hpp"
#include "policy/policy_rules.hpp"

namespace redress::detail {
namespace {

complaint_attributes changed(const complaint_record& c, const complaint_event& e) {
  complaint_attributes after = current_attributes(c);
  for (const auto& [key, value] : e.attributes) after[key] = value;
  return after;
}

// Whether a target newly selected would have a clock running now, had it been selected all
// along: its start condition happened in the complaint's history (receipt included) and none
// of its stop conditions since.
bool would_run(const applied_event& x, const target_definition& target) {
  bool running = target.starts == lifecycle_trigger::entering(complaint_state::received);
  lifecycle_state state = lifecycle_initial();
  for (const complaint_event& e : x.c.log().events.unpack()) {
    const step_outcome stepped = lifecycle_step(state, e, x.d.lifecycle, x.p);
    if (!stepped.accepted) continue;
    for (const lifecycle_trigger& stop : target.stops)
      if (trigger_happens(stop, e.what, state, stepped.state)) running = false;
    if (trigger_happens(target.starts, e.what, state, stepped.state)) running = true;
    state = stepped.state;
  }
  return running;
}

// Whether someone gave the complaint its owner by hand, at any event of its history.
bool assigned_by_hand(const applied_event& x) {
  for (const complaint_event& e : x.c.log().events.unpack())
    if (owner_given_by_hand(x.p, e)) return true;
  return false;
}

// The calendar follows the attributes: the ledger books the owner's time so far in the old one.
void follow_calendar(applied_event& x, const complaint_attributes& after) {
  complaint_record& c = x.c;
  const business_calendar& calendar = x.p.calendar_for(after);
  if (&calendar == c.calendar) return;
  const bool counting = !c.owner.empty() && c.owner_since != no_instant;
  close_ledger(c, x.t);
  c.calendar = &calendar;
  if (counting) c.owner_since = x.t;
}

// The owner follows the new kind's owner when the old kind's owner had it, and nobody assigned
// it by hand.
void follow_owner(applied_event& x, const complaint_attributes& after) {
  complaint_record& c = x.c;
  const std::string before = kind_owner(x.d, c);
  c.kind_owner = static_cast<std::int16_t>(x.p.role_index(x.p.owner_for(after)));
  const std::string now = kind_owner(x.d, c);
  if (c.owner.empty() || c.owner != before || now.empty() || now == before || assigned_by_hand(x)) return;
  change_owner(x.p, c, now, x.t);
  x.out.push_back(assignment_action(c, x.p, now, x.e.at, c.log().events.size() + 1));
}

}  // namespace

std::vector<std::uint16_t> select_targets(const policy_definition& d, const complaint_attributes& attributes) {
  std::vector<std::string_view> seen;  // names taken (a name's first matching target wins)
  std::vector<std::uint16_t> selected;
  for (std::size_t i = 0; i < d.targets.size(); ++i) {
    const target_definition& t = d.targets[i];
    if (std::find(seen.begin(), seen.end(), t.name) != seen.end()) continue;
    if (!t.when.matches(attributes)) continue;
    seen.push_back(t.name);
    selected.push_back(static_cast<std::uint16_t>(i));
  }
  return selected;
}

complaint_attributes current_attributes(const complaint_record& c) {
  if (c.more && c.more->attributes) return *c.more->attributes;
  return c.intake.attributes();
}

std::optional<engine_error> reclassify_refusal(const applied_event& x) {
  const auto refused = [&](engine_error::kind what, const std::string& why) {
    return fail(what, "complaint " + x.c.intake.id_text() + ": 'reclassify' refused: " + why);
  };
  if (x.e.attributes.empty())
    return refused(engine_error::kind::rejected_event,
                   "it changes no attribute (expected one or more of " + dimensions_in_words(false) + ")");
  for (const auto& [key, value] : x.e.attributes)
    if (!is_selector_dimension(key))
      return refused(engine_error::kind::rejected_event, "'" + key + "' is not a selector attribute (expected one of " +
                                                             dimensions_in_words(false) + ")");
  const complaint_attributes after = changed(x.c, x.e);
  complaint_intake probe{x.c.intake.id_text(), instant::from_unix(x.t), after};
  if (auto problem = check_intake(x.d, probe))
    return fail(engine_error::kind::rejected_event, "'reclassify' refused: " + problem->message);
  try {
    (void)x.p.calendar_for(after);
  } catch (const error& e) {
    return refused(engine_error::kind::calendar_error, e.what());
  }
  return std::nullopt;
}

std::vector<std::uint16_t> reclassify(applied_event& x) {
  complaint_record& c = x.c;
  const complaint_attributes after = changed(c, x.e);
  follow_calendar(x, after);
  follow_owner(x, after);
  c.log().attributes = after;
  std::vector<std::uint16_t> selected = select_targets(x.d, after);
  const auto variant_named = [&](const std::string& name) -> const std::uint16_t* {
    for (const std::uint16_t& i : selected)
      if (x.d.targets[i].name == name) return &i;
    return nullptr;
  };
  for (std::uint16_t index : selected) {
    std::uint32_t last = 0;
    for (const clock_slot& k : c.clocks)
      if (k.origin == clock_origin::target && x.d.targets[k.index].name == x.d.targets[index].name)
        last = std::max(last, k.cycle);
    if (last > 0) c.continue_cycles(index, last);
  }

  // The live clocks of targets selected before: cancelled, restarted, recomputed or kept.
  std::vector<std::uint16_t> restarted, kept;
  c.for_live([&](clock_slot& k) {
    if (k.origin != clock_origin::target || !k.active()) return;
    const target_definition& old_target = x.d.targets[k.index];
    const std::uint16_t* now = variant_named(old_target.name);
    if (now) kept.push_back(*now);
    const target_definition* target = now ? &x.d.targets[*now] : nullptr;
    if (!target || (*now != k.index && target->on_reclassify == target_definition::reclassify_rule::restart)) {
      freeze_fired(x.d, c, k);
      cancel(k, x.t);
      if (target) restarted.push_back(*now);
      return;
    }
    const business_calendar& calendar = target_calendar(x.p, c, *target);
    if (*now == k.index && &calendar == k.calendar) return;
    freeze_fired(x.d, c, k);
    retarget(k, old_target, calendar, *target, *now, x.t);
    fire_passed(x.p, c, k, x.t, x.out);
  });

  // A new cycle for each restarted target, and a clock for each newly selected target that
  // would be running now; each joins the pause in progress.
  for (std::uint16_t index : selected) {
    const bool restart = std::find(restarted.begin(), restarted.end(), index) != restarted.end();
    if (!restart && (std::find(kept.begin(), kept.end(), index) != kept.end() || !would_run(x, x.d.targets[index])))
      continue;
    if (!restart) {
      bool ran = false;  // a target selected before keeps what its clocks did
      for (std::uint16_t before : x.selected) ran = ran || x.d.targets[before].name == x.d.targets[index].name;
      if (ran) continue;
    }
    const target_definition& target = x.d.targets[index];
    clock_slot k = start_target_clock(target_calendar(x.p, c, target), target, index, x.t, c.next_target_cycle(index));
    join_pause(x.d, c, k, x.after_main, x.t);
    c.add_clock(k);
  }
  return selected;
}

}  // namespace redress::detail
