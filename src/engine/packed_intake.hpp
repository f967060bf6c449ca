// The packed intake: a complaint's intake kept in one string (packed_text.hpp), its id, then
// each attribute's key and value. One allocation instead of a map node and two strings per
// attribute.
#ifndef REDRESS_SRC_ENGINE_PACKED_INTAKE_HPP
#define REDRESS_SRC_ENGINE_PACKED_INTAKE_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/packed_text.hpp"
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
  std::string_view get(std::size_t& at) const { return packed_text::get(bytes_, at); }

  std::string bytes_;
  std::int64_t received_ = 0;
};

}  // namespace redress::detail

#endif
