// Random calendars and requests for the tests that compare the fast calendar with the naive
// oracle. Deterministic: everything is drawn from one std::mt19937_64 per scenario, with our
// own (portable) reductions instead of std::uniform_int_distribution, so a seed reproduces
// the same calendar with any standard library.
//
// A scenario is a calendar plus an anchor date near which its holidays, exceptions and the
// requests' starts lie. Anchors sit on or near the zone's DST transitions in 2015-2030 most of
// the time, because that is where calendar arithmetic goes wrong.
#ifndef REDRESS_TESTS_RANDOM_CALENDARS_HPP
#define REDRESS_TESTS_RANDOM_CALENDARS_HPP

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "redress/calendar.hpp"
#include "redress/time.hpp"
#include "support/naive_calendar.hpp"

namespace redress::random_calendars {

class random_source {
 public:
  explicit random_source(std::uint64_t seed) : engine_(seed) {}

  /// Uniform in [lo, hi].
  std::int64_t wide(std::int64_t lo, std::int64_t hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(engine_() % span);
  }
  int integer(int lo, int hi) { return static_cast<int>(wide(lo, hi)); }
  /// Uniform in [0, 1).
  double real() { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0); }
  bool chance(double p) { return real() < p; }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(wide(0, static_cast<std::int64_t>(items.size()) - 1))];
  }

 private:
  std::mt19937_64 engine_;
};

/// REDRESS_ORACLE_SCALE=N multiplies the number of random scenarios (default 1), for a longer
/// run before a release or after touching the calendar.
inline int scale() {
  static const int value = [] {
    const char* text = std::getenv("REDRESS_ORACLE_SCALE");
    const int n = text ? std::atoi(text) : 1;
    return n < 1 ? 1 : n;
  }();
  return value;
}

inline const std::vector<std::string>& zone_names() {
  // Sao Paulo (DST until 2019) skips midnight in spring and repeats 23:00-24:00 in autumn;
  // Havana skips midnight in spring and repeats 00:00-01:00 in autumn, so a date begins in
  // an overlap.
  static const std::vector<std::string> names = {"Europe/London",    "America/New_York",
                                                 "Australia/Sydney", "America/Sao_Paulo",
                                                 "Europe/Amsterdam", "UTC",
                                                 "America/Havana"};
  return names;
}

/// The local dates (to within a day) on which `zone` changes its offset in [from, until].
inline const std::vector<civil_date>& transition_dates(const std::string& zone_name,
                                                       int from = 2015, int until = 2030) {
  static std::map<std::string, std::vector<civil_date>> cache;
  const std::string key = zone_name + " " + std::to_string(from) + " " + std::to_string(until);
  const auto known = cache.find(key);
  if (known != cache.end()) return known->second;
  const time_zone zone = time_zone::locate(zone_name);
  std::vector<civil_date> out;
  const std::int64_t first = civil_date{from, 1, 1}.days_since_epoch();
  const std::int64_t last = civil_date{until, 12, 31}.days_since_epoch();
  std::int32_t previous = zone.offset_at(instant::from_unix(first * 86400 + 43200));
  for (std::int64_t day = first + 1; day <= last; ++day) {
    const instant noon = instant::from_unix(day * 86400 + 43200);
    const std::int32_t offset = zone.offset_at(noon);
    if (offset != previous) out.push_back(zone.to_civil(noon).date);
    previous = offset;
  }
  return cache.emplace(key, std::move(out)).first->second;
}

enum class shape {
  split_shift,      // office hours, lunch breaks, closed weekends
  overnight,        // office hours plus night shifts running into the next date
  dst_edges,        // boundaries at midnight and in the small hours, whole days, touching
  exceptions_only,  // no weekly pattern: a few dates with their own hours
};

/// The zone's offset change nearest `anchor` (within 5 days): the wall clock just before it
/// and at it, and the local dates those fall on.
struct transition {
  instant at;
  civil_time before;  // the wall clock an instant before (old offset)
  civil_time after;   // the wall clock at the transition (new offset)
};

inline std::optional<transition> nearest_transition(const time_zone& zone, civil_date anchor) {
  const std::int64_t middle = anchor.days_since_epoch() * 86400 + 43200;
  std::optional<transition> best;
  std::int32_t previous = zone.offset_at(instant::from_unix(middle - 5 * 86400));
  for (std::int64_t t = middle - 5 * 86400 + 3600; t <= middle + 5 * 86400; t += 3600) {
    const std::int32_t offset = zone.offset_at(instant::from_unix(t));
    if (offset != previous) {
      std::int64_t lo = t - 3600;  // old offset
      std::int64_t hi = t;         // new offset
      while (hi - lo > 1) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        if (zone.offset_at(instant::from_unix(mid)) == previous)
          lo = mid;
        else
          hi = mid;
      }
      const transition found{instant::from_unix(hi), civil_time::from_seconds(hi + previous),
                             civil_time::from_seconds(hi + offset)};
      const auto distance = [&](const transition& x) {
        const std::int64_t d = x.at.unix_seconds() - middle;
        return d < 0 ? -d : d;
      };
      if (!best || distance(found) < distance(*best)) best = found;
    }
    previous = offset;
  }
  return best;
}

struct scenario {
  std::uint64_t seed = 0;
  shape kind = shape::split_shift;
  calendar_definition definition;
  civil_date anchor;
  /// Minutes after local midnight where the zone's DST transition nearest the anchor begins,
  /// ends and is halfway, and 15 minutes either side (empty for a zone without DST).
  std::vector<int> hot_minutes;
  /// That transition, if the zone has one within 5 days of the anchor.
  std::optional<transition> nearby;
};

inline std::vector<int> hot_minutes_near(const std::optional<transition>& found) {
  if (!found) return {};
  auto minutes = [](const civil_time& c) { return c.hour * 60 + c.minute; };
  // The skipped (gap) or repeated (overlap) span of wall clock, [lo, hi) in minutes.
  const bool gap = found->after.seconds_since_epoch() > found->before.seconds_since_epoch();
  const civil_time& first = gap ? found->before : found->after;
  const civil_time& second = gap ? found->after : found->before;
  const int lo = minutes(first);
  const int hi = minutes(second) + (second.date != first.date ? 1440 : 0);
  std::vector<int> out;
  for (int m : {lo - 15, lo, (lo + hi) / 2 / 15 * 15, hi, hi + 15})
    if (m >= 0 && m <= 1440) out.push_back(m);
  return out;
}

// ------------------------------------------------------------------ validity (the contract's
// load-time rules), on a timeline of absolute minutes

/// Intervals as [start, end) in minutes on a common axis; true when none overlap (touching is
/// fine) and each is non-empty and at most 24 hours.
inline bool disjoint(std::vector<std::pair<std::int64_t, std::int64_t>> spans) {
  std::sort(spans.begin(), spans.end());
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (spans[i].second <= spans[i].first || spans[i].second - spans[i].first > 1440) return false;
    if (i > 0 && spans[i - 1].second > spans[i].first) return false;
  }
  return true;
}

/// The weekly pattern on its own, wrapping from Sunday into Monday.
inline bool week_is_valid(const std::array<std::vector<local_interval>, 7>& week) {
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  for (std::int64_t repeat = 0; repeat < 2; ++repeat)
    for (std::size_t day = 0; day < 7; ++day)
      for (const local_interval& i : week[day]) {
        const std::int64_t base = (repeat * 7 + static_cast<std::int64_t>(day)) * 1440;
        spans.emplace_back(base + i.start_minute, base + i.end_minute);
      }
  return disjoint(spans);
}

/// Exceptions against their neighbours on the dates [from, until]. Holidays are ignored on
/// purpose (the stricter reading): a weekly interval that a holiday removes still counts.
inline bool dates_are_valid(const calendar_definition& def, civil_date from, civil_date until) {
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  std::int64_t base = 0;
  for (civil_date d = from; d <= until; d = oracle::next_date(d), base += 1440) {
    const auto exception = def.exceptions.find(d);
    const auto& hours = exception != def.exceptions.end()
                            ? exception->second
                            : def.week[static_cast<std::size_t>(oracle::weekday_index(d))];
    for (const local_interval& i : hours)
      spans.emplace_back(base + i.start_minute, base + i.end_minute);
  }
  return disjoint(spans);
}

// ------------------------------------------------------------------ days of hours

/// Office hours: one interval, or two around lunch (sometimes touching), sometimes an evening.
inline std::vector<local_interval> office_day(random_source& r) {
  const int open = r.integer(24, 40) * 15;   // 06:00 .. 10:00
  const int close = r.integer(60, 80) * 15;  // 15:00 .. 20:00
  if (r.chance(0.3)) return {{open, close}};
  const int lunch = r.integer(44, 54) * 15;                            // 11:00 .. 13:30
  const int lunch_length = r.chance(0.15) ? 0 : r.integer(2, 5) * 15;  // 0: touching
  std::vector<local_interval> out{{open, lunch}, {lunch + lunch_length, close}};
  if (close <= 1140 && r.chance(0.2))
    out.push_back({close + r.integer(1, 4) * 15, 1260 + r.integer(0, 8) * 15});
  return out;
}

/// A minute on the 15-minute grid, most often where the zone's transition is (`hot`) or in
/// the hours where DST and midnight bite.
inline int edge_minute(random_source& r, const std::vector<int>& hot) {
  if (!hot.empty() && r.chance(0.6)) return r.pick(hot);
  if (r.chance(0.7)) return r.chance(0.7) ? r.integer(0, 16) * 15 : 1440 - r.integer(0, 8) * 15;
  return r.integer(0, 96) * 15;
}

/// Intervals with boundaries at midnight and in the small hours; whole days; touching pairs.
inline std::vector<local_interval> edge_day(random_source& r, const std::vector<int>& hot) {
  if (r.chance(0.15)) return {{0, 1440}};
  const double p = r.real();
  const std::size_t count = p < 0.15 ? 0 : p < 0.55 ? 1 : p < 0.85 ? 2 : 3;
  std::set<int> points;
  while (points.size() < 2 * count) points.insert(edge_minute(r, hot));
  std::vector<int> sorted(points.begin(), points.end());
  std::vector<local_interval> out;
  for (std::size_t i = 0; i + 1 < sorted.size(); i += 2) out.push_back({sorted[i], sorted[i + 1]});
  if (out.size() >= 2 && r.chance(0.3)) out[1].start_minute = out[0].end_minute;  // touching
  return out;
}

/// Adds a night shift to `today` that runs into the next date, ending no later than
/// `next_first_start` (minutes after the next date's midnight). No-op when there is no room.
inline void add_night_shift(random_source& r, std::vector<local_interval>& today,
                            int next_first_start, bool near_edges) {
  const int after = today.empty() ? 0 : today.back().end_minute;
  if (after >= 1425) return;
  int start = near_edges ? std::max(after, 1440 - r.integer(1, 12) * 15)
                         : std::max(after, r.integer(72, 95) * 15);  // 18:00 .. 23:45
  if (r.chance(0.15)) start = std::max(after, 1320);                 // 22:00
  if (start >= 1440) return;
  const int latest_end = std::min(next_first_start, start - 15);
  if (latest_end < 15) return;
  const int end = near_edges ? std::min(latest_end, r.integer(1, 16) * 15)
                             : std::min(latest_end, r.integer(8, 40) * 15);  // 02:00 .. 10:00
  today.push_back({start, 1440 + end});
}

inline std::vector<local_interval> day_for(random_source& r, shape kind,
                                           const std::vector<int>& hot) {
  switch (kind) {
    case shape::split_shift:
    case shape::overnight:
      return office_day(r);
    case shape::dst_edges:
    case shape::exceptions_only:
      return r.chance(0.5) ? edge_day(r, hot) : office_day(r);
  }
  return {};
}

inline std::array<std::vector<local_interval>, 7> random_week(random_source& r, shape kind,
                                                              const std::vector<int>& hot) {
  std::array<std::vector<local_interval>, 7> week;
  if (kind == shape::exceptions_only) return week;
  for (;;) {
    for (std::size_t day = 0; day < 7; ++day) {
      const bool weekend = day >= 5;
      const double closed = kind == shape::dst_edges ? 0.15 : weekend ? 0.7 : 0.1;
      week[day] = r.chance(closed) ? std::vector<local_interval>{} : day_for(r, kind, hot);
    }
    // Half the DST-edge weeks repeat one day's hours on every day, so the transition's
    // date surely has them ("every day 00:00-10:00").
    if (kind == shape::dst_edges && r.chance(0.5)) {
      const auto one_day = r.chance(0.7) ? edge_day(r, hot) : day_for(r, kind, hot);
      for (auto& day : week) day = r.chance(0.1) ? std::vector<local_interval>{} : one_day;
    }
    if (kind == shape::overnight || (kind == shape::dst_edges && r.chance(0.4))) {
      const int shifts = r.integer(1, 4);
      for (int n = 0; n < shifts; ++n) {
        const auto day = static_cast<std::size_t>(r.integer(0, 6));
        const auto& next = week[(day + 1) % 7];
        const int next_first = next.empty() ? 1440 : next.front().start_minute;
        auto candidate = week;
        add_night_shift(r, candidate[day], next_first, kind == shape::dst_edges);
        if (week_is_valid(candidate)) week = candidate;
      }
    }
    const bool any =
        std::any_of(week.begin(), week.end(), [](const auto& d) { return !d.empty(); });
    if (any && week_is_valid(week)) return week;
  }
}

/// Whether the zone's offsets are whole minutes from 60 days before `anchor` to 400 days
/// after (not so in the local mean times of the early 20th century, e.g. Amsterdam's
/// +00:19:32 until 1937): the oracle steps a minute at a time and insists on it.
inline bool minute_offsets_near(const std::string& zone_name, civil_date anchor) {
  const time_zone zone = time_zone::locate(zone_name);
  const std::int64_t day = anchor.days_since_epoch();
  for (std::int64_t d = day - 60; d <= day + 400; d += 5)
    if (zone.offset_at(instant::from_unix(d * 86400)) % 60 != 0) return false;
  return true;
}

/// Where a scenario's requests start:
///  - mostly on or near a DST transition of the zone in 2015-2030, sometimes in 2031-2045
///    (across 2037, where the tz files' lists end and the zone's POSIX rule takes over);
///  - around New Year (overnight shifts and holidays across a year boundary);
///  - around 1900-01-01 and 2300-01-01, and in a random year up to 9997 (where a calendar
///    might switch from cached years to years built on demand);
///  - now and then any date in 2015-2030.
inline civil_date random_anchor(random_source& r, const std::string& zone, bool any_year = true) {
  auto near = [&](civil_date d) {
    const double p = r.real();
    return oracle::add_days(d, p < 0.5 ? 0 : p < 0.75 ? r.integer(-1, 1) : r.integer(-3, 3));
  };
  auto any_day = [&](int from, int until) {
    return civil_date::from_days(r.wide(civil_date{from, 1, 1}.days_since_epoch(),
                                        civil_date{until, 12, 31}.days_since_epoch()));
  };
  // Without any_year, only 2015-2030 (years the tz files list: cheaper for the fast
  // calendar, whose first use of a year beyond them is slow in a sanitizer build).
  const double p = any_year ? r.real() : r.real() * 0.55;
  civil_date anchor = any_day(2015, 2030);
  if (p < 0.55) {
    const auto& transitions = transition_dates(zone);
    if (!transitions.empty()) anchor = near(r.pick(transitions));
  } else if (p < 0.65) {
    const auto& transitions = transition_dates(zone, 2031, 2045);
    if (!transitions.empty()) anchor = near(r.pick(transitions));
  } else if (p < 0.75) {
    anchor = oracle::add_days(civil_date{r.integer(2015, 2045), 12, 31}, r.integer(-5, 5));
  } else if (p < 0.80) {
    anchor = oracle::add_days(r.chance(0.5) ? civil_date{1900, 1, 1} : civil_date{2300, 1, 1},
                              r.integer(-5, 5));
  } else if (p < 0.85) {
    const int year = r.integer(2300, 9997);
    const auto& transitions = transition_dates(zone, year, year);
    anchor = transitions.empty() ? any_day(year, year) : near(r.pick(transitions));
  }
  return minute_offsets_near(zone, anchor) ? anchor : any_day(2015, 2030);
}

/// A calendar of the given shape and an anchor for its requests, all from `seed`. With
/// `any_year` false the anchor stays in 2015-2030.
inline scenario random_scenario(std::uint64_t seed, shape kind, bool any_year = true) {
  random_source r(seed);
  scenario s;
  s.seed = seed;
  s.kind = kind;
  calendar_definition& def = s.definition;
  def.timezone = r.pick(zone_names());
  def.name = "random-" + std::to_string(seed);
  s.anchor = random_anchor(r, def.timezone, any_year);
  s.nearby = nearest_transition(time_zone::locate(def.timezone), s.anchor);
  s.hot_minutes = hot_minutes_near(s.nearby);
  def.week = random_week(r, kind, s.hot_minutes);

  const civil_date window_from = oracle::add_days(s.anchor, -30);
  const civil_date window_until = oracle::add_days(s.anchor, 60);
  // A calendar made of exceptions gets two ordinary days that no DST gap can swallow, with
  // nothing on the date before either (so no night shift runs into them).
  std::set<civil_date> reserved;
  if (kind == shape::exceptions_only) {
    for (int n = 0; n < 2; ++n) {
      const civil_date d = oracle::add_days(s.anchor, r.integer(0, 10));
      def.exceptions[d] = {{540, 1020}};
      reserved.insert(d);
      reserved.insert(oracle::previous_date(d));
    }
  }
  const double holiday_rate = kind == shape::exceptions_only ? 0.0 : 0.07;
  const double exception_rate = kind == shape::exceptions_only ? 0.12 : 0.05;
  for (civil_date d = window_from; d <= window_until; d = oracle::next_date(d)) {
    if (reserved.count(d) != 0) continue;
    const bool holiday = r.chance(holiday_rate);
    if (holiday) def.holidays.push_back(d);
    // Now and then an exception on a holiday too: the exception wins.
    if (r.chance(holiday ? 0.2 : exception_rate)) {
      auto hours = r.chance(kind == shape::exceptions_only ? 0.1 : 0.4)
                       ? std::vector<local_interval>{}
                       : day_for(r, kind, s.hot_minutes);
      if (r.chance(0.2)) add_night_shift(r, hours, 1440, kind != shape::split_shift);
      def.exceptions[d] = hours;
      // An exception must fit between its neighbours (no overlap with a night shift on
      // either side); if it does not, it closes the date instead.
      if (!dates_are_valid(def, oracle::add_days(d, -1), oracle::add_days(d, 1)))
        def.exceptions[d] = {};
    }
  }
  // Where intervals meet DST, most of the time give the transition's own dates their own
  // hours.
  if (kind == shape::dst_edges && r.chance(0.7)) {
    if (const auto& found = s.nearby) {
      for (civil_date d : {found->before.date, found->after.date}) {
        def.exceptions[d] = edge_day(r, s.hot_minutes);
        if (r.chance(0.3)) add_night_shift(r, def.exceptions[d], 1440, true);
        if (!dates_are_valid(def, oracle::add_days(d, -1), oracle::add_days(d, 1)))
          def.exceptions[d] = {};
      }
    }
  }
  if (!dates_are_valid(def, oracle::add_days(window_from, -1), oracle::add_days(window_until, 1)))
    throw std::logic_error("random_scenario: generated an invalid calendar");
  // A file need not list a day's intervals, or its holidays, in order; a holiday may be
  // listed twice.
  auto shuffle = [&](auto& items) {
    for (std::size_t i = items.size(); i > 1; --i)
      std::swap(items[i - 1],
                items[static_cast<std::size_t>(r.wide(0, static_cast<std::int64_t>(i) - 1))]);
  };
  if (r.chance(0.3)) {
    for (auto& day : def.week) shuffle(day);
    for (auto& [date, hours] : def.exceptions) shuffle(hours);
    if (!def.holidays.empty()) def.holidays.push_back(r.pick(def.holidays));
    shuffle(def.holidays);
  }
  return s;
}

/// Nominal working seconds of a week (or of all exceptions, for a calendar made of them).
inline std::int64_t nominal_week_seconds(const calendar_definition& def) {
  std::int64_t total = 0;
  for (const auto& day : def.week)
    for (const local_interval& i : day) total += (i.end_minute - i.start_minute) * 60;
  if (total == 0)
    for (const auto& [date, hours] : def.exceptions)
      for (const local_interval& i : hours) total += (i.end_minute - i.start_minute) * 60;
  return std::max<std::int64_t>(total, 3600);
}

// ------------------------------------------------------------------ requests

/// A start near `day`: on an interval boundary (or a minute off it), at a small-hours clock
/// time (either occurrence in an overlap), off the minute grid, or anywhere in the day.
inline instant random_start_on(random_source& r, const oracle::naive_calendar& oracle,
                               const scenario& s, civil_date day) {
  const double kind = r.real();
  if (kind < 0.3) {
    std::vector<instant> boundaries;
    for (civil_date d : {oracle::previous_date(day), day})
      for (const auto& i : oracle.intervals_starting_on(d)) {
        boundaries.push_back(i.start);
        boundaries.push_back(i.end);
      }
    if (!boundaries.empty()) {
      const std::int64_t nudge = r.chance(0.6) ? 0 : r.chance(0.5) ? 60 : -60;
      return r.pick(boundaries) + std::chrono::seconds{nudge};
    }
  }
  if (kind < 0.55) {
    static const std::vector<int> hours = {0, 0, 1, 1, 2, 2, 3, 22, 23, 23};
    civil_time local{day, r.pick(hours), r.integer(0, 3) * 15, 0};
    if (!s.hot_minutes.empty() && r.chance(0.6)) {
      const int m = std::min(r.pick(s.hot_minutes) + r.integer(0, 3) * 5, 1439);
      local = civil_time{day, m / 60, m % 60, 0};
    }
    const auto info = oracle.zone().lookup(local);
    return r.chance(0.5) ? info.resolved : info.later;
  }
  if (kind < 0.65) return oracle.start_of_day(day) + std::chrono::seconds{r.integer(0, 86399)};
  return oracle.start_of_day(day) + std::chrono::minutes{r.integer(0, 1439)};
}

/// Half the time within a day of the anchor, else within `spread_days` of it.
inline instant random_start(random_source& r, const oracle::naive_calendar& oracle,
                            const scenario& s, int spread_days = 4,
                            std::optional<civil_date> around = std::nullopt) {
  const int spread = r.chance(0.5) ? std::min(1, spread_days) : spread_days;
  const civil_date anchor = around ? *around : s.anchor;
  return random_start_on(r, oracle, s, oracle::add_days(anchor, r.integer(-spread, spread)));
}

/// Working time from zero up to about two weeks' worth, a third of the time negative.
inline duration_spec random_working_time(random_source& r, std::int64_t week_seconds) {
  using unit = duration_spec::unit;
  const double size = r.real();
  std::int64_t minutes = 0;
  if (size < 0.05)
    minutes = 0;
  else if (size < 0.45)
    minutes = r.wide(1, 240);
  else if (size < 0.8)
    minutes = r.wide(1, std::max<std::int64_t>(1, week_seconds / 120));
  else
    minutes = r.wide(1, std::max<std::int64_t>(1, week_seconds / 30));
  const std::int64_t sign = r.chance(0.35) ? -1 : 1;
  const double form = r.real();
  if (form < 0.2) {
    const std::int64_t extra = r.chance(0.5) ? r.wide(0, 59) : 0;
    return {sign * (minutes * 60 + extra), unit::business_seconds};
  }
  if (form < 0.75) return {sign * minutes, unit::business_minutes};
  return {sign * ((minutes + 30) / 60), unit::business_hours};
}

inline duration_spec random_day_period(random_source& r) {
  using unit = duration_spec::unit;
  switch (r.integer(0, 3)) {
    case 0:
      return {r.wide(1, 40), unit::days};
    case 1:
      return {r.wide(1, 8), unit::weeks};
    case 2:
      return {r.wide(1, 14), unit::months};
    default:
      return {r.chance(0.2) ? 0 : r.wide(1, 25), unit::business_days};
  }
}

inline duration_spec random_elapsed(random_source& r) {
  using unit = duration_spec::unit;
  const unit units[] = {unit::seconds, unit::minutes, unit::hours};
  return {r.wide(-5000, 5000), units[r.integer(0, 2)]};
}

inline deadline_options random_options(random_source& r) {
  deadline_options o;
  o.end = static_cast<day_end>(r.integer(0, 2));
  o.rollover = r.chance(0.5) ? rollover_rule::none : rollover_rule::next_business_day;
  o.receipt = r.chance(0.5) ? receipt_rule::as_received : receipt_rule::next_business_day_if_closed;
  return o;
}

/// An instant within `hours` of the scenario's DST transition (or of its anchor's noon when
/// there is none), on the minute grid, or a second off it now and then.
inline instant near_transition(random_source& r, const oracle::naive_calendar& oracle,
                               const scenario& s, int hours) {
  const instant centre =
      s.nearby ? s.nearby->at : oracle.start_of_day(s.anchor) + std::chrono::hours{12};
  const std::int64_t offset =
      r.wide(-hours * 60, hours * 60) * 60 + (r.chance(0.1) ? r.wide(1, 59) : 0);
  return centre + std::chrono::seconds{offset};
}

/// A start from which `duration` reaches the scenario's DST transition, or its date: working
/// time starts before the transition when counting forwards and after it when counting
/// backwards; a day period starts about its length before the transition's date, often at a
/// clock time that the transition skips or repeats (for same-time).
inline instant aimed_start(random_source& r, const oracle::naive_calendar& oracle,
                           const scenario& s, const duration_spec& duration) {
  using unit = duration_spec::unit;
  if (!duration.is_day_period()) {
    const instant t = near_transition(r, oracle, s, 48);
    const instant centre = s.nearby ? s.nearby->at : t;
    const bool forwards = oracle::seconds_of(duration) >= 0;
    // Mirror onto the side from which counting crosses the transition.
    if (forwards == (t > centre)) return centre - (t - centre);
    return t;
  }
  const civil_date target =
      oracle::add_days(s.nearby ? s.nearby->before.date : s.anchor, r.integer(-1, 1));
  civil_date day = target;
  switch (duration.what) {
    case unit::days:
      day = oracle::add_days(target, -duration.count);
      break;
    case unit::weeks:
      day = oracle::add_days(target, -7 * duration.count);
      break;
    case unit::months:
      day = oracle::add_months_clamped(target, -duration.count);
      break;
    default:  // business days: about 7 dates for 5 of them
      day = oracle::add_days(target, -(duration.count * 7 + 4) / 5 + r.integer(-2, 2));
      break;
  }
  if (!s.hot_minutes.empty() && r.chance(0.6)) {
    const int m = std::min(r.pick(s.hot_minutes) + r.integer(0, 3) * 5, 1439);
    return oracle.zone().resolve(civil_time{day, m / 60, m % 60, 0});
  }
  return random_start_on(r, oracle, s, day);
}

/// Mostly working time and day periods, now and then plain elapsed time.
inline duration_spec random_duration(random_source& r, std::int64_t week_seconds) {
  const double form = r.real();
  if (form < 0.5) return random_working_time(r, week_seconds);
  if (form < 0.95) return random_day_period(r);
  return random_elapsed(r);
}

// ------------------------------------------------------------------ describing a case

inline std::string describe(const duration_spec& d) {
  static constexpr const char* names[] = {
      "seconds",        "minutes", "hours", "business seconds", "business minutes",
      "business hours", "days",    "weeks", "months",           "business days"};
  return std::to_string(d.count) + " " + names[static_cast<std::size_t>(d.what)];
}

inline std::string describe(const deadline_options& o) {
  static constexpr const char* ends[] = {"end-of-day", "close-of-business", "same-time"};
  return std::string("end=") + ends[static_cast<std::size_t>(o.end)] +
         " rollover=" + (o.rollover == rollover_rule::none ? "none" : "next-business-day") +
         " receipt=" +
         (o.receipt == receipt_rule::as_received ? "as-received" : "next-business-day-if-closed");
}

inline std::string describe(instant t, const time_zone& zone) {
  return format_rfc3339(t, zone) + " (" + t.to_string() + ")";
}

inline std::string describe(const scenario& s) {
  static constexpr const char* shapes[] = {"split-shift", "overnight", "dst-edges",
                                           "exceptions-only"};
  return "scenario seed " + std::to_string(s.seed) + " (" +
         shapes[static_cast<std::size_t>(s.kind)] + ", anchor " + s.anchor.to_string() + ")\n" +
         oracle::to_toml(s.definition);
}

}  // namespace redress::random_calendars

#endif
