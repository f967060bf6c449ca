#include "redress/error.hpp"

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
std::string located(const std::string& message, const source_location& where) {
  std::string prefix = where.to_string();
  return prefix.empty() ? message : prefix + ": " + message;
}
}  // namespace

error::error(std::string message, source_location where)
    : std::runtime_error(located(message, where)),
      message_(std::move(message)),
      where_(std::move(where)) {}

}  // namespace redress
