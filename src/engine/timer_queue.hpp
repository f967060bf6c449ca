// The timer queue: every complaint's slot in one min-heap on its wakeup (the next instant
// something falls due for it; ties by slot number), so that an event moves its complaint in
// O(log n) and advance() looks only at the due ones. The heap is 4-ary and holds each entry's
// key beside its slot, and the positions are a dense array by slot: a sift reads one cache line
// a level and never the records (with 1,000,000 complaints, reading each record's wakeup cost
// two cache misses a comparison).
#ifndef REDRESS_SRC_ENGINE_TIMER_QUEUE_HPP
#define REDRESS_SRC_ENGINE_TIMER_QUEUE_HPP

#include <cstdint>
#include <vector>

namespace redress::detail {

class timer_queue {
public:
  void insert(std::uint32_t slot, std::int64_t wakeup);
  void update(std::uint32_t slot, std::int64_t wakeup);  // its wakeup changed
  void remove(std::uint32_t slot);
  bool empty() const noexcept { return heap_.empty(); }
  std::uint32_t front() const { return heap_.front().slot; }  // the slot that wakes first
  std::int64_t front_wakeup() const { return heap_.front().wakeup; }
  std::int64_t wakeup_of(std::uint32_t slot) const { return heap_[position_[slot]].wakeup; }  // a slot in it

private:
  struct entry {
    std::int64_t wakeup;
    std::uint32_t slot;
  };
  static bool less(const entry& a, const entry& b) {
    return a.wakeup != b.wakeup ? a.wakeup < b.wakeup : a.slot < b.slot;
  }
  void place(std::size_t i, const entry& e) {
    heap_[i] = e;
    position_[e.slot] = static_cast<std::uint32_t>(i);
  }
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);

  std::vector<entry> heap_;
  std::vector<std::uint32_t> position_;  // by slot: its index in heap_
};

}  // namespace redress::detail

#endif
