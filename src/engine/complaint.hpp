// A complaint as the engine keeps it: its live record (what every open complaint costs) and its
// log (what grows with its life, allocated on first use).
#ifndef REDRESS_SRC_ENGINE_COMPLAINT_HPP
#define REDRESS_SRC_ENGINE_COMPLAINT_HPP

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/clock.hpp"
#include "engine/packed_events.hpp"
#include "engine/packed_intake.hpp"
#include "redress/engine.hpp"

namespace redress::detail {

struct corrective_item {
  std::string what, owner, verifier;
  std::int64_t planned = 0, due = 0;
  std::optional<std::int64_t> done, verified;
  std::size_t clock = 0;  // index into clocks
};

struct fired_level {
  std::uint32_t clock = 0;  // index into the record's clocks
  std::uint32_t level = 0;  // 0-based ladder level
  std::int64_t at = 0;      // when it fired
};

// What grows with a complaint's life (its events, the levels fired, pauses, corrective actions
// and the ledger of working time per owner), kept apart from the live record and allocated on
// first use, so an open complaint that nothing has happened to yet costs only its live record.
// A complaint's clocks stay in `clocks` for its life (status() reports them all), while the work
// an event does is over the live ones only (running or paused), so that an event costs the
// same in a complaint's 100,000th cycle as in its first.
struct complaint_log {
  packed_events events;
  std::vector<fired_level> fired;  // when each ladder level fired, for status(); sorted by clock, level
  std::vector<pause_record> pauses;
  std::vector<corrective_item> corrective;  // the one of a corrective-action clock is [cycle - 1]
  std::map<std::string, std::int64_t, std::less<>> ledger;
  std::vector<std::uint32_t> live;  // indices of the live clocks, in start order (and, until
                                    // prune_live(), some stopped during the event in progress)
  std::vector<std::pair<std::uint16_t, std::uint32_t>> target_cycles;  // target index -> its last cycle, sorted
  std::uint32_t promises = 0;       // the last promise's cycle
  std::optional<complaint_attributes> attributes;  // after a reclassification (else the intake's)
  std::vector<std::string> retracted;  // ids of the actions retracted, in order (the snapshot's)
  std::map<std::string, std::uint32_t, std::less<>> revisions;  // an id retracted -> the revision
                                       // (2, 3, ...) its action has when it fires again
};

struct complaint_record {
  packed_intake intake;
  const business_calendar* calendar = nullptr;
  std::string owner;
  std::int64_t owner_since = no_instant;
  std::vector<clock_slot> clocks;
  std::unique_ptr<complaint_log> more;
  std::int64_t pause_from = 0;
  std::int64_t pause_used = 0;     // working seconds of ended pauses
  std::int64_t last_event = std::numeric_limits<std::int64_t>::min();
  std::int64_t last_fired = std::numeric_limits<std::int64_t>::min();
  std::uint32_t selection = 0;     // the targets selected for it (engine_state::selections)
  lifecycle_state state{};
  std::uint16_t policy_index = 0;
  std::int16_t kind_owner = -1;    // the role the policy makes owner of its kind (and region)
  bool justified = false;
  bool paused = false;
  bool pause_budget_spent = false;
  static_assert(policy_limits::roles <= std::numeric_limits<std::int16_t>::max(), "kind_owner holds a role index");

  // Until the log exists no clock has stopped: they are the ones open() started, all live.
  complaint_log& log();
  const complaint_log& log() const {
    static const complaint_log empty;
    return more ? *more : empty;
  }

  // Calls f(clock) for each live clock (and maybe some stopped during the event in progress).
  template <typename F>
  void for_live(F f) {
    if (!more) {
      for (std::size_t i = 0; i < clocks.size(); ++i) f(clocks[i]);
      return;
    }
    for (std::size_t i = 0; i < more->live.size(); ++i) f(clocks[more->live[i]]);
  }
  template <typename F>
  void for_live(F f) const {
    if (!more) {
      for (const clock_slot& k : clocks) f(k);
      return;
    }
    for (std::uint32_t i : more->live) f(clocks[i]);
  }
  // Forgets the clocks that stopped.
  void prune_live();

  // A complaint's clocks grow one at a time, to their exact count while they are a few (most
  // complaints have fewer than 8, kept for its life), then by doubling (a long-lived periodic
  // target adds one per cycle).
  void add_clock(const clock_slot& k);
  // The cycle the next clock of a target (or the next promise) has.
  std::uint32_t next_target_cycle(std::uint16_t index) { return last_target_cycle(index) + 1; }
  std::uint32_t next_promise_cycle() { return log().promises + 1; }
  // A target's cycles go on after `cycle` (a reclassification moves its clocks to another
  // variant of the same target, whose ids name the target, not the variant).
  void continue_cycles(std::uint16_t index, std::uint32_t cycle) {
    clock_slot k;
    k.index = index;
    k.cycle = cycle;
    (void)log();
    note_clock(k);
  }

  // The corrective action of a corrective-action clock.
  const corrective_item& corrective_of(const clock_slot& k) const { return log().corrective[k.cycle - 1]; }
  corrective_item& corrective_of(const clock_slot& k) { return log().corrective[k.cycle - 1]; }

  // Notes that the action `id` was retracted: an action of its base id fires under the next
  // revision ("C-1/t/L1/c1" retracted: "C-1/t/L1/c1/r2"; that retracted: ".../r3").
  void note_retracted(const std::string& id);
  // `id` under its revision, if the action it names was retracted before.
  std::string revised(std::string id) const;

  std::uint32_t index_of(const clock_slot& k) const { return static_cast<std::uint32_t>(&k - clocks.data()); }

private:
  // The last cycle a target's clock had, 0 when it never ran.
  std::uint32_t last_target_cycle(std::uint16_t index);
  void note_clock(const clock_slot& k);
};

// The engine's complaints by slot number (an erased one leaves an empty slot for the next).
using complaint_slots = std::vector<std::unique_ptr<complaint_record>>;

}  // namespace redress::detail

#endif
