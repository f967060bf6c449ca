// The complaint index: complaint id -> slot number, by open addressing with linear probing. The
// ids themselves are only in the records (a std::unordered_map<std::string, slot> would keep a
// second copy of each id in a node of its own, about 80 bytes a complaint). An entry is the high
// half of the id's hash beside slot + 1, so a probe reads a record only when the hashes agree.
#ifndef REDRESS_SRC_ENGINE_COMPLAINT_INDEX_HPP
#define REDRESS_SRC_ENGINE_COMPLAINT_INDEX_HPP

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/complaint.hpp"

namespace redress::detail {

class complaint_index {
public:
  std::optional<std::uint32_t> find(const complaint_slots& slots, std::string_view id) const;
  // Requires: slots[slot]'s id is not in the index.
  void insert(const complaint_slots& slots, std::uint32_t slot);
  // Requires: id is in the index.
  void erase(const complaint_slots& slots, std::string_view id);
  std::size_t size() const noexcept { return live_; }

private:
  static constexpr std::uint64_t tombstone = std::numeric_limits<std::uint64_t>::max();
  std::size_t probe(const complaint_slots& slots, std::string_view id, std::uint64_t hash) const;

  std::vector<std::uint64_t> table_;  // 0 is empty, `tombstone` an erased entry
  std::size_t used_ = 0;              // entries and tombstones
  std::size_t live_ = 0;
};

}  // namespace redress::detail

#endif
