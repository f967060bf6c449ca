// The message of the redress::error a call throws, for tests that compare it whole.
#ifndef REDRESS_TESTS_SUPPORT_ERROR_MESSAGE_HPP
#define REDRESS_TESTS_SUPPORT_ERROR_MESSAGE_HPP

#include <string>
#include <utility>

#include "redress/error.hpp"

namespace redress::testing {

/// Returns: what `call()` threw as a redress::error ("file:line:col: message"), or `none` when
/// it returned normally.
template <class Call>
std::string error_message(Call&& call, const char* none = "(no error)") {
  try {
    std::forward<Call>(call)();
  } catch (const error& e) {
    return e.what();
  }
  return none;
}

}  // namespace redress::testing

#endif
