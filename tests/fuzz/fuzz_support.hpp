// What the fuzz targets share: a check that crashes with a readable message (assert() vanishes
// under NDEBUG, and a fuzzer must stop on a broken invariant in any build type), and a guard
// that lets redress::error pass (the library's answer to bad input) and nothing else.
#ifndef REDRESS_TESTS_FUZZ_SUPPORT_HPP
#define REDRESS_TESTS_FUZZ_SUPPORT_HPP

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "redress/error.hpp"

namespace redress_fuzz {

[[noreturn]] inline void fail(const char* file, int line, const char* condition,
                              const std::string& context) {
  std::fprintf(stderr, "\n%s:%d: invariant broken: %s\n  %s\n", file, line, condition,
               context.c_str());
  std::fflush(stderr);
  std::abort();
}

/// Runs `f`; returns false when it threw redress::error (expected for bad input). Any other
/// exception escapes to libFuzzer, which reports it as a crash.
template <typename F>
bool succeeds(F&& f) {
  try {
    f();
    return true;
  } catch (const redress::error&) {
    return false;
  }
}

/// Whether `name` is a plain file name (letters, digits, '.', '_', '-'; not "." or ".."): a
/// file a fuzzed input names that way resolves beside the input, inside its sandbox.
inline bool plain_file_name(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace redress_fuzz

/// Crashes the fuzzer with `context` (a std::string expression, evaluated only on failure).
#define FUZZ_CHECK(condition, context)                                              \
  do {                                                                              \
    if (!(condition)) ::redress_fuzz::fail(__FILE__, __LINE__, #condition, (context)); \
  } while (false)

namespace redress_fuzz {

/// An error about the file `path` (whose text is `text`) has a message, and a position inside it.
inline void check_located(const redress::error& e, const std::string& path, std::string_view text) {
  FUZZ_CHECK(!e.message().empty(), "an error without a message");
  if (e.where().file != path) return;
  std::size_t lines = 1;
  for (const char c : text) lines += c == '\n';
  FUZZ_CHECK(e.where().line >= 0 && static_cast<std::size_t>(e.where().line) <= lines && e.where().column >= 0,
             "an error located outside the input: " + std::string(e.what()));
}

}  // namespace redress_fuzz

#endif
