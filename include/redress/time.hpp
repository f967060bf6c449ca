// Time vocabulary. Two kinds of time are kept apart, as in cctz/abseil:
//  - an `instant` is a point on the UTC time line (seconds resolution);
//  - a `civil_date` / `civil_time` is what a wall clock and a wall calendar show, with no zone.
// Every conversion between them names a `time_zone` and follows one DST rule
// (docs/spec/time.md): a local time in a spring-forward gap resolves to the instant of
// the transition; a local time that occurs twice (fall-back overlap) resolves to its first
// occurrence.
//
// This header includes only the standard library, so hosts compile it cheaply as C++17 or C++20.
#ifndef REDRESS_TIME_HPP
#define REDRESS_TIME_HPP

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace redress {

namespace detail {
struct zone_impl;
}

/// A point in time: whole seconds since 1970-01-01T00:00:00Z (leap seconds not counted).
class instant {
public:
  constexpr instant() noexcept = default;

  static constexpr instant from_unix(std::int64_t seconds) noexcept { return instant{seconds}; }
  constexpr std::int64_t unix_seconds() const noexcept { return seconds_; }

  static constexpr instant from_sys(std::chrono::system_clock::time_point tp) noexcept {
    return instant{std::chrono::floor<std::chrono::seconds>(tp).time_since_epoch().count()};
  }
  std::chrono::system_clock::time_point to_sys() const noexcept {
    return std::chrono::system_clock::time_point{std::chrono::seconds{seconds_}};
  }

  /// Requires: `text` is an RFC 3339 timestamp with an offset ("2026-03-27T16:00:00Z",
  /// "2026-03-27T16:00:00+01:00"), years 0001-9999. Fractional seconds are accepted only when
  /// they are zero (seconds resolution).
  /// Throws: `redress::error` quoting the text and saying what was expected.
  static instant parse(std::string_view text);

  /// Returns the instant in RFC 3339, in UTC: "2026-03-27T16:00:00Z".
  std::string to_string() const;

  friend constexpr bool operator==(instant a, instant b) noexcept { return a.seconds_ == b.seconds_; }
  friend constexpr bool operator!=(instant a, instant b) noexcept { return a.seconds_ != b.seconds_; }
  friend constexpr bool operator<(instant a, instant b) noexcept { return a.seconds_ < b.seconds_; }
  friend constexpr bool operator<=(instant a, instant b) noexcept { return a.seconds_ <= b.seconds_; }
  friend constexpr bool operator>(instant a, instant b) noexcept { return a.seconds_ > b.seconds_; }
  friend constexpr bool operator>=(instant a, instant b) noexcept { return a.seconds_ >= b.seconds_; }

  friend constexpr instant operator+(instant a, std::chrono::seconds d) noexcept {
    return instant{a.seconds_ + d.count()};
  }
  friend constexpr instant operator-(instant a, std::chrono::seconds d) noexcept {
    return instant{a.seconds_ - d.count()};
  }
  friend constexpr std::chrono::seconds operator-(instant a, instant b) noexcept {
    return std::chrono::seconds{a.seconds_ - b.seconds_};
  }

private:
  constexpr explicit instant(std::int64_t s) noexcept : seconds_(s) {}
  std::int64_t seconds_ = 0;
};

/// Day of the week, Monday first as in ISO 8601.
enum class weekday : std::uint8_t { monday, tuesday, wednesday, thursday, friday, saturday, sunday };

/// A date on the proleptic Gregorian calendar, with no zone. Like date::year_month_day it may
/// hold an invalid value; `ok()` says whether it is a real date.
struct civil_date {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31

  bool ok() const noexcept;
  /// Days since 1970-01-01 (negative before). Requires ok().
  std::int64_t days_since_epoch() const noexcept;
  /// Beyond the years an int holds, the year saturates at INT_MIN or INT_MAX (not ok()).
  static civil_date from_days(std::int64_t days_since_epoch) noexcept;
  weekday day_of_week() const noexcept;
  /// "2026-04-01".
  std::string to_string() const;
  /// Requires: "YYYY-MM-DD" naming a real date, years 0001-9999. Throws: redress::error.
  static civil_date parse(std::string_view text);

  friend bool operator==(const civil_date& a, const civil_date& b) noexcept {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend bool operator!=(const civil_date& a, const civil_date& b) noexcept { return !(a == b); }
  friend bool operator<(const civil_date& a, const civil_date& b) noexcept {
    if (a.year != b.year) return a.year < b.year;
    if (a.month != b.month) return a.month < b.month;
    return a.day < b.day;
  }
  friend bool operator<=(const civil_date& a, const civil_date& b) noexcept { return !(b < a); }
  friend bool operator>(const civil_date& a, const civil_date& b) noexcept { return b < a; }
  friend bool operator>=(const civil_date& a, const civil_date& b) noexcept { return !(a < b); }
};

/// A wall-clock reading: a civil date and a time of day, with no zone.
struct civil_time {
  civil_date date;
  int hour = 0;    // 0-23
  int minute = 0;  // 0-59
  int second = 0;  // 0-59

  bool ok() const noexcept;
  /// Seconds since 1970-01-01T00:00:00 as if the wall clock were UTC. Requires ok().
  std::int64_t seconds_since_epoch() const noexcept;
  static civil_time from_seconds(std::int64_t local_seconds) noexcept;
  /// "2026-04-01T14:00:00".
  std::string to_string() const;

  friend bool operator==(const civil_time& a, const civil_time& b) noexcept {
    return a.date == b.date && a.hour == b.hour && a.minute == b.minute && a.second == b.second;
  }
  friend bool operator!=(const civil_time& a, const civil_time& b) noexcept { return !(a == b); }
};

/// What a local time is in a zone: exactly one instant, none (a spring-forward gap) or two
/// (a fall-back overlap).
struct local_time_info {
  enum class kind : std::uint8_t { unique, nonexistent, ambiguous };
  kind result = kind::unique;
  /// unique: the instant. nonexistent: the instant of the transition that skipped it.
  /// ambiguous: the first occurrence.
  instant resolved;
  /// ambiguous: the second occurrence; otherwise equal to `resolved`.
  instant later;
};

/// An IANA time zone from the system's tz database. A cheap handle: copy it freely; the zone
/// data it points to lives for the whole program and is safe to share across threads.
/// Beyond the last transition listed in the zone's file (2037 in Debian's), the zone's POSIX
/// rule (the footer of its TZif file) applies, so DST stays right in every year.
class time_zone {
public:
  /// Requires: `name` is an IANA zone name such as "Europe/London" or "UTC".
  /// Throws: redress::error "unknown time zone \"Europe/Londn\"" when the database has no such
  /// zone, or a message naming the database when it cannot be read.
  static time_zone locate(std::string_view name);

  const std::string& name() const noexcept;
  /// Returns: the UTC offset in seconds (east positive) in force at `t`.
  std::int32_t offset_at(instant t) const;
  /// Returns: the wall-clock reading at `t`.
  civil_time to_civil(instant t) const;
  /// Returns: what `local` is in this zone (unique, in a gap, or in an overlap).
  local_time_info lookup(const civil_time& local) const;
  /// Returns: `local` as an instant by the DST rule above (gap → transition, overlap → first).
  instant resolve(const civil_time& local) const { return lookup(local).resolved; }

  friend bool operator==(const time_zone& a, const time_zone& b) noexcept { return a.impl_ == b.impl_; }
  friend bool operator!=(const time_zone& a, const time_zone& b) noexcept { return a.impl_ != b.impl_; }

  const detail::zone_impl& impl() const noexcept { return *impl_; }

private:
  explicit time_zone(const detail::zone_impl* impl) noexcept : impl_(impl) {}
  const detail::zone_impl* impl_;
};

/// Returns: `t` in RFC 3339 with `offset_seconds`: "2026-05-22T23:59:59+01:00"; a zero offset
/// prints "+00:00".
std::string format_rfc3339(instant t, std::int32_t offset_seconds);
/// Returns: `t` in RFC 3339 with the offset `zone` has at `t`.
std::string format_rfc3339(instant t, const time_zone& zone);

/// Reads a timestamp that either carries an offset (RFC 3339) or is a local time without one
/// ("2026-03-27T16:00:00"), which is read in `zone` by the DST rule above.
/// Throws: redress::error quoting the text and saying what was expected.
instant parse_timestamp(std::string_view text, const time_zone& zone);

/// The version of this library, "MAJOR.MINOR.PATCH".
const char* version() noexcept;

}  // namespace redress

#endif
