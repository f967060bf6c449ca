// The complaint index (complaint_index.hpp).
#include "engine/complaint_index.hpp"

#include <functional>

namespace redress::detail {
namespace {

constexpr std::uint64_t high_half = 0xffffffff00000000u;
constexpr std::uint64_t low_half = 0xffffffffu;

std::uint64_t hash_id(std::string_view id) { return std::hash<std::string_view>{}(id); }
std::uint64_t entry_for(std::uint64_t hash, std::uint32_t slot) { return (hash & high_half) | (std::uint64_t{slot} + 1); }
std::uint32_t slot_of(std::uint64_t entry) { return static_cast<std::uint32_t>((entry & low_half) - 1); }

}  // namespace

// The position of `id` in the table, or of the empty entry that ends its probe sequence.
std::size_t complaint_index::probe(const complaint_slots& slots, std::string_view id, std::uint64_t hash) const {
  const std::size_t mask = table_.size() - 1;
  const std::uint64_t tag = hash & high_half;
  for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
    const std::uint64_t entry = table_[i];
    if (entry == 0) return i;
    if (entry != tombstone && (entry & high_half) == tag && slots[slot_of(entry)]->intake.id() == id) return i;
  }
}

std::optional<std::uint32_t> complaint_index::find(const complaint_slots& slots, std::string_view id) const {
  if (table_.empty()) return std::nullopt;
  const std::uint64_t entry = table_[probe(slots, id, hash_id(id))];
  if (entry == 0) return std::nullopt;
  return slot_of(entry);
}

void complaint_index::insert(const complaint_slots& slots, std::uint32_t slot) {
  if ((used_ + 1) * 4 > table_.size() * 3) {
    // Grow (or only sweep tombstones when most entries are erased ones).
    std::vector<std::uint64_t> old = std::move(table_);
    std::size_t size = 16;
    while ((live_ + 1) * 2 > size) size *= 2;
    table_.assign(size, 0);
    used_ = live_;
    for (std::uint64_t entry : old) {
      if (entry == 0 || entry == tombstone) continue;
      const std::string_view id = slots[slot_of(entry)]->intake.id();
      table_[probe(slots, id, hash_id(id))] = entry;  // the entry keeps only the hash's high half
    }
  }
  const std::string_view id = slots[slot]->intake.id();
  const std::uint64_t hash = hash_id(id);
  table_[probe(slots, id, hash)] = entry_for(hash, slot);
  ++used_;
  ++live_;
}

void complaint_index::erase(const complaint_slots& slots, std::string_view id) {
  table_[probe(slots, id, hash_id(id))] = tombstone;
  --live_;
}

}  // namespace redress::detail
