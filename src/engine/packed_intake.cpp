// The packed intake (packed_intake.hpp).
#include "engine/packed_intake.hpp"

#include <utility>

namespace redress::detail {
namespace {

std::size_t encoded_size(std::string_view text) {
  std::size_t length_bytes = 1;
  for (std::size_t n = text.size() >> 7; n; n >>= 7) ++length_bytes;
  return length_bytes + text.size();
}

void put(std::string& out, std::string_view text) {
  std::size_t n = text.size();
  do {
    const auto low = static_cast<unsigned char>(n & 0x7f);
    n >>= 7;
    out.push_back(static_cast<char>(n ? (low | 0x80) : low));
  } while (n);
  out.append(text);
}

}  // namespace

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
