// The SLA engine (include/redress/engine.hpp): clocks per docs/spec/clocks.md, an indexed
// timer heap across complaints, responsibility and a working-time ledger.
#include "redress/engine.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <utility>

#include "engine/lifecycle_adapter.hpp"

namespace redress {

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

constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t no_instant = std::numeric_limits<std::int64_t>::min();

enum class clock_origin : std::uint8_t { target, promise, corrective_action };

struct clock_slot {
  std::uint32_t cycle = 1;      // 1-based; at most max_clocks (a clock per cycle)
  std::uint32_t fired = 0;      // bit per ladder level
  std::uint16_t index = 0;      // target or corrective-action template index (or no_template)
  clock_origin origin = clock_origin::target;
  clock_state state = clock_state::running;
  bool breached = false;
  bool extended = false;
  bool working = true;          // consumption measured in working time (else elapsed)
  // The next instant something falls due on this clock is cached (next_at) because it costs
  // calendar arithmetic; `stale` is set by every change that can move it.
  mutable bool stale = true;
  std::int64_t start = 0;
  std::int64_t due = 0;
  std::int64_t resumed_at = 0;  // when it last started or resumed; while paused, when it paused
  std::int64_t stopped = never;
  std::int64_t consumed_before = 0;  // consumed up to resumed_at
  std::int64_t budget = 0;           // consumed at the due instant, pauses excluded
  std::int64_t last_day = 0;         // day periods: the last day, days since epoch
  std::int64_t shift = 0;            // how far pauses moved the due: business days for day
                                     // periods, else the clock's kind of time
  const business_calendar* calendar = nullptr;
  mutable std::int64_t next_at = 0;  // a level or the breach

  bool active() const noexcept { return state == clock_state::running || state == clock_state::paused; }
};

// The fields above are as wide as policy_limits (include/redress/policy.hpp) needs; the policy
// refuses anything wider when it is made, so nothing here wraps round.
constexpr std::uint16_t no_template = 0xffff;  // clock_slot::index of a clock without one
// Indices run below the limit, so no_template is never one.
static_assert(policy_limits::targets <= no_template, "a target index must fit clock_slot::index");
static_assert(policy_limits::corrective_actions <= no_template, "a template index must fit clock_slot::index");
static_assert(policy_limits::ladder_levels <= sizeof(clock_slot::fired) * CHAR_BIT,
              "clock_slot::fired has a bit per ladder level");
// A complaint holds at most this many clocks (each cycle of a target, each promise and each
// corrective action is one), so a cycle fits clock_slot::cycle and action::cycle (an int). An
// event that could start a clock beyond it is refused; reaching it takes about 200 GB of clocks.
constexpr std::size_t max_clocks = static_cast<std::size_t>(std::numeric_limits<int>::max());

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
  std::vector<complaint_event> events;
  std::vector<fired_level> fired;  // when each ladder level fired, for status(); sorted by clock, level
  std::vector<pause_record> pauses;
  std::vector<corrective_item> corrective;  // the one of a corrective-action clock is [cycle - 1]
  std::map<std::string, std::int64_t, std::less<>> ledger;
  std::vector<std::uint32_t> live;  // indices of the live clocks, in start order (and, until
                                    // prune_live(), some stopped during the event in progress)
  std::vector<std::pair<std::uint16_t, std::uint32_t>> target_cycles;  // target index -> its last cycle, sorted
  std::uint32_t promises = 0;       // the last promise's cycle
};

// A complaint's intake, packed into one string: its id, then each attribute's key and value,
// each string preceded by its length (7 bits a byte, high bit set when more bytes follow).
// One allocation instead of a map node and two strings per attribute.
class packed_intake {
public:
  void pack(const complaint_intake& in) {
    std::size_t size = encoded_size(in.id);
    for (const auto& [key, value] : in.attributes) size += encoded_size(key) + encoded_size(value);
    std::string out;
    out.reserve(size);  // one allocation of the exact size
    put(out, in.id);
    for (const auto& [key, value] : in.attributes) {
      put(out, key);
      put(out, value);
    }
    bytes_ = std::move(out);
    received_ = in.received.unix_seconds();
  }
  std::string_view id() const {
    std::size_t at = 0;
    return get(at);
  }
  std::string id_text() const { return std::string(id()); }
  instant received() const { return instant::from_unix(received_); }
  complaint_attributes attributes() const {
    complaint_attributes out;
    std::size_t at = 0;
    (void)get(at);
    while (at < bytes_.size()) {
      const std::string_view key = get(at);
      const std::string_view value = get(at);
      out.emplace(std::string(key), std::string(value));
    }
    return out;
  }
  complaint_intake unpack() const { return complaint_intake{id_text(), received(), attributes()}; }

private:
  static std::size_t encoded_size(std::string_view text) {
    std::size_t length_bytes = 1;
    for (std::size_t n = text.size() >> 7; n; n >>= 7) ++length_bytes;
    return length_bytes + text.size();
  }
  static void put(std::string& out, std::string_view text) {
    std::size_t n = text.size();
    do {
      const auto low = static_cast<unsigned char>(n & 0x7f);
      n >>= 7;
      out.push_back(static_cast<char>(n ? (low | 0x80) : low));
    } while (n);
    out.append(text);
  }
  std::string_view get(std::size_t& at) const {
    std::size_t n = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(bytes_[at++]);
      n |= static_cast<std::size_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
    }
    const std::string_view text(bytes_.data() + at, n);
    at += n;
    return text;
  }

  std::string bytes_;
  std::int64_t received_ = 0;
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
  std::int64_t wakeup = never;
  std::uint32_t heap_position = 0;
  std::uint32_t selection = 0;     // the targets selected for it (engine_state::selections)
  lifecycle_state state{};
  std::uint16_t policy_index = 0;
  std::int16_t kind_owner = -1;    // the role the policy makes owner of its kind (and region)
  bool justified = false;
  bool paused = false;
  bool pause_budget_spent = false;
  static_assert(policy_limits::roles <= std::numeric_limits<std::int16_t>::max(), "kind_owner holds a role index");

  // Until the log exists no clock has stopped: they are the ones open() started, all live.
  complaint_log& log() {
    if (!more) {
      more = std::make_unique<complaint_log>();
      for (std::size_t i = 0; i < clocks.size(); ++i) {
        const clock_slot& k = clocks[i];
        if (k.active()) more->live.push_back(static_cast<std::uint32_t>(i));
        if (k.origin == clock_origin::target) note_target_cycle(k.index, k.cycle);
        if (k.origin == clock_origin::promise) more->promises = std::max(more->promises, k.cycle);
      }
    }
    return *more;
  }
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
  void prune_live() {
    if (!more) return;
    auto& live = more->live;
    live.erase(std::remove_if(live.begin(), live.end(), [this](std::uint32_t i) { return !clocks[i].active(); }),
               live.end());
  }

  // The last cycle a target's clock had, 0 when it never ran.
  std::uint32_t last_target_cycle(std::uint16_t index) {
    const auto& cycles = log().target_cycles;
    const auto at = std::lower_bound(cycles.begin(), cycles.end(), std::make_pair(index, std::uint32_t{0}));
    return at != cycles.end() && at->first == index ? at->second : 0;
  }
  void note_target_cycle(std::uint16_t index, std::uint32_t cycle) {
    auto& cycles = more->target_cycles;
    const auto at = std::lower_bound(cycles.begin(), cycles.end(), std::make_pair(index, std::uint32_t{0}));
    if (at != cycles.end() && at->first == index) at->second = std::max(at->second, cycle);
    else cycles.insert(at, {index, cycle});
  }
};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

struct engine_state {
  std::vector<policy> policies;
  std::size_t current = 0;
  std::vector<std::unique_ptr<complaint_record>> slots;
  std::vector<std::uint32_t> free_slots;
  // The target selections of complaints, each distinct list of target indices kept once:
  // complaints of one kind, channel and priority share theirs.
  std::vector<std::vector<std::uint16_t>> selections;  // target indices (policy_limits::targets)
  std::map<std::vector<std::uint16_t>, std::uint32_t> selection_ids;
  // The id index: open addressing with linear probing over slot numbers; the ids themselves
  // are only in the records (a std::unordered_map<std::string, slot> would keep a second copy
  // of each id in a node of its own, about 80 bytes a complaint). An entry is the high half of
  // the id's hash beside slot + 1, so a probe reads a record only when the hashes agree.
  std::vector<std::uint64_t> table;  // 0 is empty, `tombstone` an erased entry
  std::size_t table_used = 0;        // entries and tombstones
  std::size_t table_live = 0;
  static constexpr std::uint64_t tombstone = std::numeric_limits<std::uint64_t>::max();
  std::vector<std::uint32_t> heap;  // slot numbers, min-heap on wakeup

  std::uint32_t intern_selection(const std::vector<std::uint16_t>& selected) {
    auto [at, added] = selection_ids.emplace(selected, static_cast<std::uint32_t>(selections.size()));
    if (added) selections.push_back(selected);
    return at->second;
  }
  const std::vector<std::uint16_t>& selected(const complaint_record& c) const { return selections[c.selection]; }

  // --- id index -----------------------------------------------------------------------------
  static std::uint64_t hash_id(std::string_view id) { return std::hash<std::string_view>{}(id); }
  static std::uint64_t entry_for(std::uint64_t hash, std::uint32_t slot) {
    return (hash & 0xffffffff00000000u) | (std::uint64_t{slot} + 1);
  }
  // The position of `id` in the table, or of the empty entry that ends its probe sequence.
  std::size_t probe(std::string_view id, std::uint64_t hash) const {
    const std::size_t mask = table.size() - 1;
    const std::uint64_t tag = hash & 0xffffffff00000000u;
    for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
      const std::uint64_t entry = table[i];
      if (entry == 0) return i;
      if (entry != tombstone && (entry & 0xffffffff00000000u) == tag &&
          slots[(entry & 0xffffffffu) - 1]->intake.id() == id)
        return i;
    }
  }
  std::optional<std::uint32_t> find(std::string_view id) const {
    if (table.empty()) return std::nullopt;
    const std::uint64_t entry = table[probe(id, hash_id(id))];
    if (entry == 0) return std::nullopt;
    return static_cast<std::uint32_t>((entry & 0xffffffffu) - 1);
  }
  void index_insert(std::uint32_t slot) {  // Requires: slots[slot]'s id is not in the index
    if ((table_used + 1) * 4 > table.size() * 3) {
      // Grow (or only sweep tombstones when most entries are erased ones).
      std::vector<std::uint64_t> old = std::move(table);
      std::size_t size = 16;
      while ((table_live + 1) * 2 > size) size *= 2;
      table.assign(size, 0);
      table_used = table_live;
      for (std::uint64_t entry : old) {
        if (entry == 0 || entry == tombstone) continue;
        const std::string_view id = slots[(entry & 0xffffffffu) - 1]->intake.id();
        table[probe(id, hash_id(id))] = entry;  // the entry keeps only the hash's high half
      }
    }
    const std::string_view id = slots[slot]->intake.id();
    const std::uint64_t hash = hash_id(id);
    table[probe(id, hash)] = entry_for(hash, slot);
    ++table_used;
    ++table_live;
  }
  void index_erase(std::string_view id) {  // Requires: id is in the index
    table[probe(id, hash_id(id))] = tombstone;
    --table_live;
  }

  // --- timer heap ---------------------------------------------------------------------------
  bool heap_less(std::uint32_t a, std::uint32_t b) const {
    const auto& x = *slots[a];
    const auto& y = *slots[b];
    return x.wakeup != y.wakeup ? x.wakeup < y.wakeup : a < b;
  }
  void heap_swap(std::size_t i, std::size_t j) {
    std::swap(heap[i], heap[j]);
    slots[heap[i]]->heap_position = static_cast<std::uint32_t>(i);
    slots[heap[j]]->heap_position = static_cast<std::uint32_t>(j);
  }
  void sift_up(std::size_t i) {
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!heap_less(heap[i], heap[parent])) break;
      heap_swap(i, parent);
      i = parent;
    }
  }
  void sift_down(std::size_t i) {
    for (;;) {
      const std::size_t l = 2 * i + 1, r = l + 1;
      std::size_t best = i;
      if (l < heap.size() && heap_less(heap[l], heap[best])) best = l;
      if (r < heap.size() && heap_less(heap[r], heap[best])) best = r;
      if (best == i) return;
      heap_swap(i, best);
      i = best;
    }
  }
  void heap_insert(std::uint32_t slot) {
    slots[slot]->heap_position = static_cast<std::uint32_t>(heap.size());
    heap.push_back(slot);
    sift_up(heap.size() - 1);
  }
  void heap_update(std::uint32_t slot) {
    const std::size_t i = slots[slot]->heap_position;
    sift_up(i);
    sift_down(slots[slot]->heap_position);
  }
  void heap_remove(std::uint32_t slot) {
    const std::size_t i = slots[slot]->heap_position;
    const std::size_t last = heap.size() - 1;
    if (i != last) heap_swap(i, last);
    heap.pop_back();
    if (i < heap.size()) {
      sift_up(i);
      sift_down(std::min(i, heap.size() - 1));
    }
  }

  // --- measures -----------------------------------------------------------------------------
  const policy& policy_of(const complaint_record& c) const { return policies[c.policy_index]; }
  const policy_definition& def(const complaint_record& c) const { return policy_of(c).definition(); }

  static std::int64_t measure(const clock_slot& k, std::int64_t a, std::int64_t b) {
    if (!k.working) return b - a;
    return elapsed_working_time(*k.calendar, instant::from_unix(a), instant::from_unix(b)).count();
  }
  static std::int64_t add_measure(const clock_slot& k, std::int64_t t, std::int64_t amount) {
    if (!k.working) return t + amount;
    return deadline(*k.calendar, instant::from_unix(t),
                    duration_spec{amount, duration_spec::unit::business_seconds})
        .unix_seconds();
  }
  std::int64_t consumed_at(const clock_slot& k, std::int64_t now) const {
    if (k.state == clock_state::running) return k.consumed_before + measure(k, k.resumed_at, std::max(now, k.resumed_at));
    return k.consumed_before;
  }

  const std::vector<escalation_step>* ladder(const complaint_record& c, const clock_slot& k) const {
    if (k.origin == clock_origin::target) return &def(c).targets[k.index].escalate;
    if (k.origin == clock_origin::promise) return &def(c).promises.escalate;
    return nullptr;
  }
  std::string clock_name(const complaint_record& c, const clock_slot& k) const {
    if (k.origin == clock_origin::target) return def(c).targets[k.index].name;
    if (k.origin == clock_origin::promise) return "promise";
    return "corrective-action";
  }
  std::string clock_owner(const complaint_record& c, const clock_slot& k) const {
    if (k.origin == clock_origin::target && !def(c).targets[k.index].owner.empty())
      return def(c).targets[k.index].owner;
    if (k.origin == clock_origin::corrective_action) return c.log().corrective[k.cycle - 1].owner;
    if (!c.owner.empty()) return c.owner;
    return kind_owner(c);  // before anyone owns the complaint: whoever will own its kind
  }
  // The role the policy makes owner of the complaint's kind (and region), or "" when none.
  std::string kind_owner(const complaint_record& c) const {
    return c.kind_owner >= 0 ? def(c).roles[static_cast<std::size_t>(c.kind_owner)].id : std::string();
  }

  // A level's instant, or nullopt while the clock is paused, or when the instant lies where the
  // calendar cannot count (beyond its `valid` range or year 9999): such a level is not
  // scheduled, and status() shows it without an instant.
  std::optional<std::int64_t> level_instant(const clock_slot& k, const escalation_step& step) const {
    try {
      return level_instant_or_throw(k, step);
    } catch (const error&) {
      return std::nullopt;
    }
  }

  std::optional<std::int64_t> level_instant_or_throw(const clock_slot& k, const escalation_step& step) const {
    if (k.state != clock_state::running) return std::nullopt;
    switch (step.at) {
      case escalation_step::anchor::percent: {
        if (step.percent >= 100) return k.due;
        const std::int64_t threshold = (k.budget * step.percent + 99) / 100;
        if (threshold <= k.consumed_before) return k.resumed_at;
        return add_measure(k, k.resumed_at, threshold - k.consumed_before);
      }
      // A level whose instant had already passed when the clock started (or resumed) falls due
      // then, as a percent level already reached does: never before its clock runs, so it fires
      // with the event that started the clock, not as if it had been due before it existed.
      case escalation_step::anchor::after_due: {
        const duration_spec& d = step.offset;
        if (d.is_elapsed()) return std::max(k.resumed_at, k.due + d.seconds());
        return std::max(k.resumed_at, deadline(*k.calendar, instant::from_unix(k.due), d).unix_seconds());
      }
      case escalation_step::anchor::before_due: {
        const duration_spec& d = step.offset;
        if (d.is_elapsed()) return std::max(k.resumed_at, k.due - d.seconds());
        return std::max(k.resumed_at,
                        deadline(*k.calendar, instant::from_unix(k.due), duration_spec{-d.count, d.what})
                            .unix_seconds());
      }
    }
    return std::nullopt;
  }

  // The next instant at which something falls due on one clock.
  std::int64_t clock_next(const complaint_record& c, const clock_slot& k) const {
    if (k.state != clock_state::running) return never;
    if (!k.stale) return k.next_at;
    std::int64_t next = k.breached ? never : k.due + 1;
    if (const auto* steps = ladder(c, k)) {
      for (std::size_t i = 0; i < steps->size(); ++i) {
        if (k.fired & (1u << i)) continue;
        if (auto at = level_instant(k, (*steps)[i])) next = std::min(next, *at);
      }
    }
    k.next_at = next;
    k.stale = false;
    return next;
  }

  // The next instant at which something falls due for this complaint.
  std::int64_t compute_wakeup(const complaint_record& c) const {
    std::int64_t next = never;
    c.for_live([&](const clock_slot& k) { next = std::min(next, clock_next(c, k)); });
    if (c.paused && def(c).pauses.budget && !c.pause_budget_spent)
      next = std::min(next, pause_budget_end(c));
    return next;
  }

  std::int64_t pause_budget_end(const complaint_record& c) const {
    const duration_spec& b = *def(c).pauses.budget;
    const std::int64_t left = std::max<std::int64_t>(0, b.seconds() - c.pause_used);
    try {
      return deadline(*c.calendar, instant::from_unix(c.pause_from),
                      duration_spec{left, duration_spec::unit::business_seconds})
          .unix_seconds();
    } catch (const error&) {
      return never;  // beyond the calendar's range: the budget cannot run out inside it
    }
  }

  // --- actions ------------------------------------------------------------------------------
  static std::string action_id(const complaint_record& c, const std::string& clock, const std::string& level,
                               std::uint64_t cycle) {
    return c.intake.id_text() + "/" + clock + "/" + level + "/c" + std::to_string(cycle);
  }

  void change_owner(complaint_record& c, const std::string& role, std::int64_t t) {
    if (role == c.owner) return;
    if (!c.owner.empty() && c.owner_since != detail::no_instant) {
      try {
        c.log().ledger[c.owner] += elapsed_working_time(*c.calendar, instant::from_unix(c.owner_since),
                                                  instant::from_unix(t)).count();
      } catch (const error&) {
        // Outside the calendar's range there is no working time to attribute.
      }
    }
    c.owner = role;
    c.owner_since = t;
    lifecycle_set_owner(c.state, policy_of(c).role_index(role));
  }

  void fire_level(complaint_record& c, clock_slot& k, std::size_t level, std::int64_t at,
                  std::vector<action>& out) {
    const escalation_step& step = (*ladder(c, k))[level];
    k.fired |= 1u << level;
    k.stale = true;
    action a;
    const std::string name = clock_name(c, k);
    a.id = action_id(c, name, "L" + std::to_string(level + 1), k.cycle);
    a.what = action::kind::escalation;
    a.complaint = c.intake.id();
    a.target = name;
    a.level = static_cast<int>(level + 1);
    a.cycle = static_cast<int>(k.cycle);  // at most max_clocks
    a.at = instant::from_unix(at);
    a.by_when = instant::from_unix(k.due);
    for (const std::string& role : step.notify) {
      const std::string who = role == "owner" ? clock_owner(c, k) : role;
      if (!who.empty()) a.notify.push_back(who);  // "owner" when no role owns it or its kind
    }
    a.assign = step.assign;
    a.record = step.record;
    if (!step.assign.empty()) {
      change_owner(c, step.assign, at);
      lifecycle_raise_level(c.state);
    }
    // Who must act: the new owner when the level reassigns, else the clock's owner (before
    // registration, the owner of its kind); when its kind has none, the first role notified.
    a.who = step.assign.empty() ? clock_owner(c, k) : step.assign;
    if (a.who.empty() && !a.notify.empty()) a.who = a.notify.front();
    a.summary = name + " at " + step.label + " (due " + format_rfc3339(instant::from_unix(k.due), c.calendar->zone()) + ")";
    if (!step.assign.empty()) a.summary += ": reassign to " + step.assign;
    if (!a.notify.empty()) a.summary += (step.assign.empty() ? ": notify " : "; notify ") + join(a.notify);
    if (!step.record.empty()) a.summary += "; record \"" + step.record + "\"";
    out.push_back(std::move(a));
  }

  void fire_breach(complaint_record& c, clock_slot& k, std::int64_t at, std::vector<action>& out) {
    k.breached = true;
    k.stale = true;
    action a;
    const std::string name = clock_name(c, k);
    a.id = action_id(c, name, "breach", k.cycle);
    a.what = k.origin == clock_origin::promise ? action::kind::promise_breach : action::kind::breach;
    a.complaint = c.intake.id();
    a.target = name;
    a.cycle = static_cast<int>(k.cycle);  // at most max_clocks
    a.at = instant::from_unix(at);
    a.by_when = instant::from_unix(k.due);
    a.who = clock_owner(c, k);
    if (k.origin == clock_origin::corrective_action) a.verifier = c.log().corrective[k.cycle - 1].verifier;
    a.summary = name + " breached: due " + format_rfc3339(instant::from_unix(k.due), c.calendar->zone()) +
                " passed while it ran";
    out.push_back(std::move(a));
  }

  // Fires everything of `c` due exactly at `w`, in clock order then ladder order.
  void fire_at(complaint_record& c, std::int64_t w, std::vector<action>& out) {
    c.for_live([&](clock_slot& k) {
      if (clock_next(c, k) > w) return;
      if (const auto* steps = ladder(c, k)) {
        for (std::size_t l = 0; l < steps->size(); ++l) {
          if (k.fired & (1u << l)) continue;
          auto at = level_instant(k, (*steps)[l]);
          if (at && *at <= w) fire_level(c, k, l, w, out);
        }
      }
      if (!k.breached && k.due + 1 <= w) fire_breach(c, k, w, out);
    });
    if (c.paused && def(c).pauses.budget && !c.pause_budget_spent && pause_budget_end(c) <= w) {
      c.pause_budget_spent = true;
      try {
        end_pause(c, w);
      } catch (const error&) {
        // Resuming needs working time the calendar does not have: the clocks stay paused.
      }
      action a;
      a.id = action_id(c, "pause", "budget", c.log().pauses.size());
      a.what = action::kind::pause_ended;
      a.complaint = c.intake.id();
      a.target = "pause";
      a.at = instant::from_unix(w);
      a.who = c.owner;
      a.summary = "the pause budget of " + def(c).pauses.budget->to_string() + " is spent: clocks run again";
      out.push_back(std::move(a));
    }
    c.last_fired = w;
  }

  // Fires every timer of `c` due before `limit` (strictly) or at/before it.
  void catch_up(complaint_record& c, std::int64_t limit, bool inclusive, std::vector<action>& out) {
    for (;;) {
      const std::int64_t w = compute_wakeup(c);
      if (w == never || (inclusive ? w > limit : w >= limit)) return;
      fire_at(c, w, out);
    }
  }

  // --- clocks -------------------------------------------------------------------------------
  // A complaint's clocks grow one at a time, to their exact count while they are a few (most
  // complaints have fewer than 8, kept for its life), then by doubling (a long-lived periodic
  // target adds one per cycle). Requires: the log exists (apply() makes it).
  static void add_clock(complaint_record& c, const clock_slot& k) {
    if (c.clocks.size() == c.clocks.capacity())
      c.clocks.reserve(c.clocks.size() < 8 ? c.clocks.size() + 1 : c.clocks.size() * 2);
    c.log().live.push_back(static_cast<std::uint32_t>(c.clocks.size()));
    c.clocks.push_back(k);
    if (k.origin == clock_origin::target) c.note_target_cycle(k.index, k.cycle);
    if (k.origin == clock_origin::promise) c.log().promises = std::max(c.log().promises, k.cycle);
  }

  clock_slot start_target(complaint_record& c, std::uint16_t target_index, std::int64_t t, std::uint32_t cycle) {
    const target_definition& target = def(c).targets[target_index];
    clock_slot k;
    k.origin = clock_origin::target;
    k.index = target_index;
    k.cycle = cycle;
    k.calendar = target.calendar.empty() ? c.calendar : &policy_of(c).calendar(target.calendar);
    k.working = !target.within.is_elapsed();
    k.start = k.resumed_at = t;
    const instant due = deadline(*k.calendar, instant::from_unix(t), target.within, target.options);
    k.due = due.unix_seconds();
    if (target.within.is_day_period()) k.last_day = day_period_last_day(k, target, t);
    k.budget = measure(k, k.start, k.due);
    return k;
  }

  // The last day of a day-period clock, recomputed the way deadline() does.
  std::int64_t day_period_last_day(const clock_slot& k, const target_definition& target, std::int64_t t) const {
    const business_calendar& cal = *k.calendar;
    instant received = instant::from_unix(t);
    if (target.options.receipt == receipt_rule::next_business_day_if_closed && !cal.is_open(received))
      received = cal.next_open(received);
    // The deadline's local date is the last day, except end-of-day/close-of-business may end on
    // the next date (an overnight close): search back from the due's date.
    civil_date last = cal.local_date(instant::from_unix(k.due));
    if (target.options.end == day_end::end_of_day) return last.days_since_epoch();
    if (target.options.end == day_end::close_of_business) {
      for (int back = 0; back < 2; ++back) {
        const civil_date d = civil_date::from_days(last.days_since_epoch() - back);
        auto close = cal.close_of_business(d);
        if (close && close->unix_seconds() == k.due) return d.days_since_epoch();
        if (!close && cal.end_of_day(d).unix_seconds() == k.due) return d.days_since_epoch();
      }
    }
    return last.days_since_epoch();
  }

  std::int64_t due_for_last_day(const clock_slot& k, const target_definition& target) const {
    const business_calendar& cal = *k.calendar;
    const civil_date last = civil_date::from_days(k.last_day);
    switch (target.options.end) {
      case day_end::end_of_day: return cal.end_of_day(last).unix_seconds();
      case day_end::close_of_business:
        if (auto close = cal.close_of_business(last)) return close->unix_seconds();
        return cal.end_of_day(last).unix_seconds();
      case day_end::same_time: {
        instant received = instant::from_unix(k.start);
        if (target.options.receipt == receipt_rule::next_business_day_if_closed && !cal.is_open(received))
          received = cal.next_open(received);
        civil_time wall = cal.zone().to_civil(received);
        wall.date = last;
        return cal.zone().resolve(wall).unix_seconds();
      }
    }
    return k.due;
  }

  // A fired level's instant is where the ladder puts it while nothing has moved the clock since;
  // before a change that can move it (a pause, a stop, an extension, a cancellation), the
  // instants of the fired levels are written to the log, so status() reports when they fired.
  // (Recording them as they fire would allocate the log on advance(), the hot path.)
  void freeze_fired(complaint_record& c, const clock_slot& k) const {  // const: of the engine
    if (!k.fired || k.state != clock_state::running) return;
    const auto* steps = ladder(c, k);
    if (!steps) return;
    const auto index = static_cast<std::uint32_t>(&k - c.clocks.data());
    for (std::size_t l = 0; l < steps->size(); ++l) {
      if (!(k.fired & (1u << l)) || fired_at(c, index, l)) continue;
      if (auto at = level_instant(k, (*steps)[l])) {
        auto& fired = c.log().fired;
        const fired_level f{index, static_cast<std::uint32_t>(l), *at};
        fired.insert(std::upper_bound(fired.begin(), fired.end(), f, fired_before), f);
      }
    }
  }
  static bool fired_before(const fired_level& a, const fired_level& b) {
    return a.clock != b.clock ? a.clock < b.clock : a.level < b.level;
  }
  // The instant a level fired, once written to the log.
  static std::optional<std::int64_t> fired_at(const complaint_record& c, std::uint32_t clock, std::size_t level) {
    const auto& fired = c.log().fired;
    const fired_level key{clock, static_cast<std::uint32_t>(level), 0};
    const auto at = std::lower_bound(fired.begin(), fired.end(), key, fired_before);
    if (at != fired.end() && at->clock == clock && at->level == level) return at->at;
    return std::nullopt;
  }

  void stop_clock(complaint_record& c, clock_slot& k, std::int64_t t) {
    freeze_fired(c, k);
    k.stale = true;
    if (k.state == clock_state::running) k.consumed_before += measure(k, k.resumed_at, t);
    k.stopped = t;
    k.state = (!k.breached && t <= k.due) ? clock_state::met : clock_state::breached;
  }

  void pause_clock(complaint_record& c, clock_slot& k, std::int64_t t) {
    if (k.state != clock_state::running) return;
    freeze_fired(c, k);
    k.stale = true;
    k.consumed_before += measure(k, k.resumed_at, t);
    k.resumed_at = t;  // now: when it paused
    k.state = clock_state::paused;
  }

  void resume_clock(complaint_record& c, clock_slot& k, std::int64_t t) {
    if (k.state != clock_state::paused) return;
    k.stale = true;
    const std::int64_t from = k.resumed_at;  // when it paused
    if (from > k.due) {
      // Paused when already overdue: the deadline was missed before the pause, and waiting
      // on the customer afterwards does not move it.
    } else if (k.origin == clock_origin::target) {
      const target_definition& target = def(c).targets[k.index];
      if (target.within.is_day_period()) {
        const std::int64_t days = k.calendar->business_days_wholly_within(instant::from_unix(from), instant::from_unix(t));
        if (days > 0) {
          k.last_day = k.calendar->business_day_after(civil_date::from_days(k.last_day), days).days_since_epoch();
          k.due = due_for_last_day(k, target);
          k.shift += days;
        }
      } else {
        const std::int64_t moved = measure(k, from, t);
        k.due = add_measure(k, k.due, moved);
        k.shift += moved;
      }
    } else {
      const std::int64_t moved = measure(k, from, t);
      k.due = add_measure(k, k.due, moved);
      k.shift += moved;
    }
    k.resumed_at = t;
    k.state = clock_state::running;
    k.budget = k.consumed_before + measure(k, t, std::max(t, k.due));
  }

  // The reassigning levels (each raises the escalation level) the live clocks can still fire.
  std::int64_t levels_to_come(const complaint_record& c) const {
    std::int64_t n = 0;
    c.for_live([&](const clock_slot& k) {
      const auto* steps = k.active() ? ladder(c, k) : nullptr;
      if (!steps) return;
      for (std::size_t i = 0; i < steps->size(); ++i)
        if (!(k.fired & (1u << i)) && !(*steps)[i].assign.empty()) ++n;
    });
    return n;
  }

  bool pauses_in(const complaint_record& c, const clock_slot& k, complaint_state s) const {
    if (k.origin != clock_origin::target) return false;
    const auto& p = def(c).targets[k.index].pauses;
    return std::find(p.begin(), p.end(), s) != p.end();
  }

  void end_pause(complaint_record& c, std::int64_t t) {
    c.for_live([&](clock_slot& k) {
      if (k.state == clock_state::paused) resume_clock(c, k, t);
    });
    if (c.paused) {
      const std::int64_t worked = elapsed_working_time(*c.calendar, instant::from_unix(c.pause_from), instant::from_unix(t)).count();
      c.pause_used += worked;
      c.log().pauses.back().to = instant::from_unix(t);
      c.log().pauses.back().working = std::chrono::seconds{worked};
      c.paused = false;
    }
  }
};

}  // namespace detail

// ==================================================================================================

namespace {

engine_error fail(engine_error::kind k, std::string message) { return engine_error{k, std::move(message)}; }

bool trigger_matches(const lifecycle_trigger& trig, lifecycle_event e, const lifecycle_state& before,
                     const lifecycle_state& after) {
  switch (trig.what) {
    case lifecycle_trigger::kind::event: return static_cast<lifecycle_event>(trig.value) == e;
    case lifecycle_trigger::kind::state:
      return detail::lifecycle_main(after) != detail::lifecycle_main(before) &&
             static_cast<complaint_state>(trig.value) == detail::lifecycle_main(after);
    case lifecycle_trigger::kind::plan_state:
      return detail::lifecycle_plan(after) != detail::lifecycle_plan(before) &&
             static_cast<action_plan_state>(trig.value) == detail::lifecycle_plan(after);
  }
  return false;
}

}  // namespace

engine::engine(policy current) : state_(std::make_unique<detail::engine_state>()) {
  state_->policies.push_back(std::move(current));
}
engine::~engine() = default;
engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;

void engine::add_policy(policy p, bool make_current) {
  if (state_->policies.size() > std::numeric_limits<std::uint16_t>::max())
    throw std::length_error("an engine holds at most 65,536 policy versions");
  state_->policies.push_back(std::move(p));
  if (make_current) state_->current = state_->policies.size() - 1;
}

std::size_t engine::size() const noexcept { return state_->table_live; }

outcome<std::vector<action>> engine::open(const complaint_intake& intake) {
  detail::engine_state& s = *state_;
  if (intake.id.empty()) return fail(engine_error::kind::invalid_intake, "a complaint needs an id");
  if (s.find(intake.id))
    return fail(engine_error::kind::duplicate_complaint, "complaint " + intake.id + " is already open");
  const policy& p = s.policies[s.current];
  const policy_definition& d = p.definition();
  // Vocabulary: every classification given must be declared.
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
  // Intake requirements: a formal complaint is not anonymous.
  std::vector<std::string> required = d.required_fields;
  if (auto channel = intake.attributes.find("channel"); channel != intake.attributes.end()) {
    if (auto extra = d.required_by_channel.find(channel->second); extra != d.required_by_channel.end())
      required.insert(required.end(), extra->second.begin(), extra->second.end());
  }
  for (const std::string& field : required) {
    auto value = intake.attributes.find(field);
    if (value == intake.attributes.end() || value->second.find_first_not_of(" \t") == std::string::npos) {
      auto channel = intake.attributes.find("channel");
      return fail(engine_error::kind::invalid_intake,
                  "complaint " + intake.id + " lacks '" + field + "', which policy \"" + d.name +
                      "\" requires" +
                      (channel != intake.attributes.end() ? " for " + channel->second + " complaints" : std::string()));
    }
  }

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
  // One variant per target name: the first whose selector matches.
  std::vector<std::string> seen;
  std::vector<std::uint16_t> selected;
  for (std::size_t i = 0; i < d.targets.size(); ++i) {
    const target_definition& t = d.targets[i];
    if (std::find(seen.begin(), seen.end(), t.name) != seen.end()) continue;
    if (!t.when.matches(intake.attributes)) continue;
    seen.push_back(t.name);
    selected.push_back(static_cast<std::uint16_t>(i));
  }
  c.selection = s.intern_selection(selected);
  c.kind_owner = static_cast<std::int16_t>(p.role_index(p.owner_for(intake.attributes)));
  const std::int64_t t = intake.received.unix_seconds();
  std::vector<action> out;
  try {
    // The clocks that start on receipt, in one allocation of their exact size.
    const auto starts_on_receipt = [&d](std::uint16_t index) {
      return d.targets[index].starts == lifecycle_trigger::entering(complaint_state::received);
    };
    c.clocks.reserve(static_cast<std::size_t>(std::count_if(selected.begin(), selected.end(), starts_on_receipt)));
    for (std::uint16_t index : selected)
      if (starts_on_receipt(index)) c.clocks.push_back(s.start_target(c, index, t, 1));
  } catch (const error& e) {
    return fail(engine_error::kind::calendar_error, "complaint " + intake.id + ": " + e.what());
  }
  if (const std::int64_t to_come = s.levels_to_come(c); to_come > detail::escalation_limit)
    return fail(engine_error::kind::invalid_intake,
                "complaint " + intake.id + " cannot be opened: the clocks it starts can reassign it " +
                    std::to_string(to_come) + " times, past the escalation level's limit of " +
                    std::to_string(detail::escalation_limit));
  c.last_event = t;
  c.wakeup = s.compute_wakeup(c);

  std::uint32_t slot;
  if (!s.free_slots.empty()) {
    slot = s.free_slots.back();
    s.free_slots.pop_back();
    s.slots[slot] = std::move(record);
  } else {
    slot = static_cast<std::uint32_t>(s.slots.size());
    s.slots.push_back(std::move(record));
  }
  s.index_insert(slot);
  s.heap_insert(slot);
  return out;
}

outcome<std::vector<action>> engine::apply(std::string_view id, const complaint_event& e) {
  detail::engine_state& s = *state_;
  const auto found = s.find(id);
  if (!found) return fail(engine_error::kind::unknown_complaint, "no open complaint " + std::string(id));
  const std::uint32_t slot = *found;
  detail::complaint_record& c = *s.slots[slot];
  const policy& p = s.policy_of(c);
  const policy_definition& d = p.definition();
  const std::int64_t t = e.at.unix_seconds();
  const std::string event_name(to_string(e.what));
  if (t < c.last_event)
    return fail(engine_error::kind::out_of_order,
                "complaint " + c.intake.id_text() + ": '" + event_name + "' at " + e.at.to_string() +
                    " is earlier than its last event at " + instant::from_unix(c.last_event).to_string());
  if (t <= c.last_fired)
    return fail(engine_error::kind::out_of_order,
                "complaint " + c.intake.id_text() + ": '" + event_name + "' at " + e.at.to_string() +
                    " is not after the actions already fired at " + instant::from_unix(c.last_fired).to_string() +
                    " (apply events before advancing past them)");

  // Validate everything before changing anything: a rejected event leaves the complaint as it was.
  const auto stepped = detail::lifecycle_step(c.state, e, d.lifecycle, p);
  if (!stepped.accepted)
    return fail(engine_error::kind::rejected_event, "complaint " + c.intake.id_text() + ": " + stepped.rejection);
  const complaint_state before_main = detail::lifecycle_main(c.state);
  const complaint_state after_main = detail::lifecycle_main(stepped.state);
  if ((e.what == lifecycle_event::assign) && p.role_index(e.role) < 0)
    return fail(engine_error::kind::rejected_event,
                "complaint " + c.intake.id_text() + ": 'assign' needs a declared role, not '" + e.role + "'");
  if (e.what == lifecycle_event::promise) {
    if (!e.promised)
      return fail(engine_error::kind::rejected_event,
                  "complaint " + c.intake.id_text() + ": 'promise' needs the promised instant");
    if (e.promised->unix_seconds() <= t)
      return fail(engine_error::kind::rejected_event,
                  "complaint " + c.intake.id_text() + ": the promised instant " + e.promised->to_string() +
                      " is not after the promise at " + e.at.to_string());
  }
  if (e.what == lifecycle_event::plan_action && e.action_due && e.action_due->unix_seconds() <= t)
    return fail(engine_error::kind::rejected_event,
                "complaint " + c.intake.id_text() + ": the corrective action's due instant " + e.action_due->to_string() +
                    " is not after it is planned at " + e.at.to_string());
  bool starts_pause = false;
  if (after_main != before_main && !c.paused) {
    std::as_const(c).for_live([&](const detail::clock_slot& k) {
      if (k.state == clock_state::running && s.pauses_in(c, k, after_main) && !s.pauses_in(c, k, before_main))
        starts_pause = true;
    });
  }
  if (starts_pause) {
    if (d.pauses.reason_required && e.reason.find_first_not_of(" \t") == std::string::npos)
      return fail(engine_error::kind::pause_refused,
                  "complaint " + c.intake.id_text() + ": '" + event_name + "' pauses the clocks, and policy \"" +
                      d.name + "\" requires a reason for every pause");
    if (d.pauses.budget && c.pause_budget_spent &&
        d.pauses.when_exceeded == pause_rules::over_budget::refuse)
      return fail(engine_error::kind::pause_refused,
                  "complaint " + c.intake.id_text() + ": its pause budget of " + d.pauses.budget->to_string() +
                      " is spent; the clocks cannot pause again");
  }

  // One event starts at most a clock per selected target, a promise and a corrective action.
  if (c.clocks.size() + s.selected(c).size() + 2 > detail::max_clocks)
    return fail(engine_error::kind::rejected_event,
                "complaint " + c.intake.id_text() + ": '" + event_name + "' refused: the complaint has started " +
                    std::to_string(c.clocks.size()) + " clocks, and one complaint holds at most " +
                    std::to_string(detail::max_clocks));

  std::vector<action> out;
  const std::int64_t fired_before = c.last_fired;
  std::string refusal;  // when set, the event is refused after all, and the complaint rebuilt
  engine_error::kind refused_as = engine_error::kind::rejected_event;
  try {
    (void)c.log();  // from here on, the live clocks are kept in it
    s.catch_up(c, t, false, out);
    // Actions that fired in the catch-up may have changed the owner or the escalation level
    // (never what is legal): step again from the state they left.
    const auto restepped = detail::lifecycle_step(c.state, e, d.lifecycle, p);
    const lifecycle_state before = c.state;
    c.state = restepped.accepted ? restepped.state : stepped.state;
    if (e.what == lifecycle_event::propose_resolution) c.justified = e.justified;

    // Responsibility: the owner from the policy on registration; assign moves it.
    std::string new_owner;
    if (e.what == lifecycle_event::assign) new_owner = e.role;
    if (after_main == complaint_state::registered && before_main != complaint_state::registered && c.owner.empty())
      new_owner = !e.role.empty() && p.role_index(e.role) >= 0 ? e.role : s.kind_owner(c);
    if (!new_owner.empty() && new_owner != c.owner) {
      s.change_owner(c, new_owner, t);
      action a;
      a.id = c.intake.id_text() + "/owner/" + new_owner + "/e" + std::to_string(c.log().events.size() + 1);
      a.what = action::kind::assignment;
      a.complaint = c.intake.id();
      a.at = e.at;
      a.who = new_owner;
      a.assign = new_owner;
      a.summary = c.intake.id_text() + " is now owned by " + new_owner + " (" + p.role_title(new_owner) + ")";
      out.push_back(std::move(a));
    }

    // Stops, met or breached.
    c.for_live([&](detail::clock_slot& k) {
      if (!k.active()) return;
      const std::vector<lifecycle_trigger>* stops = nullptr;
      if (k.origin == detail::clock_origin::target) stops = &d.targets[k.index].stops;
      else if (k.origin == detail::clock_origin::promise) stops = &d.promises.kept_by;
      if (stops) {
        for (const lifecycle_trigger& trig : *stops)
          if (trigger_matches(trig, e.what, before, c.state)) {
            s.stop_clock(c, k, t);
            break;
          }
      } else if (k.origin == detail::clock_origin::corrective_action && e.what == lifecycle_event::complete_action) {
        s.stop_clock(c, k, t);
        c.log().corrective[k.cycle - 1].done = t;
      }
    });
    // Verified: the actions done and not yet verified. The lifecycle plans one at a time (plan,
    // complete, verify, plan again), so they are the last ones, after the last one verified.
    if (e.what == lifecycle_event::verify_action) {
      auto& items = c.log().corrective;
      for (auto item = items.rbegin(); item != items.rend() && !item->verified; ++item)
        if (item->done) item->verified = t;
    }

    // Extensions: the due becomes the extended one, counted from the clock's original start
    // (then moved by the pauses so far, as the original was).
    c.for_live([&](detail::clock_slot& k) {
      if (k.origin != detail::clock_origin::target || !k.active() || k.extended || k.breached) return;
      const target_definition& target = d.targets[k.index];
      if (!target.extension || target.extension->condition != e.what || t > k.due) return;
      const instant base = deadline(*k.calendar, instant::from_unix(k.start), target.extension->within, target.options);
      s.freeze_fired(c, k);
      k.extended = true;
      k.stale = true;
      if (target.within.is_day_period()) {
        k.due = base.unix_seconds();
        k.last_day = s.day_period_last_day(k, target, k.start);
        if (k.shift > 0) {
          k.last_day = k.calendar->business_day_after(civil_date::from_days(k.last_day), k.shift).days_since_epoch();
          k.due = s.due_for_last_day(k, target);
        }
      } else {
        k.due = s.add_measure(k, base.unix_seconds(), k.shift);
      }
      if (k.state == clock_state::running) k.budget = k.consumed_before + s.measure(k, k.resumed_at, std::max(k.resumed_at, k.due));
    });

    // Periodic targets re-arm on an update: the next period counts from the update.
    std::vector<std::uint16_t> rearmed;
    c.for_live([&](detail::clock_slot& k) {
      if (k.origin != detail::clock_origin::target || !k.active()) return;
      const target_definition& target = d.targets[k.index];
      if (!target.periodic) return;
      bool rearm = false;
      for (const lifecycle_trigger& trig : target.rearm_on) rearm = rearm || trigger_matches(trig, e.what, before, c.state);
      if (!rearm) return;
      s.stop_clock(c, k, t);
      rearmed.push_back(k.index);
    });
    for (std::uint16_t index : rearmed) s.add_clock(c, s.start_target(c, index, t, c.last_target_cycle(index) + 1));

    // Withdrawn or closed: the complaint's clocks end (corrective actions do not dissolve).
    if (after_main != before_main &&
        (after_main == complaint_state::withdrawn || after_main == complaint_state::closed)) {
      if (c.paused) s.end_pause(c, t);
      c.for_live([&](detail::clock_slot& k) {
        if (k.active() && k.origin != detail::clock_origin::corrective_action) {
          s.freeze_fired(c, k);
          if (k.state == clock_state::running) k.consumed_before += s.measure(k, k.resumed_at, t);
          k.state = clock_state::cancelled;
          k.stopped = t;
        }
      });
      if (!c.owner.empty() && c.owner_since != detail::no_instant) {
        c.log().ledger[c.owner] += elapsed_working_time(*c.calendar, instant::from_unix(c.owner_since), e.at).count();
        c.owner_since = detail::no_instant;
      }
    }
    if (before_main == complaint_state::closed && after_main != complaint_state::closed && !c.owner.empty())
      c.owner_since = t;

    // Pauses follow the states the targets name.
    if (after_main != before_main) {
      bool any_paused = false;
      c.for_live([&](detail::clock_slot& k) {
        if (!k.active() || k.origin != detail::clock_origin::target) return;
        const bool pause_now = s.pauses_in(c, k, after_main);
        if (pause_now && k.state == clock_state::running && !(c.pause_budget_spent && d.pauses.budget)) {
          s.pause_clock(c, k, t);
          any_paused = true;
        } else if (!pause_now && k.state == clock_state::paused) {
          s.resume_clock(c, k, t);
        }
      });
      if (any_paused && !c.paused) {
        c.paused = true;
        c.pause_from = t;
        c.log().pauses.push_back(pause_record{e.at, std::nullopt, e.reason, e.actor, std::chrono::seconds{0}});
      }
      bool still_paused = false;
      std::as_const(c).for_live([&](const detail::clock_slot& k) { still_paused = still_paused || k.state == clock_state::paused; });
      if (c.paused && !still_paused) s.end_pause(c, t);
    }

    // Starts: a target whose start condition happens and that has no clock running starts one.
    for (std::uint16_t index : s.selected(c)) {
      const target_definition& target = d.targets[index];
      if (!trigger_matches(target.starts, e.what, before, c.state)) continue;
      bool active = false;
      std::as_const(c).for_live([&](const detail::clock_slot& k) {
        active = active || (k.origin == detail::clock_origin::target && k.index == index && k.active());
      });
      if (active) continue;
      if (after_main == complaint_state::withdrawn || after_main == complaint_state::closed) continue;
      detail::clock_slot k = s.start_target(c, index, t, c.last_target_cycle(index) + 1);
      if (s.pauses_in(c, k, after_main) && c.paused) s.pause_clock(c, k, t);
      s.add_clock(c, k);
    }

    // A promise is a clock whose due instant is the promised one.
    if (e.what == lifecycle_event::promise) {
      c.for_live([&](detail::clock_slot& k) {
        if (k.origin == detail::clock_origin::promise && k.active()) {
          s.freeze_fired(c, k);
          if (k.state == clock_state::running) k.consumed_before += s.measure(k, k.resumed_at, t);
          k.state = clock_state::cancelled;  // replaced by the new promise
          k.stopped = t;
        }
      });
      detail::clock_slot k;
      k.origin = detail::clock_origin::promise;
      k.index = detail::no_template;
      k.cycle = c.log().promises + 1;
      k.calendar = c.calendar;
      k.working = true;
      k.start = k.resumed_at = t;
      k.due = e.promised->unix_seconds();
      k.budget = s.measure(k, k.start, k.due);
      s.add_clock(c, k);
    }

    // A corrective action plan: who, what, by when, verifier.
    if (e.what == lifecycle_event::plan_action) {
      detail::corrective_item item;
      const corrective_action_template* tmpl = nullptr;
      const complaint_attributes attributes = c.intake.attributes();
      for (const corrective_action_template& candidate : d.corrective_actions)
        if (candidate.when.matches(attributes, c.justified)) {
          tmpl = &candidate;
          break;
        }
      item.what = !e.action_what.empty() ? e.action_what : tmpl ? tmpl->what : "";
      item.owner = !e.action_owner.empty() ? e.action_owner : tmpl ? tmpl->owner : c.owner;
      item.verifier = !e.action_verifier.empty() ? e.action_verifier : tmpl ? tmpl->verifier : "";
      item.planned = t;
      if (e.action_due) item.due = e.action_due->unix_seconds();
      else if (tmpl) item.due = deadline(*c.calendar, e.at, tmpl->within).unix_seconds();
      else item.due = deadline(*c.calendar, e.at, duration_spec{10, duration_spec::unit::business_days}).unix_seconds();
      detail::clock_slot k;
      k.origin = detail::clock_origin::corrective_action;
      k.index = tmpl ? static_cast<std::uint16_t>(tmpl - d.corrective_actions.data()) : detail::no_template;
      k.cycle = static_cast<std::uint32_t>(c.log().corrective.size() + 1);  // at most max_clocks
      k.calendar = c.calendar;
      k.working = true;
      k.start = k.resumed_at = t;
      k.due = item.due;
      k.budget = s.measure(k, k.start, k.due);
      item.clock = c.clocks.size();
      s.add_clock(c, k);
      action a;
      a.id = c.intake.id_text() + "/corrective-action/planned/c" + std::to_string(k.cycle);
      a.what = action::kind::corrective_action;
      a.complaint = c.intake.id();
      a.target = "corrective-action";
      a.cycle = static_cast<int>(k.cycle);
      a.at = e.at;
      a.who = item.owner;
      a.by_when = instant::from_unix(item.due);
      a.verifier = item.verifier;
      a.summary = item.owner + " to " + (item.what.empty() ? std::string("carry out the corrective action") : item.what) +
                  " by " + format_rfc3339(instant::from_unix(item.due), c.calendar->zone()) +
                  (item.verifier.empty() ? std::string() : "; verified by " + item.verifier);
      c.log().corrective.push_back(std::move(item));
      out.push_back(std::move(a));
    }

    // The escalation level, with the reassigning levels still to come, stays within its limit.
    const std::int64_t level = detail::lifecycle_level(c.state), to_come = s.levels_to_come(c);
    if (level + to_come > detail::escalation_limit)
      refusal = "complaint " + c.intake.id_text() + ": '" + event_name + "' refused: its escalation level would be " +
                std::to_string(level) + " with " + std::to_string(to_come) +
                " reassigning level(s) still to come on its clocks, past the limit of " +
                std::to_string(detail::escalation_limit);
  } catch (const error& err) {
    // A calendar limit reached while recomputing (e.g. a deadline past the calendar's valid
    // range).
    refusal = "complaint " + c.intake.id_text() + ": " + err.what();
    refused_as = engine_error::kind::calendar_error;
  }
  if (!refusal.empty()) {
    // The complaint may be partly changed. Rebuild it from its history without this event, as
    // it was before the call (its state is a pure function of that history).
    complaint_snapshot before;
    before.policy_version = d.version;
    before.intake = c.intake.unpack();
    before.events = c.log().events;
    if (fired_before != std::numeric_limits<std::int64_t>::min()) before.fired_until = instant::from_unix(fired_before);
    erase(before.intake.id);
    (void)restore(before);
    return fail(refused_as, refusal);
  }

  c.log().events.push_back(e);
  c.prune_live();
  c.last_event = t;
  c.wakeup = s.compute_wakeup(c);
  s.heap_update(slot);
  return out;
}

std::vector<action> engine::advance(instant now) {
  detail::engine_state& s = *state_;
  std::vector<action> out;
  const std::int64_t limit = now.unix_seconds();
  while (!s.heap.empty()) {
    const std::uint32_t slot = s.heap.front();
    detail::complaint_record& c = *s.slots[slot];
    if (c.wakeup > limit) break;
    s.fire_at(c, c.wakeup, out);
    c.wakeup = s.compute_wakeup(c);
    s.sift_down(0);
  }
  return out;
}

std::optional<instant> engine::next_wakeup() const {
  if (state_->heap.empty()) return std::nullopt;
  const std::int64_t w = state_->slots[state_->heap.front()]->wakeup;
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

outcome<std::vector<complaint_event>> engine::history(std::string_view id) const {
  const auto found = state_->find(id);
  if (!found) return fail(engine_error::kind::unknown_complaint, "no open complaint " + std::string(id));
  const detail::complaint_record& c = *state_->slots[*found];
  return c.log().events;
}

outcome<complaint_status> engine::status(std::string_view id, instant now) const {
  const detail::engine_state& s = *state_;
  const auto found = s.find(id);
  if (!found) return fail(engine_error::kind::unknown_complaint, "no open complaint " + std::string(id));
  const detail::complaint_record& c = *s.slots[*found];
  const policy_definition& d = s.def(c);
  complaint_status out;
  out.id = c.intake.id();
  out.policy_name = d.name;
  out.policy_version = d.version;
  // The policy's name for the calendar (the key under [calendars]), which may differ from the
  // name the calendar's own file gives it; policy::calendar() finds it by this name.
  out.calendar = c.calendar->name();
  for (const auto& [name, calendar] : d.calendars)
    if (&calendar == c.calendar) out.calendar = name;
  out.received = c.intake.received();
  out.state = c.state;
  out.owner = c.owner;
  out.escalation_level = detail::lifecycle_level(c.state);
  const std::int64_t t = now.unix_seconds();
  try {
    for (const detail::clock_slot& k : c.clocks) {
      clock_report r;
      r.target = s.clock_name(c, k);
      r.cycle = static_cast<int>(k.cycle);
      r.state = k.state;
      r.breached = k.breached || k.state == clock_state::breached ||
                   (k.active() && t > k.due);
      r.started = instant::from_unix(k.start);
      r.due = instant::from_unix(k.due);
      if (k.stopped != detail::never) r.stopped = instant::from_unix(k.stopped);
      r.extended = k.extended;
      std::int64_t consumed = k.budget;
      try {
        consumed = s.consumed_at(k, std::min(t, k.stopped));
      } catch (const error&) {
        // `now` is beyond the calendar's range: at least all of the budget was consumed.
      }
      r.consumed = std::chrono::seconds{consumed};
      r.remaining = std::chrono::seconds{k.budget - consumed};
      r.percent_consumed = k.budget > 0 ? 100.0 * static_cast<double>(consumed) / static_cast<double>(k.budget) : 100.0;
      r.owner = s.clock_owner(c, k);
      if (const auto* steps = s.ladder(c, k)) {
        for (std::size_t i = 0; i < steps->size(); ++i) {
          level_report l;
          l.label = (*steps)[i].label;
          l.fired = (k.fired & (1u << i)) != 0;
          // A fired level: when it fired, as written to the log before anything moved the
          // clock; else where the ladder puts it (unchanged since it fired).
          const auto fired = l.fired ? s.fired_at(c, static_cast<std::uint32_t>(&k - c.clocks.data()), i)
                                     : std::nullopt;
          if (fired) l.at = instant::from_unix(*fired);
          else if (auto at = s.level_instant(k, (*steps)[i])) l.at = instant::from_unix(*at);
          r.levels.push_back(l);
        }
      }
      out.clocks.push_back(std::move(r));
    }
    out.pauses = c.log().pauses;
    for (const detail::corrective_item& item : c.log().corrective) {
      corrective_action_report r;
      r.what = item.what;
      r.owner = item.owner;
      r.verifier = item.verifier;
      r.planned = instant::from_unix(item.planned);
      r.due = instant::from_unix(item.due);
      if (item.done) r.done = instant::from_unix(*item.done);
      if (item.verified) r.verified = instant::from_unix(*item.verified);
      r.state = c.clocks[item.clock].state;
      out.corrective_actions.push_back(r);
    }
    for (const auto& [role, seconds] : c.log().ledger) out.ledger[role] = std::chrono::seconds{seconds};
    if (!c.owner.empty() && c.owner_since != detail::no_instant && t > c.owner_since) {
      try {
        out.ledger[c.owner] += elapsed_working_time(*c.calendar, instant::from_unix(c.owner_since), now);
      } catch (const error&) {
        // Beyond the calendar's range: the ledger counts what it can.
      }
    }
  } catch (const error& e) {
    return fail(engine_error::kind::calendar_error, "complaint " + c.intake.id_text() + ": " + e.what());
  }
  for (const auto& [role, seconds] : out.ledger)
    for (const role_definition& r : d.roles)
      if (r.id == role && !r.team.empty()) out.team_ledger[r.team] += seconds;
  out.events = c.log().events.size();
  return out;
}

outcome<complaint_snapshot> engine::snapshot(std::string_view id) const {
  const auto found = state_->find(id);
  if (!found) return fail(engine_error::kind::unknown_complaint, "no open complaint " + std::string(id));
  const detail::complaint_record& c = *state_->slots[*found];
  complaint_snapshot out;
  out.policy_version = state_->def(c).version;
  out.intake = c.intake.unpack();
  out.events = c.log().events;
  if (c.last_fired != std::numeric_limits<std::int64_t>::min()) out.fired_until = instant::from_unix(c.last_fired);
  return out;
}

outcome<std::vector<action>> engine::restore(const complaint_snapshot& snap) {
  detail::engine_state& s = *state_;
  std::size_t version = s.policies.size();
  for (std::size_t i = 0; i < s.policies.size(); ++i)
    if (s.policies[i].version() == snap.policy_version) version = i;
  if (version == s.policies.size())
    return fail(engine_error::kind::unknown_policy_version,
                "no policy version \"" + snap.policy_version + "\" in this engine");
  const std::size_t saved = s.current;
  s.current = version;
  auto opened = open(snap.intake);
  s.current = saved;
  if (!opened) return opened.error();
  std::vector<action> out = std::move(opened).value();
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
    s.catch_up(c, snap.fired_until->unix_seconds(), true, out);
    c.wakeup = s.compute_wakeup(c);
    s.heap_update(slot);
  }
  return out;
}

outcome<std::vector<action>> engine::migrate(std::string_view id, std::string_view version) {
  auto snap = snapshot(id);
  if (!snap) return snap.error();
  complaint_snapshot target = std::move(snap).value();
  const std::string original_version = target.policy_version;
  target.policy_version = std::string(version);
  bool known = false;
  for (const policy& p : state_->policies) known = known || p.version() == version;
  if (!known)
    return fail(engine_error::kind::unknown_policy_version, "no policy version \"" + std::string(version) + "\" in this engine");
  erase(id);
  auto restored = restore(target);
  if (!restored) {
    target.policy_version = original_version;
    (void)restore(target);  // put it back as it was
    return restored.error();
  }
  return restored;
}

bool engine::erase(std::string_view id) {
  detail::engine_state& s = *state_;
  const auto found = s.find(id);
  if (!found) return false;
  const std::uint32_t slot = *found;
  s.index_erase(id);
  s.heap_remove(slot);
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
