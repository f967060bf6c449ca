// The UTF-8 byte order mark some editors on Windows put before a text file's first line: not
// part of the text, wherever redress reads text (holiday files, scenarios, --batch input).
#ifndef REDRESS_SRC_FILES_BYTE_ORDER_MARK_HPP
#define REDRESS_SRC_FILES_BYTE_ORDER_MARK_HPP

#include <cstddef>
#include <string_view>

namespace redress::detail {

/// 3 when `text` starts with the UTF-8 byte order mark (EF BB BF), else 0.
inline std::size_t byte_order_mark_length(std::string_view text) noexcept {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
}

}  // namespace redress::detail

#endif
