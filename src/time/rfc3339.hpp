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

/// The offset of one zone at instants asked one after another, remembering the period of the
/// last answer (an offset holds from one transition to the next): a run of instants that share
/// a period asks the zone once. Gives what time_zone::offset_at gives. Not thread-safe: one
/// per loop.
class offset_memo {
public:
  explicit offset_memo(const time_zone& zone) noexcept : zone_(&zone) {}
  std::int32_t at(instant t);

private:
  const time_zone* zone_;
  std::int64_t begin_ = 1, end_ = 0;  // [begin_, end_): the period remembered (none at first)
  std::int32_t offset_ = 0;
};

}  // namespace redress::detail

#endif
