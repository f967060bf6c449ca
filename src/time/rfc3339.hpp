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
/// Effects: writes format_rfc3339(t, zone) (the offset `zone` has at `t`) the same way.
std::size_t write_rfc3339(char* out, instant t, const time_zone& zone);

}  // namespace redress::detail

#endif
