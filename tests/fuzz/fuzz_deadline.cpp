// Deadlines on calendars decoded from the fuzzer's bytes (a structured fuzzer): a zone from a
// fixed list chosen for awkward offsets and DST (30-minute DST, DST at midnight, four changes a
// year, a fall-back across midnight, +05:45, +12:45), a few intervals per weekday, holidays and
// exceptions in 2020-2030, maybe a valid range; then starts, durations and options. Each result
// is checked against the contract (../../docs/spec/time.md) and against a small oracle that
// resolves the definition's intervals by the contract's words with time_zone alone (no chunks,
// no running totals).
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_support.hpp"
#include "redress/calendar.hpp"

using redress::business_calendar;
using redress::calendar_definition;
using redress::civil_date;
using redress::civil_time;
using redress::duration_spec;
using redress::instant;
using redress::local_interval;
using redress::time_zone;
using redress_fuzz::succeeds;
using std::chrono::seconds;

namespace {

constexpr std::int64_t day_seconds = 86400;

// A computation walks the local years it crosses; outside 1900-2299 each year is resolved again
// for each computation: measured for elapsed_working_time from 0001 to 9999 on an office
// calendar, 2.0 s under ASan + UBSan + coverage, 0.57 s in a RelWithDebInfo build. An input makes
// a dozen such computations, so spans of thousands of years would trip libFuzzer's 10-second
// timeout without being a hang. Spans and counts are kept within about this many years; far
// years are still visited, each computation just crosses fewer of them.
constexpr std::int64_t max_span_years = 12;
constexpr std::int64_t max_span_seconds = max_span_years * 366 * day_seconds;

// |a - b| <= limit, without overflowing for instants anywhere in int64.
bool within(instant a, instant b, std::int64_t limit) {
  const auto x = static_cast<std::uint64_t>(a.unix_seconds());
  const auto y = static_cast<std::uint64_t>(b.unix_seconds());
  return (a >= b ? x - y : y - x) <= static_cast<std::uint64_t>(limit);
}

bool near_cached_years(instant t) {
  static const std::int64_t first = civil_date{1900, 1, 1}.days_since_epoch() * day_seconds;
  static const std::int64_t last = civil_date{2300, 1, 1}.days_since_epoch() * day_seconds;
  return t.unix_seconds() >= first - max_span_seconds && t.unix_seconds() < last + max_span_seconds;
}

const char* const zone_names[] = {
    "Europe/London",      // 01:00 UTC both ways
    "America/Sao_Paulo",  // until 2019 DST began at 00:00 (days that start at 01:00) and ended
                          // by going back from 00:00 to 23:00 (an hour of the previous date)
    "Australia/Lord_Howe",  // 30-minute DST
    "Asia/Kathmandu",     // +05:45
    "UTC",
    "America/Havana",     // DST at midnight: 00:00-01:00 missing or doubled
    "Africa/Casablanca",  // DST suspended each Ramadan: four transitions a year
    "Pacific/Chatham",    // +12:45 / +13:45
    "America/St_Johns",   // -03:30; until 2011 DST ended at 00:01, going back to 23:01 of the
                          // previous date
};

constexpr int interesting_minutes[] = {0,   1,   30,  59,  60,   90,   120,  150,  180,  240, 480,
                                       540, 600, 720, 780, 1020, 1080, 1320, 1380, 1410, 1439};
constexpr int interesting_lengths[] = {1, 29, 30, 60, 90, 180, 480, 510, 720, 1380, 1410, 1439, 1440};

std::string show(instant t) { return t.to_string(); }

civil_date consume_date(FuzzedDataProvider& in, int first_year, int last_year) {
  const std::int64_t first = civil_date{first_year, 1, 1}.days_since_epoch();
  const std::int64_t last = civil_date{last_year, 12, 31}.days_since_epoch();
  return civil_date::from_days(in.ConsumeIntegralInRange(first, last));
}

std::vector<local_interval> consume_hours(FuzzedDataProvider& in) {
  std::vector<local_interval> hours;
  const int count = in.ConsumeIntegralInRange(0, 3);
  int cursor = 0;
  for (int i = 0; i < count; ++i) {
    // Mostly after the previous one (touching allowed) so that most calendars build; now and
    // then anywhere, so that overlaps are tried too.
    int start = 0;
    switch (in.ConsumeIntegralInRange(0, 3)) {
      case 0: start = in.PickValueInArray(interesting_minutes); break;
      case 1: start = cursor; break;
      default: start = cursor + in.ConsumeIntegralInRange(0, 600); break;
    }
    if (start >= 1440) break;
    const int length = in.ConsumeBool() ? in.PickValueInArray(interesting_lengths)
                                        : in.ConsumeIntegralInRange(1, 1440);
    hours.push_back(local_interval{start, start + length});
    cursor = start + length;
    if (cursor >= 1440) break;
  }
  return hours;
}

calendar_definition consume_definition(FuzzedDataProvider& in) {
  calendar_definition def;
  def.name = "fuzzed";
  def.timezone = in.PickValueInArray(zone_names);
  for (auto& day : def.week) day = consume_hours(in);
  const int holidays = in.ConsumeIntegralInRange(0, 6);
  for (int i = 0; i < holidays; ++i) def.holidays.push_back(consume_date(in, 2020, 2030));
  const int exceptions = in.ConsumeIntegralInRange(0, 4);
  for (int i = 0; i < exceptions; ++i) {
    const civil_date date = consume_date(in, 2020, 2030);
    def.exceptions[date] = consume_hours(in);
  }
  if (in.ConsumeBool()) {
    def.valid_from = consume_date(in, 2019, 2027);
    def.valid_until =
        civil_date::from_days(def.valid_from->days_since_epoch() + in.ConsumeIntegralInRange(0, 4000));
  }
  return def;
}

// The contract's definitions, read literally: working intervals are the local intervals of the
// date they start on (exception, else holiday, else weekday), each end resolved by the DST rule.
class oracle {
public:
  oracle(const calendar_definition& def, const time_zone& zone) : def_(def), zone_(zone) {}

  std::vector<std::pair<instant, instant>> intervals_starting(civil_date date) const {
    std::vector<std::pair<instant, instant>> out;
    const std::int64_t midnight = date.days_since_epoch() * day_seconds;
    for (const local_interval& iv : hours_of(date)) {
      const instant s = zone_.resolve(civil_time::from_seconds(midnight + iv.start_minute * 60));
      const instant e = zone_.resolve(civil_time::from_seconds(midnight + iv.end_minute * 60));
      if (e > s) out.emplace_back(s, e);  // an interval wholly in a gap has no working time
    }
    return out;
  }

  bool business_day(civil_date date) const { return !intervals_starting(date).empty(); }

  bool open(instant t) const {
    const std::int64_t d = zone_.to_civil(t).date.days_since_epoch();
    for (std::int64_t day = d - 1; day <= d + 1; ++day)
      for (const auto& [s, e] : intervals_starting(civil_date::from_days(day)))
        if (s <= t && t < e) return true;
    return false;
  }

  // Working seconds in [from, to), from <= to, for spans of a few weeks.
  std::int64_t working_between(instant from, instant to) const {
    std::int64_t total = 0;
    const std::int64_t first = zone_.to_civil(from).date.days_since_epoch() - 1;
    const std::int64_t last = zone_.to_civil(to).date.days_since_epoch() + 1;
    for (std::int64_t day = first; day <= last; ++day)
      for (const auto& [s, e] : intervals_starting(civil_date::from_days(day)))
        total += std::max<std::int64_t>(0, (std::min(e, to) - std::max(s, from)).count());
    return total;
  }

  instant start_of_day(civil_date date) const {
    return zone_.resolve(civil_time::from_seconds(date.days_since_epoch() * day_seconds));
  }

  // The local date whose day [start_of_day, start of the next) holds t: the wall-clock date,
  // except after a fall-back that crosses midnight backwards (St John's until 2011: 00:00:59
  // NDT -> 23:01 NST), where the clock shows the previous date again although the next one has
  // already begun. This follows the library (a date begins at the first occurrence of its
  // midnight); README discusses it.
  civil_date date_of(instant t) const {
    const civil_date wall = zone_.to_civil(t).date;
    const civil_date next = civil_date::from_days(wall.days_since_epoch() + 1);
    return start_of_day(next) <= t ? next : wall;
  }

private:
  const std::vector<local_interval>& hours_of(civil_date date) const {
    if (auto e = def_.exceptions.find(date); e != def_.exceptions.end()) return e->second;
    if (std::find(def_.holidays.begin(), def_.holidays.end(), date) != def_.holidays.end())
      return closed_;
    return def_.week[static_cast<std::size_t>(date.day_of_week())];
  }

  const calendar_definition& def_;
  time_zone zone_;
  std::vector<local_interval> closed_;
};

bool oracle_years(civil_date d) { return d.year >= 3 && d.year <= 9997; }

instant consume_instant(FuzzedDataProvider& in, const time_zone& zone, const oracle& truth) {
  static const std::int64_t from_2019 = civil_date{2019, 1, 1}.days_since_epoch() * day_seconds;
  // From 2005, when Sao Paulo still changed clocks at midnight and St John's at 00:01. Each
  // local year is resolved on its own, so its first and last dates are boundaries too.
  auto consume_local_date = [&] {
    const civil_date date = consume_date(in, 2005, 2031);
    if (!in.ConsumeBool()) return date;
    return in.ConsumeBool() ? civil_date{date.year, 1, 1} : civil_date{date.year, 12, 31};
  };
  switch (in.ConsumeIntegralInRange(0, 7)) {
    case 0:
    case 1:
      return instant::from_unix(
          from_2019 + in.ConsumeIntegralInRange<std::int64_t>(0, 13 * 366 * day_seconds));
    case 2: {
      // A local time on a minute worth hitting, give or take a second.
      const civil_date date = consume_local_date();
      const int minute = in.PickValueInArray(interesting_minutes);
      const std::int64_t local = date.days_since_epoch() * day_seconds + minute * 60;
      return zone.resolve(civil_time::from_seconds(local)) + seconds{in.ConsumeIntegralInRange(-1, 1)};
    }
    case 4: {
      // Any year 0001-9999 (and a little beyond): the far past and future, uncached years.
      static const std::int64_t first = civil_date{1, 1, 1}.days_since_epoch() * day_seconds;
      static const std::int64_t last = civil_date{9999, 12, 31}.days_since_epoch() * day_seconds;
      return instant::from_unix(
          in.ConsumeIntegralInRange<std::int64_t>(first - 2 * day_seconds, last + 3 * day_seconds));
    }
    case 5: {
      // Within a year of an edge: the chunk cache (1900-2299), the last transition in the tz
      // files (2037; the POSIX rule after), the supported years (0001-9999).
      constexpr int edges[] = {1, 1900, 2037, 2038, 2300, 9999};
      const std::int64_t edge =
          civil_date{in.PickValueInArray(edges), 1, 1}.days_since_epoch() * day_seconds;
      return instant::from_unix(edge + in.ConsumeIntegralInRange<std::int64_t>(-366 * day_seconds,
                                                                               366 * day_seconds));
    }
    case 6:
      return instant::from_unix(in.ConsumeIntegral<std::int64_t>());
    default: {  // 3 and 7
      // The start or end of one of the calendar's working intervals, give or take a second.
      const civil_date date = consume_local_date();
      const auto intervals = truth.intervals_starting(date);
      if (intervals.empty()) return truth.start_of_day(date);
      const auto& [start, end] =
          intervals[in.ConsumeIntegralInRange<std::size_t>(0, intervals.size() - 1)];
      return (in.ConsumeBool() ? start : end) + seconds{in.ConsumeIntegralInRange(-1, 1)};
    }
  }
}

duration_spec consume_working_time(FuzzedDataProvider& in) {
  duration_spec d;
  switch (in.ConsumeIntegralInRange(0, 4)) {
    case 0:
      d.what = duration_spec::unit::business_seconds;
      d.count = in.ConsumeIntegralInRange<std::int64_t>(-200000, 200000);
      break;
    case 1:
      d.what = duration_spec::unit::business_minutes;
      d.count = in.ConsumeIntegralInRange<std::int64_t>(-20000, 20000);
      break;
    case 2:
      d.what = duration_spec::unit::business_hours;
      d.count = in.ConsumeIntegralInRange<std::int64_t>(-5000, 5000);
      break;
    case 3:
      // Up to about 1,000 years of office hours (see max_span_years).
      d.what = duration_spec::unit::business_hours;
      d.count = in.ConsumeIntegralInRange<std::int64_t>(-2000000, 2000000);
      break;
    default: {
      // Any count: beyond what 0001-9999 can hold it must fail at once; between that and a
      // few centuries it is brought down to a century or so of working time.
      d.what = duration_spec::unit::business_seconds;
      d.count = in.ConsumeIntegral<std::int64_t>();
      if (d.count > -1'000'000'000'000 && d.count < 1'000'000'000'000) d.count %= 1'000'000'000;
      break;
    }
  }
  return d;
}

struct checker {
  const business_calendar& cal;
  const oracle& truth;
  std::int64_t weekly_seconds;     // local working time of a plain week; 0: only exceptions
  std::int64_t exception_seconds;  // local working time of all exceptions

  // Far from 2020-2030, a calendar made only of exceptions walks every year in between.
  bool walk_is_short(instant t) const { return weekly_seconds > 0 || near_cached_years(t); }

  // Whether counting `n` seconds of working time walks at most about max_span_years, or is so
  // large that the library must refuse it at once (its bound: a year holds at most 53 weeks of
  // the pattern, plus the DST hour, plus every exception).
  bool affordable(std::int64_t n) const {
    const std::int64_t magnitude = n == std::numeric_limits<std::int64_t>::min()
                                       ? std::numeric_limits<std::int64_t>::max()
                                       : std::abs(n);
    const std::int64_t walk = max_span_years * 52 * weekly_seconds + exception_seconds;
    const std::int64_t refused =
        10000 * (53 * weekly_seconds + 7200) + exception_seconds + 2 * day_seconds;
    return magnitude <= walk || magnitude > refused;
  }

  void instant_facts(instant t) const {
    civil_date date;
    if (!succeeds([&] { date = cal.local_date(t); })) return;
    const std::string at = "at " + show(t);
    if (!oracle_years(date)) return;
    FUZZ_CHECK(date == truth.date_of(t), at + ": local_date is " + date.to_string());
    FUZZ_CHECK(cal.is_open(t) == truth.open(t),
               at + ": is_open says " + (cal.is_open(t) ? "open" : "closed"));
    FUZZ_CHECK(cal.is_business_day(date) == truth.business_day(date),
               at + ": is_business_day(" + date.to_string() + ") disagrees with the oracle");
    FUZZ_CHECK(cal.start_of_day(date) == truth.start_of_day(date),
               at + ": start_of_day(" + date.to_string() + ") is " + show(cal.start_of_day(date)));
    const civil_date next = civil_date::from_days(date.days_since_epoch() + 1);
    FUZZ_CHECK(cal.end_of_day(date) == truth.start_of_day(next) - seconds{1},
               at + ": end_of_day(" + date.to_string() + ") is " + show(cal.end_of_day(date)));
    const auto intervals = truth.intervals_starting(date);
    const std::optional<instant> close = cal.close_of_business(date);
    FUZZ_CHECK(close.has_value() == !intervals.empty(),
               at + ": close_of_business(" + date.to_string() + ") disagrees about a business day");
    if (close) {
      instant last_end = intervals.front().second;
      for (const auto& iv : intervals) last_end = std::max(last_end, iv.second);
      FUZZ_CHECK(*close == last_end, at + ": close_of_business(" + date.to_string() + ") is " +
                                         show(*close) + ", the oracle says " + show(last_end));
    }
    instant open;
    if (walk_is_short(t) && succeeds([&] { open = cal.next_open(t); })) {
      FUZZ_CHECK(open >= t && cal.is_open(open), at + ": next_open gave " + show(open));
      FUZZ_CHECK(!cal.is_open(t) || open == t, at + ": open, yet next_open moved to " + show(open));
      if (open - t <= seconds{40 * day_seconds} && oracle_years(cal.local_date(open)))
        FUZZ_CHECK(truth.working_between(t, open) == 0,
                   at + ": next_open " + show(open) + " skipped working time");
    }
  }

  void elapsed_facts(instant a, instant b) const {
    if (!within(a, b, max_span_seconds)) return;
    seconds ab{}, ba{};
    if (!succeeds([&] {
          ab = redress::elapsed_working_time(cal, a, b);
          ba = redress::elapsed_working_time(cal, b, a);
        }))
      return;
    const std::string span = show(a) + " to " + show(b) + ": elapsed " + std::to_string(ab.count());
    FUZZ_CHECK(ab == -ba, span + " one way, " + std::to_string(ba.count()) + " the other");
    const instant lo = std::min(a, b), hi = std::max(a, b);
    const seconds forward = a <= b ? ab : ba;
    FUZZ_CHECK(forward.count() >= 0 && forward <= hi - lo, span + ": more than the time between");
    if (hi - lo <= seconds{40 * day_seconds} && oracle_years(cal.local_date(lo)) &&
        oracle_years(cal.local_date(hi)))
      FUZZ_CHECK(forward.count() == truth.working_between(lo, hi),
                 span + ", the oracle says " + std::to_string(truth.working_between(lo, hi)));
  }

  void additivity(instant a, instant b, instant c) const {
    if (!within(std::min({a, b, c}), std::max({a, b, c}), max_span_seconds)) return;
    seconds ab{}, bc{}, ac{};
    if (!succeeds([&] {
          ab = redress::elapsed_working_time(cal, a, b);
          bc = redress::elapsed_working_time(cal, b, c);
          ac = redress::elapsed_working_time(cal, a, c);
        }))
      return;
    FUZZ_CHECK(ab + bc == ac, "elapsed " + show(a) + " -> " + show(b) + " -> " + show(c) + ": " +
                                  std::to_string(ab.count()) + " + " + std::to_string(bc.count()) +
                                  " != " + std::to_string(ac.count()));
  }

  // Working time: the instant at which |d| of working time has passed from `start`.
  std::optional<instant> working_time(instant start, const duration_spec& d) const {
    std::int64_t n = 0;
    if (!succeeds([&] { n = d.seconds(); })) return std::nullopt;  // too large for seconds
    if (!walk_is_short(start) || !affordable(n)) return std::nullopt;
    instant due;
    if (!succeeds([&] { due = redress::deadline(cal, start, d); })) return std::nullopt;
    const std::string context = show(start) + " + " + d.to_string() + " = " + show(due);
    if (n == 0) FUZZ_CHECK(due == start, context + ": zero must return the start unchanged");
    if (n > 0) {
      FUZZ_CHECK(due > start, context + ": a positive count went back or stood still");
      // The last second counted is working time: the result is the earliest such instant.
      FUZZ_CHECK(cal.is_open(due - seconds{1}), context + ": the second before is not working time");
    }
    if (n < 0) {
      FUZZ_CHECK(due < start, context + ": a negative count went forward or stood still");
      FUZZ_CHECK(cal.is_open(due), context + ": the result is not working time");
    }
    seconds worked{};
    if (succeeds([&] { worked = redress::elapsed_working_time(cal, start, due); }))
      FUZZ_CHECK(worked.count() == n, context + ": elapsed from the start is " +
                                          std::to_string(worked.count()) + " s");
    return due;
  }

  void working_time_facts(instant start, std::vector<duration_spec> durations) const {
    if (!walk_is_short(start)) return;
    std::vector<std::pair<std::int64_t, instant>> results;
    for (const duration_spec& d : durations) {
      std::int64_t n = 0;
      if (!succeeds([&] { n = d.seconds(); })) continue;
      if (const auto due = working_time(start, d)) results.emplace_back(n, *due);
    }
    // Monotone: more working time never ends earlier (and each second of it is distinct).
    std::sort(results.begin(), results.end());
    for (std::size_t i = 1; i < results.size(); ++i) {
      const auto& [n1, r1] = results[i - 1];
      const auto& [n2, r2] = results[i];
      FUZZ_CHECK(n1 == n2 ? r1 == r2 : r1 < r2,
                 "from " + show(start) + ": " + std::to_string(n1) + " s gives " + show(r1) +
                     ", " + std::to_string(n2) + " s gives " + show(r2));
    }
    // Counting in two steps of the same sign is counting once.
    for (std::size_t i = 0; i + 1 < results.size(); ++i) {
      const std::int64_t n1 = results[i].first, n2 = results[i + 1].first;
      const instant r1 = results[i].second;
      const bool same_sign = (n1 > 0 && n2 >= 0) || (n1 < 0 && n2 <= 0);
      if (!same_sign || std::abs(n1) > (std::int64_t{1} << 40) ||
          std::abs(n2) > (std::int64_t{1} << 40) || !affordable(n1 + n2))
        continue;
      const duration_spec first{n2, duration_spec::unit::business_seconds};
      const duration_spec both{n1 + n2, duration_spec::unit::business_seconds};
      instant stepwise, at_once;
      if (succeeds([&] {
            stepwise = redress::deadline(cal, r1, first);
            at_once = redress::deadline(cal, start, both);
          }))
        FUZZ_CHECK(stepwise == at_once, "from " + show(start) + ": " + std::to_string(n1) +
                                            " s then " + std::to_string(n2) + " s gives " +
                                            show(stepwise) + ", at once " + show(at_once));
    }
  }

  // The last day of a day period, counted with the oracle's business days.
  std::optional<civil_date> expected_last_day(civil_date receipt, const duration_spec& d,
                                              redress::rollover_rule rollover) const {
    const std::int64_t r = receipt.days_since_epoch();
    civil_date last;
    auto next_business = [&](std::int64_t from, std::int64_t& day) {
      for (int guard = 0; guard < 4000; ++guard, ++day)
        if (day >= from && truth.business_day(civil_date::from_days(day))) return true;
      return false;
    };
    switch (d.what) {
      case duration_spec::unit::days: last = civil_date::from_days(r + d.count); break;
      case duration_spec::unit::weeks: last = civil_date::from_days(r + 7 * d.count); break;
      case duration_spec::unit::months: {
        const std::int64_t index = receipt.year * 12 + (receipt.month - 1) + d.count;
        last = civil_date{static_cast<int>(index / 12), static_cast<int>(index % 12) + 1, receipt.day};
        while (!last.ok() && last.day > 28) --last.day;
        break;
      }
      default: {
        std::int64_t day = r;
        if (d.count == 0) {
          if (!next_business(r, day)) return std::nullopt;
        } else {
          for (std::int64_t k = 0; k < d.count; ++k) {
            ++day;
            if (!next_business(day, day)) return std::nullopt;
          }
        }
        last = civil_date::from_days(day);
      }
    }
    if (!last.ok() || !oracle_years(last)) return std::nullopt;
    if (rollover == redress::rollover_rule::next_business_day) {
      std::int64_t day = last.days_since_epoch();
      if (!next_business(day, day)) return std::nullopt;
      last = civil_date::from_days(day);
    }
    return last;
  }

  void day_period_facts(instant start, const duration_spec& d,
                        const redress::deadline_options& options) const {
    if (!walk_is_short(start)) return;
    instant due;
    if (!succeeds([&] { due = redress::deadline(cal, start, d, options); })) return;
    const std::string context = show(start) + " + " + d.to_string() + " (" +
                                std::string(to_string(options.end)) + ", " +
                                std::string(to_string(options.rollover)) + ", " +
                                std::string(to_string(options.receipt)) + ") = " + show(due);
    instant received = start;
    if (options.receipt == redress::receipt_rule::next_business_day_if_closed && !cal.is_open(start))
      received = cal.next_open(start);
    const civil_date receipt = cal.local_date(received);
    if (!oracle_years(receipt)) return;
    const std::optional<civil_date> last = expected_last_day(receipt, d, options.rollover);
    if (!last) return;
    const std::string expected = context + ", expected last day " + last->to_string();
    switch (options.end) {
      case redress::day_end::end_of_day:
        FUZZ_CHECK(due == cal.end_of_day(*last), expected);
        FUZZ_CHECK(cal.local_date(due) == *last, expected);
        FUZZ_CHECK(cal.local_date(due + seconds{1}) != cal.local_date(due),
                   expected + ": the end of a day is followed by the same day");
        FUZZ_CHECK(due >= start, expected + ": before the start");
        break;
      case redress::day_end::close_of_business: {
        const auto intervals = truth.intervals_starting(*last);
        if (intervals.empty()) {
          FUZZ_CHECK(due == cal.end_of_day(*last), expected + " (not a business day)");
        } else {
          instant close = intervals.front().second;
          for (const auto& iv : intervals) close = std::max(close, iv.second);
          FUZZ_CHECK(due == close, expected + ", closing at " + show(close));
        }
        if (d.count > 0) FUZZ_CHECK(due > start, expected + ": not after the start");
        break;
      }
      case redress::day_end::same_time: {
        civil_time wall = cal.zone().to_civil(received);
        wall.date = *last;
        FUZZ_CHECK(due == cal.zone().resolve(wall), expected + " at " + wall.to_string());
        if (d.count > 0) FUZZ_CHECK(due > start, expected + ": not after the start");
        break;
      }
    }
  }
};

duration_spec consume_day_period(FuzzedDataProvider& in) {
  duration_spec d;
  switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0: d.what = duration_spec::unit::days; break;
    case 1: d.what = duration_spec::unit::weeks; break;
    case 2: d.what = duration_spec::unit::months; break;
    default: d.what = duration_spec::unit::business_days; break;
  }
  d.count = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::int64_t>(0, 40)
                             : in.ConsumeIntegralInRange<std::int64_t>(0, 800);
  if (d.count == 0 && d.what != duration_spec::unit::business_days) d.count = 1;
  return d;
}

redress::deadline_options consume_options(FuzzedDataProvider& in) {
  redress::deadline_options o;
  o.end = in.PickValueInArray({redress::day_end::end_of_day, redress::day_end::close_of_business,
                               redress::day_end::same_time});
  o.rollover = in.ConsumeBool() ? redress::rollover_rule::next_business_day : redress::rollover_rule::none;
  o.receipt = in.ConsumeBool() ? redress::receipt_rule::next_business_day_if_closed
                               : redress::receipt_rule::as_received;
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  std::optional<business_calendar> cal;
  if (!succeeds([&] { cal = business_calendar::build(consume_definition(in)); })) return 0;
  const oracle truth(cal->definition(), cal->zone());
  std::int64_t weekly_seconds = 0, exception_seconds = 0;
  for (const auto& day : cal->definition().week)
    for (const local_interval& iv : day) weekly_seconds += (iv.end_minute - iv.start_minute) * 60;
  for (const auto& [date, hours] : cal->definition().exceptions)
    for (const local_interval& iv : hours) exception_seconds += (iv.end_minute - iv.start_minute) * 60;
  const checker check{*cal, truth, weekly_seconds, exception_seconds};

  for (int round = 0; round < 4 && in.remaining_bytes() > 0; ++round) {
    const instant a = consume_instant(in, cal->zone(), truth);
    // Often a second instant close to the first: within the oracle's reach, and cheap.
    const bool near = in.ConsumeBool() && a.unix_seconds() > -(std::int64_t{1} << 40) &&
                      a.unix_seconds() < (std::int64_t{1} << 40);
    const instant b = near ? a + seconds{in.ConsumeIntegralInRange<std::int64_t>(-60 * day_seconds,
                                                                                 60 * day_seconds)}
                           : consume_instant(in, cal->zone(), truth);
    check.instant_facts(a);
    check.elapsed_facts(a, b);
    std::vector<duration_spec> durations;
    const int count = in.ConsumeIntegralInRange(1, 3);
    for (int i = 0; i < count; ++i) durations.push_back(consume_working_time(in));
    check.working_time_facts(a, durations);
    if (auto due = check.working_time(a, durations.front())) {
      check.instant_facts(*due);
      check.additivity(a, *due, b);
    }
    check.day_period_facts(a, consume_day_period(in), consume_options(in));
  }
  return 0;
}
