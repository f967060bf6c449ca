// Writing an instant as RFC 3339 into a caller's buffer: the text format_rfc3339 returns, without
// building a std::string (redress due --batch writes a million of them).
#ifndef REDRESS_SRC_TIME_RFC3339_HPP
#define REDRESS_SRC_TIME_RFC3339_HPP

#include <cstddef>
#include <cstdint>

#include "redress/time.hpp"

namespace redress::detail {

/// Room `write_rfc3339` needs.
inline constexpr std::size_t rfc3339_capacity = 64;

/// Effects: writes format_rfc3339(t, offset_seconds) to `out`, which has room for
/// rfc3339_capacity characters (no terminating NUL). Returns: the number of characters written.
std::size_t write_rfc3339(char* out, instant t, std::int32_t offset_seconds);

/// The offset of one zone at instants asked one after another, remembering the periods of the
/// last four answers (an offset holds from one transition to the next): instants that fall in
/// a few periods, such as a batch of dues over a year or two, ask the zone about once a period.
/// Gives what time_zone::offset_at gives. Not thread-safe: one per loop.
class offset_memo {
public:
  explicit offset_memo(const time_zone& zone) noexcept : zone_(&zone) {}
  std::int32_t at(instant t);

private:
  struct period {
    std::int64_t begin = 1, end = 0;  // [begin, end); empty until filled
    std::int32_t offset = 0;
  };
  const time_zone* zone_;
  period periods_[4];
  unsigned next_ = 0;  // the one replaced next
};

}  // namespace redress::detail

#endif
