// Colour when a person is watching: on a terminal, unless NO_COLOR is set (no-color.org).
#ifndef REDRESS_CLI_TERMINAL_HPP
#define REDRESS_CLI_TERMINAL_HPP

#include <cstdlib>
#include <string>

#include <unistd.h>

namespace redress::cli {

inline bool use_colour() {
  static const bool colour = isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
  return colour;
}

inline std::string paint(const std::string& text, const char* code) {
  if (!use_colour()) return text;
  return std::string("\033[") + code + "m" + text + "\033[0m";
}

inline std::string bold(const std::string& t) { return paint(t, "1"); }
inline std::string red(const std::string& t) { return paint(t, "31"); }
inline std::string yellow(const std::string& t) { return paint(t, "33"); }
inline std::string green(const std::string& t) { return paint(t, "32"); }
inline std::string dim(const std::string& t) { return paint(t, "2"); }

}  // namespace redress::cli

#endif
