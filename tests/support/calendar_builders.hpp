// Small helpers to write calendar definitions in tests the way a calendar file reads:
// week({"mon", "fri"}, {"09:00-17:00"}), hours("22:00-06:00"), date("2026-04-03").
// Header-only; used by the oracle's own tests and by the tests that compare against it.
#ifndef REDRESS_TESTS_CALENDAR_BUILDERS_HPP
#define REDRESS_TESTS_CALENDAR_BUILDERS_HPP

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "redress/calendar.hpp"
#include "redress/time.hpp"

namespace redress::test_calendars {

/// "09:00-17:00" -> {540, 1020}; an end before the start is overnight (+1440); "24:00" ends
/// the day.
inline local_interval interval(std::string_view text) {
  auto digits = [&](std::size_t at) { return (text.at(at) - '0') * 10 + (text.at(at + 1) - '0'); };
  if (text.size() != 11 || text[2] != ':' || text[5] != '-' || text[8] != ':')
    throw std::invalid_argument("expected HH:MM-HH:MM, got " + std::string(text));
  const int start = digits(0) * 60 + digits(3);
  int end = digits(6) * 60 + digits(9);
  if (end <= start) end += 1440;
  return local_interval{start, end};
}

inline std::vector<local_interval> hours(std::initializer_list<std::string_view> texts) {
  std::vector<local_interval> out;
  for (std::string_view text : texts) out.push_back(interval(text));
  return out;
}

inline civil_date date(std::string_view text) { return civil_date::parse(text); }

/// Index into calendar_definition::week: "mon" -> 0 ... "sun" -> 6.
inline std::size_t day_index(std::string_view name) {
  static constexpr std::string_view names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  for (std::size_t i = 0; i < 7; ++i)
    if (names[i] == name) return i;
  throw std::invalid_argument("expected mon..sun, got " + std::string(name));
}

/// A definition with `hours_each_day` on the listed days.
inline calendar_definition weekly(std::string timezone,
                                  std::initializer_list<std::string_view> days,
                                  std::initializer_list<std::string_view> hours_each_day) {
  calendar_definition def;
  def.name = "test";
  def.timezone = std::move(timezone);
  for (std::string_view day : days) def.week[day_index(day)] = hours(hours_each_day);
  return def;
}

inline calendar_definition monday_to_friday(
    std::string timezone, std::initializer_list<std::string_view> hours_each_day) {
  return weekly(std::move(timezone), {"mon", "tue", "wed", "thu", "fri"}, hours_each_day);
}

inline calendar_definition every_day(std::string timezone,
                                     std::initializer_list<std::string_view> hours_each_day) {
  return weekly(std::move(timezone), {"mon", "tue", "wed", "thu", "fri", "sat", "sun"},
                hours_each_day);
}

/// England & Wales office hours, Mon-Fri 09:00-17:00, with the 2026 bank holidays.
inline calendar_definition england_wales_2026() {
  calendar_definition def = monday_to_friday("Europe/London", {"09:00-17:00"});
  def.name = "england-wales";
  for (const char* d : {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
                        "2026-08-31", "2026-12-25", "2026-12-28"})
    def.holidays.push_back(date(d));
  return def;
}

inline duration_spec business_hours(std::int64_t n) {
  return {n, duration_spec::unit::business_hours};
}
inline duration_spec business_minutes(std::int64_t n) {
  return {n, duration_spec::unit::business_minutes};
}
inline duration_spec business_days(std::int64_t n) {
  return {n, duration_spec::unit::business_days};
}
inline duration_spec days(std::int64_t n) { return {n, duration_spec::unit::days}; }
inline duration_spec weeks(std::int64_t n) { return {n, duration_spec::unit::weeks}; }
inline duration_spec months(std::int64_t n) { return {n, duration_spec::unit::months}; }

}  // namespace redress::test_calendars

#endif
