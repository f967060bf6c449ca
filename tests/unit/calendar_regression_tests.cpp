// Disagreements between the fast calendar and the contract (docs/spec/time.md) found by
// the randomized comparison with the naive oracle (calendar_oracle_tests.cpp), each reduced to
// a hand-worked case.
#include <catch2/catch.hpp>

#include "redress/calendar.hpp"
#include "redress/error.hpp"
#include "support/calendar_builders.hpp"

using redress::business_calendar;
using redress::day_end;
using redress::deadline_options;
using redress::instant;
using redress::receipt_rule;
using redress::rollover_rule;
using namespace redress::test_calendars;

namespace {
// Mon-Fri 09:00-17:00 with a Tuesday night shift 22:00-06:00, in Europe/London, whose data
// covers June 2026 only. 30 June 2026 is a Tuesday: its night shift ends on 1 July.
business_calendar june_with_tuesday_nights() {
  auto def = monday_to_friday("Europe/London", {"09:00-17:00"});
  def.name = "june";
  def.week[day_index("tue")] = hours({"09:00-17:00", "22:00-06:00"});
  def.valid_from = date("2026-06-01");
  def.valid_until = date("2026-06-30");
  return business_calendar::build(def);
}
}  // namespace

TEST_CASE("close of business that falls after the valid range ends leaves the range") {
  // Contract, Range: "a computation whose start, result, or counted span leaves that range
  // fails". The close of business of Tuesday 30 June is the end of its night shift,
  // 2026-07-01T06:00:00+01:00: a result dated 1 July, outside the range.
  // Found by the oracle comparison (seeds 12000046 and 12000064): the fast calendar returned
  // 2026-07-01T06:00:00+01:00; fixed on main in 5b05633.
  const business_calendar june = june_with_tuesday_nights();
  const deadline_options close{day_end::close_of_business, rollover_rule::none,
                               receipt_rule::as_received};
  CHECK_THROWS_AS(
      redress::deadline(june, instant::parse("2026-06-29T10:00:00+01:00"), business_days(1), close),
      redress::error);
  CHECK_THROWS_AS(
      redress::deadline(june, instant::parse("2026-06-30T10:00:00+01:00"), business_days(0), close),
      redress::error);

  // The same night shift reached by working time already fails, as the contract says:
  // 16:00 + 7 business hours = 17:00, then 22:00 + 6 hours = 2026-07-01T04:00:00+01:00.
  CHECK_THROWS_AS(
      redress::deadline(june, instant::parse("2026-06-30T16:00:00+01:00"), business_hours(7)),
      redress::error);
  // Inside the range nothing fails: Monday's close of business is Monday 17:00.
  CHECK(redress::format_rfc3339(redress::deadline(june, instant::parse("2026-06-26T10:00:00+01:00"),
                                                  business_days(1), close),
                                june.zone()) == "2026-06-29T17:00:00+01:00");
}

TEST_CASE("working time across 400 far years: each far year counted once, the same on every call") {
  // Found by fuzz_jsonl (CI, 2026-12-02): an event dated 8461 made status() measure 6,400 years,
  // building every year outside the cached 1900-2299 again on each call (3.7 s for 4
  // complaints). Far years now keep their total once built; the figures must not change.
  // A Gregorian 400-year cycle is 146,097 days = 20,871 weeks, so 2400-01-01 to 2800-01-01
  // holds 20,871 x 5 = 104,355 weekdays of 8 hours: 3,005,424,000 working seconds.
  auto def = monday_to_friday("UTC", {"09:00-17:00"});
  def.name = "far";
  const business_calendar far = business_calendar::build(def);
  const instant from = instant::parse("2400-01-01T00:00:00Z");
  const instant to = instant::parse("2800-01-01T00:00:00Z");
  CHECK(redress::elapsed_working_time(far, from, to).count() == 3005424000);
  CHECK(redress::elapsed_working_time(far, from, to).count() == 3005424000);  // from the kept totals
  CHECK(redress::elapsed_working_time(far, to, from).count() == -3005424000);
  // 2800-01-01 falls on the weekday of 2400-01-01 and of 2000-01-01, a Saturday: the last
  // working hour of the 400 years ends on Friday 2799-12-31 at 17:00.
  CHECK(redress::format_rfc3339(redress::deadline(far, from, business_hours(104355 * 8)), far.zone()) ==
        "2799-12-31T17:00:00+00:00");
  // And back: 8 working hours before 2800-01-01 is the start of that Friday's hours.
  CHECK(redress::format_rfc3339(redress::deadline(far, to, business_hours(-8)), far.zone()) ==
        "2799-12-31T09:00:00+00:00");
}
