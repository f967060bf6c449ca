// Holidays from iCalendar files (RFC 5545): the all-day events of a published holiday list.
#ifndef REDRESS_SRC_CALENDAR_ICAL_HOLIDAYS_HPP
#define REDRESS_SRC_CALENDAR_ICAL_HOLIDAYS_HPP

#include <string>
#include <vector>

#include "redress/error.hpp"
#include "redress/time.hpp"

namespace redress::detail {

/// One day of a holiday: a local date and the event's SUMMARY.
struct ical_holiday {
  civil_date date;
  std::string name;
};

/// `date` as an iCalendar DATE value (RFC 5545 3.3.4): "YYYYMMDD".
std::string ical_date_text(civil_date date);

/// Reads the iCalendar file at `path` and returns every day its all-day events cover, up to the
/// end of `last_year`, in file order (a multi-day event gives one entry per day).
/// `cited_at` is where the file is named (the calendar's `holiday_files` entry).
/// Throws: redress::error at path:line(:col) for anything it does not support, never ignoring it.
std::vector<ical_holiday> read_ical_holidays(const std::string& path, const source_location& cited_at,
                                             int last_year);

}  // namespace redress::detail

#endif
