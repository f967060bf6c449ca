// The shipped policies and files, for tests that walk complaints through them.
#ifndef REDRESS_TESTS_SUPPORT_SHIPPED_HPP
#define REDRESS_TESTS_SUPPORT_SHIPPED_HPP

#include <string>

#include "redress/policy.hpp"

namespace redress::testing {

inline std::string rules(const std::string& name) { return std::string(REDRESS_SOURCE_DIR) + "/rules/" + name; }

inline const policy& iso10002() {
  static const policy p = load_policy(rules("iso10002.toml"));
  return p;
}

inline const policy& fca() {
  static const policy p = load_policy(rules("fca-disp.toml"));
  return p;
}

}  // namespace redress::testing

#endif
