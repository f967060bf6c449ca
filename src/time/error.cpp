#include "redress/error.hpp"

#include <algorithm>
#include <utility>

namespace redress {

std::string source_location::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

namespace {
bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == '\x7f'; }
}  // namespace

std::size_t find_control(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size(); ++i)
    if (is_control(text[i])) return i;
  return std::string_view::npos;
}

// Control characters would act on the terminal (or, a NUL, end what() early): each is shown as
// an escape instead, in every message and location, here where errors are made.
std::string escape_controls(std::string text) {
  if (find_control(text) == std::string_view::npos) return text;
  std::string out;
  for (char c : text) {
    if (!is_control(c)) {
      out += c;
      continue;
    }
    switch (c) {
      case '\0': out += "\\0"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static const char hex[] = "0123456789abcdef";
        const auto byte = static_cast<unsigned char>(c);
        out += "\\x";
        out += hex[byte >> 4];
        out += hex[byte & 15];
      }
    }
  }
  return out;
}

namespace {
source_location escaped(source_location where) {
  where.file = escape_controls(std::move(where.file));
  return where;
}

std::string located(const std::string& message, const source_location& where) {
  std::string prefix = where.to_string();
  return prefix.empty() ? message : prefix + ": " + message;
}
}  // namespace

error::error(std::string message, source_location where)
    : error(escaped_tag{}, escape_controls(std::move(message)), escaped(std::move(where))) {}

error::error(escaped_tag, std::string message, source_location where)
    : std::runtime_error(located(message, where)),
      message_(std::move(message)),
      where_(std::move(where)) {}

}  // namespace redress
