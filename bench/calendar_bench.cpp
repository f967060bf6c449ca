// Deadline arithmetic on the England & Wales calendar, beside two baselines from the same run:
// one bare tz round trip (date::to_local + to_sys, the floor for anything zone-aware), and the
// naive oracle from tests/support that steps through time (what most helpdesk SLA engines do).
#include <benchmark/benchmark.h>

#include <date/tz.h>

#include "redress/calendar.hpp"
#include "support/naive_calendar.hpp"

namespace {

redress::business_calendar without_range(const std::string& path) {
  redress::calendar_definition def = redress::load_calendar(std::string(REDRESS_SOURCE_DIR) + path).definition();
  def.valid_from.reset();
  def.valid_until.reset();
  return redress::business_calendar::build(def);
}

// The shipped calendar (holidays by rule), without its `valid` range.
const redress::business_calendar& england_wales() {
  static const redress::business_calendar calendar = without_range("/rules/calendars/england-wales.toml");
  return calendar;
}

// The same calendar as it was shipped before holiday rules: the 2025-2027 dates listed (a test
// fixture), without its range so that "10 years" stays computable (later years have weekends
// only). The baseline for "rules must not slow deadlines down", and the naive stepper's input
// (it reads listed dates only).
const redress::business_calendar& england_wales_listed() {
  static const redress::business_calendar calendar =
      without_range("/tests/data/calendars/england-wales-2025-2027.toml");
  return calendar;
}

// 64 start instants spread over 2026, some inside and some outside working time.
const std::vector<redress::instant>& starts() {
  static const std::vector<redress::instant> values = [] {
    std::vector<redress::instant> out;
    const std::int64_t base = redress::instant::parse("2026-01-05T08:17:00Z").unix_seconds();
    for (int i = 0; i < 64; ++i) out.push_back(redress::instant::from_unix(base + i * 5 * 86400 + (i % 7) * 3631));
    return out;
  }();
  return values;
}

void run_on(benchmark::State& state, const redress::business_calendar& cal, const char* duration) {
  const redress::duration_spec spec = redress::duration_spec::parse(duration);
  for (const auto& s : starts()) (void)redress::deadline(cal, s, spec);  // warm the year cache
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(redress::deadline(cal, starts()[i++ & 63], spec));
  }
}

void run(benchmark::State& state, const char* duration) { run_on(state, england_wales(), duration); }

void BM_deadline_40_business_hours(benchmark::State& s) { run(s, "40 business hours"); }
void BM_deadline_40_business_hours_listed(benchmark::State& s) {
  run_on(s, england_wales_listed(), "40 business hours");
}
void BM_deadline_15_business_days(benchmark::State& s) { run(s, "15 business days"); }
void BM_deadline_1_month(benchmark::State& s) { run(s, "1 month"); }
void BM_deadline_1_business_day(benchmark::State& s) { run(s, "1 business day"); }
void BM_deadline_10_years_of_business_hours(benchmark::State& s) { run(s, "20800 business hours"); }

void BM_elapsed_one_month_apart(benchmark::State& state) {
  const auto& cal = england_wales();
  std::size_t i = 0;
  for (auto _ : state) {
    const redress::instant a = starts()[i++ & 63];
    benchmark::DoNotOptimize(redress::elapsed_working_time(cal, a, a + std::chrono::hours{24 * 30}));
  }
}

// The naive stepping implementation (tests/support/naive_calendar.hpp): what an SLA engine that
// walks through time costs. Warm: its per-date resolution cache is filled first, as ours is.
void naive(benchmark::State& state, const char* duration) {
  static const redress::oracle::naive_calendar calendar(england_wales_listed().definition());
  const redress::duration_spec spec = redress::duration_spec::parse(duration);
  for (const auto& s : starts()) (void)calendar.deadline(s, spec);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(calendar.deadline(starts()[i++ & 63], spec));
}
void BM_baseline_naive_stepping_40_business_hours(benchmark::State& s) { naive(s, "40 business hours"); }
void BM_baseline_naive_stepping_15_business_days(benchmark::State& s) { naive(s, "15 business days"); }

void BM_baseline_bare_tz_round_trip(benchmark::State& state) {
  const date::time_zone* zone = date::locate_zone("Europe/London");
  std::size_t i = 0;
  for (auto _ : state) {
    const date::sys_seconds t{std::chrono::seconds{starts()[i++ & 63].unix_seconds()}};
    const auto local = zone->to_local(t);
    benchmark::DoNotOptimize(zone->to_sys(local, date::choose::earliest));
  }
}

}  // namespace

BENCHMARK(BM_baseline_bare_tz_round_trip);
BENCHMARK(BM_baseline_naive_stepping_40_business_hours)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_baseline_naive_stepping_15_business_days)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_deadline_40_business_hours);
BENCHMARK(BM_deadline_40_business_hours_listed);
BENCHMARK(BM_deadline_15_business_days);
BENCHMARK(BM_deadline_1_month);
BENCHMARK(BM_deadline_1_business_day);
BENCHMARK(BM_deadline_10_years_of_business_hours);
BENCHMARK(BM_elapsed_one_month_apart);
