// The oracle checked by hand: the contract's worked examples (docs/spec/time.md), worked
// again by the naive reference implementation. If these fail, the oracle is wrong, not the
// fast calendar: nothing here calls business_calendar, deadline or elapsed_working_time.
#include <catch2/catch.hpp>

#include "support/calendar_builders.hpp"
#include "support/naive_calendar.hpp"

using redress::civil_date;
using redress::civil_time;
using redress::day_end;
using redress::deadline_options;
using redress::instant;
using redress::receipt_rule;
using redress::rollover_rule;
using redress::oracle::naive_calendar;
using namespace redress::test_calendars;

namespace {
instant at(std::string_view rfc3339) { return instant::parse(rfc3339); }
std::string in_zone(const naive_calendar& calendar, instant t) {
  return redress::format_rfc3339(t, calendar.zone());
}
std::string due(const naive_calendar& calendar, std::string_view from,
                const redress::duration_spec& d, const deadline_options& options = {}) {
  return in_zone(calendar, calendar.deadline(at(from), d, options));
}
deadline_options with(day_end end, rollover_rule rollover = rollover_rule::none,
                      receipt_rule receipt = receipt_rule::as_received) {
  return deadline_options{end, rollover, receipt};
}
}  // namespace

TEST_CASE("oracle: 16:00 + 1 business hour on a 09:00-17:00 day is 17:00 the same day") {
  const naive_calendar london{monday_to_friday("Europe/London", {"09:00-17:00"})};
  CHECK(due(london, "2026-06-10T16:00:00+01:00", business_hours(1)) == "2026-06-10T17:00:00+01:00");
  CHECK(due(london, "2026-01-14T16:00:00Z", business_hours(1)) == "2026-01-14T17:00:00+00:00");
}

TEST_CASE("oracle: Friday 16:30 + 1 business hour is Monday 09:30") {
  const naive_calendar london{monday_to_friday("Europe/London", {"09:00-17:00"})};
  CHECK(due(london, "2026-06-12T16:30:00+01:00", business_hours(1)) == "2026-06-15T09:30:00+01:00");
  // And back again, symmetrically.
  CHECK(due(london, "2026-06-15T09:30:00+01:00", business_hours(-1)) ==
        "2026-06-12T16:30:00+01:00");
}

TEST_CASE("oracle: a start outside working time counts from the next opening") {
  const naive_calendar london{monday_to_friday("Europe/London", {"09:00-17:00"})};
  CHECK(due(london, "2026-06-13T11:00:00+01:00", business_hours(1)) == "2026-06-15T10:00:00+01:00");
  CHECK(due(london, "2026-06-15T07:00:00+01:00", business_minutes(30)) ==
        "2026-06-15T09:30:00+01:00");
  // Backwards from outside working time counts from the previous close.
  CHECK(due(london, "2026-06-13T11:00:00+01:00", business_hours(-1)) ==
        "2026-06-12T16:00:00+01:00");
}

TEST_CASE("oracle: 0 business hours returns the start unchanged, even outside working time") {
  const naive_calendar london{monday_to_friday("Europe/London", {"09:00-17:00"})};
  CHECK(due(london, "2026-06-13T11:00:17+01:00", business_hours(0)) == "2026-06-13T11:00:17+01:00");
  CHECK(due(london, "2026-06-15T10:00:00+01:00", business_minutes(0)) ==
        "2026-06-15T10:00:00+01:00");
}

TEST_CASE("oracle: counting backwards stays on the start of an interval") {
  const naive_calendar london{monday_to_friday("Europe/London", {"09:00-17:00"})};
  CHECK(due(london, "2026-06-15T10:00:00+01:00", business_hours(-1)) ==
        "2026-06-15T09:00:00+01:00");
  CHECK(due(london, "2026-06-15T10:00:00+01:00", business_minutes(-61)) ==
        "2026-06-12T16:59:00+01:00");
}

TEST_CASE("oracle: a lunch break is skipped") {
  const naive_calendar london{monday_to_friday("Europe/London", {"09:00-12:30", "13:30-17:00"})};
  CHECK(due(london, "2026-06-10T12:00:00+01:00", business_hours(1)) == "2026-06-10T14:00:00+01:00");
  CHECK(due(london, "2026-06-10T12:45:00+01:00", business_hours(1)) == "2026-06-10T14:30:00+01:00");
  // Landing exactly on the start of lunch stays there.
  CHECK(due(london, "2026-06-10T12:00:00+01:00", business_minutes(30)) ==
        "2026-06-10T12:30:00+01:00");
  CHECK(due(london, "2026-06-10T14:00:00+01:00", business_minutes(-30)) ==
        "2026-06-10T13:30:00+01:00");
  CHECK(due(london, "2026-06-10T14:00:00+01:00", business_hours(-1)) ==
        "2026-06-10T12:00:00+01:00");
  CHECK(london.elapsed_working_time(at("2026-06-10T09:00:00+01:00"),
                                    at("2026-06-10T17:00:00+01:00")) == std::chrono::hours{7});
}

TEST_CASE("oracle: a Friday overnight shift counts into Saturday morning") {
  auto def = monday_to_friday("Europe/London", {"09:00-17:00"});
  def.week[day_index("fri")] = hours({"09:00-17:00", "22:00-06:00"});
  const naive_calendar london{def};
  CHECK(due(london, "2026-06-12T16:00:00+01:00", business_hours(3)) == "2026-06-13T00:00:00+01:00");
  CHECK(due(london, "2026-06-12T16:00:00+01:00", business_hours(9)) == "2026-06-13T06:00:00+01:00");
  CHECK(due(london, "2026-06-12T16:00:00+01:00", business_hours(10)) ==
        "2026-06-15T10:00:00+01:00");
  CHECK(london.is_open(at("2026-06-13T03:00:00+01:00")));
  CHECK_FALSE(london.is_open(at("2026-06-13T06:00:00+01:00")));
  // The shift belongs to Friday: Saturday is not a business day, and Friday closes on Saturday.
  CHECK_FALSE(london.is_business_day(date("2026-06-13")));
  CHECK(in_zone(london, *london.close_of_business(date("2026-06-12"))) ==
        "2026-06-13T06:00:00+01:00");
  // A holiday on Saturday does not stop Friday's shift; a holiday on Friday removes it.
  auto saturday_off = def;
  saturday_off.holidays.push_back(date("2026-06-13"));
  CHECK(naive_calendar{saturday_off}.is_open(at("2026-06-13T03:00:00+01:00")));
  auto friday_off = def;
  friday_off.holidays.push_back(date("2026-06-12"));
  CHECK_FALSE(naive_calendar{friday_off}.is_open(at("2026-06-13T03:00:00+01:00")));
}

TEST_CASE("oracle: an hour of working time is an hour of elapsed time across fall-back") {
  // Europe/Amsterdam, every day 00:00-10:00. On 2022-10-30 the clocks go from 03:00 CEST back
  // to 02:00 CET: the day's interval is 11 hours long.
  const naive_calendar amsterdam{every_day("Europe/Amsterdam", {"00:00-10:00"})};
  CHECK(due(amsterdam, "2022-10-30T02:00:00+02:00", business_hours(1)) ==
        "2022-10-30T02:00:00+01:00");
  CHECK(amsterdam.elapsed_working_time(at("2022-10-29T22:00:00Z"), at("2022-10-30T12:00:00Z")) ==
        std::chrono::hours{11});
  // And on 2022-03-27 (02:00 -> 03:00) it is 9 hours.
  CHECK(amsterdam.elapsed_working_time(at("2022-03-26T23:00:00Z"), at("2022-03-27T12:00:00Z")) ==
        std::chrono::hours{9});
}

TEST_CASE("oracle: interval ends in a DST gap or overlap resolve by the DST rule") {
  // Europe/London 2026-03-29: 01:00 GMT -> 02:00 BST; 2026-10-25: 02:00 BST -> 01:00 GMT.
  auto def = every_day("Europe/London", {"09:00-17:00"});
  def.exceptions[date("2026-03-29")] = hours({"00:30-01:30", "01:45-03:00"});
  def.exceptions[date("2026-10-25")] = hours({"01:30-02:30"});
  const naive_calendar london{def};

  const auto& spring = london.intervals_starting_on(date("2026-03-29"));
  REQUIRE(spring.size() == 2);
  // 00:30 GMT to 01:30 (in the gap: the transition, 01:00Z).
  CHECK(spring[0].start == at("2026-03-29T00:30:00Z"));
  CHECK(spring[0].end == at("2026-03-29T01:00:00Z"));
  // 01:45 (in the gap: 01:00Z) to 03:00 BST.
  CHECK(spring[1].start == at("2026-03-29T01:00:00Z"));
  CHECK(spring[1].end == at("2026-03-29T02:00:00Z"));

  // 01:30 first occurrence (BST) to 02:30 GMT: two hours of working time.
  const auto& autumn = london.intervals_starting_on(date("2026-10-25"));
  REQUIRE(autumn.size() == 1);
  CHECK(autumn[0].end - autumn[0].start == std::chrono::hours{2});
}

TEST_CASE("oracle: an interval wholly inside a spring-forward gap is dropped") {
  auto def = monday_to_friday("Europe/London", {"09:00-17:00"});
  def.exceptions[date("2026-03-29")] = hours({"01:15-01:45"});
  const naive_calendar london{def};
  CHECK(london.intervals_starting_on(date("2026-03-29")).empty());
  CHECK_FALSE(london.is_business_day(date("2026-03-29")));
  CHECK(london.elapsed_working_time(at("2026-03-28T12:00:00Z"), at("2026-03-30T00:00:00Z")) ==
        std::chrono::seconds{0});
}

TEST_CASE("oracle: a day begins at local midnight, or at the transition when midnight is skipped") {
  // America/Sao_Paulo 2018-11-04: 00:00 -03:00 -> 01:00 -02:00 (midnight does not exist).
  const naive_calendar sao_paulo{every_day("America/Sao_Paulo", {"00:00-10:00"})};
  CHECK(sao_paulo.start_of_day(date("2018-11-04")) == at("2018-11-04T03:00:00Z"));
  CHECK(in_zone(sao_paulo, sao_paulo.end_of_day(date("2018-11-03"))) ==
        "2018-11-03T23:59:59-03:00");
  // The day's interval starts at the transition and lasts 9 hours.
  const auto& intervals = sao_paulo.intervals_starting_on(date("2018-11-04"));
  REQUIRE(intervals.size() == 1);
  CHECK(intervals[0].start == at("2018-11-04T03:00:00Z"));
  CHECK(intervals[0].end - intervals[0].start == std::chrono::hours{9});
  // 2018-02-18: 00:00 -02:00 -> 23:00 -03:00 on the 17th; 23:00-24:00 on the 17th happens
  // twice and the 17th ends after the second time round.
  CHECK(in_zone(sao_paulo, sao_paulo.end_of_day(date("2018-02-17"))) ==
        "2018-02-17T23:59:59-03:00");
  CHECK(sao_paulo.end_of_day(date("2018-02-17")) == at("2018-02-18T02:59:59Z"));
}

TEST_CASE("oracle: 15 business days in England & Wales skips Easter") {
  const naive_calendar ew{england_wales_2026()};
  CHECK(due(ew, "2026-04-01T14:00:00+01:00", business_days(15)) == "2026-04-24T23:59:59+01:00");
  CHECK(due(ew, "2026-04-01T14:00:00+01:00", business_days(3), with(day_end::close_of_business)) ==
        "2026-04-08T17:00:00+01:00");
  CHECK(due(ew, "2026-04-01T14:00:00+01:00", business_days(3), with(day_end::same_time)) ==
        "2026-04-08T14:00:00+01:00");
  CHECK(ew.elapsed_working_time(at("2026-04-01T14:00:00+01:00"), at("2026-04-02T12:30:00+01:00")) ==
        std::chrono::minutes{6 * 60 + 30});
}

TEST_CASE(
    "oracle: 0 business days is the day of receipt when it is a business day, else the next") {
  const naive_calendar ew{england_wales_2026()};
  CHECK(due(ew, "2026-04-01T14:00:00+01:00", business_days(0)) == "2026-04-01T23:59:59+01:00");
  // Saturday 4 April: Monday 6 April is Easter Monday, so Tuesday 7 April.
  CHECK(due(ew, "2026-04-04T10:00:00+01:00", business_days(0)) == "2026-04-07T23:59:59+01:00");
  // A day of receipt that is a business day counts even after its close.
  CHECK(due(ew, "2026-04-01T20:00:00+01:00", business_days(0)) == "2026-04-01T23:59:59+01:00");
}

TEST_CASE("oracle: 8 weeks from 2026-03-27 end on 2026-05-22 in summer time") {
  const naive_calendar ew{england_wales_2026()};
  CHECK(due(ew, "2026-03-27T16:00:00Z", weeks(8)) == "2026-05-22T23:59:59+01:00");
  CHECK(due(ew, "2026-03-27T16:00:00Z", days(56)) == "2026-05-22T23:59:59+01:00");
}

TEST_CASE("oracle: 1 month from 31 January is 28 February, rolled to Monday 2 March") {
  const naive_calendar ew{england_wales_2026()};
  CHECK(due(ew, "2026-01-31T10:00:00Z", months(1)) == "2026-02-28T23:59:59+00:00");
  CHECK(due(ew, "2026-01-31T10:00:00Z", months(1),
            with(day_end::end_of_day, rollover_rule::next_business_day)) ==
        "2026-03-02T23:59:59+00:00");
  // Leap year: 2024-01-31 + 1 month = 2024-02-29 (a Thursday).
  const naive_calendar london{monday_to_friday("Europe/London", {"09:00-17:00"})};
  CHECK(due(london, "2024-01-31T10:00:00Z", months(1),
            with(day_end::end_of_day, rollover_rule::next_business_day)) ==
        "2024-02-29T23:59:59+00:00");
}

TEST_CASE("oracle: close of business falls back to the end of a day with no working interval") {
  const naive_calendar ew{england_wales_2026()};
  // 2026-04-01 + 2 days = Friday 3 April, Good Friday.
  CHECK(due(ew, "2026-04-01T14:00:00+01:00", days(2), with(day_end::close_of_business)) ==
        "2026-04-03T23:59:59+01:00");
  CHECK(due(ew, "2026-04-01T14:00:00+01:00", days(2),
            with(day_end::close_of_business, rollover_rule::next_business_day)) ==
        "2026-04-07T17:00:00+01:00");
}

TEST_CASE("oracle: receipt outside working time moves to the next opening for day periods") {
  const naive_calendar ew{england_wales_2026()};
  const auto if_closed = [](day_end end) {
    return with(end, rollover_rule::none, receipt_rule::next_business_day_if_closed);
  };
  // Thursday 2 April 18:00: the next opening is Tuesday 7 April 09:00 (Easter in between).
  CHECK(
      ew.received_at(at("2026-04-02T18:00:00+01:00"), receipt_rule::next_business_day_if_closed) ==
      at("2026-04-07T09:00:00+01:00"));
  CHECK(due(ew, "2026-04-02T18:00:00+01:00", business_days(1), if_closed(day_end::end_of_day)) ==
        "2026-04-08T23:59:59+01:00");
  CHECK(due(ew, "2026-04-02T18:00:00+01:00", business_days(1), if_closed(day_end::same_time)) ==
        "2026-04-08T09:00:00+01:00");
  CHECK(due(ew, "2026-04-02T18:00:00+01:00", business_days(1)) == "2026-04-07T23:59:59+01:00");
  // Inside working time nothing moves.
  CHECK(due(ew, "2026-04-02T16:00:00+01:00", business_days(1), if_closed(day_end::same_time)) ==
        "2026-04-07T16:00:00+01:00");
  // Working time ignores the option.
  CHECK(due(ew, "2026-04-02T18:00:00+01:00", business_hours(1), if_closed(day_end::same_time)) ==
        "2026-04-07T10:00:00+01:00");
}

TEST_CASE("oracle: same-time resolves the clock time on the last day by the DST rule") {
  const naive_calendar london{every_day("Europe/London", {"09:00-17:00"})};
  // Saturday 28 March 01:30 GMT + 1 day: Sunday 01:30 does not exist -> the transition.
  CHECK(london.deadline(at("2026-03-28T01:30:00Z"), days(1), with(day_end::same_time)) ==
        at("2026-03-29T01:00:00Z"));
  // Saturday 24 October 01:30 BST + 1 day: Sunday 01:30 happens twice -> the first (BST).
  CHECK(due(london, "2026-10-24T01:30:00+01:00", days(1), with(day_end::same_time)) ==
        "2026-10-25T01:30:00+01:00");
  // The clock time of a start in the second pass of the overlap is still 01:30.
  CHECK(due(london, "2026-10-25T01:30:00+00:00", days(1), with(day_end::same_time)) ==
        "2026-10-26T01:30:00+00:00");
  const naive_calendar sao_paulo{every_day("America/Sao_Paulo", {"09:00-17:00"})};
  CHECK(due(sao_paulo, "2018-02-16T23:30:00-02:00", days(1), with(day_end::same_time)) ==
        "2018-02-17T23:30:00-02:00");
}

TEST_CASE("oracle: elapsed working time is antisymmetric and counts to the second") {
  const naive_calendar london{monday_to_friday("Europe/London", {"09:00-17:00"})};
  const instant a = at("2026-06-12T16:59:30+01:00");
  const instant b = at("2026-06-15T09:00:45+01:00");
  CHECK(london.elapsed_working_time(a, b) == std::chrono::seconds{75});
  CHECK(london.elapsed_working_time(b, a) == std::chrono::seconds{-75});
  CHECK(london.elapsed_working_time(a, a) == std::chrono::seconds{0});
  CHECK(london.deadline(a, {75, redress::duration_spec::unit::business_seconds}) == b);
  CHECK(london.deadline(b, {-75, redress::duration_spec::unit::business_seconds}) == a);
}

TEST_CASE("oracle: touching intervals across midnight are two intervals of two dates") {
  // Friday 22:00-24:00 and Saturday 00:00-06:00 touch. Working time runs straight through.
  auto def = monday_to_friday("Europe/London", {"09:00-17:00"});
  def.week[day_index("fri")] = hours({"09:00-17:00", "22:00-24:00"});
  def.week[day_index("sat")] = hours({"00:00-06:00"});
  const naive_calendar london{def};
  CHECK(due(london, "2026-06-12T23:00:00+01:00", business_hours(2)) == "2026-06-13T01:00:00+01:00");
  CHECK(london.is_business_day(date("2026-06-13")));
  CHECK(in_zone(london, *london.close_of_business(date("2026-06-12"))) ==
        "2026-06-13T00:00:00+01:00");
}

TEST_CASE("oracle: an exception replaces the date's hours and beats a holiday") {
  auto def = monday_to_friday("Europe/London", {"09:00-17:00"});
  def.exceptions[date("2026-12-24")] = hours({"09:00-13:00"});
  def.exceptions[date("2026-12-23")] = {};
  def.exceptions[date("2026-12-26")] = hours({"10:00-12:00"});  // a Saturday
  def.holidays.push_back(date("2026-12-25"));
  def.holidays.push_back(date("2026-12-26"));
  const naive_calendar london{def};
  CHECK_FALSE(london.is_business_day(date("2026-12-23")));
  CHECK(in_zone(london, *london.close_of_business(date("2026-12-24"))) ==
        "2026-12-24T13:00:00+00:00");
  CHECK(london.is_business_day(date("2026-12-26")));
  CHECK(due(london, "2026-12-24T12:00:00Z", business_hours(2)) == "2026-12-26T11:00:00+00:00");
}

TEST_CASE("oracle: a calendar made only of exceptions runs out and the oracle says so") {
  redress::calendar_definition def;
  def.name = "two-days";
  def.timezone = "UTC";
  def.exceptions[date("2026-05-04")] = hours({"09:00-17:00"});
  def.exceptions[date("2026-05-05")] = hours({"09:00-17:00"});
  const naive_calendar two_days{def};
  CHECK(due(two_days, "2026-05-01T00:00:00Z", business_hours(16)) == "2026-05-05T17:00:00+00:00");
  CHECK_THROWS_AS(two_days.deadline(at("2026-05-01T00:00:00Z"), business_hours(17)),
                  redress::oracle::gave_up);
  CHECK_THROWS_AS(two_days.deadline(at("2026-05-01T00:00:00Z"), business_days(3)),
                  redress::oracle::gave_up);
  CHECK(due(two_days, "2026-05-01T00:00:00Z", business_days(2)) == "2026-05-05T23:59:59+00:00");
}

TEST_CASE("oracle: day periods below their minimum are refused") {
  const naive_calendar ew{england_wales_2026()};
  CHECK_THROWS_AS(ew.deadline(at("2026-04-01T14:00:00Z"), days(0)), redress::oracle::refused);
  CHECK_THROWS_AS(ew.deadline(at("2026-04-01T14:00:00Z"), months(-1)), redress::oracle::refused);
  CHECK_THROWS_AS(ew.deadline(at("2026-04-01T14:00:00Z"), business_days(-1)),
                  redress::oracle::refused);
}

TEST_CASE("oracle: its own date arithmetic agrees with civil_date") {
  for (std::int64_t n = -800; n < 20000; n += 7) {
    const civil_date d = civil_date::from_days(n * 3);
    CHECK(redress::oracle::weekday_index(d) == static_cast<int>(d.day_of_week()));
    CHECK(redress::oracle::next_date(d) == civil_date::from_days(n * 3 + 1));
    CHECK(redress::oracle::previous_date(d) == civil_date::from_days(n * 3 - 1));
  }
  CHECK(redress::oracle::add_months_clamped(date("2025-12-31"), 2) == date("2026-02-28"));
  CHECK(redress::oracle::add_months_clamped(date("2024-01-31"), 1) == date("2024-02-29"));
  CHECK(redress::oracle::add_months_clamped(date("2026-03-15"), 14) == date("2027-05-15"));
}

TEST_CASE("oracle: the start of a day found by bisection is local midnight by the DST rule") {
  // The oracle finds where each date begins by bisection on to_civil; the contract's DST rule
  // says the same thing as resolve(midnight). Checking both ways also tests the assumption
  // the oracle's stepping rests on: local dates never go backwards in these zones.
  for (const char* zone : {"Europe/London", "America/New_York", "Australia/Sydney",
                           "America/Sao_Paulo", "Europe/Amsterdam", "UTC", "America/Havana"}) {
    const naive_calendar calendar{every_day(zone, {"09:00-17:00"})};
    for (int year : {2018, 2026, 2041}) {
      for (civil_date d{year, 1, 1}; d.year == year; d = redress::oracle::next_date(d)) {
        const instant midnight = calendar.zone().resolve(civil_time{d, 0, 0, 0});
        if (calendar.start_of_day(d) != midnight) {
          CAPTURE(zone, d.to_string());
          CHECK(calendar.start_of_day(d) == midnight);
        }
      }
    }
  }
}
