// The packed intake (packed_intake.hpp).
#include "engine/packed_intake.hpp"

#include <utility>

namespace redress::detail {

using packed_text::encoded_size;
using packed_text::put;

void packed_intake::pack(const complaint_intake& in) {
  std::size_t size = encoded_size(in.id);
  for (const auto& [key, value] : in.attributes) size += encoded_size(key) + encoded_size(value);
  std::string out;
  out.reserve(size);  // one allocation of the exact size
  put(out, in.id);
  for (const auto& [key, value] : in.attributes) {
    put(out, key);
    put(out, value);
  }
  bytes_ = std::move(out);
  received_ = in.received.unix_seconds();
}

complaint_attributes packed_intake::attributes() const {
  complaint_attributes out;
  std::size_t at = 0;
  (void)get(at);
  while (at < bytes_.size()) {
    const std::string_view key = get(at);
    const std::string_view value = get(at);
    out.emplace(std::string(key), std::string(value));
  }
  return out;
}

}  // namespace redress::detail
