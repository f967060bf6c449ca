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

/// The file a path names that `file` (a policy or calendar file) gives: `relative` itself when
/// absolute, else resolved against `file`'s directory and normalised ("rules/../x.toml" is
/// "x.toml"). The one rule by which every file a policy or calendar names is found.
std::string resolve_relative(const std::string& file, const std::string& relative);
/// The inverse: `path` (as resolve_relative() gives it) named relative to `file`'s directory, so
/// that resolve_relative(file, relative_to(file, path)) is `path`; an absolute `path` under a
/// relative directory stays as it is.
std::string relative_to(const std::string& file, const std::string& path);

/// Builds a calendar from a table with the keys of a [calendar] table. `file` is the file the
/// table came from (relative `extends` and `holiday_files` are resolved against it);
/// `default_name` names the calendar when the table has no `name`.
/// Throws: redress::error at file:line:col.
business_calendar calendar_from_table(const toml::table& table, const std::string& file,
                                      const std::string& default_name,
                                      const std::string& table_label);

}  // namespace redress::detail

#endif
