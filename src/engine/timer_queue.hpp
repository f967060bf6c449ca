// The timer queue: every complaint's slot in one min-heap on its wakeup (the next instant
// something falls due for it; ties by slot number), each record knowing its heap position, so
// that an event moves its complaint in O(log n) and advance() looks only at the due ones.
#ifndef REDRESS_SRC_ENGINE_TIMER_QUEUE_HPP
#define REDRESS_SRC_ENGINE_TIMER_QUEUE_HPP

#include <cstdint>
#include <vector>

#include "engine/complaint.hpp"

namespace redress::detail {

class timer_queue {
public:
  void insert(complaint_slots& slots, std::uint32_t slot);
  void update(complaint_slots& slots, std::uint32_t slot);  // after its wakeup changed
  void remove(complaint_slots& slots, std::uint32_t slot);
  bool empty() const noexcept { return heap_.empty(); }
  std::uint32_t front() const { return heap_.front(); }  // the slot that wakes first
  // After the front's wakeup moved later.
  void front_updated(complaint_slots& slots) { sift_down(slots, 0); }

private:
  bool less(const complaint_slots& slots, std::uint32_t a, std::uint32_t b) const;
  void swap(complaint_slots& slots, std::size_t i, std::size_t j);
  void sift_up(complaint_slots& slots, std::size_t i);
  void sift_down(complaint_slots& slots, std::size_t i);

  std::vector<std::uint32_t> heap_;  // slot numbers
};

}  // namespace redress::detail

#endif
