// The packed events: a complaint's event history, each event 16 bytes (its instant, what, and
// which of its fields are set) and its set strings and instants in one shared string
// (packed_text.hpp), read back in order. A complaint_event is 248 bytes with its strings.
#ifndef REDRESS_SRC_ENGINE_PACKED_EVENTS_HPP
#define REDRESS_SRC_ENGINE_PACKED_EVENTS_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "redress/engine.hpp"

namespace redress::detail {

class packed_events {
public:
  void push_back(const complaint_event& e);
  std::size_t size() const noexcept { return events_.size(); }
  std::vector<complaint_event> unpack() const;

private:
  struct packed {
    std::int64_t at = 0;
    std::uint16_t fields = 0;  // bits: which strings and instants are in text_, and the flags
    lifecycle_event what{};
  };
  std::vector<packed> events_;
  std::string text_;  // each event's set fields, in order
};

}  // namespace redress::detail

#endif
