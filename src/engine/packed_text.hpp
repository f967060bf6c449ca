// Length-prefixed text in one string: each piece preceded by its length, 7 bits a byte, the high
// bit set when more bytes follow. The packed intake and the packed events are made of it.
#ifndef REDRESS_SRC_ENGINE_PACKED_TEXT_HPP
#define REDRESS_SRC_ENGINE_PACKED_TEXT_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace redress::detail::packed_text {

inline std::size_t encoded_size(std::string_view text) {
  std::size_t length_bytes = 1;
  for (std::size_t n = text.size() >> 7; n; n >>= 7) ++length_bytes;
  return length_bytes + text.size();
}

inline void put(std::string& out, std::string_view text) {
  std::size_t n = text.size();
  do {
    const auto low = static_cast<unsigned char>(n & 0x7f);
    n >>= 7;
    out.push_back(static_cast<char>(n ? (low | 0x80) : low));
  } while (n);
  out.append(text);
}

// The piece at `at` in `bytes`; `at` moves past it.
inline std::string_view get(std::string_view bytes, std::size_t& at) {
  std::size_t n = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(bytes[at++]);
    n |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) break;
  }
  const std::string_view text(bytes.data() + at, n);
  at += n;
  return text;
}

}  // namespace redress::detail::packed_text

#endif
