// The naive oracle (see tests/support/naive_calendar.hpp). It lives under tests/unit/ so that
// the suite's glob compiles it into redress_tests; it contains no test cases.
#include "support/naive_calendar.hpp"

#include <algorithm>
#include <sstream>

namespace redress::oracle {

namespace {

constexpr std::int64_t seconds_per_day = 86400;

bool on_minute(instant t) noexcept {
  const std::int64_t s = t.unix_seconds();
  return ((s % 60) + 60) % 60 == 0;
}

// The wall-clock reading `minutes` after local midnight of `date` (minutes may pass 1440:
// the end of an overnight interval is on the next date).
civil_time local_clock(civil_date date, int minutes) {
  while (minutes >= 1440) {
    date = next_date(date);
    minutes -= 1440;
  }
  return civil_time{date, minutes / 60, minutes % 60, 0};
}

std::string two_digits(int n) {
  std::string s = std::to_string(n);
  return s.size() < 2 ? "0" + s : s;
}

// The working intervals of a run of local dates, sorted and checked to be disjoint, with a
// cursor for walks. It answers "is x inside a working interval?" for any x, loading more
// dates when x leaves the span it can vouch for.
//
// Why the span is safe: an interval that starts on date D starts at or after the start of D
// and ends at or before the start of D+2 (its end is at most 24 hours of wall clock later and
// the DST rule is monotone). So with the dates [first, last] loaded, every interval that
// contains an instant in [start_of_day(first + 1), start_of_day(last + 1)) is loaded; we keep
// one more day of margin on each side.
class timeline {
 public:
  timeline(const naive_calendar& calendar, instant around) : calendar_(calendar) {
    const civil_date day = calendar.local_date(around);
    first_ = add_days(day, -3);
    last_ = add_days(day, 3);
    reload();
  }

  bool open_at(instant x) {
    // Grow a week at a time: reloading is linear in the span, so a long walk stays cheap.
    while (x < covered_from_) {
      first_ = add_days(first_, -7);
      reload();
    }
    while (x >= covered_until_) {
      last_ = add_days(last_, 7);
      reload();
    }
    // cursor_ = the first interval whose end is after x.
    while (cursor_ > 0 && intervals_[cursor_ - 1].end > x) --cursor_;
    while (cursor_ < intervals_.size() && intervals_[cursor_].end <= x) ++cursor_;
    return cursor_ < intervals_.size() && intervals_[cursor_].start <= x;
  }

 private:
  void reload() {
    intervals_.clear();
    for (civil_date d = first_; d <= last_; d = next_date(d)) {
      const auto& of_day = calendar_.intervals_starting_on(d);
      intervals_.insert(intervals_.end(), of_day.begin(), of_day.end());
    }
    std::sort(
        intervals_.begin(), intervals_.end(),
        [](const working_interval& a, const working_interval& b) { return a.start < b.start; });
    for (std::size_t i = 1; i < intervals_.size(); ++i) {
      if (intervals_[i - 1].end > intervals_[i].start)
        throw std::logic_error(
            "oracle: working intervals overlap: " + intervals_[i - 1].date.to_string() + " " +
            format_hours(intervals_[i - 1].hours) + " and " + intervals_[i].date.to_string() + " " +
            format_hours(intervals_[i].hours) + " (the calendar breaks the load-time rules)");
    }
    covered_from_ = calendar_.start_of_day(add_days(first_, 2));
    covered_until_ = calendar_.start_of_day(last_);
    cursor_ = 0;
  }

  const naive_calendar& calendar_;
  civil_date first_;
  civil_date last_;
  instant covered_from_;
  instant covered_until_;
  std::vector<working_interval> intervals_;
  std::size_t cursor_ = 0;
};

}  // namespace

// ---------------------------------------------------------------- dates, a day at a time

bool is_leap_year(int year) noexcept {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) noexcept {
  static constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return lengths[month - 1];
}

civil_date next_date(civil_date d) noexcept {
  if (d.day < days_in_month(d.year, d.month)) return {d.year, d.month, d.day + 1};
  if (d.month < 12) return {d.year, d.month + 1, 1};
  return {d.year + 1, 1, 1};
}

civil_date previous_date(civil_date d) noexcept {
  if (d.day > 1) return {d.year, d.month, d.day - 1};
  if (d.month > 1) return {d.year, d.month - 1, days_in_month(d.year, d.month - 1)};
  return {d.year - 1, 12, 31};
}

civil_date add_days(civil_date d, std::int64_t n) {
  if (n > 100000 || n < -100000) throw std::logic_error("oracle: add_days walks too far");
  for (; n > 0; --n) d = next_date(d);
  for (; n < 0; ++n) d = previous_date(d);
  return d;
}

civil_date add_months_clamped(civil_date d, std::int64_t n) {
  const std::int64_t month_index = std::int64_t{d.year} * 12 + (d.month - 1) + n;
  const int year = static_cast<int>(month_index / 12);
  const int month = static_cast<int>(month_index % 12) + 1;
  return {year, month, std::min(d.day, days_in_month(year, month))};
}

int weekday_index(civil_date d) noexcept {
  // Sakamoto: 0 = Sunday; shifted so that Monday = 0.
  static constexpr int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  int y = d.year;
  if (d.month < 3) y -= 1;
  const int sunday_first = (y + y / 4 - y / 100 + y / 400 + t[d.month - 1] + d.day) % 7;
  return (sunday_first + 6) % 7;
}

std::int64_t seconds_of(const duration_spec& duration) {
  using unit = duration_spec::unit;
  switch (duration.what) {
    case unit::seconds:
    case unit::business_seconds:
      return duration.count;
    case unit::minutes:
    case unit::business_minutes:
      return duration.count * 60;
    case unit::hours:
    case unit::business_hours:
      return duration.count * 3600;
    default:
      throw std::logic_error("oracle: seconds_of a day period");
  }
}

std::string format_hours(const local_interval& interval) {
  auto clock = [](int minutes) {
    return two_digits(minutes / 60) + ":" + two_digits(minutes % 60);
  };
  const int end = interval.end_minute;
  const std::string end_text = end == 1440 ? "24:00" : clock(end > 1440 ? end - 1440 : end);
  return clock(interval.start_minute) + "-" + end_text;
}

std::string to_toml(const calendar_definition& definition) {
  static constexpr const char* names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  auto hours_list = [](const std::vector<local_interval>& hours) {
    std::string out = "[";
    for (std::size_t i = 0; i < hours.size(); ++i)
      out += (i ? ", \"" : "\"") + format_hours(hours[i]) + "\"";
    return out + "]";
  };
  std::ostringstream out;
  out << "[calendar]\nname = \"" << definition.name << "\"\ntimezone = \"" << definition.timezone
      << "\"\nholidays = [";
  for (std::size_t i = 0; i < definition.holidays.size(); ++i)
    out << (i ? ", \"" : "\"") << definition.holidays[i].to_string() << "\"";
  out << "]\n";
  if (definition.valid_from || definition.valid_until)
    out << "valid = [\"" << (definition.valid_from ? definition.valid_from->to_string() : "?")
        << "\", \"" << (definition.valid_until ? definition.valid_until->to_string() : "?")
        << "\"]\n";
  out << "[calendar.hours]\n";
  for (std::size_t i = 0; i < 7; ++i)
    if (!definition.week[i].empty())
      out << names[i] << " = " << hours_list(definition.week[i]) << "\n";
  for (const auto& [date, hours] : definition.exceptions)
    out << "[[calendar.exceptions]]\ndate = \"" << date.to_string()
        << "\"\nhours = " << hours_list(hours) << "\n";
  return out.str();
}

// ---------------------------------------------------------------- the calendar

naive_calendar::naive_calendar(calendar_definition definition, int walk_limit_days)
    : definition_(std::move(definition)),
      zone_(time_zone::locate(definition_.timezone)),
      walk_limit_days_(walk_limit_days) {}

void naive_calendar::check_walk(instant from, instant now) const {
  const std::int64_t limit = std::int64_t{walk_limit_days_} * seconds_per_day;
  const std::int64_t walked = (now - from).count();
  if (walked > limit || walked < -limit)
    throw gave_up("oracle: no answer within " + std::to_string(walk_limit_days_) +
                  " days of elapsed time from " + from.to_string());
}

std::vector<local_interval> naive_calendar::hours_on(civil_date date) const {
  const auto exception = definition_.exceptions.find(date);
  if (exception != definition_.exceptions.end()) return exception->second;
  for (const civil_date& holiday : definition_.holidays)
    if (holiday == date) return {};
  return definition_.week[static_cast<std::size_t>(weekday_index(date))];
}

const std::vector<working_interval>& naive_calendar::intervals_starting_on(civil_date date) const {
  const auto known = resolved_.find(date);
  if (known != resolved_.end()) return known->second;
  std::vector<working_interval> out;
  for (const local_interval& hours : hours_on(date)) {
    const instant start = zone_.resolve(local_clock(date, hours.start_minute));
    const instant end = zone_.resolve(local_clock(date, hours.end_minute));
    if (end < start)
      throw std::logic_error("oracle: the DST rule is not monotone on " + date.to_string());
    if (!on_minute(start) || !on_minute(end))
      throw std::logic_error("oracle: an interval boundary off the minute grid on " +
                             date.to_string() + " (minute stepping would be wrong)");
    if (end == start) continue;  // wholly inside a spring-forward gap: no working time
    out.push_back(working_interval{date, hours, start, end});
  }
  std::sort(out.begin(), out.end(),
            [](const working_interval& a, const working_interval& b) { return a.start < b.start; });
  return resolved_.emplace(date, std::move(out)).first->second;
}

civil_date naive_calendar::local_date(instant t) const { return zone_.to_civil(t).date; }

instant naive_calendar::start_of_day(civil_date date) const {
  // Bisection for the first instant whose local date is `date`; bracket generously (offsets
  // are within +-14 hours).
  const std::int64_t utc_midnight = date.days_since_epoch() * seconds_per_day;
  std::int64_t lo = utc_midnight - 2 * seconds_per_day;  // local date before `date`
  std::int64_t hi = utc_midnight + 2 * seconds_per_day;  // local date on or after `date`
  if (!(local_date(instant::from_unix(lo)) < date) || local_date(instant::from_unix(hi)) < date)
    throw std::logic_error("oracle: cannot bracket the start of " + date.to_string());
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (local_date(instant::from_unix(mid)) < date)
      lo = mid;
    else
      hi = mid;
  }
  return instant::from_unix(hi);
}

instant naive_calendar::end_of_day(civil_date date) const {
  return start_of_day(next_date(date)) - std::chrono::seconds{1};
}

bool naive_calendar::is_business_day(civil_date date) const {
  return !intervals_starting_on(date).empty();
}

std::optional<instant> naive_calendar::close_of_business(civil_date date) const {
  const auto& intervals = intervals_starting_on(date);
  if (intervals.empty()) return std::nullopt;
  return intervals.back().end;  // disjoint and sorted by start: the last one ends last
}

bool naive_calendar::is_open(instant t) const {
  const civil_date day = local_date(t);
  for (civil_date d = add_days(day, -2); d <= add_days(day, 1); d = next_date(d))
    for (const working_interval& interval : intervals_starting_on(d))
      if (interval.start <= t && t < interval.end) return true;
  return false;
}

instant naive_calendar::next_opening(instant t) const {
  timeline line(*this, t);
  instant x = t;
  while (!line.open_at(x)) {
    check_walk(t, x);
    x = x + std::chrono::seconds{on_minute(x) ? 60 : 1};
  }
  return x;
}

civil_date naive_calendar::business_day_after(civil_date date, std::int64_t n) const {
  if (n < 0) throw refused("oracle: a negative count of business days");
  civil_date d = date;
  int since_last_business_day = 0;
  auto step = [&] {
    d = next_date(d);
    if (++since_last_business_day > walk_limit_days_)
      throw gave_up("oracle: no business day within " + std::to_string(walk_limit_days_) +
                    " days after " + date.to_string());
  };
  if (n == 0) {
    while (!is_business_day(d)) step();
    return d;
  }
  for (std::int64_t counted = 0; counted < n;) {
    step();
    if (is_business_day(d)) {
      ++counted;
      since_last_business_day = 0;
    }
  }
  return d;
}

std::int64_t naive_calendar::business_days_wholly_within(instant from, instant to) const {
  if (!(from < to)) return 0;
  std::int64_t count = 0;
  const civil_date last = add_days(local_date(to), 1);
  for (civil_date d = add_days(local_date(from), -2); d <= last; d = next_date(d)) {
    const auto& intervals = intervals_starting_on(d);
    if (intervals.empty()) continue;
    bool inside = true;
    for (const working_interval& interval : intervals)
      inside = inside && from <= interval.start && interval.end <= to;
    if (inside) ++count;
  }
  return count;
}

instant naive_calendar::received_at(instant start, receipt_rule rule) const {
  if (rule == receipt_rule::next_business_day_if_closed && !is_open(start))
    return next_opening(start);
  return start;
}

civil_date naive_calendar::last_day(instant start, const duration_spec& duration,
                                    const deadline_options& options) const {
  using unit = duration_spec::unit;
  if (!duration.is_day_period()) throw std::logic_error("oracle: last_day of a non-day period");
  if (duration.count < 0) throw refused("oracle: a negative day period");
  if (duration.count == 0 && duration.what != unit::business_days)
    throw refused("oracle: a day period of 0 (only 0 business days is allowed)");

  const civil_date receipt_day = local_date(received_at(start, options.receipt));
  civil_date last = receipt_day;
  switch (duration.what) {
    case unit::days:
      last = add_days(receipt_day, duration.count);
      break;
    case unit::weeks:
      last = add_days(receipt_day, 7 * duration.count);
      break;
    case unit::months:
      last = add_months_clamped(receipt_day, duration.count);
      break;
    case unit::business_days:
      last = business_day_after(receipt_day, duration.count);
      break;
    default:
      break;
  }
  if (options.rollover == rollover_rule::next_business_day) last = business_day_after(last, 0);
  return last;
}

instant naive_calendar::day_period_deadline(instant start, const duration_spec& duration,
                                            const deadline_options& options) const {
  const civil_date last = last_day(start, duration, options);
  switch (options.end) {
    case day_end::end_of_day:
      return end_of_day(last);
    case day_end::close_of_business: {
      const auto close = close_of_business(last);
      return close ? *close : end_of_day(last);
    }
    case day_end::same_time: {
      const civil_time clock = zone_.to_civil(received_at(start, options.receipt));
      return zone_.resolve(civil_time{last, clock.hour, clock.minute, clock.second});
    }
  }
  throw std::logic_error("oracle: unknown day_end");
}

instant naive_calendar::add_working_time(instant start, std::int64_t seconds) const {
  // Forward: the first instant at which `seconds` of working time lie in [start, t).
  // Backward: the last instant t <= start with -seconds of working time in [t, start).
  // Stepping a whole minute is exact only on the minute grid, where every boundary lies.
  timeline line(*this, start);
  const std::int64_t target = seconds < 0 ? -seconds : seconds;
  std::int64_t counted = 0;
  instant t = start;
  while (counted < target) {
    check_walk(start, t);
    const std::chrono::seconds step{on_minute(t) && target - counted >= 60 ? 60 : 1};
    if (seconds > 0) {
      if (line.open_at(t)) counted += step.count();
      t = t + step;
    } else {
      if (line.open_at(t - step)) counted += step.count();
      t = t - step;
    }
  }
  return t;
}

instant naive_calendar::deadline(instant start, const duration_spec& duration,
                                 const deadline_options& options) const {
  if (duration.is_elapsed()) return start + std::chrono::seconds{seconds_of(duration)};
  if (duration.is_working_time()) return add_working_time(start, seconds_of(duration));
  return day_period_deadline(start, duration, options);
}

std::chrono::seconds naive_calendar::elapsed_working_time(instant from, instant to) const {
  if (to < from) return -elapsed_working_time(to, from);
  timeline line(*this, from);
  std::int64_t total = 0;
  for (instant t = from; t < to;) {
    check_walk(from, t);
    const std::chrono::seconds step{on_minute(t) && (to - t).count() >= 60 ? 60 : 1};
    if (line.open_at(t)) total += step.count();
    t = t + step;
  }
  return std::chrono::seconds{total};
}

}  // namespace redress::oracle
