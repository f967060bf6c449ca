#include <algorithm>
#include <tuple>
#include <limits>
#include <string>
#include <utility>

#include "calendar/days.hpp"
#include "calendar_impl.hpp"
#include "redress/calendar.hpp"
#include "time/zone_impl.hpp"

namespace redress {
namespace detail {

namespace {

constexpr int minutes_per_day = 1440;
constexpr std::int64_t seconds_per_day = 86400;

const char* const weekday_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t jan1(int year) { return civil_date{year, 1, 1}.days_since_epoch(); }

std::int64_t list_seconds(const std::vector<local_interval>& list) {
  std::int64_t total = 0;
  for (const local_interval& iv : list) total += (iv.end_minute - iv.start_minute) * 60;
  return total;
}

// The minutes after the next midnight that the last overnight interval of `list` covers.
int overnight_tail(const std::vector<local_interval>& list) {
  int tail = 0;
  for (const local_interval& iv : list) tail = std::max(tail, iv.end_minute - minutes_per_day);
  return tail;
}

int first_start(const std::vector<local_interval>& list) {
  int first = minutes_per_day;
  for (const local_interval& iv : list) first = std::min(first, iv.start_minute);
  return first;
}

std::optional<calendar_problem> check_list(const std::vector<local_interval>& list) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    const local_interval& iv = list[i];
    calendar_problem p;
    p.interval = static_cast<int>(i);
    if (iv.start_minute < 0 || iv.start_minute >= minutes_per_day) {
      p.message = "an interval must start between 00:00 and 23:59";
      return p;
    }
    if (iv.end_minute <= iv.start_minute || iv.end_minute > iv.start_minute + minutes_per_day) {
      p.message = "interval " + iv.to_string() + " is empty or longer than a day";
      return p;
    }
    for (std::size_t j = 0; j < i; ++j) {
      const local_interval& other = list[j];
      if (iv.start_minute < other.end_minute && other.start_minute < iv.end_minute) {
        p.message = "intervals " + other.to_string() + " and " + iv.to_string() + " overlap";
        return p;
      }
    }
  }
  return std::nullopt;
}

const std::vector<local_interval> no_hours;

}  // namespace

std::optional<calendar_problem> check_hours(const calendar_definition& def) {
  for (int w = 0; w < 7; ++w) {
    if (auto p = check_list(def.week[static_cast<std::size_t>(w)])) {
      p->weekday = w;
      return p;
    }
  }
  for (const auto& [date, list] : def.exceptions) {
    if (auto p = check_list(list)) {
      p->date = date;
      return p;
    }
  }
  // Across midnight: an overnight tail must end by the next date's first interval. The dates
  // next to an exception are holidays as build_chunk sees them: listed or made by a rule.
  std::vector<std::int64_t> holiday_days;
  for (const civil_date& d : def.holidays) holiday_days.push_back(d.days_since_epoch());
  std::sort(holiday_days.begin(), holiday_days.end());
  if (!def.holiday_rules.empty() && !def.exceptions.empty()) {
    const std::vector<compiled_rule> rules = compile_rules(def.holiday_rules);
    std::vector<std::int64_t> all;
    int done = 0;  // the last year resolved
    for (const auto& [date, list] : def.exceptions) {
      if (date.year <= done) continue;
      const std::int64_t first = std::max(jan1(date.year) - 1, jan1(1));
      const std::int64_t dec31 = civil_date{date.year, 12, 31}.days_since_epoch();
      const std::int64_t last = date.year < 9999 ? dec31 + 1 : dec31;
      for (const named_holiday& h : resolve_holidays(rules, holiday_days, def.holiday_names, first, last))
        all.push_back(h.date.days_since_epoch());
      done = date.year;
    }
    all.insert(all.end(), holiday_days.begin(), holiday_days.end());
    std::sort(all.begin(), all.end());
    holiday_days = std::move(all);
  }
  auto hours_of = [&](civil_date d) -> const std::vector<local_interval>& {
    if (auto e = def.exceptions.find(d); e != def.exceptions.end()) return e->second;
    if (std::binary_search(holiday_days.begin(), holiday_days.end(), d.days_since_epoch())) return no_hours;
    return def.week[static_cast<std::size_t>(weekday_index(d.days_since_epoch()))];
  };
  for (int w = 0; w < 7; ++w) {
    const auto& today = def.week[static_cast<std::size_t>(w)];
    const auto& tomorrow = def.week[static_cast<std::size_t>((w + 1) % 7)];
    const int tail = overnight_tail(today);
    if (tail > 0 && !tomorrow.empty() && tail > first_start(tomorrow)) {
      calendar_problem p;
      p.weekday = w;
      p.message = std::string("the overnight interval of ") + weekday_names[w] +
                  " runs past the start of " + weekday_names[(w + 1) % 7] + "'s first interval";
      return p;
    }
  }
  for (const auto& [date, list] : def.exceptions) {
    const civil_date before = civil_date::from_days(date.days_since_epoch() - 1);
    const civil_date after = civil_date::from_days(date.days_since_epoch() + 1);
    const int tail_in = overnight_tail(hours_of(before));
    if (tail_in > 0 && !list.empty() && tail_in > first_start(list)) {
      calendar_problem p;
      p.date = date;
      p.message = "the overnight interval of " + before.to_string() +
                  " runs past the start of this date's first interval";
      return p;
    }
    const auto& next = hours_of(after);
    const int tail_out = overnight_tail(list);
    if (tail_out > 0 && !next.empty() && tail_out > first_start(next)) {
      calendar_problem p;
      p.date = date;
      p.message = "the overnight interval of " + date.to_string() + " runs past the start of " +
                  after.to_string() + "'s first interval";
      return p;
    }
  }
  return std::nullopt;
}

calendar_impl::calendar_impl(calendar_definition def, time_zone z)
    : definition(std::move(def)), zone(z) {
  auto by_start = [](const local_interval& a, const local_interval& b) {
    return a.start_minute < b.start_minute;
  };
  for (auto& list : definition.week) std::sort(list.begin(), list.end(), by_start);
  for (auto& [date, list] : definition.exceptions) std::sort(list.begin(), list.end(), by_start);
  std::sort(definition.holidays.begin(), definition.holidays.end());
  definition.holidays.erase(std::unique(definition.holidays.begin(), definition.holidays.end()),
                            definition.holidays.end());

  for (const civil_date& d : definition.holidays) holiday_days.push_back(d.days_since_epoch());
  for (const auto& [date, list] : definition.exceptions) {
    exception_days.emplace_back(date.days_since_epoch(), &list);
    exception_seconds += list_seconds(list);
    if (!list.empty()) ++exception_business_days;
  }
  for (const auto& list : definition.week) {
    weekly_seconds += list_seconds(list);
    if (!list.empty()) ++working_weekdays;
  }
  if (definition.valid_from) first_year = definition.valid_from->year;
  if (definition.valid_until) last_year = definition.valid_until->year;
  rules = compile_rules(definition.holiday_rules);
  std::tie(first_rule_year, last_rule_year) = detail::rule_years(rules);
  first_year = std::max(first_year, first_rule_year);
  last_year = std::min(last_year, last_rule_year);
  if (weekly_seconds == 0) {
    first_working_year = 9999;
    last_working_year = 1;
    for (const auto& [date, list] : definition.exceptions) {
      if (list.empty()) continue;
      first_working_year = std::min(first_working_year, date.year);
      last_working_year = std::max(last_working_year, std::min(9999, date.year + 1));
    }
  }
  cache = std::make_unique<std::atomic<const year_chunk*>[]>(
      static_cast<std::size_t>(last_cached_year - first_cached_year + 1));
  for (int y = first_cached_year; y <= last_cached_year; ++y)
    cache[static_cast<std::size_t>(y - first_cached_year)].store(nullptr, std::memory_order_relaxed);
  far_totals = std::make_unique<std::atomic<std::int64_t>[]>(9999);
  for (std::size_t i = 0; i < 9999; ++i) far_totals[i].store(-1, std::memory_order_relaxed);
  find_instant_range();
}

calendar_impl::~calendar_impl() {
  for (int y = first_cached_year; y <= last_cached_year; ++y)
    delete cache[static_cast<std::size_t>(y - first_cached_year)].load(std::memory_order_acquire);
}

const std::vector<local_interval>& calendar_impl::hours_of(
    civil_date date, const std::vector<std::int64_t>& holidays) const {
  const std::int64_t day = date.days_since_epoch();
  auto e = std::lower_bound(exception_days.begin(), exception_days.end(), day,
                            [](const auto& entry, std::int64_t d) { return entry.first < d; });
  if (e != exception_days.end() && e->first == day) return *e->second;
  if (std::binary_search(holidays.begin(), holidays.end(), day)) return no_hours;
  return definition.week[static_cast<std::size_t>(weekday_index(day))];
}

std::vector<named_holiday> calendar_impl::holidays_between(std::int64_t first_day,
                                                           std::int64_t last_day) const {
  return resolve_holidays(rules, holiday_days, definition.holiday_names, first_day, last_day);
}

namespace {
// The instant a local time names, from what the zone says of it: in a gap, the transition; in
// an overlap, the first reading.
std::int64_t resolved(const date::local_info& info, std::int64_t local) {
  switch (info.result) {
    case date::local_info::nonexistent: return info.second.begin.time_since_epoch().count();
    case date::local_info::ambiguous:
    case date::local_info::unique: break;
  }
  return local - info.first.offset.count();
}

std::int64_t resolve_local(const zone_impl& zone, std::int64_t local) {
  return resolved(zone.info(date::local_seconds{std::chrono::seconds{local}}), local);
}

// resolve_local for the many local times of one chunk: it keeps the period of the zone's last
// unique answer and answers from its offset while a local time stays two days inside it. Two
// days is more than any two offsets differ by (they lie within -12 h to +14 h of UTC), so no
// other period holds such a local time: it is unique, and the zone would say so. The footer's
// start bounds the kept range too, since the zone switches from its table to its footer there.
class local_resolver {
public:
  explicit local_resolver(const zone_impl& zone) noexcept : zone_(zone) {}

  std::int64_t operator()(std::int64_t local) {
    if (local >= safe_from_ && local < safe_until_) return local - offset_;
    const auto info = zone_.info(date::local_seconds{std::chrono::seconds{local}});
    if (info.result == date::local_info::unique) {
      constexpr std::int64_t margin = 2 * seconds_per_day;
      constexpr std::int64_t far = std::numeric_limits<std::int64_t>::max() / 4;
      offset_ = info.first.offset.count();
      const std::int64_t begin = info.first.begin.time_since_epoch().count();
      const std::int64_t end = info.first.end.time_since_epoch().count();
      safe_from_ = begin < -far ? std::numeric_limits<std::int64_t>::min() : begin + offset_ + margin;
      safe_until_ = end > far ? std::numeric_limits<std::int64_t>::max() : end + offset_ - margin;
      if (zone_.footer && local < zone_.footer_from) safe_until_ = std::min(safe_until_, zone_.footer_from);
      if (zone_.footer && local >= zone_.footer_from) safe_from_ = std::max(safe_from_, zone_.footer_from);
    }
    return resolved(info, local);
  }

private:
  const zone_impl& zone_;
  std::int64_t safe_from_ = 1, safe_until_ = 0;  // empty until the first unique answer
  std::int64_t offset_ = 0;
};
}  // namespace

void calendar_impl::find_instant_range() {
  civil_date first{std::max(1, first_rule_year), 1, 1};
  civil_date last{std::min(9999, last_rule_year), 12, 31};
  if (definition.valid_from && first < *definition.valid_from) first = *definition.valid_from;
  if (definition.valid_until && *definition.valid_until < last) last = *definition.valid_until;
  if (last < first) return;  // nothing passes: every check takes the full path and fails there
  const zone_impl& z = zone.impl();
  // A day starts at resolve_local of its midnight, as build_chunk resolves it.
  in_range_from = resolve_local(z, first.days_since_epoch() * seconds_per_day);
  in_range_until = resolve_local(z, (last.days_since_epoch() + 1) * seconds_per_day);
  // local_date also refuses an instant whose UTC year is outside 0001-9999 (its chunk is found
  // from that year), though its local date may be 0001-01-01 or 9999-12-31: so does this.
  in_range_from = std::max(in_range_from, jan1(1) * seconds_per_day);
  in_range_until = std::min(in_range_until, jan1(10000) * seconds_per_day);
  if (in_range_until < in_range_from) in_range_from = in_range_until = 0;
}

std::unique_ptr<year_chunk> calendar_impl::build_chunk(int year) const {
  local_resolver resolve(zone.impl());
  auto c = std::make_unique<year_chunk>();
  c->year = year;
  const std::int64_t d0 = c->first_day = jan1(year);
  const int n = days_in_year(year);
  c->days.resize(static_cast<std::size_t>(n) + 1);
  for (int d = 0; d <= n; ++d)
    c->days[static_cast<std::size_t>(d)].start = resolve((d0 + d) * seconds_per_day);

  // Rule-made holidays are resolved once per chunk (so once per year for cached years): the
  // days below look them up exactly as they look up listed ones.
  std::vector<std::int64_t> resolved;
  const std::vector<std::int64_t>* holidays = &holiday_days;
  if (!rules.empty()) {
    for (const named_holiday& h : holidays_between(std::max<std::int64_t>(d0 - 1, jan1(1)), d0 + n - 1))
      resolved.push_back(h.date.days_since_epoch());
    holidays = &resolved;
  }

  c->carry_in_end = c->days[0].start;
  if (year > 1) {
    const std::int64_t base = (d0 - 1) * seconds_per_day;
    for (const local_interval& iv : hours_of(civil_date::from_days(d0 - 1), *holidays)) {
      if (iv.end_minute <= minutes_per_day) continue;
      const std::int64_t s = resolve(base + iv.start_minute * 60);
      const std::int64_t e = resolve(base + iv.end_minute * 60);
      if (e > s) c->carry_in_end = std::max(c->carry_in_end, e);
    }
  }

  std::int64_t cum = 0;
  std::uint16_t business = 0;
  c->intervals.reserve(static_cast<std::size_t>(n) * 2);
  for (int d = 0; d < n; ++d) {
    day_slot& slot = c->days[static_cast<std::size_t>(d)];
    slot.first_interval = static_cast<std::int32_t>(c->intervals.size());
    slot.business_before = business;
    const std::int64_t base = (d0 + d) * seconds_per_day;
    for (const local_interval& iv : hours_of(civil_date::from_days(d0 + d), *holidays)) {
      const std::int64_t s = resolve(base + iv.start_minute * 60);
      const std::int64_t e = resolve(base + iv.end_minute * 60);
      if (e <= s) continue;  // wholly inside a spring-forward gap
      c->intervals.push_back({s, e, cum});
      cum += e - s;
    }
    slot.interval_count =
        static_cast<std::uint16_t>(c->intervals.size() - static_cast<std::size_t>(slot.first_interval));
    if (slot.interval_count > 0) {
      c->business_days.push_back(static_cast<std::uint16_t>(d));
      ++business;
    }
  }
  day_slot& sentinel = c->days.back();
  sentinel.first_interval = static_cast<std::int32_t>(c->intervals.size());
  sentinel.interval_count = 0;
  sentinel.business_before = business;
  c->total = cum;
  return c;
}

chunk_ref calendar_impl::chunk(int year) const {
  if (year < first_cached_year || year > last_cached_year) {
    {
      const std::lock_guard<std::mutex> lock(far_mutex);
      for (const std::shared_ptr<const year_chunk>& c : far_chunks)
        if (c && c->year == year) return chunk_ref(c);
    }
    std::shared_ptr<const year_chunk> built = build_chunk(year);  // outside the lock
    const std::lock_guard<std::mutex> lock(far_mutex);
    far_chunks[far_next] = built;
    far_next = (far_next + 1) % far_chunk_count;
    return chunk_ref(std::move(built));
  }
  auto& slot = cache[static_cast<std::size_t>(year - first_cached_year)];
  const year_chunk* cached = slot.load(std::memory_order_acquire);
  if (cached) return chunk_ref(cached);
  std::unique_ptr<year_chunk> built = build_chunk(year);
  const year_chunk* expected = nullptr;
  if (slot.compare_exchange_strong(expected, built.get(), std::memory_order_acq_rel))
    return chunk_ref(built.release());
  return chunk_ref(expected);  // another thread published it first
}

std::int64_t calendar_impl::year_total(int year) const {
  if ((year >= first_cached_year && year <= last_cached_year) || year < 1 || year > 9999) return chunk(year)->total;
  std::atomic<std::int64_t>& slot = far_totals[static_cast<std::size_t>(year - 1)];
  std::int64_t total = slot.load(std::memory_order_relaxed);
  if (total < 0) {
    total = build_chunk(year)->total;  // the same value whichever thread stores it
    slot.store(total, std::memory_order_relaxed);
  }
  return total;
}

void calendar_impl::fail_year(const std::string& what) const {
  throw error(what + " falls outside the years 0001-9999 that redress supports");
}

void calendar_impl::fail_range(civil_date date, const std::string& what) const {
  throw error("calendar \"" + definition.name + "\" covers " +
              (definition.valid_from ? definition.valid_from->to_string() : std::string("...")) +
              " to " +
              (definition.valid_until ? definition.valid_until->to_string() : std::string("...")) +
              ": " + what + " " + date.to_string() + " is outside it");
}

void calendar_impl::fail_rule_years(civil_date date, const std::string& what) const {
  throw error("calendar \"" + definition.name + "\" has no data for " + std::to_string(date.year) +
              " (its holiday rules hold for " + std::to_string(first_rule_year) + "-" +
              std::to_string(last_rule_year) + ", the years of the equinox formula): " + what +
              " " + date.to_string() + " is outside them");
}

void calendar_impl::fail_no_working_time(const std::string& what, bool forward) const {
  if (forward && definition.valid_until && last_year <= last_working_year)
    throw error("calendar \"" + definition.name + "\" covers " +
                (definition.valid_from ? definition.valid_from->to_string() : std::string("...")) +
                " to " + definition.valid_until->to_string() + ": " + what + " goes beyond " +
                definition.valid_until->to_string());
  if (!forward && definition.valid_from && first_year >= first_working_year)
    throw error("calendar \"" + definition.name + "\" covers " +
                definition.valid_from->to_string() + " to " +
                (definition.valid_until ? definition.valid_until->to_string() : std::string("...")) +
                ": " + what + " goes before " + definition.valid_from->to_string());
  if ((forward && last_rule_year < 9999 && last_year == last_rule_year) ||
      (!forward && first_rule_year > 1 && first_year == first_rule_year))
    throw error("calendar \"" + definition.name + "\" has no data for " +
                std::to_string(forward ? last_rule_year + 1 : first_rule_year - 1) +
                " (its holiday rules hold for " + std::to_string(first_rule_year) + "-" +
                std::to_string(last_rule_year) + ", the years of the equinox formula): " + what +
                " cannot be counted");
  if (weekly_seconds == 0) {
    // Only exceptions give working time: name the first or last date that has some.
    std::optional<civil_date> edge;
    for (const auto& [date, list] : definition.exceptions) {
      if (list.empty()) continue;
      if (!edge || (forward ? *edge < date : date < *edge)) edge = date;
    }
    throw error("calendar \"" + definition.name + "\" has no working time " +
                (forward ? "after " : "before ") + (edge ? edge->to_string() : std::string("?")) +
                ": " + what + " cannot be counted");
  }
  throw error(what + " would fall outside the years 0001-9999 that redress supports");
}

int calendar_impl::year_of(std::int64_t t) const {
  int y = civil_date::from_days(floor_div(t, seconds_per_day)).year;
  if (y < 1 || y > 9999) return y;
  // The chunk is needed next anyway (a far year's is kept for the next few asks).
  const chunk_ref c = chunk(y);
  if (t < c->days.front().start) return y - 1;
  if (t >= c->days.back().start) return y + 1;
  return y;
}

chunk_ref calendar_impl::chunk_holding(std::int64_t t) const {
  // year_of and chunk(year) in one: the chunk of t's UTC year, or the one beside it.
  auto what = [t] { return "instant " + instant::from_unix(t).to_string(); };
  // Its UTC year is inside 0001-9999 but its local date is not (0001-01-01T00:00:00Z is
  // 0000-12-31 in London, whose offset then was -0:01:15): say the local date, or the message
  // would refuse an instant that reads as inside the range.
  auto what_local = [&](civil_date local) {
    return "instant " + instant::from_unix(t).to_string() + ", on " + local.to_string() + " in " + zone.name() + ",";
  };
  const int y = civil_date::from_days(floor_div(t, seconds_per_day)).year;
  require_year(y, what);
  chunk_ref c = chunk(y);
  if (t < c->days.front().start) {
    require_year(y - 1, [&] { return what_local(civil_date{y - 1, 12, 31}); });
    return chunk(y - 1);
  }
  if (t >= c->days.back().start) {
    require_year(y + 1, [&] { return what_local(civil_date{y + 1, 1, 1}); });
    return chunk(y + 1);
  }
  return c;
}

working_position calendar_impl::locate(std::int64_t t) const {
  const chunk_ref c = chunk_holding(t);
  const int year = c->year;
  if (t < c->carry_in_end && year > 1) {
    const chunk_ref previous = chunk(year - 1);
    const resolved_interval& last = previous->intervals.back();
    return {year - 1, last.cum_before + (t - last.start)};
  }
  const auto& ivs = c->intervals;
  const std::size_t i = first_ending_after(*c, t);
  if (i == ivs.size()) return {year, c->total};
  return {year, ivs[i].cum_before + std::max<std::int64_t>(0, t - ivs[i].start)};
}

std::size_t calendar_impl::first_ending_after(const year_chunk& c, std::int64_t t) const {
  // Intervals are sorted and disjoint, so their ends rise too. Those that start on a later
  // date than t's end after it, and those of the dates before the previous one have ended
  // unless one runs longer than a day: search between, or from the year's start when the
  // interval before that range has not ended.
  const auto& ivs = c.intervals;
  const std::int64_t i = day_in_chunk(c, t);
  const auto hi = static_cast<std::size_t>(c.days[static_cast<std::size_t>(i + 1)].first_interval);
  auto lo = static_cast<std::size_t>(c.days[static_cast<std::size_t>(std::max<std::int64_t>(i - 1, 0))].first_interval);
  if (lo > 0 && ivs[lo - 1].end > t) lo = 0;
  const auto it = std::partition_point(ivs.begin() + static_cast<std::ptrdiff_t>(lo), ivs.begin() + static_cast<std::ptrdiff_t>(hi),
                                       [t](const resolved_interval& iv) { return iv.end <= t; });
  return static_cast<std::size_t>(it - ivs.begin());
}

std::int64_t calendar_impl::add_working_forward(const working_position& from,
                                                std::int64_t seconds) const {
  // Out at once when not even a calendar open round the clock could supply `seconds`.
  const std::int64_t per_year = 53 * weekly_seconds + 7200;
  const int limit = std::min(last_year, last_working_year);
  const std::int64_t years = std::max(0, limit - from.year + 1);
  if (seconds > years * per_year + exception_seconds + 2 * seconds_per_day) return out_of_working_time;
  std::int64_t target = from.cum + seconds;
  for (int year = from.year;; ++year) {
    if (year > limit) return out_of_working_time;
    // A whole year passed over needs only its total; the chunk is built for the year it ends in.
    if (year != from.year) {
      const std::int64_t total = year_total(year);
      if (target > total) {
        target -= total;
        continue;
      }
    }
    const chunk_ref c = chunk(year);
    if (target <= c->total) {
      const auto& ivs = c->intervals;
      auto it = std::partition_point(ivs.begin(), ivs.end(), [target](const resolved_interval& iv) {
        return iv.cum_before + (iv.end - iv.start) < target;
      });
      return it->start + (target - it->cum_before);
    }
    target -= c->total;
  }
}

std::int64_t calendar_impl::add_working_backward(const working_position& from,
                                                 std::int64_t seconds) const {
  const std::int64_t per_year = 53 * weekly_seconds + 7200;
  const int limit = std::max(first_year, first_working_year);
  const std::int64_t years = std::max(0, from.year - limit + 1);
  // Negate the bound, not `seconds`: -INT64_MIN overflows.
  if (seconds < -(years * per_year + exception_seconds + 2 * seconds_per_day)) return out_of_working_time;
  std::int64_t target = from.cum + seconds;
  for (int year = from.year;;) {
    if (target >= 0) {
      const chunk_ref c = chunk(year);
      const auto& ivs = c->intervals;
      // The last interval that begins at or before `target`: landing exactly on the start of
      // an interval stays there.
      auto it = std::partition_point(ivs.begin(), ivs.end(), [target](const resolved_interval& iv) {
        return iv.cum_before <= target;
      });
      --it;
      return it->start + (target - it->cum_before);
    }
    --year;
    if (year < limit) return out_of_working_time;
    target += year_total(year);
  }
}

std::int64_t calendar_impl::working_between(std::int64_t from, std::int64_t to) const {
  if (from == to) return 0;
  if (from > to) return -working_between(to, from);
  const working_position a = locate(from);
  const working_position b = locate(to);
  std::int64_t total = b.cum - a.cum;
  for (int year = a.year; year < b.year; ++year) total += year_total(year);
  return total;
}

civil_date calendar_impl::local_date(std::int64_t t) const {
  const chunk_ref c = chunk_holding(t);
  return civil_date::from_days(c->first_day + day_in_chunk(*c, t));
}

std::int64_t calendar_impl::day_in_chunk(const year_chunk& c, std::int64_t t) const {
  // The local date is the UTC date or one beside it (offsets are under a day): start there and
  // step to the last day that starts by t, instead of a binary search over the year.
  const auto n = static_cast<std::int64_t>(c.days.size()) - 1;  // the year's days
  std::int64_t i = std::clamp<std::int64_t>(floor_div(t, seconds_per_day) - c.first_day, 0, n - 1);
  while (i > 0 && c.days[static_cast<std::size_t>(i)].start > t) --i;
  while (i + 1 < n && c.days[static_cast<std::size_t>(i + 1)].start <= t) ++i;
  return i;
}

const day_slot& calendar_impl::slot(const year_chunk& c, civil_date date) const {
  return c.days[static_cast<std::size_t>(date.days_since_epoch() - c.first_day)];
}

civil_date calendar_impl::nth_business_day_after(civil_date date, std::int64_t n) const {
  require_year(date.year, [&] { return "date " + date.to_string(); });
  const chunk_ref first = chunk(date.year);
  const day_slot& s = slot(*first, date);
  if (n == 0 && s.interval_count > 0) return date;
  auto description = [&] {
    return std::to_string(n) + (n == 1 ? " business day after " : " business days after ") + date.to_string();
  };
  // No calendar holds 2^40 business days (year 9999 is 3 million days away): refused here, before
  // the index below could overflow into a day before `date`.
  if (n > (std::int64_t{1} << 40)) fail_no_working_time(description(), true);
  // Index (0-based, within the year) of the business day wanted.
  std::int64_t target = s.business_before + (s.interval_count > 0 ? 1 : 0) + (n == 0 ? 0 : n - 1);
  const int limit = std::min(last_year, last_working_year);
  const std::int64_t per_year = std::min<std::int64_t>(366, 53 * working_weekdays);
  if (target > std::max(0, limit - date.year + 1) * per_year + exception_business_days)
    fail_no_working_time(description(), true);
  for (int year = date.year;; ++year) {
    if (year > limit) fail_no_working_time(description(), true);
    const chunk_ref c = chunk(year);
    const auto count = static_cast<std::int64_t>(c->business_days.size());
    if (target < count)
      return civil_date::from_days(c->first_day + c->business_days[static_cast<std::size_t>(target)]);
    target -= count;
  }
}

}  // namespace detail

const detail::calendar_impl& detail_impl(const business_calendar& c) noexcept { return *c.impl_; }

business_calendar business_calendar::build(calendar_definition definition) {
  if (auto problem = detail::check_hours(definition)) {
    std::string where;
    if (problem->weekday >= 0) where = std::string(detail::weekday_names[problem->weekday]) + ": ";
    if (problem->date) where = problem->date->to_string() + ": ";
    throw error("calendar \"" + definition.name + "\": " + where + problem->message);
  }
  if (definition.valid_from && definition.valid_until &&
      *definition.valid_until < *definition.valid_from)
    throw error("calendar \"" + definition.name + "\": valid range ends before it begins");
  const time_zone zone = time_zone::locate(definition.timezone);
  auto impl = std::make_shared<detail::calendar_impl>(std::move(definition), zone);
  if (impl->weekly_seconds == 0) {
    // Only exceptions give working time: at least one must survive DST resolution.
    bool any = false;
    for (const auto& [date, list] : impl->definition.exceptions) {
      if (list.empty()) continue;
      const auto c = impl->chunk(date.year);
      if (impl->slot(*c, date).interval_count > 0) any = true;
    }
    if (!any) {
      std::string gaps;
      for (const auto& [date, list] : impl->definition.exceptions)
        for (const local_interval& iv : list)
          gaps += (gaps.empty() ? "" : ", ") + date.to_string() + " " + iv.to_string();
      if (!gaps.empty())
        throw error("calendar \"" + impl->definition.name + "\" has no working time: its only "
                    "intervals (" + gaps + ") fall in a daylight-saving gap of " +
                    impl->zone.name());
      throw error("calendar \"" + impl->definition.name +
                  "\" has no working time: give [calendar.hours] at least one interval");
    }
  }
  return business_calendar(std::move(impl));
}

const std::string& business_calendar::name() const noexcept { return impl_->definition.name; }
const time_zone& business_calendar::zone() const noexcept { return impl_->zone; }
const calendar_definition& business_calendar::definition() const noexcept {
  return impl_->definition;
}

bool business_calendar::is_open(instant t) const {
  const std::int64_t s = t.unix_seconds();
  const detail::chunk_ref c = impl_->chunk_holding(s);
  if (s < c->carry_in_end) return true;
  const std::size_t i = impl_->first_ending_after(*c, s);
  return i != c->intervals.size() && c->intervals[i].start <= s;
}

instant business_calendar::next_open(instant t) const {
  const std::int64_t s = t.unix_seconds();
  int year = 0;
  {
    const detail::chunk_ref c = impl_->chunk_holding(s);
    year = c->year;
    if (s < c->carry_in_end) return t;
    const std::size_t i = impl_->first_ending_after(*c, s);
    if (i != c->intervals.size()) return instant::from_unix(std::max(s, c->intervals[i].start));
  }
  const int limit = std::min(impl_->last_year, impl_->last_working_year);
  for (++year; year <= limit; ++year) {
    const detail::chunk_ref c = impl_->chunk(year);
    if (!c->intervals.empty()) return instant::from_unix(c->intervals.front().start);
  }
  impl_->fail_no_working_time("the next opening after " + t.to_string(), true);
}

bool business_calendar::is_business_day(civil_date date) const {
  impl_->require_year(date.year, [date] { return "date " + date.to_string(); });
  const detail::chunk_ref c = impl_->chunk(date.year);
  return impl_->slot(*c, date).interval_count > 0;
}

std::optional<instant> business_calendar::close_of_business(civil_date date) const {
  impl_->require_year(date.year, [date] { return "date " + date.to_string(); });
  const detail::chunk_ref c = impl_->chunk(date.year);
  const detail::day_slot& s = impl_->slot(*c, date);
  if (s.interval_count == 0) return std::nullopt;
  const auto last = static_cast<std::size_t>(s.first_interval + s.interval_count - 1);
  return instant::from_unix(c->intervals[last].end);
}

instant business_calendar::start_of_day(civil_date date) const {
  impl_->require_year(date.year, [date] { return "date " + date.to_string(); });
  const detail::chunk_ref c = impl_->chunk(date.year);
  return instant::from_unix(impl_->slot(*c, date).start);
}

instant business_calendar::end_of_day(civil_date date) const {
  impl_->require_year(date.year, [date] { return "date " + date.to_string(); });
  const detail::chunk_ref c = impl_->chunk(date.year);
  const detail::day_slot& s = impl_->slot(*c, date);
  return instant::from_unix((&s + 1)->start - 1);
}

civil_date business_calendar::local_date(instant t) const {
  return impl_->local_date(t.unix_seconds());
}

civil_date business_calendar::business_day_after(civil_date date, std::int64_t n) const {
  if (n < 0) throw error("a count of business days cannot be negative");
  return impl_->nth_business_day_after(date, n);
}

std::int64_t business_calendar::business_days_wholly_within(instant from, instant to) const {
  if (to <= from) return 0;
  std::int64_t count = 0;
  const civil_date first = local_date(from);
  const civil_date last = local_date(to);
  for (int year = first.year; year <= last.year; ++year) {
    const detail::chunk_ref c = impl_->chunk(year);
    const std::int64_t begin = year == first.year ? first.days_since_epoch() - c->first_day : 0;
    const std::int64_t end = year == last.year ? last.days_since_epoch() - c->first_day + 1
                                               : static_cast<std::int64_t>(c->days.size()) - 1;
    for (std::int64_t i = begin; i < end; ++i) {
      const detail::day_slot& s = c->days[static_cast<std::size_t>(i)];
      if (s.interval_count == 0) continue;
      const auto first_iv = static_cast<std::size_t>(s.first_interval);
      const auto last_iv = first_iv + s.interval_count - 1;
      if (c->intervals[first_iv].start >= from.unix_seconds() &&
          c->intervals[last_iv].end <= to.unix_seconds())
        ++count;
    }
  }
  return count;
}

std::vector<std::pair<instant, instant>> business_calendar::working_intervals(instant from, instant to) const {
  std::vector<std::pair<instant, instant>> out;
  if (to <= from) return out;
  const int first = impl_->year_of(from.unix_seconds()) - 1;
  const int last = impl_->year_of(to.unix_seconds());
  for (int year = std::max(1, first); year <= std::min(9999, last); ++year) {
    const detail::chunk_ref c = impl_->chunk(year);
    for (const detail::resolved_interval& iv : c->intervals) {
      if (iv.end <= from.unix_seconds() || iv.start >= to.unix_seconds()) continue;
      out.emplace_back(instant::from_unix(std::max(iv.start, from.unix_seconds())),
                       instant::from_unix(std::min(iv.end, to.unix_seconds())));
    }
  }
  return out;
}

std::vector<named_holiday> business_calendar::holidays(civil_date from, civil_date to) const {
  if (!from.ok() || !to.ok() || from.year < 1 || to.year > 9999)
    throw error("holidays: dates must lie in the years 0001-9999");
  std::vector<named_holiday> out;
  if (to < from) return out;
  impl_->require_in_range(from, [] { return std::string("the first date"); });
  impl_->require_in_range(to, [] { return std::string("the last date"); });
  out = impl_->holidays_between(from.days_since_epoch(), to.days_since_epoch());
  const auto& exceptions = impl_->definition.exceptions;
  out.erase(std::remove_if(out.begin(), out.end(),
                           [&](const named_holiday& h) { return exceptions.count(h.date) > 0; }),
            out.end());
  return out;
}

std::optional<named_holiday> business_calendar::holiday_on(civil_date date) const {
  const calendar_definition& def = impl_->definition;
  if (!date.ok() || date.year < impl_->first_rule_year || date.year > impl_->last_rule_year ||
      (def.valid_from && date < *def.valid_from) || (def.valid_until && date > *def.valid_until))
    return std::nullopt;
  auto found = holidays(date, date);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<civil_date> business_calendar::listed_until() const {
  const calendar_definition& def = impl_->definition;
  if (def.valid_until) {
    if (*def.valid_until == civil_date{9999, 12, 31}) return std::nullopt;
    return def.valid_until;
  }
  if (!def.holiday_rules.empty() || def.holidays.empty()) return std::nullopt;
  return civil_date{def.holidays.back().year, 12, 31};
}

std::pair<int, int> business_calendar::rule_years() const noexcept {
  return {impl_->first_rule_year, impl_->last_rule_year};
}

// --- deadlines ----------------------------------------------------------------------------

namespace {

civil_date add_days(civil_date date, std::int64_t days) {
  // 3,652,059 days span the years 0001-9999.
  if (days > 3652059) throw error("a period of " + std::to_string(days) +
                                  " days would end after the year 9999");
  return civil_date::from_days(date.days_since_epoch() + days);
}

civil_date add_months(civil_date date, std::int64_t months) {
  if (months > 12 * 9999) throw error("a period of " + std::to_string(months) +
                                      " months would end after the year 9999");
  const std::int64_t index = static_cast<std::int64_t>(date.year) * 12 + (date.month - 1) + months;
  civil_date out{static_cast<int>(index / 12), static_cast<int>(index % 12) + 1, date.day};
  // EU Regulation 1182/71 art. 3(2)(c): no such day in the last month → its last day.
  while (!out.ok() && out.day > 28) --out.day;
  return out;
}

// Steps not recorded: deadline() itself.
struct no_trace {
  void received_closed(instant) {}
  void receipt_day(civil_date) {}
  void business_days(civil_date, std::int64_t, civil_date) {}
  void calendar_days(std::int64_t, civil_date) {}
  void months(std::int64_t, int, civil_date) {}
  void last_day(civil_date) {}
  void rolled_over(civil_date, civil_date) {}
  void due(instant, instant) {}
};

// The rule for day periods, written once: deadline() runs it with no_trace, trace_deadline()
// with a recorder. Returns the deadline and the period's last day (after rollover).
template <class Trace>
std::pair<instant, civil_date> count_day_period(const business_calendar& calendar, instant start,
                                                const duration_spec& duration,
                                                const deadline_options& options, Trace&& trace) {
  const detail::calendar_impl& impl = detail_impl(calendar);
  // Day periods: the day of receipt is never counted.
  if (duration.count < 0 || (duration.count == 0 && duration.what != duration_spec::unit::business_days))
    throw error("a day period needs a count of at least 1, got \"" + duration.to_string() + "\"");
  instant received = start;
  if (options.receipt == receipt_rule::next_business_day_if_closed && !calendar.is_open(start)) {
    received = calendar.next_open(start);
    trace.received_closed(received);
  }
  const civil_date receipt_day = impl.local_date(received.unix_seconds());
  impl.require_in_range(receipt_day, [] { return std::string("the day of receipt"); });
  trace.receipt_day(receipt_day);

  civil_date last{};
  switch (duration.what) {
    case duration_spec::unit::days:
      last = add_days(receipt_day, duration.count);
      trace.calendar_days(duration.count, last);
      break;
    case duration_spec::unit::weeks:
      if (duration.count > 3652059 / 7)
        throw error("a period of " + duration.to_string() + " would end after the year 9999");
      last = add_days(receipt_day, duration.count * 7);
      trace.calendar_days(duration.count * 7, last);
      break;
    case duration_spec::unit::months:
      last = add_months(receipt_day, duration.count);
      trace.months(duration.count, receipt_day.day, last);
      break;
    default:
      last = impl.nth_business_day_after(receipt_day, duration.count);
      trace.business_days(receipt_day, duration.count, last);
      break;
  }
  trace.last_day(last);
  impl.require_year(last.year, [&] { return "the last day of " + duration.to_string(); });
  if (options.rollover == rollover_rule::next_business_day && !calendar.is_business_day(last)) {
    const civil_date rolled = impl.nth_business_day_after(last, 0);
    trace.rolled_over(last, rolled);
    last = rolled;
  }
  impl.require_in_range(last, [] { return std::string("the last day of the period,"); });

  instant result = calendar.end_of_day(last);
  switch (options.end) {
    case day_end::end_of_day: break;
    case day_end::close_of_business:
      if (auto close = calendar.close_of_business(last)) result = *close;
      break;
    case day_end::same_time: {
      civil_time wall = calendar.zone().to_civil(received);
      wall.date = last;
      result = calendar.zone().resolve(wall);
      break;
    }
  }
  // An overnight shift's close of business falls on the next date, which may be past the range.
  impl.require_instant_in_range(result.unix_seconds(), [] { return std::string("the deadline's date"); });
  trace.due(start, result);
  return {result, last};
}


}  // namespace

instant deadline(const business_calendar& calendar, instant start, const duration_spec& duration,
                 const deadline_options& options) {
  const detail::calendar_impl& impl = detail_impl(calendar);
  impl.require_instant_in_range(start.unix_seconds(), [] { return std::string("the start date"); });

  if (duration.is_elapsed()) {
    const std::int64_t seconds = duration.seconds();
    const std::int64_t s = start.unix_seconds();
    if ((seconds > 0 && s > std::numeric_limits<std::int64_t>::max() - seconds) ||
        (seconds < 0 && s < std::numeric_limits<std::int64_t>::min() - seconds) ||
        seconds > 9999LL * 366 * 86400 || seconds < -9999LL * 366 * 86400)  // not llabs: INT64_MIN
      throw error("adding " + duration.to_string() + " to " + start.to_string() +
                  " falls outside the years 0001-9999 that redress supports");
    const instant result = start + std::chrono::seconds{seconds};
    impl.require_instant_in_range(result.unix_seconds(), [] { return std::string("the deadline's date"); });
    return result;
  }
  if (duration.is_working_time()) {
    const instant result = instant::from_unix(impl.add_working(
        start.unix_seconds(), duration.seconds(),
        [&] { return duration.to_string() + " from " + start.to_string(); }));
    impl.require_instant_in_range(result.unix_seconds(), [] { return std::string("the deadline's date"); });
    return result;
  }

  return count_day_period(calendar, start, duration, options, no_trace{}).first;
}

std::string why_not_business_day(const business_calendar& cal, civil_date d) {
  static const char* const weekday_long[7] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                              "Friday", "Saturday", "Sunday"};
  const calendar_definition& def = cal.definition();
  auto exception = def.exceptions.find(d);
  if (exception != def.exceptions.end())
    return exception->second.empty() ? "closed by an exception" : "its exception hours fall in a DST gap";
  if (auto holiday = cal.holiday_on(d)) return holiday->name;  // "Easter Monday", "holiday"
  const auto weekday = static_cast<int>(d.day_of_week());
  if (def.week[static_cast<std::size_t>(weekday)].empty())
    return std::string("no working hours on ") + weekday_long[weekday];
  return "its hours fall in a DST gap";
}

namespace {

// Records the steps count_day_period takes.
struct recording {
  const business_calendar* cal;
  std::vector<deadline_step>* steps;
  deadline_step& add(deadline_step::kind k, civil_date d) {
    steps->emplace_back();
    steps->back().what = k;
    steps->back().date = d;
    return steps->back();
  }
  void received_closed(instant at) { add(deadline_step::kind::received_closed, cal->local_date(at)).at = at; }
  void receipt_day(civil_date d) { add(deadline_step::kind::receipt_day, d); }
  void skipped(civil_date d) { add(deadline_step::kind::skipped, d).why = why_not_business_day(*cal, d); }
  // The days after `from` up to `last`, counted or skipped (the rule chose `last`).
  // For n == 0 the day of receipt itself, if closed, and the closed days after it are skipped.
  void business_days(civil_date from, std::int64_t n, civil_date last) {
    if (n == 0) {
      for (std::int64_t day = from.days_since_epoch(); day < last.days_since_epoch(); ++day)
        skipped(civil_date::from_days(day));
      return;
    }
    std::int64_t counted = 0;
    for (std::int64_t day = from.days_since_epoch() + 1; day <= last.days_since_epoch(); ++day) {
      const civil_date d = civil_date::from_days(day);
      if (cal->is_business_day(d)) add(deadline_step::kind::counted, d).count = ++counted;
      else skipped(d);
    }
  }
  void calendar_days(std::int64_t n, civil_date last) { add(deadline_step::kind::calendar_days, last).count = n; }
  void months(std::int64_t n, int wanted, civil_date last) {
    deadline_step& s = add(deadline_step::kind::months, last);
    s.count = n;
    s.count2 = wanted;
  }
  void last_day(civil_date d) { add(deadline_step::kind::last_day, d); }
  void rolled_over(civil_date from, civil_date to) {
    for (std::int64_t day = from.days_since_epoch(); day < to.days_since_epoch(); ++day)
      skipped(civil_date::from_days(day));
    add(deadline_step::kind::rolled_over, to);
  }
  void due(instant start, instant result) {
    const civil_date last = cal->local_date(result);
    for (civil_date d = cal->local_date(start); d <= last; d = civil_date::from_days(d.days_since_epoch() + 1)) {
      const std::int64_t length = (cal->end_of_day(d) - cal->start_of_day(d)).count() + 1;
      if (length != 86400) add(deadline_step::kind::dst, d).count = length;
    }
    add(deadline_step::kind::due, last).at = result;
  }
};

}  // namespace

deadline_trace trace_deadline(const business_calendar& calendar, instant start,
                              const duration_spec& duration, const deadline_options& options) {
  deadline_trace out;
  if (!duration.is_day_period()) {
    out.due = deadline(calendar, start, duration, options);
    return out;
  }
  const detail::calendar_impl& impl = detail_impl(calendar);
  impl.require_instant_in_range(start.unix_seconds(), [] { return std::string("the start date"); });
  const auto [due, last] = count_day_period(calendar, start, duration, options, recording{&calendar, &out.steps});
  out.due = due;
  out.last_day = last;
  return out;
}

std::pair<instant, civil_date> day_period_deadline(const business_calendar& calendar, instant start,
                                                   const duration_spec& duration,
                                                   const deadline_options& options) {
  if (!duration.is_day_period()) throw error("day_period_deadline needs a day period, got \"" + duration.to_string() + "\"");
  const detail::calendar_impl& impl = detail_impl(calendar);
  impl.require_instant_in_range(start.unix_seconds(), [] { return std::string("the start date"); });
  return count_day_period(calendar, start, duration, options, no_trace{});
}

std::chrono::seconds elapsed_working_time(const business_calendar& calendar, instant from,
                                          instant to) {
  const detail::calendar_impl& impl = detail_impl(calendar);
  impl.require_instant_in_range(from.unix_seconds(), [] { return std::string("the date"); });
  impl.require_instant_in_range(to.unix_seconds(), [] { return std::string("the date"); });
  return std::chrono::seconds{impl.working_between(from.unix_seconds(), to.unix_seconds())};
}

}  // namespace redress
