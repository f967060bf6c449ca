// The SLA engine (include/redress/engine.hpp), the coordinator of its rooms: the complaint
// index and the timer queue (engine_state.hpp), the clocks (clock.hpp, event_clocks.hpp), the
// escalation ladder (ladder.hpp), pauses, responsibility, corrective actions, actions' text, and
// what it refuses (refusals.hpp); late events, migration and reloads are recalculation.cpp.
// Clocks follow docs/spec/clocks.md.
#include "redress/engine.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "engine/corrective_actions.hpp"
#include "engine/engine_state.hpp"
#include "engine/event_clocks.hpp"
#include "engine/ladder.hpp"
#include "engine/lifecycle_adapter.hpp"
#include "engine/pauses.hpp"
#include "engine/reclassify.hpp"
#include "engine/refusals.hpp"
#include "engine/responsibility.hpp"

namespace redress {

using detail::fail;

std::string_view to_string(clock_state s) noexcept {
  switch (s) {
    case clock_state::running: return "running";
    case clock_state::paused: return "paused";
    case clock_state::met: return "met";
    case clock_state::breached: return "breached";
    case clock_state::cancelled: return "cancelled";
  }
  return "running";
}

namespace detail {

namespace {

// The clocks that start on receipt, in one allocation of their exact size.
void start_on_receipt(const policy& p, complaint_record& c, const std::vector<std::uint16_t>& selected,
                      std::int64_t t) {
  const policy_definition& d = p.definition();
  const auto starts_on_receipt = [&d](std::uint16_t index) {
    return d.targets[index].starts == lifecycle_trigger::entering(complaint_state::received);
  };
  c.clocks.reserve(static_cast<std::size_t>(std::count_if(selected.begin(), selected.end(), starts_on_receipt)));
  for (std::uint16_t index : selected) {
    if (!starts_on_receipt(index)) continue;
    const target_definition& target = d.targets[index];
    c.clocks.push_back(start_target_clock(target_calendar(p, c, target), target, index, t, 1));
  }
}

// The lifecycle's step from the state the catch-up left: actions that fired in it may have
// changed the owner or the escalation level (never what is legal), and then it is taken again.
void step_lifecycle(applied_event& x, const step_outcome& stepped, const lifecycle_state& stepped_from) {
  x.before = x.c.state;
  if (x.c.state == stepped_from) {
    x.c.state = stepped.state;
  } else {
    const auto restepped = lifecycle_step(x.c.state, x.e, x.d.lifecycle, x.p);
    x.c.state = restepped.accepted ? restepped.state : stepped.state;
  }
  if (x.e.what == lifecycle_event::propose_resolution) x.c.justified = x.e.justified;
}

// Withdrawn or closed: the pause ends, the complaint's clocks end (corrective actions do not
// dissolve), and the ledger stops counting.
void end_complaint(applied_event& x) {
  if (x.c.paused) end_pause(x.d, x.c, x.t);
  cancel_clocks(x);
  close_ledger(x.c, x.t);
}

// The event's effects, in order. Throws: redress::error at a calendar limit.
void apply_steps(applied_event& x, const step_outcome& stepped) {
  (void)x.c.log();  // from here on, the live clocks are kept in it
  const lifecycle_state stepped_from = x.c.state;
  catch_up(x.p, x.c, x.t, false, x.out);
  step_lifecycle(x, stepped, stepped_from);
  assign_owner(x);
  if (x.e.what == lifecycle_event::reclassify) x.reselected = reclassify(x);
  stop_clocks(x);
  if (x.e.what == lifecycle_event::complete_action) complete_corrective_action(x);
  if (x.e.what == lifecycle_event::verify_action) verify_corrective_actions(x);
  extend_clocks(x);
  rearm_periodic_clocks(x);
  if (x.ends()) end_complaint(x);
  reopen_ledger(x);
  follow_pauses(x);
  start_clocks(x);
  if (x.e.what == lifecycle_event::promise) start_promise(x);
  if (x.e.what == lifecycle_event::plan_action) plan_corrective_action(x);
}

}  // namespace
}  // namespace detail

engine::engine(policy current) : state_(std::make_unique<detail::engine_state>()) {
  state_->policies.push_back(std::move(current));
}
engine::~engine() = default;
engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;

outcome<std::size_t> engine::add_policy(policy p, bool make_current) {
  if (const policy* held = state_->version(p.version()))
    return fail(engine_error::kind::duplicate_policy_version,
                "policy version \"" + p.version() + "\" is already in this engine (\"" + held->name() +
                    "\"): a changed policy needs a new version");
  if (state_->policies.size() > std::numeric_limits<std::uint16_t>::max())
    throw std::length_error("an engine holds at most 65,536 policy versions");
  state_->policies.push_back(std::move(p));
  if (make_current) state_->current = state_->policies.size() - 1;
  return state_->policies.size();
}

std::size_t engine::size() const noexcept { return state_->index.size(); }

outcome<std::vector<action>> engine::open(const complaint_intake& intake) {
  detail::engine_state& s = *state_;
  if (intake.id.empty()) return fail(engine_error::kind::invalid_intake, "a complaint needs an id");
  if (s.find(intake.id))
    return fail(engine_error::kind::duplicate_complaint, "complaint " + intake.id + " is already open");
  const policy& p = s.policies[s.current];
  const policy_definition& d = p.definition();
  if (auto refused = detail::check_intake(d, intake)) return *refused;

  auto record = std::make_unique<detail::complaint_record>();
  detail::complaint_record& c = *record;
  c.intake.pack(intake);
  c.policy_index = static_cast<std::uint16_t>(s.current);
  try {
    c.calendar = &p.calendar_for(intake.attributes);
  } catch (const error& e) {
    return fail(engine_error::kind::calendar_error, e.what());
  }
  c.state = detail::lifecycle_initial();
  const std::vector<std::uint16_t> selected = detail::select_targets(d, intake.attributes);
  c.selection = s.intern_selection(selected);
  c.kind_owner = static_cast<std::int16_t>(p.role_index(p.owner_for(intake.attributes)));
  const std::int64_t t = intake.received.unix_seconds();
  try {
    detail::start_on_receipt(p, c, selected, t);
  } catch (const error& e) {
    return fail(engine_error::kind::calendar_error, "complaint " + intake.id + ": " + e.what());
  }
  if (const std::int64_t to_come = detail::levels_to_come(d, c); to_come > detail::escalation_limit)
    return fail(engine_error::kind::invalid_intake,
                "complaint " + intake.id + " cannot be opened: the clocks it starts can reassign it " +
                    std::to_string(to_come) + " times, past the escalation level's limit of " +
                    std::to_string(detail::escalation_limit));
  c.last_event = t;
  const std::int64_t wakeup = detail::next_wakeup(d, c);

  std::uint32_t slot;
  if (!s.free_slots.empty()) {
    slot = s.free_slots.back();
    s.free_slots.pop_back();
    s.slots[slot] = std::move(record);
  } else {
    slot = static_cast<std::uint32_t>(s.slots.size());
    s.slots.push_back(std::move(record));
  }
  s.index.insert(s.slots, slot);
  s.queue.insert(slot, wakeup);
  return std::vector<action>{};
}

outcome<std::vector<action>> engine::apply(std::string_view id, const complaint_event& e) {
  detail::engine_state& s = *state_;
  const auto found = s.find(id);
  if (!found) return fail(engine_error::kind::unknown_complaint, "no open complaint " + std::string(id));
  const std::uint32_t slot = *found;
  detail::complaint_record& c = *s.slots[slot];
  const policy& p = s.policy_of(c);
  const policy_definition& d = p.definition();
  std::vector<action> out;

  // Check everything before changing anything: a refused event leaves the complaint as it was.
  if (auto refused = detail::check_timing(d, c, e)) return *refused;
  if (detail::is_late(c, e.at.unix_seconds())) return apply_late(id, e, detail::logged_instant(c, e));
  const auto stepped = detail::lifecycle_step(c.state, e, d.lifecycle, p);
  detail::applied_event x{p, d, c, e, e.at.unix_seconds(), s.selected(c), out,
                          detail::lifecycle_main(c.state), detail::lifecycle_main(stepped.state), {}, {}};
  if (auto refused = detail::check_event(x, stepped)) return *refused;

  const std::int64_t fired_before = c.last_fired;
  std::string refusal;  // when set, the event is refused after all, and the complaint rebuilt
  engine_error::kind refused_as = engine_error::kind::rejected_event;
  try {
    detail::apply_steps(x, stepped);
    refusal = detail::level_room_refusal(x);
  } catch (const error& err) {
    // A calendar limit reached while recomputing (e.g. a deadline past the calendar's valid range).
    refusal = "complaint " + c.intake.id_text() + ": " + err.what();
    refused_as = engine_error::kind::calendar_error;
  }
  if (!refusal.empty()) {
    // The complaint may be partly changed. Rebuild it from its history without this event, as
    // it was before the call (its state is a pure function of that history).
    complaint_snapshot before;
    before.policy_version = d.version;
    before.intake = c.intake.unpack();
    before.events = c.log().events.unpack();
    if (fired_before != std::numeric_limits<std::int64_t>::min()) before.fired_until = instant::from_unix(fired_before);
    before.retracted = c.log().retracted;
    erase(before.intake.id);
    (void)restore(before);
    return fail(refused_as, refusal);
  }

  c.log().events.push_back(e);
  if (x.reselected) c.selection = s.intern_selection(*x.reselected);
  c.prune_live();
  c.last_event = x.t;
  s.reschedule(slot);
  return out;
}

std::vector<action> engine::advance(instant now) {
  detail::engine_state& s = *state_;
  std::vector<action> out;
  const std::int64_t limit = now.unix_seconds();
  while (!s.queue.empty()) {
    const std::int64_t w = s.queue.front_wakeup();
    if (w > limit) break;
    const std::uint32_t slot = s.queue.front();
    detail::complaint_record& c = *s.slots[slot];
    detail::fire_at(s.policy_of(c), c, w, out);
    s.queue.update(slot, detail::next_wakeup(s.def(c), c));
  }
  return out;
}

std::optional<instant> engine::next_wakeup() const {
  if (state_->queue.empty()) return std::nullopt;
  const std::int64_t w = state_->queue.front_wakeup();
  if (w == detail::never) return std::nullopt;
  return instant::from_unix(w);
}

std::optional<instant> engine::next_wakeup(std::string_view id) const {
  const auto found = state_->find(id);
  if (!found) return std::nullopt;
  const std::int64_t w = state_->queue.wakeup_of(*found);
  if (w == detail::never) return std::nullopt;
  return instant::from_unix(w);
}

std::optional<complaint_intake> engine::intake(std::string_view id) const {
  const auto found = state_->find(id);
  if (!found) return std::nullopt;
  return state_->slots[*found]->intake.unpack();
}

std::optional<std::string> engine::owner(std::string_view id) const {
  const auto found = state_->find(id);
  if (!found) return std::nullopt;
  return state_->slots[*found]->owner;
}

std::optional<lifecycle_state> engine::state(std::string_view id) const {
  const auto found = state_->find(id);
  if (!found) return std::nullopt;
  return state_->slots[*found]->state;
}

const business_calendar* engine::calendar(std::string_view id) const {
  const auto found = state_->find(id);
  return found ? state_->slots[*found]->calendar : nullptr;
}

outcome<std::vector<complaint_event>> engine::history(std::string_view id) const {
  const auto found = state_->find(id);
  if (!found) return fail(engine_error::kind::unknown_complaint, "no open complaint " + std::string(id));
  return state_->slots[*found]->log().events.unpack();
}

outcome<complaint_snapshot> engine::snapshot(std::string_view id) const {
  const auto found = state_->find(id);
  if (!found) return fail(engine_error::kind::unknown_complaint, "no open complaint " + std::string(id));
  const detail::complaint_record& c = *state_->slots[*found];
  complaint_snapshot out;
  out.policy_version = state_->def(c).version;
  out.intake = c.intake.unpack();
  out.events = c.log().events.unpack();
  if (c.last_fired != std::numeric_limits<std::int64_t>::min()) out.fired_until = instant::from_unix(c.last_fired);
  out.retracted = c.log().retracted;
  return out;
}

outcome<std::vector<action>> engine::restore(const complaint_snapshot& snap) {
  detail::engine_state& s = *state_;
  const policy* held = s.version(snap.policy_version);
  if (!held)
    return fail(engine_error::kind::unknown_policy_version,
                "no policy version \"" + snap.policy_version + "\" in this engine");
  const std::size_t saved = s.current;
  s.current = static_cast<std::size_t>(held - s.policies.data());
  auto opened = open(snap.intake);
  s.current = saved;
  if (!opened) return opened.error();
  std::vector<action> out = std::move(opened).value();
  if (!snap.retracted.empty()) {
    detail::complaint_record& c = *s.slots[*s.find(snap.intake.id)];
    for (const std::string& retracted : snap.retracted) c.note_retracted(retracted);
  }
  for (const complaint_event& e : snap.events) {
    auto applied = apply(snap.intake.id, e);
    if (!applied) {
      erase(snap.intake.id);
      return applied.error();
    }
    for (action& a : std::move(applied).value()) out.push_back(std::move(a));
  }
  if (snap.fired_until) {
    const std::uint32_t slot = *s.find(snap.intake.id);
    detail::complaint_record& c = *s.slots[slot];
    detail::catch_up(s.policy_of(c), c, snap.fired_until->unix_seconds(), true, out);
    s.reschedule(slot);
  }
  return out;
}

bool engine::erase(std::string_view id) {
  detail::engine_state& s = *state_;
  const auto found = s.find(id);
  if (!found) return false;
  const std::uint32_t slot = *found;
  s.index.erase(s.slots, id);
  s.queue.remove(slot);
  s.slots[slot].reset();
  s.free_slots.push_back(slot);
  return true;
}

outcome<complaint_status> replay(const policy& p, const complaint_intake& intake,
                                 const std::vector<complaint_event>& events, instant until,
                                 std::vector<action>* actions) {
  engine e(p);
  auto opened = e.open(intake);
  if (!opened) return opened.error();
  if (actions) for (const action& a : *opened) actions->push_back(a);
  for (const complaint_event& ev : events) {
    auto applied = e.apply(intake.id, ev);
    if (!applied) return applied.error();
    if (actions) for (const action& a : *applied) actions->push_back(a);
  }
  for (action& a : e.advance(until))
    if (actions) actions->push_back(std::move(a));
  return e.status(intake.id, until);
}

}  // namespace redress
