// Errors that say where and what: every failure a user can cause carries the place it
// came from (a file position, or the text that was given) and what was expected there.
#ifndef REDRESS_ERROR_HPP
#define REDRESS_ERROR_HPP

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace redress {

/// Where some input came from. `file` may be empty (text given on a command line or
/// in code); `line` and `column` are 1-based, 0 when unknown.
struct source_location {
  std::string file;
  int line = 0;
  int column = 0;

  /// Returns "file:line:col", "file:line", "file" or "" depending on what is known.
  std::string to_string() const;
};

/// A file as a loader read it: its path and its whole text (policy_definition::files).
struct source_file {
  std::string path;
  std::string text;
};
inline bool operator==(const source_file& a, const source_file& b) { return a.path == b.path && a.text == b.text; }
inline bool operator!=(const source_file& a, const source_file& b) { return !(a == b); }

/// Returns: the position of the first control character (U+0000 to U+001F, U+007F) in `text`,
/// or std::string_view::npos when it has none.
std::size_t find_control(std::string_view text) noexcept;

/// Returns: `text` with each control character written as an escape (\0, \n, \r, \t, or \xNN
/// such as \x1b), the form in which every redress::error and every refusal of the engine shows
/// text it was given, so that it can neither act on a terminal nor be cut short by a NUL.
std::string escape_controls(std::string text);

/// Thrown by parsing and loading functions for input that does not follow its contract.
/// `what()` is the full human message, prefixed by the location when one is known:
/// "rules/x.toml:14:9: expected a duration such as \"15 business days\"".
/// Control characters in the message and the location's file are shown escaped (\n, \0,
/// \x1b), so that a message can neither act on a terminal nor be cut short by a NUL.
class error : public std::runtime_error {
public:
  explicit error(std::string message, source_location where = {});

  /// The message without the location prefix.
  const std::string& message() const noexcept { return message_; }
  const source_location& where() const noexcept { return where_; }

private:
  struct escaped_tag {};
  error(escaped_tag, std::string message, source_location where);
  std::string message_;
  source_location where_;
};

}  // namespace redress

#endif
