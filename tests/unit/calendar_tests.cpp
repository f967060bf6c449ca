// Deadline arithmetic, worked by hand. Each case names the rule of docs/spec/time.md it
// checks; the expected instants can be checked against a wall calendar.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "redress/calendar.hpp"
#include "redress/error.hpp"

using namespace redress;

namespace {

const char* const office_hours = R"(
[calendar.hours]
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00"]
)";

business_calendar calendar(const std::string& zone, const std::string& rest = office_hours,
                           const std::string& extra = "") {
  return parse_calendar("[calendar]\nname = \"test\"\ntimezone = \"" + zone + "\"\n" + extra + rest,
                        "test.toml");
}

// England & Wales bank holidays 2026 (GOV.UK): the worked examples of the contract.
business_calendar england_wales() {
  return calendar("Europe/London", office_hours,
                  "holidays = [\"2026-01-01\", \"2026-04-03\", \"2026-04-06\", \"2026-05-04\", "
                  "\"2026-05-25\", \"2026-08-31\", \"2026-12-25\", \"2026-12-28\"]\n"
                  "valid = [\"2026-01-01\", \"2026-12-31\"]\n");
}

std::string due(const business_calendar& cal, const char* from, const char* duration,
                deadline_options options = {}) {
  return format_rfc3339(
      deadline(cal, parse_timestamp(from, cal.zone()), duration_spec::parse(duration), options),
      cal.zone());
}

std::string worked(const business_calendar& cal, const char* from, const char* to) {
  return format_iso8601_duration(elapsed_working_time(cal, parse_timestamp(from, cal.zone()),
                                                      parse_timestamp(to, cal.zone())));
}

std::string failure(const business_calendar& cal, const char* from, const char* duration,
                    deadline_options options = {}) {
  try {
    (void)deadline(cal, parse_timestamp(from, cal.zone()), duration_spec::parse(duration), options);
  } catch (const error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("16:00 plus 1 business hour on a 09:00-17:00 day is 17:00 the same day") {
  // Tuesday 24 March 2026; London is on GMT until the 29th.
  CHECK(due(calendar("Europe/London"), "2026-03-24T16:00:00", "1 business hour") ==
        "2026-03-24T17:00:00+00:00");
}

TEST_CASE("Friday 16:30 plus 1 business hour is Monday 09:30, across the clock change") {
  // BST starts on Sunday 29 March 2026: Monday 09:30 is +01:00.
  CHECK(due(calendar("Europe/London"), "2026-03-27T16:30:00", "1 business hour") ==
        "2026-03-30T09:30:00+01:00");
}

TEST_CASE("a lunch break is skipped") {
  const auto cal = calendar("Europe/London", R"(
[calendar.hours]
tue = ["09:00-12:30", "13:30-17:00"]
)");
  // 30 minutes before lunch, 30 after.
  CHECK(due(cal, "2026-03-24T12:00:00", "1 business hour") == "2026-03-24T14:00:00+00:00");
  CHECK(worked(cal, "2026-03-24T12:00:00", "2026-03-24T14:00:00") == "PT1H");
}

TEST_CASE("an overnight Friday shift counts into Saturday morning") {
  const auto cal = calendar("Europe/London", R"(
[calendar.hours]
fri = ["09:00-17:00", "22:00-06:00"]
)");
  // Friday 16:00: one hour to 17:00, then 22:00 to 02:00 Saturday.
  CHECK(due(cal, "2026-03-27T16:00:00", "5 business hours") == "2026-03-28T02:00:00+00:00");
  CHECK(cal.is_open(instant::parse("2026-03-28T05:59:59Z")));
  CHECK_FALSE(cal.is_open(instant::parse("2026-03-28T06:00:00Z")));
  // The shift belongs to Friday: Friday closes at 06:00 on Saturday, Saturday is not a business day.
  CHECK(cal.close_of_business(civil_date{2026, 3, 27}) == instant::parse("2026-03-28T06:00:00Z"));
  CHECK_FALSE(cal.is_business_day(civil_date{2026, 3, 28}));
}

TEST_CASE("counting from outside working time begins at the next opening") {
  const auto cal = calendar("Europe/London");
  CHECK(due(cal, "2026-03-28T12:00:00", "1 business hour") == "2026-03-30T10:00:00+01:00");
  CHECK(due(cal, "2026-03-24T07:00:00", "90 business minutes") == "2026-03-24T10:30:00+00:00");
  CHECK(cal.next_open(instant::parse("2026-03-28T12:00:00Z")) ==
        instant::parse("2026-03-30T09:00:00+01:00"));
}

TEST_CASE("0 business hours returns the start unchanged, even outside working time") {
  CHECK(due(calendar("Europe/London"), "2026-03-28T12:00:00", "0 business hours") ==
        "2026-03-28T12:00:00+00:00");
}

TEST_CASE("negative working time counts backwards and stays on the start of an interval") {
  const auto cal = calendar("Europe/London");
  CHECK(due(cal, "2026-03-30T10:00:00", "-1 business hour") == "2026-03-30T09:00:00+01:00");
  CHECK(due(cal, "2026-03-30T09:30:00", "-1 business hour") == "2026-03-27T16:30:00+00:00");
  CHECK(due(cal, "2026-03-28T12:00:00", "-2 business hours") == "2026-03-27T15:00:00+00:00");
}

TEST_CASE("working time between two instants, negative when reversed") {
  const auto cal = calendar("Europe/London");
  CHECK(worked(cal, "2026-03-27T16:30:00", "2026-03-30T09:30:00") == "PT1H");
  CHECK(worked(cal, "2026-03-30T09:30:00", "2026-03-27T16:30:00") == "-PT1H");
  CHECK(worked(cal, "2026-03-23T00:00:00", "2026-03-30T00:00:00") == "PT40H");
  CHECK(worked(cal, "2026-03-28T00:00:00", "2026-03-29T12:00:00") == "PT0S");
}

TEST_CASE("the fall-back hour is counted once, in elapsed time") {
  // Europe/Amsterdam, every day 00:00-10:00. On 2022-10-30 02:00-03:00 happens twice; working
  // time is elapsed seconds, so the day holds 11 hours and 02:00+02:00 plus one hour is
  // 02:00+01:00.
  const auto cal = calendar("Europe/Amsterdam", R"(
[calendar.hours]
mon = ["00:00-10:00"]
tue = ["00:00-10:00"]
wed = ["00:00-10:00"]
thu = ["00:00-10:00"]
fri = ["00:00-10:00"]
sat = ["00:00-10:00"]
sun = ["00:00-10:00"]
)");
  CHECK(due(cal, "2022-10-30T02:00:00+02:00", "1 business hour") == "2022-10-30T02:00:00+01:00");
  CHECK(worked(cal, "2022-10-30T00:00:00", "2022-10-30T10:00:00") == "PT11H");
  // Spring forward (2022-03-27, 02:00 -> 03:00): the same wall-clock span holds 9 hours.
  CHECK(worked(cal, "2022-03-27T00:00:00", "2022-03-27T10:00:00") == "PT9H");
}

TEST_CASE("15 business days excludes the day of receipt and skips Good Friday and Easter Monday") {
  // Received Wednesday 1 April 2026 14:00. Counted: Apr 2 (1), 7-10 (2-5), 13-17 (6-10),
  // 20-24 (11-15). Due at the end of Friday 24 April.
  CHECK(due(england_wales(), "2026-04-01T14:00:00+01:00", "15 business days") ==
        "2026-04-24T23:59:59+01:00");
}

TEST_CASE("8 weeks from Friday 27 March 2026 ends on Friday 22 May") {
  CHECK(due(england_wales(), "2026-03-27T16:00:00Z", "8 weeks") == "2026-05-22T23:59:59+01:00");
}

TEST_CASE("1 month from 31 January ends on the last day of February") {
  const auto cal = england_wales();
  CHECK(due(cal, "2026-01-31T12:00:00Z", "1 month") == "2026-02-28T23:59:59+00:00");
  // 28 February 2026 is a Saturday: rolled over to Monday 2 March.
  deadline_options roll;
  roll.rollover = rollover_rule::next_business_day;
  CHECK(due(cal, "2026-01-31T12:00:00Z", "1 month", roll) == "2026-03-02T23:59:59+00:00");
}

TEST_CASE("3 months from 30 November clamps to 28 February, then rolls to Monday") {
  const auto cal = calendar("Europe/Brussels");
  deadline_options roll;
  roll.rollover = rollover_rule::next_business_day;
  CHECK(due(cal, "2026-11-30T10:00:00", "3 months") == "2027-02-28T23:59:59+01:00");
  CHECK(due(cal, "2026-11-30T10:00:00", "3 months", roll) == "2027-03-01T23:59:59+01:00");
}

TEST_CASE("30 days ending on a Saturday roll over past Easter Monday") {
  // Thursday 5 March 2026 + 30 days = Saturday 4 April; Monday 6 April is a bank holiday.
  deadline_options roll;
  roll.rollover = rollover_rule::next_business_day;
  CHECK(due(england_wales(), "2026-03-05T11:00:00Z", "30 days", roll) ==
        "2026-04-07T23:59:59+01:00");
}

TEST_CASE("close of business of the third business day following receipt") {
  // FCA summary resolution: Wed 1 April; Thu 2 (1), Tue 7 (2), Wed 8 (3).
  deadline_options cob;
  cob.end = day_end::close_of_business;
  CHECK(due(england_wales(), "2026-04-01T14:00:00+01:00", "3 business days", cob) ==
        "2026-04-08T17:00:00+01:00");
  // A last day that is not a business day has no close of business: the end of that day.
  CHECK(due(england_wales(), "2026-03-27T10:00:00Z", "1 day", cob) == "2026-03-28T23:59:59+00:00");
}

TEST_CASE("same-time lands in a spring-forward gap at the transition") {
  deadline_options same;
  same.end = day_end::same_time;
  // 01:30 on Sunday 29 March 2026 does not exist in London: 01:00 GMT = 02:00 BST.
  CHECK(due(calendar("Europe/London"), "2026-03-28T01:30:00", "1 day", same) ==
        "2026-03-29T02:00:00+01:00");
  CHECK(due(calendar("Europe/London"), "2026-03-24T11:15:00", "2 business days", same) ==
        "2026-03-26T11:15:00+00:00");
}

TEST_CASE("a complaint received after hours can count as received at the next opening") {
  const auto cal = calendar("Europe/London");
  deadline_options moved;
  moved.receipt = receipt_rule::next_business_day_if_closed;
  // Saturday 28 March: as received, the first business day after is Monday 30; moved to Monday
  // 09:00, the first business day after is Tuesday 31.
  CHECK(due(cal, "2026-03-28T10:00:00", "1 business day") == "2026-03-30T23:59:59+01:00");
  CHECK(due(cal, "2026-03-28T10:00:00", "1 business day", moved) == "2026-03-31T23:59:59+01:00");
  moved.end = day_end::same_time;
  CHECK(due(cal, "2026-03-28T10:00:00", "1 business day", moved) == "2026-03-31T09:00:00+01:00");
  // A start inside working time is never moved.
  CHECK(due(cal, "2026-03-24T10:00:00", "1 business day", moved) == "2026-03-25T10:00:00+00:00");
}

TEST_CASE("0 business days means the same business day") {
  const auto cal = calendar("Europe/London");
  CHECK(due(cal, "2026-03-24T10:00:00", "0 business days") == "2026-03-24T23:59:59+00:00");
  CHECK(due(cal, "2026-03-28T10:00:00", "0 business days") == "2026-03-30T23:59:59+01:00");
}

TEST_CASE("a day that begins in a DST gap at midnight ends one second before the next begins") {
  // America/Sao_Paulo jumped from 00:00 to 01:00 on 4 November 2018.
  const auto cal = calendar("America/Sao_Paulo", R"(
[calendar.hours]
mon = ["00:00-24:00"]
tue = ["00:00-24:00"]
wed = ["00:00-24:00"]
thu = ["00:00-24:00"]
fri = ["00:00-24:00"]
sat = ["00:00-24:00"]
sun = ["00:00-24:00"]
)");
  CHECK(format_rfc3339(cal.start_of_day(civil_date{2018, 11, 4}), cal.zone()) ==
        "2018-11-04T01:00:00-02:00");
  CHECK(format_rfc3339(cal.end_of_day(civil_date{2018, 11, 3}), cal.zone()) ==
        "2018-11-03T23:59:59-03:00");
  CHECK(due(cal, "2018-11-02T12:00:00", "1 day") == "2018-11-03T23:59:59-03:00");
  CHECK(worked(cal, "2018-11-04T01:00:00", "2018-11-05T00:00:00") == "PT23H");
}

TEST_CASE("deadlines stay exact after 2037") {
  // Monday 2 July 2040, London on BST by the zone's POSIX rule.
  const auto cal = calendar("Europe/London");
  CHECK(due(cal, "2040-07-02T08:00:00Z", "1 business hour") == "2040-07-02T10:00:00+01:00");
  // Tue 3 July is the 1st business day after, Monday 23 July the 15th.
  CHECK(due(cal, "2040-07-02T09:00:00", "15 business days") == "2040-07-23T23:59:59+01:00");
}

TEST_CASE("ten years of business hours cost whole weeks") {
  // 520 weeks of 40 hours from Monday 09:00 end on the Friday 17:00 of the 520th week.
  const auto cal = calendar("UTC");
  CHECK(due(cal, "2026-01-05T09:00:00Z", "20800 business hours") == "2035-12-21T17:00:00+00:00");
  CHECK(worked(cal, "2026-01-05T09:00:00Z", "2035-12-21T17:00:00Z") == "PT20800H");
}

TEST_CASE("a computation that leaves the calendar's valid range fails, naming it") {
  const auto cal = england_wales();
  CHECK(failure(cal, "2026-12-20T12:00:00Z", "15 business days") ==
        "calendar \"test\" covers 2026-01-01 to 2026-12-31: 15 business days after 2026-12-20 goes "
        "beyond 2026-12-31");
  CHECK(failure(cal, "2025-12-20T12:00:00Z", "1 business hour") ==
        "calendar \"test\" covers 2026-01-01 to 2026-12-31: the start date 2025-12-20 is outside it");
  CHECK(failure(cal, "2026-12-01T12:00:00Z", "1 month") ==
        "calendar \"test\" covers 2026-01-01 to 2026-12-31: the last day of the period, 2027-01-01 "
        "is outside it");
  CHECK(failure(cal, "2026-12-30T12:00:00Z", "40 business hours") ==
        "calendar \"test\" covers 2026-01-01 to 2026-12-31: counting 40 business hours from "
        "2026-12-30T12:00:00Z goes beyond 2026-12-31");
}

TEST_CASE("a calendar made only of exceptions runs out of working time without hanging") {
  const auto cal = calendar("UTC", R"(
[[calendar.exceptions]]
date = "2026-05-01"
hours = ["09:00-12:00"]
)");
  CHECK(due(cal, "2026-04-30T12:00:00Z", "2 business hours") == "2026-05-01T11:00:00+00:00");
  CHECK(failure(cal, "2026-04-30T12:00:00Z", "4 business hours") ==
        "calendar \"test\" has no working time after 2026-05-01: counting 4 business hours from "
        "2026-04-30T12:00:00Z cannot be counted");
  CHECK(failure(cal, "2026-04-30T12:00:00Z", "2 business days") ==
        "calendar \"test\" has no working time after 2026-05-01: 2 business days after 2026-04-30 "
        "cannot be counted");
}

TEST_CASE("huge durations fail at once instead of running") {
  const auto cal = calendar("UTC");
  CHECK(failure(cal, "2026-04-30T12:00:00Z", "99999999999 business days") ==
        "99999999999 business days after 2026-04-30 would fall outside the years 0001-9999 that "
        "redress supports");
  CHECK(failure(cal, "2026-04-30T12:00:00Z", "99999999999 business hours") ==
        "counting 99999999999 business hours from 2026-04-30T12:00:00Z would fall outside the years "
        "0001-9999 that redress supports");
  CHECK(failure(cal, "2026-04-30T12:00:00Z", "99999999999 days") ==
        "a period of 99999999999 days would end after the year 9999");
  CHECK(failure(cal, "2026-04-30T12:00:00Z", "9223372036854775807 hours") ==
        "duration \"9223372036854775807 hours\" is too large");
}

TEST_CASE("durations read in every documented form") {
  CHECK(duration_spec::parse("15 business days") ==
        duration_spec{15, duration_spec::unit::business_days});
  CHECK(duration_spec::parse("1 Business Day") == duration_spec{1, duration_spec::unit::business_days});
  CHECK(duration_spec::parse("8 weeks") == duration_spec{8, duration_spec::unit::weeks});
  CHECK(duration_spec::parse("1 month") == duration_spec{1, duration_spec::unit::months});
  CHECK(duration_spec::parse("90 business minutes") ==
        duration_spec{90, duration_spec::unit::business_minutes});
  CHECK(duration_spec::parse("-2 business hours") ==
        duration_spec{-2, duration_spec::unit::business_hours});
  CHECK(duration_spec::parse("  36   HOURS ") == duration_spec{36, duration_spec::unit::hours});
  CHECK(duration_spec::parse("0 business days") == duration_spec{0, duration_spec::unit::business_days});
  CHECK(duration_spec::parse("1 business day").to_string() == "1 business day");
  CHECK(duration_spec::parse("40 business hours").seconds() == 144000);
}

TEST_CASE("malformed durations say where and what was expected") {
  const source_location where{"policy.toml", 12, 10};
  auto message = [&](const char* text) {
    try {
      (void)duration_spec::parse(text, where);
    } catch (const error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  const std::string forms =
      "; expected a whole number and a unit, such as \"15 business days\", \"8 weeks\", \"1 month\", "
      "\"90 business minutes\" or \"36 hours\"";
  CHECK(message("15 busines days") ==
        "policy.toml:12:10: invalid duration \"15 busines days\": unknown unit \"busines days\"" + forms);
  CHECK(message("1.5 business hours") ==
        "policy.toml:12:10: invalid duration \"1.5 business hours\": the number must be whole (write "
        "\"90 business minutes\", not \"1.5 business hours\")" + forms);
  CHECK(message("") == "policy.toml:12:10: invalid duration \"\": it is empty" + forms);
  CHECK(message("business days") ==
        "policy.toml:12:10: invalid duration \"business days\": it does not start with a whole number" +
            forms);
  CHECK(message("-3 business days") ==
        "policy.toml:12:10: invalid duration \"-3 business days\": a day period cannot be negative" +
            forms);
  CHECK(message("0 days") ==
        "policy.toml:12:10: invalid duration \"0 days\": a day period needs at least 1 (\"0 business "
        "days\" means the same business day)" + forms);
  CHECK(message("15days") ==
        "policy.toml:12:10: invalid duration \"15days\": a space and a unit must follow the number" +
            forms);
  CHECK(message("99999999999999999999 days") ==
        "policy.toml:12:10: invalid duration \"99999999999999999999 days\": the number is too large" +
            forms);
}

TEST_CASE("working time prints as ISO 8601 with the hour as the largest unit") {
  using std::chrono::seconds;
  CHECK(format_iso8601_duration(seconds{41400}) == "PT11H30M");
  CHECK(format_iso8601_duration(seconds{360000}) == "PT100H");
  CHECK(format_iso8601_duration(seconds{0}) == "PT0S");
  CHECK(format_iso8601_duration(seconds{-7200}) == "-PT2H");
  CHECK(format_iso8601_duration(seconds{61}) == "PT1M1S");
}

TEST_CASE("business days wholly within a pause") {
  const auto cal = calendar("Europe/London");
  // Monday 16:00-16:30 covers no whole day; Monday 17:00 to Thursday 09:00 covers Tue and Wed.
  CHECK(cal.business_days_wholly_within(instant::parse("2026-03-23T16:00:00Z"),
                                         instant::parse("2026-03-23T16:30:00Z")) == 0);
  CHECK(cal.business_days_wholly_within(instant::parse("2026-03-23T17:00:00Z"),
                                         instant::parse("2026-03-26T09:00:00Z")) == 2);
  CHECK(cal.business_day_after(civil_date{2026, 3, 27}, 2) == civil_date{2026, 3, 31});
  CHECK(cal.business_day_after(civil_date{2026, 3, 28}, 0) == civil_date{2026, 3, 30});
}

namespace {

// A trace's steps, one line each: "counted 2026-04-02 1", "skipped 2026-04-03 Good Friday".
std::vector<std::string> steps(const business_calendar& cal, const char* from, const char* duration,
                               deadline_options options = {}) {
  const instant start = parse_timestamp(from, cal.zone());
  const deadline_trace trace = trace_deadline(cal, start, duration_spec::parse(duration), options);
  CHECK(trace.due == deadline(cal, start, duration_spec::parse(duration), options));
  std::vector<std::string> out;
  for (const deadline_step& s : trace.steps) {
    const std::string date = s.date.to_string();
    switch (s.what) {
      case deadline_step::kind::received_closed: out.push_back("received-closed " + format_rfc3339(s.at, cal.zone())); break;
      case deadline_step::kind::receipt_day: out.push_back("receipt " + date); break;
      case deadline_step::kind::counted: out.push_back("counted " + date + " " + std::to_string(s.count)); break;
      case deadline_step::kind::skipped: out.push_back("skipped " + date + " " + s.why); break;
      case deadline_step::kind::calendar_days: out.push_back("days " + std::to_string(s.count) + " " + date); break;
      case deadline_step::kind::months:
        out.push_back("months " + std::to_string(s.count) + " " + date + " asked " + std::to_string(s.count2));
        break;
      case deadline_step::kind::last_day: out.push_back("last " + date); break;
      case deadline_step::kind::rolled_over: out.push_back("rolled " + date); break;
      case deadline_step::kind::dst: out.push_back("dst " + date + " " + std::to_string(s.count)); break;
      case deadline_step::kind::due: out.push_back("due " + format_rfc3339(s.at, cal.zone())); break;
    }
  }
  out.push_back("last_day " + trace.last_day.to_string());
  return out;
}

business_calendar england_wales_rules() {
  return load_calendar(std::string(REDRESS_SOURCE_DIR) + "/rules/calendars/england-wales.toml");
}

}  // namespace

TEST_CASE("trace: 15 business days over Easter 2026, each day counted or skipped and why") {
  // Received Wednesday 1 April 2026 14:00 BST (not counted). Good Friday 3 April and Easter
  // Monday 6 April are bank holidays; the 15th business day is Friday 24 April.
  const std::vector<std::string> expected = {
      "receipt 2026-04-01",
      "counted 2026-04-02 1",
      "skipped 2026-04-03 Good Friday",
      "skipped 2026-04-04 no working hours on Saturday",
      "skipped 2026-04-05 no working hours on Sunday",
      "skipped 2026-04-06 Easter Monday",
      "counted 2026-04-07 2", "counted 2026-04-08 3", "counted 2026-04-09 4", "counted 2026-04-10 5",
      "skipped 2026-04-11 no working hours on Saturday",
      "skipped 2026-04-12 no working hours on Sunday",
      "counted 2026-04-13 6", "counted 2026-04-14 7", "counted 2026-04-15 8", "counted 2026-04-16 9",
      "counted 2026-04-17 10",
      "skipped 2026-04-18 no working hours on Saturday",
      "skipped 2026-04-19 no working hours on Sunday",
      "counted 2026-04-20 11", "counted 2026-04-21 12", "counted 2026-04-22 13", "counted 2026-04-23 14",
      "counted 2026-04-24 15",
      "last 2026-04-24",
      "due 2026-04-24T23:59:59+01:00",
      "last_day 2026-04-24",
  };
  CHECK(steps(england_wales_rules(), "2026-04-01T14:00:00+01:00", "15 business days") == expected);
}

TEST_CASE("trace: a month clamped to February's end, rolled over a weekend, across a clock change") {
  // 31 January 2026 + 1 month: no 31 February, so Saturday 28 February; rolled over Saturday and
  // Sunday to Monday 2 March. No clock change in the span.
  deadline_options roll;
  roll.rollover = rollover_rule::next_business_day;
  CHECK(steps(england_wales_rules(), "2026-01-31T12:00:00Z", "1 month", roll) ==
        std::vector<std::string>{"receipt 2026-01-31", "months 1 2026-02-28 asked 31", "last 2026-02-28",
                                 "skipped 2026-02-28 no working hours on Saturday",
                                 "skipped 2026-03-01 no working hours on Sunday", "rolled 2026-03-02",
                                 "due 2026-03-02T23:59:59+00:00", "last_day 2026-03-02"});
  // Thursday 26 March + 4 days = Monday 30 March; Sunday 29 March lasts 23 hours (BST begins).
  CHECK(steps(england_wales_rules(), "2026-03-26T10:00:00Z", "4 days") ==
        std::vector<std::string>{"receipt 2026-03-26", "days 4 2026-03-30", "last 2026-03-30",
                                 "dst 2026-03-29 82800", "due 2026-03-30T23:59:59+01:00",
                                 "last_day 2026-03-30"});
}

TEST_CASE("trace: received after hours, counted from the next opening") {
  // Saturday 28 March 2026 10:00 counts as received Monday 30 March 09:00; 1 business day later
  // is Tuesday 31 March. The span from Saturday crosses Sunday's clock change.
  deadline_options moved;
  moved.receipt = receipt_rule::next_business_day_if_closed;
  CHECK(steps(england_wales_rules(), "2026-03-28T10:00:00Z", "1 business day", moved) ==
        std::vector<std::string>{"received-closed 2026-03-30T09:00:00+01:00", "receipt 2026-03-30",
                                 "counted 2026-03-31 1", "last 2026-03-31", "dst 2026-03-29 82800",
                                 "due 2026-03-31T23:59:59+01:00", "last_day 2026-03-31"});
}

TEST_CASE("an instant before 0001 in UTC is refused though its local date is 0001-01-01") {
  // Tokyo's local mean time is 9:18:59 ahead of UTC, so 0000-12-31T19:00:00Z reads locally as
  // 0001-01-01T04:18:59: every computation refuses it alike, because the year it is found in
  // is its UTC year (a deadline from it once passed the range check and then failed elsewhere).
  const business_calendar tokyo = calendar("Asia/Tokyo");
  const instant start = instant::from_unix(civil_time{civil_date{0, 12, 31}, 19, 0, 0}.seconds_since_epoch());
  const std::string refused = "instant 0000-12-31T19:00:00Z falls outside the years 0001-9999 that redress supports";
  CHECK_THROWS_WITH(deadline(tokyo, start, duration_spec::parse("1 hour")), refused);
  CHECK_THROWS_WITH(deadline(tokyo, start, duration_spec::parse("1 business hour")), refused);
  CHECK_THROWS_WITH(tokyo.is_open(start), refused);
  CHECK_THROWS_WITH(tokyo.local_date(start), refused);
  // The first instant of 0001 in UTC is a Monday 09:18:59 in Tokyo, within its hours.
  const instant first = instant::from_unix(civil_time{civil_date{1, 1, 1}, 0, 0, 0}.seconds_since_epoch());
  CHECK(tokyo.local_date(first) == civil_date{1, 1, 1});
  CHECK(tokyo.is_open(first));
}

TEST_CASE("an instant inside 0001-9999 in UTC whose local date is not is refused naming the local date") {
  // London's local mean time was 0:01:15 behind UTC: 0001-01-01T00:00:00Z is 0000-12-31 there.
  // Tokyo's offset in 9999 is +09:00: 9999-12-31T20:00:00Z is 10000-01-01 there. The message
  // names the local date, so it does not refuse an instant that reads as inside the range.
  const business_calendar london = calendar("Europe/London");
  const instant first = instant::from_unix(civil_time{civil_date{1, 1, 1}, 0, 0, 0}.seconds_since_epoch());
  const std::string before = "instant 0001-01-01T00:00:00Z, on 0000-12-31 in Europe/London, falls outside the "
                             "years 0001-9999 that redress supports";
  CHECK_THROWS_WITH(london.local_date(first), before);
  CHECK_THROWS_WITH(deadline(london, first, duration_spec::parse("1 business day")), before);
  const business_calendar tokyo = calendar("Asia/Tokyo");
  const instant last = instant::from_unix(civil_time{civil_date{9999, 12, 31}, 20, 0, 0}.seconds_since_epoch());
  const std::string after = "instant 9999-12-31T20:00:00Z, on 10000-01-01 in Asia/Tokyo, falls outside the "
                            "years 0001-9999 that redress supports";
  CHECK_THROWS_WITH(tokyo.local_date(last), after);
  CHECK_THROWS_WITH(tokyo.is_open(last), after);
}
