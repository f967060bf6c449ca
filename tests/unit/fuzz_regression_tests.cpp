// What the fuzzers in tests/fuzz found, one TEST_CASE each, with the exact input that found it
// and the behaviour the contract asks for instead. Run them under the asan preset too: some of
// these were undefined behaviour that a plain build does not notice.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

#include "redress/calendar.hpp"
#include "redress/engine.hpp"
#include "redress/error.hpp"
#include "redress/time.hpp"
#include "support/shipped.hpp"
#include "tools/scenario.hpp"

using namespace redress;

namespace {

constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

business_calendar london_office() {
  return parse_calendar(R"([calendar]
name = "office"
timezone = "Europe/London"
[calendar.hours]
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00"]
)",
                        "office.toml");
}

// 2026-06-01 plus 10,737,418 Gregorian cycles of 400 years: the same date 4,294,967,200 years
// later, whose year is 1930 modulo 2^32.
const std::int64_t far_days = civil_date{2026, 6, 1}.days_since_epoch() + 146097LL * 10737418;

}  // namespace

TEST_CASE("fuzz: an instant at either end of int64 prints without overflowing") {
  // fuzz_timestamp, eight-byte input 0a ef ff ff ff ff ff 7f (instant 9223372036854771466 s):
  // format_rfc3339 added Lord Howe's +11:00 to it and overflowed (undefined behaviour). Such
  // instants are far outside 0001-9999: they print with a saturated year, never a wrapped one
  // that looks real.
  const instant last = instant::from_unix(9223372036854771466);
  const std::string printed = format_rfc3339(last, time_zone::locate("Australia/Lord_Howe"));
  CHECK_THAT(printed, Catch::StartsWith("2147483647-12-31T") && Catch::EndsWith("+11:00"));
  CHECK_THAT(format_rfc3339(instant::from_unix(int64_max), 3600),
             Catch::StartsWith("2147483647-12-31T") && Catch::EndsWith("+01:00"));
  // Found while reducing the same input: splitting INT64_MIN into days and seconds computed
  // days * 86400 below INT64_MIN.
  CHECK(instant::from_unix(int64_min).to_string() == "-2147483648-01-01T08:29:52Z");
  CHECK_THAT(format_rfc3339(instant::from_unix(int64_min), -3600),
             Catch::StartsWith("-2147483648-01-01T") && Catch::EndsWith("-01:00"));
  CHECK(time_zone::locate("Europe/London").to_civil(instant::from_unix(int64_max)).date.year ==
        std::numeric_limits<int>::max());
}

TEST_CASE("fuzz: a date beyond the years an int holds saturates instead of wrapping round") {
  // The wrapped year looked real: 4,294,969,226 became 1930.
  const civil_date far = civil_date::from_days(far_days);
  CHECK_FALSE(far.ok());
  CHECK(far.year == std::numeric_limits<int>::max());
  const civil_date long_ago = civil_date::from_days(-far_days);
  CHECK_FALSE(long_ago.ok());
  CHECK(long_ago.year == std::numeric_limits<int>::min());
  CHECK(civil_date::from_days(int64_max).year == std::numeric_limits<int>::max());
  CHECK(civil_date::from_days(int64_min).year == std::numeric_limits<int>::min());
}

TEST_CASE("fuzz: a calendar refuses an instant billions of years away instead of misreading it") {
  // Before the fix this instant read as 1930-06-01T12:00:00Z, and 1 business hour after it
  // came out as 1932-01-01T10:00:00Z.
  const business_calendar office = london_office();
  const instant far = instant::from_unix(far_days * 86400 + 12 * 3600);
  CHECK_THROWS_AS(office.local_date(far), error);
  CHECK_THROWS_AS(office.is_open(far), error);
  CHECK_THROWS_WITH(deadline(office, far, duration_spec::parse("1 business hour")),
                    Catch::Contains("falls outside the years 0001-9999"));
}

TEST_CASE("fuzz: far beyond 9999 a zone keeps the offset it has at the edge of the supported years") {
  // fuzz_timestamp, eight-byte input f6 00 30 00 35 77 14 16 (instant 1591027637888745718 s):
  // the zone's POSIX rule (date/ptz.h) computed the year in int days and overflowed. Beyond
  // 10001-01-01 the offset in force then is used: winter in London, summer on Lord Howe.
  const instant far = instant::from_unix(1591027637888745718);
  CHECK(time_zone::locate("Europe/London").offset_at(far) == 0);
  CHECK(time_zone::locate("Australia/Lord_Howe").offset_at(far) == 11 * 3600);
  // Long before 0001, London's local mean time (-00:01:15).
  CHECK(time_zone::locate("Europe/London").offset_at(instant::from_unix(-far.unix_seconds())) == -75);
}

TEST_CASE("fuzz: counting back INT64_MIN seconds fails at once instead of overflowing") {
  // fuzz_deadline: a duration_spec of INT64_MIN business seconds (the public struct holds any
  // count; the text parser stops at -INT64_MAX). add_working negated the count to compare it
  // with the most working time the calendar could supply (undefined behaviour); the elapsed-time
  // branch of deadline() did the same with llabs().
  const business_calendar office = london_office();
  const instant start = instant::parse("2026-03-27T16:00:00Z");
  const duration_spec working{int64_min, duration_spec::unit::business_seconds};
  CHECK_THROWS_WITH(deadline(office, start, working),
                    Catch::Contains("would fall outside the years 0001-9999"));
  const duration_spec elapsed{int64_min, duration_spec::unit::seconds};
  CHECK_THROWS_WITH(deadline(office, start, elapsed),
                    Catch::Contains("falls outside the years 0001-9999"));
}

// fuzz_engine: a plan_action whose `due` override was a day before the event opened a
// corrective-action clock due before it started (the crash input planned it at 2026-03-20 08:00Z
// with due 2026-03-19 08:00Z). Like a promise, a corrective action must fall due after it is
// planned: the event is refused and the complaint is left as it was.
TEST_CASE("fuzz: a corrective action due before it is planned is refused, and changes nothing") {
  engine e(redress::testing::iso10002());
  const auto opened = e.open({"F-1", instant::parse("2026-03-19T09:00:00Z"),
                               {{"kind", "product-quality"}, {"channel", "phone"}, {"customer_name", "Fuzz"}}});
  INFO((opened ? std::string() : opened.error().message));
  REQUIRE(opened);
  for (const auto what : {lifecycle_event::acknowledge, lifecycle_event::register_complaint,
                          lifecycle_event::start_investigation}) {
    complaint_event step;
    step.what = what;
    step.at = instant::parse("2026-03-19T10:00:00Z");
    REQUIRE(e.apply("F-1", step));
  }
  complaint_event plan;
  plan.what = lifecycle_event::plan_action;
  plan.at = instant::parse("2026-03-20T08:00:00Z");
  plan.action_due = instant::parse("2026-03-19T08:00:00Z");
  const instant probe = instant::parse("2026-06-01T00:00:00Z");
  const auto before = e.status("F-1", probe);
  const auto refused = e.apply("F-1", plan);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message ==
        "complaint F-1: the corrective action's due instant 2026-03-19T08:00:00Z is not after it is "
        "planned at 2026-03-20T08:00:00Z");
  const auto after = e.status("F-1", probe);
  CHECK(after->events == before->events);
  CHECK(after->state == before->state);
  CHECK(after->clocks.size() == before->clocks.size());
  CHECK(after->corrective_actions.empty());

  // Due a week later, it is planned with that due instant.
  plan.action_due = instant::parse("2026-03-27T17:00:00Z");
  REQUIRE(e.apply("F-1", plan));
  const auto planned = e.status("F-1", probe);
  REQUIRE(planned->corrective_actions.size() == 1);
  CHECK(planned->corrective_actions[0].due == instant::parse("2026-03-27T17:00:00Z"));
  CHECK(planned->corrective_actions[0].planned == instant::parse("2026-03-20T08:00:00Z"));
}

// fuzz_engine: a promise made at 15:30 for 16:30 has its "2 business hours before" warning at
// 14:30, before the promise existed. It stayed pending although actions up to 15:00 had fired,
// so when a later event was refused (a promise beyond the calendar's range) and the complaint was
// rebuilt from its history up to 15:00, the rebuild marked the warning fired and its action was
// lost. A level whose instant has passed when its clock starts now falls due at the start.
TEST_CASE("fuzz: a warning already passed when a promise is made falls due at the promise") {
  // The shipped England & Wales calendar no longer ends (holiday rules): this case needs one
  // that does, so the policy is read with the listed 2025-2027 calendar.
  std::string text = [] {
    std::ifstream in(redress::testing::rules("iso10002.toml"));
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }();
  const std::string shipped = "calendar = \"calendars/england-wales.toml\"";
  REQUIRE(text.find(shipped) != std::string::npos);
  text.replace(text.find(shipped), shipped.size(),
               "calendar = \"" + std::string(REDRESS_SOURCE_DIR) +
                   "/tests/data/calendars/england-wales-2025-2027.toml\"");
  engine e(redress::parse_policy(text, redress::testing::rules("iso10002.toml")));
  // Monday 1 June 2026, England: BST, office 09:00-17:00.
  REQUIRE(e.open({"F-2", instant::parse("2026-06-01T09:00:00+01:00"),
                  {{"kind", "staff"}, {"channel", "phone"}, {"customer_name", "Fuzz"}}}));
  // Not acknowledged: the primary response's 75% level fires at 15:00.
  const auto fired = e.advance(instant::parse("2026-06-01T15:00:00+01:00"));
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].id == "F-2/primary-response/L1/c1");

  complaint_event promise;
  promise.what = lifecycle_event::promise;
  promise.at = instant::parse("2026-06-01T15:30:00+01:00");
  promise.promised = instant::parse("2026-06-01T16:30:00+01:00");
  REQUIRE(e.apply("F-2", promise));
  const instant probe = instant::parse("2026-06-01T15:40:00+01:00");
  auto warning = [&] {
    const auto s = e.status("F-2", probe);
    for (const clock_report& c : s->clocks)
      if (c.target == "promise") return c.levels.at(0);
    FAIL("no promise clock");
    return level_report{};
  };
  CHECK(warning().label == "2 business hours before");
  CHECK(warning().at == instant::parse("2026-06-01T15:30:00+01:00"));  // not 14:30
  CHECK_FALSE(warning().fired);

  // A promise beyond 2027 (the calendar's end) is refused; the warning is still to come.
  complaint_event too_far = promise;
  too_far.at = instant::parse("2026-06-01T15:35:00+01:00");
  too_far.promised = instant::parse("2028-01-10T12:00:00Z");
  const auto refused = e.apply("F-2", too_far);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().what == engine_error::kind::calendar_error);
  CHECK_FALSE(warning().fired);
  CHECK(e.next_wakeup() == instant::parse("2026-06-01T15:30:00+01:00"));

  const auto next = e.advance(instant::parse("2026-06-01T15:40:00+01:00"));
  REQUIRE(next.size() == 1);
  CHECK(next[0].id == "F-2/promise/L1/c1");
  CHECK(next[0].at == instant::parse("2026-06-01T15:30:00+01:00"));
  CHECK(warning().fired);
}

// fuzz_scenario: the JSON Lines line "6e555" is valid JSON syntax whose number overflows a
// double; nlohmann reports it as out_of_range, not parse_error, and it escaped as an uncaught
// exception (the whole tool stopped with "terminate called"). Now it is a located error.
TEST_CASE("fuzz: a JSON number too large for a double is a located scenario error") {
  const time_zone utc = time_zone::locate("UTC");
  try {
    (void)tools::parse_scenario("6e555", "s.jsonl", utc);
    FAIL("no error");
  } catch (const redress::error& e) {
    CHECK(std::string(e.what()) == "s.jsonl:1:1: invalid JSON: number overflow parsing '6e555'");
  }
}

// fuzz_engine: a clock paused when already overdue had its due instant moved on resuming, by
// the business days of the pause: a final response due on 15 April 2026 and missed, paused
// from 20 to 22 April, became "due" on 16 April, as if waiting on the customer after the
// deadline had extended it. A pause that starts after the due instant now leaves it alone.
TEST_CASE("fuzz: a pause that starts after the due instant does not move it") {
  engine e(redress::testing::iso10002());
  REQUIRE(e.open({"F-4", instant::parse("2026-04-01T10:00:00+01:00"),
                  {{"kind", "product-quality"}, {"channel", "phone"}, {"customer_name", "Fuzz"}}}));
  const auto step = [&](lifecycle_event what, const char* at) {
    complaint_event ev;
    ev.what = what;
    ev.at = instant::parse(at);
    ev.reason = "awaiting documents";
    const auto applied = e.apply("F-4", ev);
    INFO((applied ? std::string() : applied.error().message));
    REQUIRE(applied);
  };
  const auto final_response = [&](const char* now) {
    const auto s = e.status("F-4", instant::parse(now));
    for (const clock_report& c : s->clocks)
      if (c.target == "final-response") return c;
    FAIL("no final-response clock");
    return clock_report{};
  };
  step(lifecycle_event::acknowledge, "2026-04-01T11:00:00+01:00");
  step(lifecycle_event::register_complaint, "2026-04-02T09:30:00+01:00");
  step(lifecycle_event::start_investigation, "2026-04-02T10:00:00+01:00");
  // 8 business days from Wednesday 1 April (Good Friday and Easter Monday closed).
  CHECK(final_response("2026-04-02T10:00:00+01:00").due == instant::parse("2026-04-15T23:59:59+01:00"));

  step(lifecycle_event::request_information, "2026-04-20T10:00:00+01:00");
  CHECK(final_response("2026-04-21T10:00:00+01:00").state == clock_state::paused);
  step(lifecycle_event::customer_replied, "2026-04-22T10:00:00+01:00");
  const clock_report after = final_response("2026-04-22T10:00:00+01:00");
  CHECK(after.due == instant::parse("2026-04-15T23:59:59+01:00"));
  CHECK(after.breached);
}
