// The zone behind redress::time_zone: the system tz database through Howard Hinnant's date,
// plus the zone's POSIX footer rule for instants beyond the last listed transition (date reads
// only the transition table, so without this London would stay on GMT from 2038 on).
#ifndef REDRESS_SRC_TIME_ZONE_IMPL_HPP
#define REDRESS_SRC_TIME_ZONE_IMPL_HPP

#include <cstdint>
#include <memory>
#include <string>

#include <date/tz.h>

#include "redress/time.hpp"

namespace Posix {
class time_zone;  // date/ptz.h defines non-inline functions: include it in one TU only
}

namespace redress::detail {

struct zone_impl {
  zone_impl();
  ~zone_impl();

  std::string name;
  const date::time_zone* table = nullptr;
  std::unique_ptr<Posix::time_zone> footer;  // null when the file has none we can read
  std::int64_t footer_from = 0;              // instants (and local times) from here use `footer`

  date::sys_info info(date::sys_seconds t) const;
  date::local_info info(date::local_seconds t) const;
};

}  // namespace redress::detail

#endif
