// A complaint's record and log (complaint.hpp).
#include "engine/complaint.hpp"

namespace redress::detail {

complaint_log& complaint_record::log() {
  if (!more) {
    more = std::make_unique<complaint_log>();
    more->live.reserve(clocks.size() + 2);  // the clocks the next events start, without regrowing at each
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

namespace {

// An action id without its revision suffix, and that revision (1 when it has none). Every base
// id ends in "/c<cycle>" or "/e<event>", so a final "/r<digits>" is always a revision.
std::pair<std::string_view, std::uint32_t> revision_of(std::string_view id) {
  const std::size_t slash = id.rfind('/');
  if (slash == std::string_view::npos || slash + 2 > id.size() || id[slash + 1] != 'r') return {id, 1};
  std::uint32_t n = 0;
  for (std::size_t i = slash + 2; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9' || n > 100000000) return {id, 1};
    n = n * 10 + static_cast<std::uint32_t>(id[i] - '0');
  }
  return {id.substr(0, slash), n};
}

}  // namespace

void complaint_record::note_retracted(const std::string& id) {
  complaint_log& l = log();
  l.retracted.push_back(id);
  const auto [base, revision] = revision_of(id);
  auto& next = l.revisions[std::string(base)];
  next = std::max(next, revision + 1);
}

std::string complaint_record::revised(std::string id) const {
  if (!more || more->revisions.empty()) return id;
  const auto found = more->revisions.find(id);
  if (found == more->revisions.end()) return id;
  id += "/r";
  id += std::to_string(found->second);
  return id;
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
