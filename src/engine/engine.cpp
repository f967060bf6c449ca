// The SLA engine (include/redress/engine.hpp), the coordinator of its rooms: the complaint
// index and the timer queue (engine_state.hpp), the clocks (clock.hpp, event_clocks.hpp), the
// escalation ladder (ladder.hpp), pauses, responsibility, corrective actions, actions' text, and
// what it refuses (refusals.hpp). Clocks follow docs/spec/clocks.md.
#include "redress/engine.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
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

namespace {

// Two actions say the same: all but the id (which may carry a revision) agree.
bool same_action(const action& a, const action& b) {
  return a.what == b.what && a.target == b.target && a.level == b.level && a.cycle == b.cycle && a.at == b.at &&
         a.who == b.who && a.notify == b.notify && a.assign == b.assign && a.record == b.record &&
         a.summary == b.summary && a.by_when == b.by_when && a.verifier == b.verifier && a.deliver_at == b.deliver_at;
}

// The actions by id (each id once: an action's id names its complaint, clock, level and cycle).
std::unordered_map<std::string_view, const action*> by_id(const std::vector<action>& actions) {
  std::unordered_map<std::string_view, const action*> out;
  out.reserve(actions.size());
  for (const action& a : actions) out.emplace(a.id, &a);
  return out;
}

// The retraction of an emitted action, due at `at`: what it took back, and why (`why`: what
// changed the complaint's history or policy). It does not reassign or record (the new history's
// own actions do what is now due).
action retraction(const action& emitted, instant at, std::string_view why) {
  action r = emitted;
  r.id = emitted.id + "/retracted";
  r.what = action::kind::retracted;
  r.retracts = emitted.id;
  r.at = at;
  r.assign.clear();
  r.record.clear();
  r.deliver_at.reset();
  r.summary = "retracted " + emitted.id + " (" + emitted.summary + "): " + std::string(why);
  return r;
}

// The actions a snapshot's history produces on an engine of its own; or its first error, with
// the event it met it at (events.size() when it was the intake or the catch-up).
struct replayed {
  std::optional<std::vector<action>> actions;
  engine_error error;
  std::size_t failed_at = 0;
};

replayed replay_snapshot(const policy& p, const complaint_snapshot& snap) {
  replayed out;
  engine scratch(p);
  auto restored = scratch.restore(snap);
  if (restored) {
    out.actions = std::move(restored).value();
    return out;
  }
  out.error = restored.error();
  // Which event met it: the history applied once more, event by event, on an engine of its own.
  out.failed_at = snap.events.size();
  engine probe(p);
  complaint_snapshot opening = snap;
  opening.events.clear();
  opening.fired_until.reset();
  if (!probe.restore(opening)) return out;
  for (std::size_t n = 0; n < snap.events.size(); ++n)
    if (!probe.apply(snap.intake.id, snap.events[n])) {
      out.failed_at = n;
      break;
    }
  return out;
}

}  // namespace

// The complaint rebuilt as `after` says (its history with a late event in place, or another
// policy version), where `emitted` are the actions it had emitted and `produced` those `after`
// produces up to the same instant (both from replay_snapshot). Returns what changed: the
// produced actions not emitted before, then one retraction, due at `retracted_at`, for each
// emitted action not produced as it was; `after` keeps those ids (complaint_snapshot::retracted),
// so a level that fires again does so under its next revision.
outcome<std::vector<action>> engine::recompute(std::string_view id, const complaint_snapshot& before,
                                               complaint_snapshot after, const std::vector<action>& emitted,
                                               const std::vector<action>& produced, instant retracted_at,
                                               std::string_view why) {
  std::vector<const action*> taken_back;
  const auto produced_ids = by_id(produced);
  for (const action& a : emitted) {
    const auto now = produced_ids.find(a.id);
    if (now == produced_ids.end() || !same_action(a, *now->second)) taken_back.push_back(&a);
  }
  for (const action* a : taken_back) after.retracted.push_back(a->id);

  erase(id);
  auto rebuilt = restore(after);
  if (!rebuilt) {
    (void)restore(before);  // put it back as it was
    return rebuilt.error();
  }
  std::vector<action> out;
  const auto emitted_ids = by_id(emitted);
  for (action& a : std::move(rebuilt).value())
    if (!emitted_ids.count(a.id)) out.push_back(std::move(a));
  for (const action* a : taken_back) out.push_back(retraction(*a, retracted_at, why));
  return out;
}

outcome<std::vector<action>> engine::apply_late(std::string_view id, const complaint_event& e, std::int64_t logged) {
  const detail::complaint_record& c = *state_->slots[*state_->find(id)];
  const policy p = state_->policy_of(c);
  const instant retracted_at = instant::from_unix(std::max(logged, detail::horizon(c)));  // c goes with erase()
  const complaint_snapshot before = snapshot(id).value();

  // What the complaint emitted so far: its history's actions up to where it had fired.
  const replayed emitted = replay_snapshot(p, before);
  if (!emitted.actions) return emitted.error;  // its own history always replays (replay equals live)

  // The history with the event in its place: after the events at its instant, or earlier.
  complaint_snapshot after = before;
  const auto place = std::upper_bound(after.events.begin(), after.events.end(), e.at,
                                      [](instant t, const complaint_event& x) { return t < x.at; });
  const std::size_t position = static_cast<std::size_t>(place - after.events.begin());
  complaint_event inserted = e;
  if (!inserted.logged_at && logged != e.at.unix_seconds()) inserted.logged_at = instant::from_unix(logged);
  after.events.insert(place, inserted);
  const replayed produced = replay_snapshot(p, after);
  if (!produced.actions) {
    if (produced.failed_at == position || produced.failed_at >= after.events.size()) return produced.error;
    const complaint_event& later = after.events[produced.failed_at];
    return detail::fail(produced.error.what,
                        "complaint " + std::string(id) + ": the '" + std::string(to_string(e.what)) + "' at " +
                            e.at.to_string() + " is refused: it would make the later '" +
                            std::string(to_string(later.what)) + "' at " + later.at.to_string() + " illegal (" +
                            produced.error.message + ")");
  }
  return recompute(id, before, std::move(after), *emitted.actions, *produced.actions, retracted_at,
                   "the '" + std::string(to_string(e.what)) + "' at " + e.at.to_string() +
                       ", logged late, changed the complaint's history");
}

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

outcome<std::vector<action>> engine::migrate(std::string_view id, std::string_view version) {
  const auto found = state_->find(id);
  if (!found) return fail(engine_error::kind::unknown_complaint, "no open complaint " + std::string(id));
  const detail::complaint_record& c = *state_->slots[*found];
  const policy* to = state_->version(version);
  if (!to)
    return fail(engine_error::kind::unknown_policy_version, "no policy version \"" + std::string(version) + "\" in this engine");
  const policy from = state_->policy_of(c);
  const instant retracted_at = instant::from_unix(detail::horizon(c));  // c goes with erase()
  const complaint_snapshot before = snapshot(id).value();

  const replayed emitted = replay_snapshot(from, before);
  if (!emitted.actions) return emitted.error;  // its own history always replays (replay equals live)
  complaint_snapshot after = before;
  after.policy_version = std::string(version);
  const replayed produced = replay_snapshot(*to, after);
  if (!produced.actions) return produced.error;  // the history it meets under that version
  return recompute(id, before, std::move(after), *emitted.actions, *produced.actions, retracted_at,
                   "the complaint moved from policy version " + from.version() + " to " + std::string(version) +
                       ", which changed it");
}

outcome<std::vector<action>> engine::reload_policy(policy p) {
  detail::engine_state& s = *state_;
  const policy* held = s.version(p.version());
  if (!held)
    return fail(engine_error::kind::unknown_policy_version,
                "no policy version \"" + p.version() + "\" in this engine to reload (add_policy adds a new one)");
  const auto version = static_cast<std::uint16_t>(held - s.policies.data());
  const policy old = *held;
  const std::string why = "policy version " + p.version() + " was reloaded (its text or a calendar it reads changed)";

  // First every complaint under the version, recomputed on engines of their own: if one fails,
  // nothing has changed yet.
  struct recomputation {
    complaint_snapshot before;
    std::vector<action> emitted, produced;
    instant retracted_at;
  };
  std::vector<std::string> ids;
  for (const auto& slot : s.slots)
    if (slot && slot->policy_index == version) ids.push_back(slot->intake.id_text());
  std::sort(ids.begin(), ids.end());
  std::vector<recomputation> plans;
  plans.reserve(ids.size());
  for (const std::string& id : ids) {
    recomputation r;
    r.retracted_at = instant::from_unix(detail::horizon(*s.slots[*s.find(id)]));
    r.before = snapshot(id).value();
    replayed emitted = replay_snapshot(old, r.before);
    if (!emitted.actions) return emitted.error;  // its own history always replays (replay equals live)
    replayed produced = replay_snapshot(p, r.before);
    if (!produced.actions)
      return fail(produced.error.what, "complaint " + id + " under the reloaded policy version " + p.version() +
                                           ": " + produced.error.message + " (nothing was reloaded)");
    r.emitted = std::move(*emitted.actions);
    r.produced = std::move(*produced.actions);
    plans.push_back(std::move(r));
  }

  s.policies[version] = std::move(p);
  std::vector<action> out;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const recomputation& r = plans[i];
    auto changed = recompute(ids[i], r.before, r.before, r.emitted, r.produced, r.retracted_at, why);
    if (!changed) {  // not met in practice: the same history replayed on the same policy above
      s.policies[version] = old;
      for (std::size_t j = 0; j <= i; ++j) {
        erase(ids[j]);
        (void)restore(plans[j].before);
      }
      return changed.error();
    }
    for (action& a : std::move(changed).value()) out.push_back(std::move(a));
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
