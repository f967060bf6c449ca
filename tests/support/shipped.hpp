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

/// The zone of a policy's default calendar: the zone scenarios without offsets are read in, as
/// `redress simulate` reads them.
inline const time_zone& default_zone(const policy& p) { return p.calendar(p->default_calendar).zone(); }

}  // namespace redress::testing

#endif
