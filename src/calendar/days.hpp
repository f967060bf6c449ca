// Day arithmetic of the calendar layer on days since 1970-01-01, by date/date.h (one rule for
// weekdays, leap years and month lengths, not a copy in each file).
#ifndef REDRESS_SRC_CALENDAR_DAYS_HPP
#define REDRESS_SRC_CALENDAR_DAYS_HPP

#include <cstdint>

#include <date/date.h>

namespace redress::detail {

/// 0 = Monday ... 6 = Sunday (the index of calendar_definition::week). Days of the years
/// 0001-9999 (within about 3.7 million of the epoch) fit date::days.
inline int weekday_index(std::int64_t days_since_epoch) {
  const date::sys_days day{date::days{static_cast<date::days::rep>(days_since_epoch)}};
  return static_cast<int>(date::weekday{day}.iso_encoding()) - 1;
}

inline bool is_weekend(std::int64_t days_since_epoch) { return weekday_index(days_since_epoch) >= 5; }

inline int days_in_year(int year) { return date::year{year}.is_leap() ? 366 : 365; }

/// month 1-12.
inline int days_in_month(int year, int month) {
  const auto last = date::year{year} / date::month{static_cast<unsigned>(month)} / date::last;
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

}  // namespace redress::detail

#endif
