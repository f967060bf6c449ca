// The oracle: a deliberately naive reading of the calendar contract (docs/spec/time.md),
// written to be checked by eye rather than to be fast, and kept independent of the fast
// calendar (it never calls business_calendar, deadline or elapsed_working_time).
//
// How it reads the contract:
//  - The hours of a local date are its exception's hours if it has one, else none if it is a
//    holiday, else the weekly pattern's (an exception beats a holiday on the same date).
//  - Each local interval is resolved on the date it starts on; its start and end are resolved
//    separately by the DST rule (gap -> transition instant, overlap -> first occurrence), an
//    overnight end on the next date; an interval that resolves to nothing is dropped.
//  - Working time is counted by stepping through ELAPSED time, a minute at a time (a second at a
//    time off the minute grid), asking at each step whether the instant is inside an interval.
//  - Day periods walk local dates one at a time.
//  - `valid` ranges are ignored: the oracle answers as if the calendar's data went on forever.
//    Tests that check range errors decide "inside" and "outside" themselves.
//
// Every walk is bounded: more than `walk_limit_days` (default 400) days of elapsed time, or
// of consecutive dates without a business day, throws `oracle::gave_up` ("no working time
// left"); a test that wants years of stepping raises the limit.
// Not thread-safe (it memoizes resolved dates).
#ifndef REDRESS_TESTS_NAIVE_CALENDAR_HPP
#define REDRESS_TESTS_NAIVE_CALENDAR_HPP

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "redress/calendar.hpp"
#include "redress/time.hpp"

namespace redress::oracle {

/// The oracle found no answer within its bounds (a calendar that has run out of working time).
struct gave_up : std::runtime_error {
  using std::runtime_error::runtime_error;
};
/// The request breaks the contract (a negative day period, `0 days`, ...).
struct refused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr int default_walk_limit_days = 400;

/// A working interval: a local interval resolved on the local date it starts on.
struct working_interval {
  civil_date date;       // the local date it starts on (belongs to)
  local_interval hours;  // as written for that date
  instant start;
  instant end;  // exclusive; end > start (empty resolutions are dropped)
};

// Plain date arithmetic, walked a day at a time (no shared code with the fast calendar).
bool is_leap_year(int year) noexcept;
int days_in_month(int year, int month) noexcept;
civil_date next_date(civil_date d) noexcept;
civil_date previous_date(civil_date d) noexcept;
/// Requires |n| <= 100000 (walks one date at a time).
civil_date add_days(civil_date d, std::int64_t n);
/// EU 1182/71 art. 3(2)(c): the same day of the month N months later, or that month's last day.
civil_date add_months_clamped(civil_date d, std::int64_t n);
/// Monday = 0 ... Sunday = 6 (Sakamoto's method).
int weekday_index(civil_date d) noexcept;

/// Working-time and elapsed durations in seconds (business_* and seconds/minutes/hours).
std::int64_t seconds_of(const duration_spec& duration);

/// "09:00-17:00", "22:00-06:00", "00:00-24:00" (the file form).
std::string format_hours(const local_interval& interval);
/// The definition as a calendar file, to paste into a repro.
std::string to_toml(const calendar_definition& definition);

class naive_calendar {
 public:
  /// Throws: redress::error for an unknown zone (from time_zone::locate).
  explicit naive_calendar(calendar_definition definition,
                          int walk_limit_days = default_walk_limit_days);

  const calendar_definition& definition() const noexcept { return definition_; }
  const time_zone& zone() const noexcept { return zone_; }
  int walk_limit_days() const noexcept { return walk_limit_days_; }

  /// The local hours that apply on `date`: its exception's, none on a holiday, else the week's.
  std::vector<local_interval> hours_on(civil_date date) const;
  /// The working intervals that start on `date`, resolved, empty ones dropped, by start.
  const std::vector<working_interval>& intervals_starting_on(civil_date date) const;

  civil_date local_date(instant t) const;
  /// The first instant whose local date is `date` (found by bisection on to_civil).
  instant start_of_day(civil_date date) const;
  /// One second before the next local date begins.
  instant end_of_day(civil_date date) const;
  bool is_business_day(civil_date date) const;
  /// The end of the last working interval that starts on `date`; nullopt if there is none.
  std::optional<instant> close_of_business(civil_date date) const;
  /// Whether `t` lies inside a working interval of the dates around it.
  bool is_open(instant t) const;
  /// `t` when open, else the first open instant after it (stepping).
  instant next_opening(instant t) const;
  /// The `n`th business day after `date`; for n == 0, `date` if it is one, else the next.
  civil_date business_day_after(civil_date date, std::int64_t n) const;
  /// Business days D all of whose working intervals lie within [from, to).
  std::int64_t business_days_wholly_within(instant from, instant to) const;

  /// The instant that counts as receipt for day periods.
  instant received_at(instant start, receipt_rule rule) const;
  /// The last day of a day period (after clamping and rollover).
  civil_date last_day(instant start, const duration_spec& duration,
                      const deadline_options& options = {}) const;

  /// The contract's deadline. Throws refused / gave_up.
  instant deadline(instant start, const duration_spec& duration,
                   const deadline_options& options = {}) const;
  /// Working time in [from, to), negative when to < from. Throws gave_up past the bound.
  std::chrono::seconds elapsed_working_time(instant from, instant to) const;

 private:
  instant add_working_time(instant start, std::int64_t seconds) const;
  void check_walk(instant from, instant now) const;
  instant day_period_deadline(instant start, const duration_spec& duration,
                              const deadline_options& options) const;

  calendar_definition definition_;
  time_zone zone_;
  int walk_limit_days_;
  mutable std::map<civil_date, std::vector<working_interval>> resolved_;
};

}  // namespace redress::oracle

#endif
