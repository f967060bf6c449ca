// The resolved form of a business calendar. Working intervals are resolved to UTC one local
// year at a time ("chunks"), each with running totals of working seconds and business days,
// so that a deadline is a binary search inside a chunk plus one subtraction per whole year
// crossed. Chunks of the years 1900-2299 are cached on first use (lock-free: a compare-and-swap
// publishes each); of other years, the last few built are kept (under a mutex), and each one's
// total once computed.
#ifndef REDRESS_SRC_CALENDAR_IMPL_HPP
#define REDRESS_SRC_CALENDAR_IMPL_HPP

#include <array>
#include <atomic>
#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "calendar/holiday_rules.hpp"
#include "redress/calendar.hpp"

namespace redress::detail {

struct resolved_interval {
  std::int64_t start;       // unix seconds
  std::int64_t end;         // unix seconds, > start
  std::int64_t cum_before;  // working seconds of the chunk before this interval
};

struct day_slot {
  std::int64_t start;             // the instant the local date begins
  std::int32_t first_interval;    // index into year_chunk::intervals
  std::uint16_t interval_count;   // intervals that start on this date
  std::uint16_t business_before;  // business days of the chunk before this date
};

struct year_chunk {
  int year = 0;
  std::int64_t first_day = 0;  // 1 January of `year`, in days since the epoch
  std::vector<day_slot> days;  // one per local date of the year, plus next year's 1 January
  std::vector<resolved_interval> intervals;
  std::vector<std::uint16_t> business_days;  // day index of each business day, in order
  std::int64_t total = 0;                    // working seconds of the chunk
  std::int64_t carry_in_end = 0;  // end of an overnight interval started on the previous date
                                  // that runs into this year; days[0].start when none

  std::int64_t cum_after(std::size_t i) const {
    return intervals[i].cum_before + (intervals[i].end - intervals[i].start);
  }
};

/// A chunk either borrowed from the cache or built for one computation.
class chunk_ref {
public:
  explicit chunk_ref(const year_chunk* cached) noexcept : chunk_(cached) {}
  explicit chunk_ref(std::shared_ptr<const year_chunk> shared) noexcept
      : chunk_(shared.get()), owned_(std::move(shared)) {}
  const year_chunk* operator->() const noexcept { return chunk_; }
  const year_chunk& operator*() const noexcept { return *chunk_; }

private:
  const year_chunk* chunk_;
  std::shared_ptr<const year_chunk> owned_;  // a far year's chunk, which the cache may drop
};

/// A cursor into working time: `cum` working seconds into the chunk of local year `year`.
struct working_position {
  int year;
  std::int64_t cum;
};

/// Something wrong with a calendar definition, with enough to locate it in the file.
struct calendar_problem {
  std::string message;
  int weekday = -1;                  // 0 = Monday, when the problem is in the weekly hours
  std::optional<civil_date> date;    // when the problem is in an exception
  int interval = -1;                 // index within that day's list, when known
};

/// Returns: the first problem of `definition`'s hours (bad interval, overlap within a day or
/// across midnight), or nullopt. Does not look at the zone.
std::optional<calendar_problem> check_hours(const calendar_definition& definition);

struct calendar_impl {
  static constexpr int first_cached_year = 1900;
  static constexpr int last_cached_year = 2299;

  calendar_definition definition;
  time_zone zone;
  std::vector<std::int64_t> holiday_days;  // sorted days since epoch
  std::vector<std::pair<std::int64_t, const std::vector<local_interval>*>> exception_days;
  std::int64_t weekly_seconds = 0;          // local working time of one plain week
  int working_weekdays = 0;                 // weekdays with at least one interval
  std::int64_t exception_seconds = 0;       // local working time of all exceptions
  std::int64_t exception_business_days = 0;
  int first_year = 1, last_year = 9999;     // years a computation may touch (valid range)
  int first_working_year = 1, last_working_year = 9999;  // years that can hold working time
  std::vector<compiled_rule> rules;         // holiday rules, parsed (point into definition)
  int first_rule_year = 1, last_rule_year = 9999;  // years the rules can compute
  // The instants whose local date require_in_range accepts: from the start of the first date
  // (valid_from, the rules' first year, 0001-01-01) to the start of the day after the last,
  // and within the UTC years 0001-9999, which local_date also requires.
  // Empty (0, 0) when no date is accepted. Days start at non-decreasing instants, so a date is
  // accepted exactly when its instants fall here.
  std::int64_t in_range_from = 0, in_range_until = 0;
  void find_instant_range();
  mutable std::unique_ptr<std::atomic<const year_chunk*>[]> cache;
  // Working seconds of each year 1-9999 outside the cached ones (index year - 1; -1 until
  // computed), so that a span of centuries builds each far year's chunk once, not once per
  // computation.
  mutable std::unique_ptr<std::atomic<std::int64_t>[]> far_totals;
  // The chunks of the last few far years built (1-1899 and 2300-9999), replaced in turn: a run
  // of computations in one such year (a complaint of 8461) builds its chunk once, not at every
  // step, and a scan of many years keeps at most this many.
  static constexpr std::size_t far_chunk_count = 8;
  mutable std::mutex far_mutex;
  mutable std::array<std::shared_ptr<const year_chunk>, far_chunk_count> far_chunks;
  mutable std::size_t far_next = 0;

  calendar_impl(calendar_definition def, time_zone z);
  ~calendar_impl();
  calendar_impl(const calendar_impl&) = delete;
  calendar_impl& operator=(const calendar_impl&) = delete;

  /// The hours of `date`, given the sorted holiday days around it.
  const std::vector<local_interval>& hours_of(civil_date date,
                                              const std::vector<std::int64_t>& holidays) const;
  /// The holidays (listed, rule-made, observed) on first_day..last_day, days since epoch.
  std::vector<named_holiday> holidays_between(std::int64_t first_day, std::int64_t last_day) const;
  chunk_ref chunk(int year) const;
  /// chunk(year)->total, without building a far year's chunk more than once.
  std::int64_t year_total(int year) const;
  std::unique_ptr<year_chunk> build_chunk(int year) const;

  /// The local year whose chunk holds `t` (days[0].start <= t < days.back().start).
  int year_of(std::int64_t t) const;
  /// chunk(year_of(t)), after require_year.
  chunk_ref chunk_holding(std::int64_t t) const;
  working_position locate(std::int64_t t) const;
  /// The index of c's first interval that ends after t (c.intervals.size() when none), for t
  /// from c.carry_in_end to the year's end.
  std::size_t first_ending_after(const year_chunk& c, std::int64_t t) const;
  /// `what` describes the computation for messages ("40 business hours from ..."); it is only
  /// called on failure, so the hot path builds no strings.
  template <typename Describe>
  std::int64_t add_working(std::int64_t t, std::int64_t seconds, Describe&& what) const;
  std::int64_t working_between(std::int64_t from, std::int64_t to) const;

  civil_date local_date(std::int64_t t) const;
  /// The index in c.days of the local date holding t (0 when t is before the year's first
  /// day starts, which only locate's carried-in interval reaches).
  std::int64_t day_in_chunk(const year_chunk& c, std::int64_t t) const;
  const day_slot& slot(const year_chunk& c, civil_date date) const;
  civil_date nth_business_day_after(civil_date date, std::int64_t n) const;

  template <typename Describe>
  void require_year(int year, Describe&& what) const {
    if (year < 1 || year > 9999) fail_year(what());
  }
  /// require_in_range(local_date(t), what), without finding the date when t is inside the
  /// instants whose dates pass (the usual case: the engine asks this several times an event).
  template <typename Describe>
  void require_instant_in_range(std::int64_t t, Describe&& what) const {
    if (t >= in_range_from && t < in_range_until) return;
    require_in_range(local_date(t), what);
  }
  template <typename Describe>
  void require_in_range(civil_date date, Describe&& what) const {
    if ((definition.valid_from && date < *definition.valid_from) ||
        (definition.valid_until && date > *definition.valid_until))
      fail_range(date, what());
    if (date.year < first_rule_year || date.year > last_rule_year) fail_rule_years(date, what());
  }
  [[noreturn]] void fail_rule_years(civil_date date, const std::string& what) const;
  [[noreturn]] void fail_year(const std::string& what) const;
  [[noreturn]] void fail_range(civil_date date, const std::string& what) const;
  [[noreturn]] void fail_no_working_time(const std::string& what, bool forward) const;
  std::int64_t add_working_forward(const working_position& from, std::int64_t seconds) const;
  std::int64_t add_working_backward(const working_position& from, std::int64_t seconds) const;
};

// Sentinel results of add_working_forward/backward: the calendar ran out of room.
constexpr std::int64_t out_of_working_time = INT64_MIN;

template <typename Describe>
std::int64_t calendar_impl::add_working(std::int64_t t, std::int64_t seconds, Describe&& what) const {
  if (seconds == 0) return t;
  const working_position from = locate(t);
  const std::int64_t result =
      seconds > 0 ? add_working_forward(from, seconds) : add_working_backward(from, seconds);
  if (result == out_of_working_time) fail_no_working_time("counting " + what(), seconds > 0);
  return result;
}

}  // namespace redress::detail

#endif
