// Calendars from TOML: a calendar file's [calendar] table, or a policy's [calendars.NAME].
#ifndef REDRESS_SRC_CALENDAR_FILE_HPP
#define REDRESS_SRC_CALENDAR_FILE_HPP

#include <cstddef>
#include <string>

#include <toml++/toml.h>

#include "redress/calendar.hpp"

namespace redress::detail {

/// How many files deep an `extends` chain may go (a file extending one that extends another...).
constexpr std::size_t max_extends_depth = 32;

/// Builds a calendar from a table with the keys of a [calendar] table. `file` is the file the
/// table came from (relative `extends` and `holiday_files` are resolved against it);
/// `default_name` names the calendar when the table has no `name`.
/// Throws: redress::error at file:line:col.
business_calendar calendar_from_table(const toml::table& table, const std::string& file,
                                      const std::string& default_name,
                                      const std::string& table_label);

}  // namespace redress::detail

#endif
