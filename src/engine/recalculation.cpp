// Recalculation (docs/spec/clocks.md, "Late events" and "Recalculation after a change"): a
// complaint rebuilt from its history with a late event in its place (apply_late), under another
// policy version (migrate) or under its version reloaded (reload_policy), returning what changed
// from what it had emitted: the actions newly due (a changed one under its next revision) and a
// `retracted` action for each emitted action no longer produced as it was.
#include "redress/engine.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "engine/engine_state.hpp"
#include "engine/refusals.hpp"

namespace redress {

using detail::fail;

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

// What a complaint had emitted before it is recomputed (a late event, a migration, a reload):
// its snapshot, the actions its history produced on `p` up to where it had fired, and its
// horizon (its latest event or fired action, where a retraction is due at the earliest).
struct prior {
  complaint_snapshot before;
  std::vector<action> emitted;
  std::int64_t horizon = 0;
};

outcome<prior> prior_of(const engine& e, std::string_view id, const detail::complaint_record& c, const policy& p) {
  prior out{e.snapshot(id).value(), {}, detail::horizon(c)};
  replayed emitted = replay_snapshot(p, out.before);
  if (!emitted.actions) return emitted.error;  // its own history always replays (replay equals live)
  out.emitted = std::move(*emitted.actions);
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
  auto was = prior_of(*this, id, c, p);  // c goes with erase()
  if (!was) return was.error();
  const prior& emitted = was.value();
  const instant retracted_at = instant::from_unix(std::max(logged, emitted.horizon));

  // The history with the event in its place: after the events at its instant, or earlier.
  complaint_snapshot after = emitted.before;
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
  return recompute(id, emitted.before, std::move(after), emitted.emitted, *produced.actions, retracted_at,
                   "the '" + std::string(to_string(e.what)) + "' at " + e.at.to_string() +
                       ", logged late, changed the complaint's history");
}

outcome<std::vector<action>> engine::migrate(std::string_view id, std::string_view version) {
  const auto found = state_->find(id);
  if (!found) return fail(engine_error::kind::unknown_complaint, "no open complaint " + std::string(id));
  const detail::complaint_record& c = *state_->slots[*found];
  const policy* to = state_->version(version);
  if (!to)
    return fail(engine_error::kind::unknown_policy_version, "no policy version \"" + std::string(version) + "\" in this engine");
  const policy from = state_->policy_of(c);
  auto was = prior_of(*this, id, c, from);  // c goes with erase()
  if (!was) return was.error();
  const prior& emitted = was.value();
  complaint_snapshot after = emitted.before;
  after.policy_version = std::string(version);
  const replayed produced = replay_snapshot(*to, after);
  if (!produced.actions) return produced.error;  // the history it meets under that version
  return recompute(id, emitted.before, std::move(after), emitted.emitted, *produced.actions,
                   instant::from_unix(emitted.horizon),
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
    prior emitted;
    std::vector<action> produced;
  };
  std::vector<std::string> ids;
  for (const auto& slot : s.slots)
    if (slot && slot->policy_index == version) ids.push_back(slot->intake.id_text());
  std::sort(ids.begin(), ids.end());
  std::vector<recomputation> plans;
  plans.reserve(ids.size());
  for (const std::string& id : ids) {
    auto was = prior_of(*this, id, *s.slots[*s.find(id)], old);
    if (!was) return was.error();
    replayed produced = replay_snapshot(p, was.value().before);
    if (!produced.actions)
      return fail(produced.error.what, "complaint " + id + " under the reloaded policy version " + p.version() +
                                           ": " + produced.error.message + " (nothing was reloaded)");
    plans.push_back({std::move(was).value(), std::move(*produced.actions)});
  }

  s.policies[version] = std::move(p);
  std::vector<action> out;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const recomputation& r = plans[i];
    auto changed = recompute(ids[i], r.emitted.before, r.emitted.before, r.emitted.emitted, r.produced,
                             instant::from_unix(r.emitted.horizon), why);
    if (!changed) {  // not met in practice: the same history replayed on the same policy above
      s.policies[version] = old;
      for (std::size_t j = 0; j <= i; ++j) {
        erase(ids[j]);
        (void)restore(plans[j].emitted.before);
      }
      return changed.error();
    }
    for (action& a : std::move(changed).value()) out.push_back(std::move(a));
  }
  return out;
}

}  // namespace redress
