// A complaint's record and log (complaint.hpp).
#include "engine/complaint.hpp"

namespace redress::detail {

complaint_log& complaint_record::log() {
  if (!more) {
    more = std::make_unique<complaint_log>();
    for (std::size_t i = 0; i < clocks.size(); ++i) {
      if (clocks[i].active()) more->live.push_back(static_cast<std::uint32_t>(i));
      note_clock(clocks[i]);
    }
  }
  return *more;
}

void complaint_record::prune_live() {
  if (!more) return;
  auto& live = more->live;
  live.erase(std::remove_if(live.begin(), live.end(), [this](std::uint32_t i) { return !clocks[i].active(); }),
             live.end());
}

void complaint_record::add_clock(const clock_slot& k) {
  if (clocks.size() == clocks.capacity()) clocks.reserve(clocks.size() < 8 ? clocks.size() + 1 : clocks.size() * 2);
  log().live.push_back(static_cast<std::uint32_t>(clocks.size()));
  clocks.push_back(k);
  note_clock(k);
}

std::uint32_t complaint_record::last_target_cycle(std::uint16_t index) {
  const auto& cycles = log().target_cycles;
  const auto at = std::lower_bound(cycles.begin(), cycles.end(), std::make_pair(index, std::uint32_t{0}));
  return at != cycles.end() && at->first == index ? at->second : 0;
}

// Keeps the last cycle of each target and of the promises.
void complaint_record::note_clock(const clock_slot& k) {
  if (k.origin == clock_origin::promise) more->promises = std::max(more->promises, k.cycle);
  if (k.origin != clock_origin::target) return;
  auto& cycles = more->target_cycles;
  const auto at = std::lower_bound(cycles.begin(), cycles.end(), std::make_pair(k.index, std::uint32_t{0}));
  if (at != cycles.end() && at->first == k.index) at->second = std::max(at->second, k.cycle);
  else cycles.insert(at, {k.index, k.cycle});
}

}  // namespace redress::detail
