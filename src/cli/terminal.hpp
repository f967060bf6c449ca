// Colour when a person is watching: `--color=auto` (the default) colours on a terminal unless
// NO_COLOR is set and not empty (no-color.org); `--color=always` and `--color=never` decide
// regardless (a command-line argument overrides NO_COLOR, as no-color.org asks).
#ifndef REDRESS_CLI_TERMINAL_HPP
#define REDRESS_CLI_TERMINAL_HPP

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include <unistd.h>

namespace redress::cli {

enum class colour_mode { automatic, always, never };

inline colour_mode& chosen_colour_mode() {
  static colour_mode mode = colour_mode::automatic;
  return mode;
}

/// The `--color` values, as written on the command line.
inline constexpr const char* colour_mode_names[] = {"auto", "always", "never"};

/// Returns: the mode named `text` ("auto", "always", "never"), or nullopt.
inline std::optional<colour_mode> parse_colour_mode(std::string_view text) {
  if (text == "auto") return colour_mode::automatic;
  if (text == "always") return colour_mode::always;
  if (text == "never") return colour_mode::never;
  return std::nullopt;
}

inline bool use_colour() {
  switch (chosen_colour_mode()) {
    case colour_mode::always: return true;
    case colour_mode::never: return false;
    case colour_mode::automatic: break;
  }
  static const bool on_terminal = [] {
    const char* no_color = std::getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) != 0 && (no_color == nullptr || *no_color == '\0');
  }();
  return on_terminal;
}

/// Effects: appends to `out` what `write()` appends, between the escapes that paint it with the
/// SGR `code` when colour is on (use_colour()), else as it is: a table written into one buffer
/// paints its parts without a string of their own.
template <class Write>
void append_painted(std::string& out, const char* code, Write&& write) {
  const bool on = use_colour();
  if (on) out.append("\033[").append(code).append(1, 'm');
  write();
  if (on) out += "\033[0m";
}

inline std::string paint(const std::string& text, const char* code) {
  std::string out;
  append_painted(out, code, [&] { out += text; });
  return out;
}

inline std::string bold(const std::string& t) { return paint(t, "1"); }
inline std::string red(const std::string& t) { return paint(t, "31"); }
inline std::string yellow(const std::string& t) { return paint(t, "33"); }
inline std::string green(const std::string& t) { return paint(t, "32"); }
inline std::string dim(const std::string& t) { return paint(t, "2"); }

}  // namespace redress::cli

#endif
