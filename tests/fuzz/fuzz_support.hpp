// What the fuzz targets share: a check that crashes with a readable message (assert() vanishes
// under NDEBUG, and a fuzzer must stop on a broken invariant in any build type), and a guard
// that lets redress::error pass (the library's answer to bad input) and nothing else.
#ifndef REDRESS_TESTS_FUZZ_SUPPORT_HPP
#define REDRESS_TESTS_FUZZ_SUPPORT_HPP

#include <cstdio>
#include <cstdlib>
#include <string>

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

}  // namespace redress_fuzz

/// Crashes the fuzzer with `context` (a std::string expression, evaluated only on failure).
#define FUZZ_CHECK(condition, context)                                              \
  do {                                                                              \
    if (!(condition)) ::redress_fuzz::fail(__FILE__, __LINE__, #condition, (context)); \
  } while (false)

#endif
