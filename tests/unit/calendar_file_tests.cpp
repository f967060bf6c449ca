// Calendar files: extends, exceptions, holiday files, and one located message per mistake.
#include <catch2/catch.hpp>

#include <string>

#include "redress/calendar.hpp"
#include "redress/error.hpp"
#include "support/error_message.hpp"

using namespace redress;

namespace {

std::string data(const std::string& name) {
  return std::string(REDRESS_SOURCE_DIR) + "/tests/data/calendars/" + name;
}

std::string load_error(const std::string& text) {
  return testing::error_message([&] { (void)parse_calendar(text, "cal.toml"); });
}

std::string file_error(const std::string& path) {
  try {
    (void)load_calendar(path);
  } catch (const error& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string utc = "[calendar]\ntimezone = \"UTC\"\n";

}  // namespace

TEST_CASE("a calendar file gives the zone, the weekly hours and the name") {
  const auto cal = load_calendar(data("office.toml"));
  CHECK(cal.name() == "office");
  CHECK(cal.zone().name() == "Europe/London");
  CHECK(cal.is_business_day(civil_date{2026, 3, 27}));
  CHECK_FALSE(cal.is_business_day(civil_date{2026, 3, 28}));
  CHECK(cal.close_of_business(civil_date{2026, 3, 27}) == instant::parse("2026-03-27T17:00:00Z"));
}

TEST_CASE("a calendar without a name is named after its file") {
  const auto cal = parse_calendar(utc + "[calendar.hours]\nmon = [\"09:00-17:00\"]\n", "rules/x/retail.toml");
  CHECK(cal.name() == "retail");
}

TEST_CASE("extends layers a calendar on its parent; this file wins for a date both mention") {
  const auto cal = load_calendar(data("branch.toml"));
  CHECK(cal.name() == "branch");
  CHECK(cal.zone().name() == "Europe/London");  // inherited
  // The child's holiday beats the parent's half day on Christmas Eve.
  CHECK_FALSE(cal.is_business_day(civil_date{2026, 12, 24}));
  // The parent's holiday stays.
  CHECK_FALSE(cal.is_business_day(civil_date{2026, 12, 25}));
  // The child's hours replace the whole week: Saturday mornings open.
  CHECK(cal.close_of_business(civil_date{2026, 12, 26}) == instant::parse("2026-12-26T12:00:00Z"));
  // The child's exception beats the parent's holiday on 28 December.
  CHECK(cal.close_of_business(civil_date{2026, 12, 28}) == instant::parse("2026-12-28T12:00:00Z"));
  const auto parent = load_calendar(data("uk-base.toml"));
  CHECK(parent.close_of_business(civil_date{2026, 12, 24}) == instant::parse("2026-12-24T13:00:00Z"));
  CHECK_FALSE(parent.is_business_day(civil_date{2026, 12, 28}));
}

TEST_CASE("holiday files are read as all-day iCalendar events, yearly rules expanded") {
  const auto cal = load_calendar(data("branch.toml"));
  // RRULE:FREQ=YEARLY from 2025: every New Year's Day, far into the future.
  CHECK_FALSE(cal.is_business_day(civil_date{2027, 1, 1}));
  CHECK_FALSE(cal.is_business_day(civil_date{2031, 1, 1}));
  CHECK_FALSE(cal.is_business_day(civil_date{2026, 4, 3}));  // Good Friday 2026
  CHECK_FALSE(cal.is_business_day(civil_date{2026, 4, 6}));  // second day of a two-day event
  CHECK(cal.is_business_day(civil_date{2026, 4, 4}));        // Saturday morning, not a holiday
  CHECK(cal.is_business_day(civil_date{2026, 4, 7}));
}

TEST_CASE("an unknown key is located and a near miss suggested") {
  CHECK(load_error("[calendar]\nname = \"x\"\ntimezon = \"UTC\"\n") ==
        "cal.toml:3:1: unknown key 'timezon' in [calendar]; did you mean 'timezone'?");
  CHECK(load_error(utc + "[calendar.hours]\nmonday = [\"09:00-17:00\"]\n") ==
        "cal.toml:4:1: unknown key 'monday' in [calendar.hours]; did you mean 'mon'?");
  CHECK(load_error("[calender]\ntimezone = \"UTC\"\n") ==
        "cal.toml:1:2: unknown key 'calender' in a calendar file (expected a [calendar] table); did "
        "you mean 'calendar'?");
}

TEST_CASE("an interval outside the clock is an error, an overnight one is not") {
  CHECK(load_error(utc + "[calendar.hours]\nmon = [\"25:00-26:00\"]\n") ==
        "cal.toml:4:8: invalid interval \"25:00-26:00\": hours must be 00-23 (24:00 only as an end)");
  CHECK(load_error(utc + "[calendar.hours]\nmon = [\"09:60-17:00\"]\n") ==
        "cal.toml:4:8: invalid interval \"09:60-17:00\": minutes must be 00-59");
  CHECK(load_error(utc + "[calendar.hours]\nmon = [\"9-17\"]\n") ==
        "cal.toml:4:8: invalid interval \"9-17\": expected \"HH:MM-HH:MM\" such as \"09:00-17:00\" "
        "(an end before the start is an overnight shift; \"00:00-24:00\" is the whole day)");
  CHECK(load_error(utc + "[calendar.hours]\nmon = [\"09:00-09:00\"]\n") ==
        "cal.toml:4:8: invalid interval \"09:00-09:00\": it starts where it ends (write "
        "\"00:00-24:00\" for a whole day)");
  const auto night = parse_calendar(utc + "[calendar.hours]\nmon = [\"17:00-09:00\"]\n", "cal.toml");
  CHECK(night.close_of_business(civil_date{2026, 3, 23}) == instant::parse("2026-03-24T09:00:00Z"));
}

TEST_CASE("overlapping intervals are an error, touching ones are not") {
  CHECK(load_error(utc + "[calendar.hours]\nmon = [\"09:00-13:00\", \"12:00-17:00\"]\n") ==
        "cal.toml:4:23: intervals 09:00-13:00 and 12:00-17:00 of 'mon' overlap");
  CHECK(load_error(utc + "[calendar.hours]\nfri = [\"22:00-06:00\"]\nsat = [\"05:00-09:00\"]\n") ==
        "cal.toml:4:7: the overnight interval of fri runs past the start of sat's first interval");
  CHECK(load_error(utc + "[calendar.hours]\nthu = [\"22:00-06:00\"]\n[[calendar.exceptions]]\n"
                         "date = \"2026-04-03\"\nhours = [\"05:00-09:00\"]\n") ==
        "cal.toml:5:1: 2026-04-03: the overnight interval of 2026-04-02 runs past the start of this "
        "date's first interval");
  const auto touching =
      parse_calendar(utc + "[calendar.hours]\nmon = [\"09:00-12:00\", \"12:00-17:00\"]\n", "cal.toml");
  CHECK(elapsed_working_time(touching, instant::parse("2026-03-23T00:00:00Z"),
                             instant::parse("2026-03-24T00:00:00Z")) == std::chrono::hours{8});
}

TEST_CASE("zones, dates, types and ranges are checked where they are written") {
  CHECK(load_error("[calendar]\ntimezone = \"Mars/Olympus\"\n[calendar.hours]\nmon = [\"09:00-17:00\"]\n") ==
        "cal.toml:2:12: unknown time zone \"Mars/Olympus\": expected an IANA zone name such as "
        "\"Europe/London\" or \"UTC\"");
  CHECK(load_error(utc + "holidays = [\"2026-02-30\"]\n[calendar.hours]\nmon = [\"09:00-17:00\"]\n") ==
        "cal.toml:3:13: invalid date \"2026-02-30\": no such day in that month (expected YYYY-MM-DD "
        "such as 2026-04-01)");
  CHECK(load_error("[calendar]\nname = \"x\"\n[calendar.hours]\nmon = [\"09:00-17:00\"]\n") ==
        "cal.toml:1:1: missing 'timezone' in [calendar]: expected an IANA zone name such as "
        "\"Europe/London\"");
  CHECK(load_error(utc + "[calendar.hours]\nmon = \"09:00-17:00\"\n") ==
        "cal.toml:4:7: 'mon' must be an array, not a string");
  CHECK(load_error(utc + "valid = [\"2027-01-01\", \"2026-01-01\"]\n[calendar.hours]\nmon = [\"09:00-17:00\"]\n") ==
        "cal.toml:3:24: 'valid' ends (2026-01-01) before it begins (2027-01-01)");
  CHECK(load_error(utc + "[calendar.hours]\nmon = [\"09:00-17:00\"]\n[[calendar.exceptions]]\n"
                         "date = \"2026-05-01\"\n") ==
        "cal.toml:5:1: an exception needs 'hours' ([] closes the date)");
  CHECK(load_error("[calendar]\ntimezone = \"UTC\n") ==
        "cal.toml:2:16: invalid TOML: Error while parsing string: unescaped control characters other "
        "than TAB (U+0009) are explicitly prohibited");
}

TEST_CASE("a calendar with no working time is rejected at load") {
  CHECK(load_error("[calendar]\nname = \"closed\"\ntimezone = \"UTC\"\n") ==
        "cal.toml:1:1: calendar \"closed\" has no working time: give [calendar.hours] at least one "
        "interval");
  // Its only working interval falls in London's spring-forward gap (01:00-02:00 on 29 March).
  CHECK(load_error("[calendar]\nname = \"gap\"\ntimezone = \"Europe/London\"\n[[calendar.exceptions]]\n"
                   "date = \"2026-03-29\"\nhours = [\"01:00-02:00\"]\n") ==
        "cal.toml:1:1: calendar \"gap\" has no working time: its only intervals (2026-03-29 "
        "01:00-02:00) fall in a daylight-saving gap of Europe/London");
}

TEST_CASE("a cycle of extends is an error") {
  const std::string message = file_error(data("cycle-a.toml"));
  CHECK(message == data("cycle-b.toml") + ":3:11: 'extends' makes a cycle: " + data("cycle-a.toml") +
                       " -> " + data("cycle-b.toml") + " -> " + data("cycle-a.toml"));
}

TEST_CASE("holiday files must be readable all-day iCalendar events") {
  CHECK(load_error(utc + "holiday_files = [\"/nonexistent/bank.ics\"]\n[calendar.hours]\nmon = [\"09:00-17:00\"]\n") ==
        "cal.toml:3:18: cannot read holiday file \"/nonexistent/bank.ics\": No such file or directory");
  CHECK(load_error(utc + "holiday_files = [\"" + data("timed-event.ics") +
                   "\"]\n[calendar.hours]\nmon = [\"09:00-17:00\"]\n") ==
        data("timed-event.ics") +
            ":11:9: event \"Staff meeting\": DTSTART 20260501T090000Z has a time of day: a holiday file holds all-day events "
            "(DTSTART;VALUE=DATE:YYYYMMDD)");
  CHECK(load_error(utc + "holiday_files = [\"" + data("office.toml") +
                   "\"]\n[calendar.hours]\nmon = [\"09:00-17:00\"]\n") ==
        data("office.toml") + ":1:1: not an iCalendar file: expected BEGIN:VCALENDAR with all-day VEVENTs");
}

TEST_CASE("a missing calendar file says which and why") {
  CHECK(file_error("/nonexistent/cal.toml") ==
        "/nonexistent/cal.toml: cannot read file \"/nonexistent/cal.toml\": No such file or directory");
}
