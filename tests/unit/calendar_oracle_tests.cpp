// The fast calendar against the naive oracle (tests/support/naive_calendar.hpp), on random
// calendars, plus properties the contract implies whatever the calendar.
//
// Everything is deterministic: each scenario (a calendar and its requests) comes from its own
// seed, printed with the calendar as a calendar file and the failing request, so a failure can
// be turned into a hand-worked test. REDRESS_ORACLE_SCALE=N runs N times as many scenarios.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <sstream>

#include "redress/calendar.hpp"
#include "support/naive_calendar.hpp"
#include "support/random_calendars.hpp"

using namespace redress;
using namespace redress::random_calendars;
using oracle::naive_calendar;
using unit = duration_spec::unit;

namespace {

/// What a computation gave: an instant, or the message of its failure.
struct outcome {
  std::optional<std::int64_t> value;  // seconds (an instant's unix seconds, or a duration)
  std::string failure;
  bool oracle_broken = false;  // the oracle hit one of its own assertions
  bool wrong_error = false;    // the fast calendar threw something other than redress::error
};

std::string describe_outcome(const outcome& o, const time_zone& zone, bool is_instant = true) {
  if (o.value)
    return is_instant ? describe(instant::from_unix(*o.value), zone)
                      : std::to_string(*o.value) + " s (" +
                            format_iso8601_duration(std::chrono::seconds{*o.value}) + ")";
  return "fails: " + o.failure;
}

template <class F>
outcome fast_outcome(F&& compute) {
  try {
    return {compute(), {}};
  } catch (const redress::error& e) {
    return {std::nullopt, e.what()};
  } catch (const std::exception& e) {
    return {std::nullopt, std::string("not a redress::error: ") + e.what(), false, true};
  }
}

template <class F>
outcome oracle_outcome(F&& compute) {
  try {
    return {compute(), {}};
  } catch (const oracle::gave_up& e) {
    return {std::nullopt, e.what()};
  } catch (const oracle::refused& e) {
    return {std::nullopt, e.what()};
  } catch (const std::logic_error& e) {
    return {std::nullopt, e.what(), true};
  }
}

bool agree(const outcome& expected, const outcome& actual) {
  if (expected.oracle_broken || actual.wrong_error) return false;
  if (expected.value.has_value() != actual.value.has_value()) return false;
  return !expected.value || *expected.value == *actual.value;
}

/// Counts cases and mismatches; reports the first few in full (more would only repeat).
class tally {
 public:
  void pass() { ++cases_; }
  void fail(const std::string& report) {
    ++cases_;
    if (++mismatches_ <= 5) FAIL_CHECK(report);
  }
  void check(bool ok, const std::function<std::string()>& report) {
    if (ok)
      pass();
    else
      fail(report());
  }
  void finish() {
    INFO(cases_ << " cases, " << mismatches_ << " mismatches");
    CHECK(mismatches_ == 0);
    CHECK(cases_ > 0);
  }

 private:
  int cases_ = 0;
  int mismatches_ = 0;
};

/// Builds the fast calendar; a refusal of a calendar the contract allows is itself a failure.
std::optional<business_calendar> build_fast(const scenario& s, tally& results) {
  try {
    return business_calendar::build(s.definition);
  } catch (const std::exception& e) {
    results.fail("business_calendar::build refused a calendar the contract allows: " +
                 std::string(e.what()) + "\n" + describe(s));
    return std::nullopt;
  }
}

std::uint64_t scenario_seed(std::uint64_t test_seed, int index) {
  return test_seed * 1000003u + static_cast<std::uint64_t>(index);
}

std::string request_report(const scenario& s, instant start, const duration_spec& d,
                           const deadline_options& o, const outcome& expected,
                           const outcome& actual, const time_zone& zone) {
  std::ostringstream out;
  out << "deadline disagrees with the oracle\n"
      << describe(s) << "start:    " << describe(start, zone) << "\nduration: " << describe(d)
      << "\noptions:  " << describe(o) << "\noracle:   " << describe_outcome(expected, zone)
      << "\nfast:     " << describe_outcome(actual, zone);
  return out.str();
}

/// `scenarios` random calendars of one shape, `requests` random deadlines on each.
void deadlines_agree(shape kind, std::uint64_t test_seed, int scenarios, int requests) {
  tally results;
  for (int n = 0; n < scenarios * scale(); ++n) {
    const scenario s = random_scenario(scenario_seed(test_seed, n), kind);
    const auto fast = build_fast(s, results);
    if (!fast) continue;
    const naive_calendar naive{s.definition};
    random_source r(s.seed ^ 0x9e3779b97f4a7c15u);
    const std::int64_t week = nominal_week_seconds(s.definition);
    for (int k = 0; k < requests; ++k) {
      const duration_spec d = random_duration(r, week);
      // Half the requests are aimed so that they reach the DST transition.
      const instant start = r.chance(0.5) ? aimed_start(r, naive, s, d) : random_start(r, naive, s);
      const deadline_options o = random_options(r);
      const outcome expected =
          oracle_outcome([&] { return naive.deadline(start, d, o).unix_seconds(); });
      const outcome actual =
          fast_outcome([&] { return redress::deadline(*fast, start, d, o).unix_seconds(); });
      results.check(agree(expected, actual),
                    [&] { return request_report(s, start, d, o, expected, actual, naive.zone()); });
    }
  }
  results.finish();
}

}  // namespace

// ------------------------------------------------------------------ agreement with the oracle

TEST_CASE("the fast deadline agrees with the naive oracle on random split-shift calendars") {
  deadlines_agree(shape::split_shift, 1, 60, 40);
}

TEST_CASE("the fast deadline agrees with the naive oracle on random overnight-shift calendars") {
  deadlines_agree(shape::overnight, 2, 60, 40);
}

TEST_CASE("the fast deadline agrees with the naive oracle where intervals meet DST and midnight") {
  deadlines_agree(shape::dst_edges, 3, 120, 40);
}

TEST_CASE("the fast deadline agrees with the naive oracle on calendars made only of exceptions") {
  deadlines_agree(shape::exceptions_only, 4, 15, 30);
}

TEST_CASE("the fast deadline agrees with the naive oracle over spans of years") {
  // Fast calendars keep running totals per year; the oracle steps through every minute of
  // every year (with its walk limit raised to cover it). Yearly holidays and a shortened
  // Christmas Eve keep the years from being all alike.
  tally results;
  const shape kinds[] = {shape::split_shift, shape::overnight, shape::dst_edges};
  for (int n = 0; n < 12 * scale(); ++n) {
    scenario s = random_scenario(scenario_seed(14, n), kinds[n % 3]);
    for (int year = s.anchor.year - 3; year <= s.anchor.year + 3; ++year) {
      s.definition.holidays.push_back(civil_date{year, 12, 25});
      s.definition.holidays.push_back(civil_date{year, 1, 1});
      const civil_date eve{year, 12, 24};
      auto with_eve = s.definition;
      with_eve.exceptions[eve] = {{540, 780}};
      if (dates_are_valid(with_eve, oracle::previous_date(eve), oracle::next_date(eve)))
        s.definition = with_eve;
    }
    const auto fast = build_fast(s, results);
    if (!fast) continue;
    const naive_calendar naive{s.definition, 1300};
    random_source r(s.seed ^ 0x10e9);
    const std::int64_t week = nominal_week_seconds(s.definition);
    for (int k = 0; k < 3; ++k) {
      const instant start = random_start(r, naive, s);
      duration_spec d;
      switch (k) {
        case 0: {
          const std::int64_t seconds = week * r.wide(10, 100) * (r.chance(0.5) ? -1 : 1);
          d = r.chance(0.5) ? duration_spec{seconds / 60, unit::business_minutes}
                            : duration_spec{seconds / 3600, unit::business_hours};
          break;
        }
        case 1:
          d = r.chance(0.5) ? duration_spec{r.wide(100, 500), unit::business_days}
                            : duration_spec{r.wide(12, 30), unit::months};
          break;
        default:
          d = r.chance(0.5) ? duration_spec{r.wide(50, 120), unit::weeks}
                            : duration_spec{r.wide(200, 800), unit::days};
          break;
      }
      const deadline_options o = random_options(r);
      const outcome expected =
          oracle_outcome([&] { return naive.deadline(start, d, o).unix_seconds(); });
      const outcome actual =
          fast_outcome([&] { return redress::deadline(*fast, start, d, o).unix_seconds(); });
      results.check(agree(expected, actual),
                    [&] { return request_report(s, start, d, o, expected, actual, naive.zone()); });
    }
    const instant from = random_start(r, naive, s);
    const instant to = from + std::chrono::hours{24 * r.wide(200, 900) * (r.chance(0.5) ? -1 : 1)};
    const outcome expected =
        oracle_outcome([&] { return naive.elapsed_working_time(from, to).count(); });
    const outcome actual =
        fast_outcome([&] { return redress::elapsed_working_time(*fast, from, to).count(); });
    results.check(agree(expected, actual), [&] {
      return "elapsed working time over years disagrees with the oracle\n" + describe(s) +
             "from:   " + describe(from, naive.zone()) + "\nto:     " + describe(to, naive.zone()) +
             "\noracle: " + describe_outcome(expected, naive.zone(), false) +
             "\nfast:   " + describe_outcome(actual, naive.zone(), false);
    });
  }
  results.finish();
}

TEST_CASE("elapsed working time agrees with the naive oracle on random calendars") {
  tally results;
  const shape kinds[] = {shape::split_shift, shape::overnight, shape::dst_edges,
                         shape::exceptions_only};
  for (int n = 0; n < 80 * scale(); ++n) {
    const scenario s = random_scenario(scenario_seed(5, n), kinds[n % 4]);
    const auto fast = build_fast(s, results);
    if (!fast) continue;
    const naive_calendar naive{s.definition};
    random_source r(s.seed ^ 0x5eed);
    for (int k = 0; k < 30; ++k) {
      const bool across = r.chance(0.5);  // on either side of the DST transition
      const instant from =
          across ? near_transition(r, naive, s, 72) : random_start(r, naive, s, 10);
      const instant to = across          ? near_transition(r, naive, s, 72)
                         : r.chance(0.3) ? random_start(r, naive, s, 2)
                                         : random_start(r, naive, s, 10);
      const outcome expected =
          oracle_outcome([&] { return naive.elapsed_working_time(from, to).count(); });
      const outcome actual =
          fast_outcome([&] { return redress::elapsed_working_time(*fast, from, to).count(); });
      results.check(agree(expected, actual), [&] {
        return "elapsed working time disagrees with the oracle\n" + describe(s) +
               "from:   " + describe(from, naive.zone()) +
               "\nto:     " + describe(to, naive.zone()) +
               "\noracle: " + describe_outcome(expected, naive.zone(), false) +
               "\nfast:   " + describe_outcome(actual, naive.zone(), false);
      });
    }
  }
  results.finish();
}

TEST_CASE("the fast calendar's day and instant queries agree with the naive oracle") {
  // is_open, next_open, local_date, is_business_day, close_of_business, start_of_day,
  // end_of_day, business_day_after, business_days_wholly_within.
  tally results;
  const shape kinds[] = {shape::split_shift, shape::overnight, shape::dst_edges,
                         shape::exceptions_only};
  for (int n = 0; n < 40 * scale(); ++n) {
    const scenario s = random_scenario(scenario_seed(6, n), kinds[n % 4]);
    const auto fast = build_fast(s, results);
    if (!fast) continue;
    const naive_calendar naive{s.definition};
    const time_zone& zone = naive.zone();
    random_source r(s.seed ^ 0xda7e);
    auto report = [&](const std::string& what, const std::string& expected,
                      const std::string& actual) {
      return what + " disagrees with the oracle\n" + describe(s) + "oracle: " + expected +
             "\nfast:   " + actual;
    };
    auto instant_text = [&](const outcome& o) { return describe_outcome(o, zone); };

    for (civil_date d = oracle::add_days(s.anchor, -4); d <= oracle::add_days(s.anchor, 6);
         d = oracle::next_date(d)) {
      const std::string day = d.to_string();
      results.check(naive.is_business_day(d) == fast->is_business_day(d), [&] {
        return report("is_business_day(" + day + ")", naive.is_business_day(d) ? "yes" : "no",
                      fast->is_business_day(d) ? "yes" : "no");
      });
      const auto close_expected = naive.close_of_business(d);
      const auto close_actual = fast->close_of_business(d);
      results.check(close_expected == close_actual, [&] {
        auto text = [&](const std::optional<instant>& t) {
          return t ? describe(*t, zone) : std::string("none");
        };
        return report("close_of_business(" + day + ")", text(close_expected), text(close_actual));
      });
      results.check(naive.start_of_day(d) == fast->start_of_day(d), [&] {
        return report("start_of_day(" + day + ")", describe(naive.start_of_day(d), zone),
                      describe(fast->start_of_day(d), zone));
      });
      results.check(naive.end_of_day(d) == fast->end_of_day(d), [&] {
        return report("end_of_day(" + day + ")", describe(naive.end_of_day(d), zone),
                      describe(fast->end_of_day(d), zone));
      });
      for (std::int64_t count : {0, 1, 2, 5}) {
        const outcome expected =
            oracle_outcome([&] { return naive.business_day_after(d, count).days_since_epoch(); });
        const outcome actual =
            fast_outcome([&] { return fast->business_day_after(d, count).days_since_epoch(); });
        results.check(agree(expected, actual), [&] {
          auto text = [](const outcome& o) {
            return o.value ? civil_date::from_days(*o.value).to_string() : "fails: " + o.failure;
          };
          return report("business_day_after(" + day + ", " + std::to_string(count) + ")",
                        text(expected), text(actual));
        });
      }
    }
    for (int k = 0; k < 30; ++k) {
      const instant t = random_start(r, naive, s);
      const std::string at = describe(t, zone);
      results.check(naive.is_open(t) == fast->is_open(t), [&] {
        return report("is_open(" + at + ")", naive.is_open(t) ? "open" : "closed",
                      fast->is_open(t) ? "open" : "closed");
      });
      results.check(naive.local_date(t) == fast->local_date(t), [&] {
        return report("local_date(" + at + ")", naive.local_date(t).to_string(),
                      fast->local_date(t).to_string());
      });
      const outcome expected = oracle_outcome([&] { return naive.next_opening(t).unix_seconds(); });
      const outcome actual = fast_outcome([&] { return fast->next_open(t).unix_seconds(); });
      results.check(agree(expected, actual), [&] {
        return report("next_open(" + at + ")", instant_text(expected), instant_text(actual));
      });
      const instant until = random_start(r, naive, s);
      results.check(naive.business_days_wholly_within(t, until) ==
                        fast->business_days_wholly_within(t, until),
                    [&] {
                      return report(
                          "business_days_wholly_within(" + at + ", " + describe(until, zone) + ")",
                          std::to_string(naive.business_days_wholly_within(t, until)),
                          std::to_string(fast->business_days_wholly_within(t, until)));
                    });
    }
  }
  results.finish();
}

// ------------------------------------------------------------------ properties

namespace {

/// Runs `body(scenario, fast, oracle, random)` on `scenarios` random calendars of every shape,
/// anchored in 2015-2030 (the years beyond are the agreement tests' business; here they would
/// only make the sanitizer build slow).
template <class Body>
void for_random_calendars(std::uint64_t test_seed, int scenarios, tally& results, Body&& body) {
  const shape kinds[] = {shape::split_shift, shape::overnight, shape::dst_edges,
                         shape::exceptions_only};
  for (int n = 0; n < scenarios * scale(); ++n) {
    const scenario s = random_scenario(scenario_seed(test_seed, n), kinds[n % 4], false);
    const auto fast = build_fast(s, results);
    if (!fast) continue;
    const naive_calendar naive{s.definition};
    random_source r(s.seed ^ 0x7072);
    body(s, *fast, naive, r);
  }
}

std::optional<instant> try_deadline(const business_calendar& calendar, instant start,
                                    const duration_spec& d, const deadline_options& o = {}) {
  try {
    return redress::deadline(calendar, start, d, o);
  } catch (const redress::error&) {
    return std::nullopt;
  }
}

std::optional<std::chrono::seconds> try_elapsed(const business_calendar& calendar, instant from,
                                                instant to) {
  try {
    return redress::elapsed_working_time(calendar, from, to);
  } catch (const redress::error&) {
    return std::nullopt;
  }
}

}  // namespace

TEST_CASE("a later start never gives an earlier deadline") {
  // Holds for working time (either sign) and for day periods ending at the end of the day or
  // at close of business. Not for same-time: the contract makes it non-monotone on purpose
  // (received Saturday 15:00 and Sunday 09:00, 1 business day, same-time: Monday 15:00 and
  // Monday 09:00; and in a fall-back overlap the clock runs backwards).
  tally results;
  for_random_calendars(
      7, 150, results,
      [&](const scenario& s, const business_calendar& fast, const naive_calendar& naive,
          random_source& r) {
        const std::int64_t week = nominal_week_seconds(s.definition);
        for (int k = 0; k < 6; ++k) {
          std::vector<instant> starts;
          const bool near = r.chance(0.5);
          for (int i = 0; i < 10; ++i)
            starts.push_back(near ? near_transition(r, naive, s, 30)
                                  : random_start(r, naive, s, 2));
          std::sort(starts.begin(), starts.end());
          duration_spec d = r.chance(0.5) ? random_working_time(r, week) : random_day_period(r);
          deadline_options o = random_options(r);
          if (o.end == day_end::same_time) o.end = day_end::end_of_day;
          std::optional<instant> previous;
          std::optional<instant> previous_start;
          for (instant start : starts) {
            const auto due = try_deadline(fast, start, d, o);
            if (!due) continue;  // ran out of working time: not this property's business
            results.check(!previous || *previous <= *due, [&] {
              return "deadline moved earlier for a later start\n" + describe(s) +
                     "duration: " + describe(d) + "\noptions:  " + describe(o) + "\nstart " +
                     describe(*previous_start, naive.zone()) + " -> " +
                     describe(*previous, naive.zone()) + "\nstart " +
                     describe(start, naive.zone()) + " -> " + describe(*due, naive.zone());
            });
            previous = due;
            previous_start = start;
          }
        }
      });
  results.finish();
}

TEST_CASE("a longer duration never gives an earlier deadline") {
  // For working time across zero too (negative counts end at or before the start), and for
  // each day-period unit with every end, rollover and receipt option (same-time included:
  // the clock time is fixed by the start).
  tally results;
  for_random_calendars(
      8, 150, results,
      [&](const scenario& s, const business_calendar& fast, const naive_calendar& naive,
          random_source& r) {
        const std::int64_t week = nominal_week_seconds(s.definition);
        for (int k = 0; k < 6; ++k) {
          const instant start = random_start(r, naive, s);
          const deadline_options o = random_options(r);
          std::vector<duration_spec> durations;
          if (k % 2 == 0) {
            const unit u = random_working_time(r, week).what;
            const std::int64_t size = u == unit::business_hours     ? 3600
                                      : u == unit::business_minutes ? 60
                                                                    : 1;
            for (int i = 0; i < 10; ++i)
              durations.push_back({oracle::seconds_of(random_working_time(r, week)) / size, u});
          } else {
            const duration_spec first = random_day_period(r);
            for (int i = 0; i < 10; ++i) {
              duration_spec d = first;
              d.count = first.what == unit::business_days ? r.wide(0, 25) : r.wide(1, 40);
              durations.push_back(d);
            }
          }
          std::sort(
              durations.begin(), durations.end(),
              [](const duration_spec& a, const duration_spec& b) { return a.count < b.count; });
          std::optional<instant> previous;
          std::optional<duration_spec> previous_duration;
          for (const duration_spec& d : durations) {
            const auto due = try_deadline(fast, start, d, o);
            if (!due) continue;
            results.check(!previous || *previous <= *due, [&] {
              return "deadline moved earlier for a longer duration\n" + describe(s) +
                     "start:   " + describe(start, naive.zone()) + "\noptions: " + describe(o) +
                     "\n" + describe(*previous_duration) + " -> " +
                     describe(*previous, naive.zone()) + "\n" + describe(d) + " -> " +
                     describe(*due, naive.zone());
            });
            previous = due;
            previous_duration = d;
          }
        }
      });
  results.finish();
}

TEST_CASE("working time counted to a deadline measures back to exactly that working time") {
  // The contract's deadline for N of working time is the first instant at which N has passed
  // (counting backwards: the last instant from which |N| remains), so for every start, inside
  // working time or not, and every N of either sign:
  //   elapsed(a, deadline(a, N)) == N,
  // and the deadline is the extreme such instant: one second earlier (later, for N < 0) the
  // working time is one second short. N == 0 returns the start itself.
  tally results;
  for_random_calendars(
      9, 150, results,
      [&](const scenario& s, const business_calendar& fast, const naive_calendar& naive,
          random_source& r) {
        const std::int64_t week = nominal_week_seconds(s.definition);
        for (int k = 0; k < 30; ++k) {
          const duration_spec d = random_working_time(r, week);
          const instant a = r.chance(0.5) ? aimed_start(r, naive, s, d) : random_start(r, naive, s);
          const std::int64_t n = oracle::seconds_of(d);
          const auto due = try_deadline(fast, a, d);
          if (!due) continue;
          const auto back = try_elapsed(fast, a, *due);
          std::optional<std::chrono::seconds> short_by_one;
          if (n > 0) short_by_one = try_elapsed(fast, a, *due - std::chrono::seconds{1});
          if (n < 0) short_by_one = try_elapsed(fast, a, *due + std::chrono::seconds{1});
          const bool ok =
              back && back->count() == n &&
              (n == 0 ? *due == a
                      : short_by_one && short_by_one->count() == (n > 0 ? n - 1 : n + 1));
          results.check(ok, [&] {
            auto text = [](const std::optional<std::chrono::seconds>& e) {
              return e ? std::to_string(e->count()) + " s" : std::string("fails");
            };
            return "working time does not measure back\n" + describe(s) +
                   "start:    " + describe(a, naive.zone()) + "\nduration: " + describe(d) + " (" +
                   std::to_string(n) + " s)\ndeadline: " + describe(*due, naive.zone()) +
                   "\nelapsed(start, deadline) = " + text(back) +
                   "\nelapsed(start, deadline -+ 1 s) = " + text(short_by_one);
          });
        }
      });
  results.finish();
}

TEST_CASE("working time between instants is antisymmetric and adds up") {
  tally results;
  for_random_calendars(
      10, 150, results,
      [&](const scenario& s, const business_calendar& fast, const naive_calendar& naive,
          random_source& r) {
        for (int k = 0; k < 30; ++k) {
          const bool near = r.chance(0.5);
          auto pick = [&] {
            return near ? near_transition(r, naive, s, 72) : random_start(r, naive, s, 8);
          };
          const instant a = pick();
          const instant b = pick();
          const instant c = pick();
          const auto ab = try_elapsed(fast, a, b);
          const auto ba = try_elapsed(fast, b, a);
          const auto bc = try_elapsed(fast, b, c);
          const auto ac = try_elapsed(fast, a, c);
          const auto aa = try_elapsed(fast, a, a);
          if (!ab || !ba || !bc || !ac || !aa) {
            results.check(!ab && !ba, [&] {
              return "elapsed(a, b) and elapsed(b, a) disagree about failing\n" + describe(s) +
                     "a: " + describe(a, naive.zone()) + "\nb: " + describe(b, naive.zone());
            });
            continue;
          }
          results.check(*ab == -*ba && *ab + *bc == *ac && aa->count() == 0, [&] {
            return "elapsed working time is not antisymmetric or additive\n" + describe(s) +
                   "a: " + describe(a, naive.zone()) + "\nb: " + describe(b, naive.zone()) +
                   "\nc: " + describe(c, naive.zone()) + "\nab " + std::to_string(ab->count()) +
                   " ba " + std::to_string(ba->count()) + " bc " + std::to_string(bc->count()) +
                   " ac " + std::to_string(ac->count()) + " aa " + std::to_string(aa->count());
          });
        }
      });
  results.finish();
}

TEST_CASE("counting working time in two steps of one sign lands where counting it at once does") {
  tally results;
  for_random_calendars(
      11, 150, results,
      [&](const scenario& s, const business_calendar& fast, const naive_calendar& naive,
          random_source& r) {
        const std::int64_t week = nominal_week_seconds(s.definition);
        for (int k = 0; k < 20; ++k) {
          const instant a =
              r.chance(0.5) ? near_transition(r, naive, s, 48) : random_start(r, naive, s);
          std::int64_t first = oracle::seconds_of(random_working_time(r, week)) / 2;
          std::int64_t second = oracle::seconds_of(random_working_time(r, week)) / 2;
          if ((first < 0) != (second < 0)) second = -second;
          const duration_spec d1{first, unit::business_seconds};
          const duration_spec d2{second, unit::business_seconds};
          const duration_spec both{first + second, unit::business_seconds};
          const auto middle = try_deadline(fast, a, d1);
          const auto at_once = try_deadline(fast, a, both);
          if (!middle || !at_once) continue;
          const auto in_two = try_deadline(fast, *middle, d2);
          results.check(in_two && *in_two == *at_once, [&] {
            return "two steps of working time disagree with one\n" + describe(s) +
                   "start: " + describe(a, naive.zone()) + "\n" + describe(d1) + " then " +
                   describe(d2) + " -> " +
                   (in_two ? describe(*in_two, naive.zone()) : std::string("fails")) + "\n" +
                   describe(both) + " -> " + describe(*at_once, naive.zone());
          });
        }
      });
  results.finish();
}

TEST_CASE("a computation inside the valid range agrees with the oracle; one that leaves it fails") {
  // valid = [anchor - 10 days, anchor + 20 days]. The contract: "a computation whose start,
  // result, or counted span leaves that range fails". The span lies between the start and the
  // result, so: a start and a result (by the range-blind oracle) both dated inside the range
  // must agree with the oracle; a start or a result dated outside it must fail. The same for
  // working time between two instants.
  tally results;
  const shape kinds[] = {shape::split_shift, shape::overnight, shape::dst_edges};
  for (int n = 0; n < 60 * scale(); ++n) {
    scenario s = random_scenario(scenario_seed(12, n), kinds[n % 3]);
    const civil_date from = oracle::add_days(s.anchor, -10);
    const civil_date until = oracle::add_days(s.anchor, 20);
    s.definition.valid_from = from;
    s.definition.valid_until = until;
    const auto fast = build_fast(s, results);
    if (!fast) continue;
    const naive_calendar naive{s.definition};
    random_source r(s.seed ^ 0x7a1d);
    const std::int64_t week = nominal_week_seconds(s.definition);
    auto inside = [&](instant t) {
      const civil_date d = naive.local_date(t);
      return from <= d && d <= until;
    };
    // Starts around both ends of the range as well as in it.
    auto pick_start = [&] {
      const double p = r.real();
      const civil_date around = p < 0.3 ? from : p < 0.6 ? until : s.anchor;
      return random_start(r, naive, s, 3, around);
    };
    for (int k = 0; k < 30; ++k) {
      const instant start = pick_start();
      const duration_spec d = random_duration(r, week);
      const deadline_options o = random_options(r);
      const outcome expected =
          oracle_outcome([&] { return naive.deadline(start, d, o).unix_seconds(); });
      const outcome actual =
          fast_outcome([&] { return redress::deadline(*fast, start, d, o).unix_seconds(); });
      std::string rule;
      bool ok = true;
      if (!inside(start)) {
        rule = "a start dated outside the valid range must fail";
        ok = !actual.value && !actual.wrong_error;
      } else if (!expected.value) {
        rule = "where the oracle runs out of working time the fast calendar must fail";
        ok = !actual.value && !actual.wrong_error && !expected.oracle_broken;
      } else if (!inside(instant::from_unix(*expected.value))) {
        rule = "a result dated outside the valid range must fail";
        ok = !actual.value && !actual.wrong_error;
      } else {
        rule = "a computation inside the valid range must agree with the oracle";
        ok = agree(expected, actual);
      }
      results.check(ok, [&] {
        return rule + "\n" + request_report(s, start, d, o, expected, actual, naive.zone());
      });

      const instant other = pick_start();
      const outcome expected_elapsed =
          oracle_outcome([&] { return naive.elapsed_working_time(start, other).count(); });
      const outcome actual_elapsed =
          fast_outcome([&] { return redress::elapsed_working_time(*fast, start, other).count(); });
      const bool both_inside = inside(start) && inside(other);
      results.check(
          both_inside ? agree(expected_elapsed, actual_elapsed)
                      : !actual_elapsed.value && !actual_elapsed.wrong_error,
          [&] {
            return std::string(both_inside ? "working time inside the valid range must agree"
                                           : "working time reaching outside the range must fail") +
                   "\n" + describe(s) + "from:   " + describe(start, naive.zone()) +
                   "\nto:     " + describe(other, naive.zone()) +
                   "\noracle: " + describe_outcome(expected_elapsed, naive.zone(), false) +
                   "\nfast:   " + describe_outcome(actual_elapsed, naive.zone(), false);
          });
    }
  }
  results.finish();
}

namespace {

/// A random weekly pattern that may break the load-time rules: random intervals (some
/// overnight), in any order within a day.
std::array<std::vector<local_interval>, 7> random_unchecked_week(random_source& r) {
  std::array<std::vector<local_interval>, 7> week;
  for (auto& day : week) {
    const int count = r.chance(0.4) ? 0 : r.integer(1, 3);
    for (int i = 0; i < count; ++i) {
      if (r.chance(0.1)) {
        day.push_back({0, 1440});
        continue;
      }
      const int start = r.integer(0, 95) * 15;
      const int length = r.chance(0.7) ? r.integer(1, 40) * 15 : r.integer(1, 95) * 15;
      day.push_back({start, start + length});
    }
    if (r.chance(0.5))
      std::sort(day.begin(), day.end(), [](const local_interval& a, const local_interval& b) {
        return a.start_minute < b.start_minute;
      });
  }
  return week;
}

bool builds(const calendar_definition& def, std::string& message) {
  try {
    (void)business_calendar::build(def);
    return true;
  } catch (const redress::error& e) {
    message = e.what();
    return false;
  }
}

}  // namespace

TEST_CASE("the fast calendar accepts exactly the weekly patterns the load-time rules allow") {
  // Overlapping intervals, an overnight tail running into the next day's first interval
  // (Sunday's into Monday's too) and a week with no working time are errors; touching
  // intervals, in any order, are fine.
  tally results;
  random_source r(13);
  for (int n = 0; n < 1000 * scale(); ++n) {
    calendar_definition def;
    def.name = "week-" + std::to_string(n);
    def.timezone = r.pick(zone_names());
    def.week = random_unchecked_week(r);
    const bool any =
        std::any_of(def.week.begin(), def.week.end(), [](const auto& d) { return !d.empty(); });
    const bool valid = any && week_is_valid(def.week);
    std::string message;
    const bool accepted = builds(def, message);
    results.check(valid == accepted, [&] {
      return std::string(valid ? "a valid weekly pattern was refused: " + message
                               : "an invalid weekly pattern was accepted") +
             "\n" + oracle::to_toml(def);
    });
  }
  results.finish();
}

TEST_CASE("an exception that overlaps a neighbouring night shift is refused") {
  using redress::local_interval;
  auto base = [] {
    calendar_definition def;
    def.name = "nights";
    def.timezone = "Europe/London";
    for (std::size_t day = 0; day < 5; ++day) def.week[day] = {{540, 1020}};
    def.week[4].push_back({1320, 1440 + 360});  // fri 22:00-06:00
    return def;
  };
  std::string message;
  // Saturday 2026-06-13 05:00-10:00 runs into Friday's shift (until 06:00).
  auto saturday = base();
  saturday.exceptions[civil_date{2026, 6, 13}] = {{300, 600}};
  CHECK_FALSE(builds(saturday, message));
  // Touching is fine: Saturday 06:00-10:00.
  auto touching = base();
  touching.exceptions[civil_date{2026, 6, 13}] = {{360, 600}};
  CHECK(builds(touching, message));
  // An exception's own night shift into Monday's 09:00: Sunday 2026-06-14 20:00-10:00.
  auto sunday = base();
  sunday.exceptions[civil_date{2026, 6, 14}] = {{1200, 1440 + 600}};
  CHECK_FALSE(builds(sunday, message));
  // A Thursday exception 20:00-10:00 runs into Friday's 09:00.
  auto thursday = base();
  thursday.exceptions[civil_date{2026, 6, 11}] = {{1200, 1440 + 600}};
  CHECK_FALSE(builds(thursday, message));
}
