// The timer queue (timer_queue.hpp).
#include "engine/timer_queue.hpp"

namespace redress::detail {

constexpr std::size_t arity = 4;

void timer_queue::sift_up(std::size_t i) {
  const entry moving = heap_[i];
  while (i > 0) {
    const std::size_t parent = (i - 1) / arity;
    if (!less(moving, heap_[parent])) break;
    place(i, heap_[parent]);
    i = parent;
  }
  place(i, moving);
}

void timer_queue::sift_down(std::size_t i) {
  const entry moving = heap_[i];
  const std::size_t n = heap_.size();
  for (;;) {
    const std::size_t first = arity * i + 1;
    if (first >= n) break;
    const std::size_t end = first + arity < n ? first + arity : n;
    std::size_t best = first;
    for (std::size_t c = first + 1; c < end; ++c)
      if (less(heap_[c], heap_[best])) best = c;
    if (!less(heap_[best], moving)) break;
    place(i, heap_[best]);
    i = best;
  }
  place(i, moving);
}

void timer_queue::insert(std::uint32_t slot, std::int64_t wakeup) {
  if (position_.size() <= slot) position_.resize(static_cast<std::size_t>(slot) + 1);
  heap_.push_back(entry{wakeup, slot});
  position_[slot] = static_cast<std::uint32_t>(heap_.size() - 1);
  sift_up(heap_.size() - 1);
}

void timer_queue::update(std::uint32_t slot, std::int64_t wakeup) {
  const std::size_t i = position_[slot];
  const std::int64_t before = heap_[i].wakeup;
  heap_[i].wakeup = wakeup;
  if (wakeup < before) sift_up(i);
  else sift_down(i);
}

void timer_queue::remove(std::uint32_t slot) {
  const std::size_t i = position_[slot];
  const entry last = heap_.back();
  heap_.pop_back();
  if (i == heap_.size()) return;
  place(i, last);
  sift_up(i);
  sift_down(position_[last.slot]);
}

}  // namespace redress::detail
