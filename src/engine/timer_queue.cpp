// The timer queue (timer_queue.hpp).
#include "engine/timer_queue.hpp"

#include <algorithm>
#include <utility>

namespace redress::detail {

bool timer_queue::less(const complaint_slots& slots, std::uint32_t a, std::uint32_t b) const {
  const auto& x = *slots[a];
  const auto& y = *slots[b];
  return x.wakeup != y.wakeup ? x.wakeup < y.wakeup : a < b;
}

void timer_queue::swap(complaint_slots& slots, std::size_t i, std::size_t j) {
  std::swap(heap_[i], heap_[j]);
  slots[heap_[i]]->heap_position = static_cast<std::uint32_t>(i);
  slots[heap_[j]]->heap_position = static_cast<std::uint32_t>(j);
}

void timer_queue::sift_up(complaint_slots& slots, std::size_t i) {
  while (i > 0) {
    const std::size_t parent = (i - 1) / 2;
    if (!less(slots, heap_[i], heap_[parent])) break;
    swap(slots, i, parent);
    i = parent;
  }
}

void timer_queue::sift_down(complaint_slots& slots, std::size_t i) {
  for (;;) {
    const std::size_t l = 2 * i + 1, r = l + 1;
    std::size_t best = i;
    if (l < heap_.size() && less(slots, heap_[l], heap_[best])) best = l;
    if (r < heap_.size() && less(slots, heap_[r], heap_[best])) best = r;
    if (best == i) return;
    swap(slots, i, best);
    i = best;
  }
}

void timer_queue::insert(complaint_slots& slots, std::uint32_t slot) {
  slots[slot]->heap_position = static_cast<std::uint32_t>(heap_.size());
  heap_.push_back(slot);
  sift_up(slots, heap_.size() - 1);
}

void timer_queue::update(complaint_slots& slots, std::uint32_t slot) {
  sift_up(slots, slots[slot]->heap_position);
  sift_down(slots, slots[slot]->heap_position);
}

void timer_queue::remove(complaint_slots& slots, std::uint32_t slot) {
  const std::size_t i = slots[slot]->heap_position;
  const std::size_t last = heap_.size() - 1;
  if (i != last) swap(slots, i, last);
  heap_.pop_back();
  if (i < heap_.size()) {
    sift_up(slots, i);
    sift_down(slots, std::min(i, heap_.size() - 1));
  }
}

}  // namespace redress::detail
