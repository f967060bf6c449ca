// Business calendars and exact deadline arithmetic: the contract is docs/spec/time.md
// (calendar files, durations, counting rules) and README's "Calendars and deadlines".
//
// A `business_calendar` is immutable once built and safe to share across threads. Working
// intervals are resolved to UTC per local year and cached; a deadline is a binary search over
// running totals of working seconds, never a walk through time.
#ifndef REDRESS_CALENDAR_HPP
#define REDRESS_CALENDAR_HPP

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redress/error.hpp"
#include "redress/time.hpp"

namespace redress {

namespace detail {
struct calendar_impl;
}

/// A local working interval of one day, in minutes after that day's local midnight.
/// `end_minute` is greater than `start_minute` and at most `start_minute + 1440`; an interval
/// that ends after 1440 is an overnight shift and belongs to the day it starts on.
struct local_interval {
  int start_minute = 0;
  int end_minute = 0;

  /// "09:00-17:00", "22:00-06:00".
  std::string to_string() const;
  friend bool operator==(const local_interval& a, const local_interval& b) noexcept {
    return a.start_minute == b.start_minute && a.end_minute == b.end_minute;
  }
};

/// What happens to a rule-made holiday that falls on a Saturday or Sunday (the statutory
/// weekend, whatever the calendar's hours). The names are those of calendar files.
enum class holiday_observance : std::uint8_t {
  none,                // stays where it falls
  nearest_weekday,     // Saturday -> the Friday before, Sunday -> the Monday after (moved)
  monday_if_weekend,   // Saturday or Sunday -> the following Monday (moved)
  next_weekday,        // -> the next Monday-Friday date not already a holiday (moved)
  additional_weekday,  // stays, and the next Monday-Friday date not already a holiday is added
  monday_if_sunday,    // Sunday -> Monday (moved); Saturday stays
  next_day_if_sunday,  // Sunday stays, and the next day not already a holiday is added
  saturday_if_sunday,  // Sunday -> the Saturday before (moved)
};
/// "none", "nearest-weekday", ...; the parser returns nullopt for any other text (not an error:
/// the calendar reader that calls it locates the text and lists the names expected).
std::string_view to_string(holiday_observance);
std::optional<holiday_observance> parse_holiday_observance(std::string_view);

/// A holiday that recurs by rule ([[calendar.holiday_rules]], docs/spec/time.md).
struct holiday_rule {
  std::string name;                          // "Easter Monday"
  std::string date;                          // the rule's date expression: "easter+1",
                                             // "last monday of may", "01-01"
  holiday_observance observe = holiday_observance::none;
  std::string observed_name;                 // name of a moved or added date; empty: name +
                                             // " (substitute day)" and so on
  std::optional<int> from;                   // first year it applies (inclusive)
  std::optional<int> until;                  // last year it applies (inclusive)
  std::vector<int> except;                   // years it does not apply
};

/// Requires: `expression` in the grammar of holiday rules' `date`.
/// Returns: nullopt when it parses; otherwise the message and the 0-based offset in
/// `expression` of the problem, so that a file reader can point at it.
std::optional<std::pair<std::string, std::size_t>> check_holiday_date(std::string_view expression);

/// One holiday of a calendar on one date.
struct named_holiday {
  enum class origin : std::uint8_t { rule, listed, observed };
  civil_date date;
  std::string name;   // several holidays on one date: their names joined by " and "
  origin source = origin::listed;
};
/// "rule", "listed", "observed".
std::string_view to_string(named_holiday::origin);

/// A calendar's data as written in its file, after `extends` is applied. Build a
/// `business_calendar` from it.
struct calendar_definition {
  std::string name;
  std::string timezone;                                 // IANA name
  std::array<std::vector<local_interval>, 7> week;      // Monday first; empty = closed
  std::vector<civil_date> holidays;                     // listed dates on which no interval starts
  std::map<civil_date, std::string, std::less<>> holiday_names;  // names of listed holidays
                                                        // (a listed date without one is "holiday")
  std::vector<holiday_rule> holiday_rules;              // holidays by rule, in file order
  std::map<civil_date, std::vector<local_interval>, std::less<>> exceptions;  // own hours
  std::optional<civil_date> valid_from;                 // the dates the data covers
  std::optional<civil_date> valid_until;
};

/// When a day-period deadline falls within its last day.
enum class day_end : std::uint8_t { end_of_day, close_of_business, same_time };
/// What happens when the last day of a day period is not a business day.
enum class rollover_rule : std::uint8_t { none, next_business_day };
/// Which instant gives the day of receipt when a complaint arrives outside working time.
enum class receipt_rule : std::uint8_t { as_received, next_business_day_if_closed };

struct deadline_options {
  day_end end = day_end::end_of_day;
  rollover_rule rollover = rollover_rule::none;
  receipt_rule receipt = receipt_rule::as_received;
};

/// "end-of-day" / "close-of-business" / "same-time", and so on: the names used in files and
/// on the command line. The parsers return nullopt for any other text (not an error: the file
/// reader or the command line that calls them locates the text and lists the names expected).
std::string_view to_string(day_end);
std::string_view to_string(rollover_rule);
std::string_view to_string(receipt_rule);
std::optional<day_end> parse_day_end(std::string_view);
std::optional<rollover_rule> parse_rollover_rule(std::string_view);
std::optional<receipt_rule> parse_receipt_rule(std::string_view);

/// A duration in one of the contract's forms: "15 business days", "8 weeks", "1 month",
/// "90 business minutes", "-2 business hours", "36 hours".
struct duration_spec {
  enum class unit : std::uint8_t {
    seconds, minutes, hours,                             // elapsed time
    business_seconds, business_minutes, business_hours,  // working time
    days, weeks, months, business_days                   // day periods
  };
  std::int64_t count = 0;
  unit what = unit::seconds;

  bool is_elapsed() const noexcept { return what <= unit::hours; }
  bool is_working_time() const noexcept {
    return what >= unit::business_seconds && what <= unit::business_hours;
  }
  bool is_day_period() const noexcept { return what >= unit::days; }
  /// Elapsed and working-time durations in seconds. Requires !is_day_period().
  /// Throws: redress::error when the count does not fit in seconds.
  std::int64_t seconds() const;

  /// "15 business days", "1 month".
  std::string to_string() const;

  /// Requires: a whole number (optionally signed) and a unit, case-insensitive, singular or
  /// plural. Day periods need a count of at least 1 ("0 business days" is allowed).
  /// Throws: redress::error located at `where` saying what was expected.
  static duration_spec parse(std::string_view text, const source_location& where = {});

  friend bool operator==(const duration_spec& a, const duration_spec& b) noexcept {
    return a.count == b.count && a.what == b.what;
  }
};

/// A calendar of working time in one zone: weekly hours, holidays, dated exceptions.
/// Cheap to copy (shared, immutable data); safe to use from several threads at once.
class business_calendar {
public:
  /// Effects: checks and resolves `definition` (zone, intervals, overlaps, working time).
  /// Throws: redress::error naming the problem; no location (see load_calendar for files).
  static business_calendar build(calendar_definition definition);

  const std::string& name() const noexcept;
  const time_zone& zone() const noexcept;
  const calendar_definition& definition() const noexcept;

  /// Returns: whether `t` lies inside a working interval (half-open: the end is not inside).
  bool is_open(instant t) const;
  /// Returns: `t` when open, otherwise the start of the next working interval.
  /// Throws: redress::error when there is none (within the calendar's range and year 9999).
  instant next_open(instant t) const;
  /// Returns: whether a working interval starts on `date` (after holidays and exceptions).
  bool is_business_day(civil_date date) const;
  /// Returns: the end of the last working interval that starts on `date`; nullopt when
  /// `date` is not a business day.
  std::optional<instant> close_of_business(civil_date date) const;
  /// Returns: one second before the next local date begins.
  instant end_of_day(civil_date date) const;
  /// Returns: the instant the local date begins (local midnight, or the transition when
  /// midnight falls in a DST gap).
  instant start_of_day(civil_date date) const;
  /// Returns: the local date at `t` in the calendar's zone.
  civil_date local_date(instant t) const;
  /// Returns: the `n`th business day after `date` (n ≥ 1), or for n == 0 `date` itself when it
  /// is a business day, else the next business day.
  civil_date business_day_after(civil_date date, std::int64_t n) const;
  /// Returns: the number of business days whose whole working time lies within [from, to).
  std::int64_t business_days_wholly_within(instant from, instant to) const;
  /// Returns: the working intervals (half-open, as instants) that overlap [from, to), clipped
  /// to it, in time order; for pictures and reports.
  std::vector<std::pair<instant, instant>> working_intervals(instant from, instant to) const;

  /// Returns: the holidays (listed, rule-made and observed) on the dates from..to inclusive,
  /// sorted by date, one entry per date; a date that an exception gives its own hours is left
  /// out. Throws: redress::error when from or to is outside 0001-9999, the calendar's `valid`
  /// range, or the years its rules can compute (the equinox formula's).
  std::vector<named_holiday> holidays(civil_date from, civil_date to) const;
  /// Returns: the holiday on `date`, or nullopt (also outside the calendar's range). No throw
  /// for a date outside the range.
  std::optional<named_holiday> holiday_on(civil_date date) const;
  /// Returns: the last date the calendar's listed (not rule-made) data covers: `valid`'s end
  /// (none when it is 9999-12-31), or without `valid` and without rules 31 December of the
  /// last listed holiday's year; nullopt when nothing listed runs out (rules alone, or no
  /// dated data). Rules cannot know one-off holidays proclaimed later: those are listed dates.
  std::optional<civil_date> listed_until() const;
  /// Returns: the years the holiday rules can compute (1-9999 unless a rule needs a formula
  /// that holds for fewer years).
  std::pair<int, int> rule_years() const noexcept;

private:
  explicit business_calendar(std::shared_ptr<const detail::calendar_impl> impl) noexcept
      : impl_(std::move(impl)) {}
  std::shared_ptr<const detail::calendar_impl> impl_;
  friend struct detail::calendar_impl;
  friend const detail::calendar_impl& detail_impl(const business_calendar&) noexcept;
};

/// Reads a calendar file (TOML, docs/spec/time.md), following `extends` and
/// `holiday_files` relative to it.
/// Throws: redress::error at "file:line:col" saying what was expected.
business_calendar load_calendar(const std::string& path);
/// The same, from text; `file_name` is used in messages and to resolve relative paths.
business_calendar parse_calendar(std::string_view toml_text, const std::string& file_name);

/// Requires: `start` and the result lie within the calendar's `valid` range, if it has one.
/// Returns: the deadline for `duration` counted from `start` by the contract's rules.
/// Throws: redress::error when the computation leaves the calendar's range, year 9999, or
/// needs working time the calendar does not have.
instant deadline(const business_calendar& calendar, instant start, const duration_spec& duration,
                 const deadline_options& options = {});

/// One step of a day-period deadline's computation (trace_deadline), in the order taken.
struct deadline_step {
  enum class kind : std::uint8_t {
    received_closed,  // receipt rule: received outside working time, counted from `at`
    receipt_day,      // the day of receipt, not counted: `date`
    counted,          // business days: `date` is the `count`th business day after receipt
    skipped,          // a date not counted (or, after last_day, rolled over): `date`, `why`
    calendar_days,    // days and weeks: `count` calendar days after receipt end on `date`
    months,           // months: `count` months end on `date`; `count2` the day of month asked
    last_day,         // the period's last day: `date`
    rolled_over,      // rollover: the last day moved to the next business day, `date`
    dst,              // a local date of [start, due] not 24 hours long: `date`, `count` seconds
    due,              // the deadline: `at` on `date`
  };
  kind what = kind::due;
  civil_date date;
  instant at;
  std::int64_t count = 0;
  std::int64_t count2 = 0;
  std::string why;  // skipped: "Easter Monday", "no working hours on Saturday", ...
};
struct deadline_trace {
  instant due;                      // == deadline(calendar, start, duration, options)
  civil_date last_day;              // day periods: the last day after rollover
  std::vector<deadline_step> steps;  // day periods only; empty for other durations
};
/// Returns: deadline()'s result with the steps of its rule (the same routine, recording).
/// Throws: as deadline().
deadline_trace trace_deadline(const business_calendar& calendar, instant start,
                              const duration_spec& duration, const deadline_options& options = {});
/// Requires: `date` is not a business day. Returns: why, as a trace says it: the exception
/// ("closed by an exception"), the holiday's name, "no working hours on Saturday", or a DST gap.
std::string why_not_business_day(const business_calendar& calendar, civil_date date);
/// Requires: duration.is_day_period(). Returns: deadline() and the period's last day, with
/// no trace built (for the engine). Throws: as deadline().
std::pair<instant, civil_date> day_period_deadline(const business_calendar& calendar, instant start,
                                                   const duration_spec& duration,
                                                   const deadline_options& options = {});

/// Returns: the working time between `from` and `to`; negative when `to` is before `from`.
/// Throws: as deadline().
std::chrono::seconds elapsed_working_time(const business_calendar& calendar, instant from,
                                          instant to);

/// "PT11H30M", "PT100H", "PT0S", "-PT2H": ISO 8601 with the hour as the largest unit.
std::string format_iso8601_duration(std::chrono::seconds d);

}  // namespace redress

#endif
