// The packed intake: a complaint's intake kept in one string, its id, then each attribute's key
// and value, each string preceded by its length (7 bits a byte, high bit set when more bytes
// follow). One allocation instead of a map node and two strings per attribute.
#ifndef REDRESS_SRC_ENGINE_PACKED_INTAKE_HPP
#define REDRESS_SRC_ENGINE_PACKED_INTAKE_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "redress/engine.hpp"

namespace redress::detail {

class packed_intake {
public:
  void pack(const complaint_intake& in);
  std::string_view id() const {
    std::size_t at = 0;
    return get(at);
  }
  std::string id_text() const { return std::string(id()); }
  instant received() const { return instant::from_unix(received_); }
  complaint_attributes attributes() const;
  complaint_intake unpack() const { return complaint_intake{id_text(), received(), attributes()}; }

private:
  std::string_view get(std::size_t& at) const {
    std::size_t n = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(bytes_[at++]);
      n |= static_cast<std::size_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
    }
    const std::string_view text(bytes_.data() + at, n);
    at += n;
    return text;
  }

  std::string bytes_;
  std::int64_t received_ = 0;
};

}  // namespace redress::detail

#endif
