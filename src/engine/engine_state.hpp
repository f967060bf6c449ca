// What an engine holds: its policy versions, the complaints by slot, the complaint index, the
// timer queue and the interned target selections.
#ifndef REDRESS_SRC_ENGINE_ENGINE_STATE_HPP
#define REDRESS_SRC_ENGINE_ENGINE_STATE_HPP

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/complaint.hpp"
#include "engine/complaint_index.hpp"
#include "engine/ladder.hpp"
#include "engine/timer_queue.hpp"
#include "redress/policy.hpp"

namespace redress::detail {

struct engine_state {
  std::vector<policy> policies;
  std::size_t current = 0;
  complaint_slots slots;
  std::vector<std::uint32_t> free_slots;
  complaint_index index;
  timer_queue queue;
  // The target selections of complaints, each distinct list of target indices kept once:
  // complaints of one kind, channel and priority share theirs.
  std::vector<std::vector<std::uint16_t>> selections;  // target indices (policy_limits::targets)
  std::map<std::vector<std::uint16_t>, std::uint32_t> selection_ids;

  std::uint32_t intern_selection(const std::vector<std::uint16_t>& selected) {
    auto [at, added] = selection_ids.emplace(selected, static_cast<std::uint32_t>(selections.size()));
    if (added) selections.push_back(selected);
    return at->second;
  }
  const std::vector<std::uint16_t>& selected(const complaint_record& c) const { return selections[c.selection]; }
  const policy& policy_of(const complaint_record& c) const { return policies[c.policy_index]; }
  const policy_definition& def(const complaint_record& c) const { return policy_of(c).definition(); }

  // The policy of a version, or nullptr (each version is held once: engine::add_policy).
  const policy* version(std::string_view v) const {
    for (const policy& p : policies)
      if (p.version() == v) return &p;
    return nullptr;
  }
  std::optional<std::uint32_t> find(std::string_view id) const { return index.find(slots, id); }
  // The complaint's new wakeup, and so its place in the timer queue.
  void reschedule(std::uint32_t slot) { queue.update(slot, next_wakeup(def(*slots[slot]), *slots[slot])); }
};

}  // namespace redress::detail

#endif
