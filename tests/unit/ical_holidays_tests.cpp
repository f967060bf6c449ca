// iCalendar holiday files (RFC 5545, all-day events): what each feature makes a holiday, as
// Google Calendar, Outlook and gov.uk publish them, and a located refusal for what is not supported.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "calendar/ical_holidays.hpp"
#include "redress/calendar.hpp"
#include "redress/error.hpp"

using namespace redress;
using redress::detail::ical_holiday;
using redress::detail::read_ical_holidays;

namespace {

std::string ics(const std::string& name) {
  return std::string(REDRESS_SOURCE_DIR) + "/tests/data/calendars/ics/" + name;
}

// "2026-06-15 Founders' Day (moved)" per day, sorted.
std::vector<std::string> days(const std::string& path, int last_year) {
  std::set<std::string> out;
  for (const ical_holiday& h : read_ical_holidays(path, {}, last_year))
    out.insert(h.date.to_string() + " " + h.name);
  return {out.begin(), out.end()};
}

std::set<std::string> dates(const std::string& path, int last_year) {
  std::set<std::string> out;
  for (const ical_holiday& h : read_ical_holidays(path, {}, last_year)) out.insert(h.date.to_string());
  return out;
}

// Writes `text` to a file of its own and returns the path.
std::string write_ics(const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::temp_directory_path() / ("redress-ical-" + name + ".ics")).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// The message for `body` (the lines between BEGIN:VCALENDAR/VERSION and END:VCALENDAR), with
// the file's path replaced by "f.ics".
std::string refusal(const std::string& name, const std::string& body, int last_year = 9999) {
  const std::string path =
      write_ics(name, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + body + "END:VCALENDAR\r\n");
  try {
    (void)read_ical_holidays(path, {}, last_year);
  } catch (const error& e) {
    std::string message = e.what();
    if (message.compare(0, path.size(), path) == 0) message = "f.ics" + message.substr(path.size());
    return message;
  }
  return "(no error)";
}

std::string event(const std::string& lines) {
  return "BEGIN:VEVENT\r\nUID:e@t\r\n" + lines + "END:VEVENT\r\n";
}

business_calendar office_with(const std::string& holiday_file, const std::string& extra = "") {
  return parse_calendar("[calendar]\ntimezone = \"Europe/London\"\nholiday_files = [\"" + holiday_file +
                            "\"]\n" + extra +
                            "[calendar.hours]\nmon = [\"09:00-17:00\"]\ntue = [\"09:00-17:00\"]\n"
                            "wed = [\"09:00-17:00\"]\nthu = [\"09:00-17:00\"]\nfri = [\"09:00-17:00\"]\n",
                        "office.toml");
}

std::string due(const business_calendar& cal, const char* from, const char* duration) {
  return format_rfc3339(deadline(cal, parse_timestamp(from, cal.zone()), duration_spec::parse(duration)),
                        cal.zone());
}

}  // namespace

TEST_CASE("gov.uk's England and Wales file gives its 24 bank holidays of 2024-2026 by name") {
  const auto all = days(ics("govuk-england-and-wales.ics"), 9999);
  REQUIRE(all.size() == 24);
  CHECK(all.front() == "2024-01-01 New Year\u2019s Day");
  CHECK(all[3] == "2024-05-06 Early May bank holiday");
  CHECK(all[15] == "2025-12-26 Boxing Day");
  CHECK(all[21] == "2026-08-31 Summer bank holiday");
  CHECK(all.back() == "2026-12-28 Boxing Day");  // the substitute day for Saturday 26 December
}

TEST_CASE("15 business days over Christmas 2025 on gov.uk's holidays end on 14 January 2026") {
  // Received Friday 19 December: 22, 23, 24, 29, 30, 31 December, 2, 5-9 and 12-14 January
  // (25 and 26 December and 1 January are bank holidays).
  const auto cal = office_with(ics("govuk-england-and-wales.ics"));
  CHECK(due(cal, "2025-12-19T10:00:00", "15 business days") == "2026-01-14T23:59:59+00:00");
  CHECK_FALSE(cal.is_business_day(civil_date{2026, 12, 28}));
  CHECK(cal.is_business_day(civil_date{2026, 12, 29}));
}

TEST_CASE("a Google Calendar export: multi-day events, a moved and a cancelled occurrence") {
  CHECK(days(ics("google-office-closures.ics"), 2027) ==
        std::vector<std::string>{
            "2025-06-16 Founders' Day",
            "2025-08-04 Summer shutdown", "2025-08-05 Summer shutdown", "2025-08-06 Summer shutdown",
            "2025-08-07 Summer shutdown", "2025-08-08 Summer shutdown",  // DTEND 9 August is exclusive
            "2025-09-05 Team away day",          // 3 October is an EXDATE, 7 November cancelled
            "2026-06-15 Founders' Day (moved)",  // RECURRENCE-ID 2026-06-16 moved to the Monday
            "2027-06-16 Founders' Day",
        });
  // STATUS:CANCELLED: 24 November 2025 stays a working day.
  const auto cal = office_with(ics("google-office-closures.ics"));
  CHECK(cal.is_business_day(civil_date{2025, 11, 24}));
  CHECK(cal.is_business_day(civil_date{2026, 6, 16}));
  CHECK_FALSE(cal.is_business_day(civil_date{2026, 6, 15}));
  // Received Friday 1 August 2025: the shutdown week does not count; 11, 12, 13 August.
  CHECK(due(cal, "2025-08-01T12:00:00", "3 business days") == "2025-08-13T23:59:59+01:00");
}

TEST_CASE("an Outlook export: VTIMEZONE, X- properties, alarms, TZID on dates, yearly rules") {
  CHECK(days(ics("outlook-branch-holidays.ics"), 2027) ==
        std::vector<std::string>{
            "2024-05-27 Spring bank holiday", "2024-12-25 Christmas Day",
            "2025-05-26 Spring bank holiday", "2025-12-01 Stocktake (branch closed)",
            "2025-12-25 Christmas Day", "2026-05-25 Spring bank holiday", "2026-12-25 Christmas Day",
            "2027-05-31 Spring bank holiday", "2027-12-25 Christmas Day",
        });
}

TEST_CASE("DURATION, RDATE lists, EXDATE and UNTIL in one file") {
  CHECK(days(ics("features.ics"), 2026) ==
        std::vector<std::string>{
            "2025-05-26 Spring bank holiday", "2025-12-25 Christmas Day",
            "2026-03-02 One day by DURATION",
            "2026-03-09 Two days by DURATION", "2026-03-10 Two days by DURATION",
            "2026-03-16 A week by DURATION", "2026-03-17 A week by DURATION",
            "2026-03-18 A week by DURATION", "2026-03-19 A week by DURATION",
            "2026-03-20 A week by DURATION", "2026-03-21 A week by DURATION",
            "2026-03-22 A week by DURATION",
            "2026-04-06 Extra dates by RDATE", "2026-04-13 Extra dates by RDATE",
            "2026-04-27 Extra dates by RDATE", "2026-05-04 Extra dates by RDATE",
            "2026-05-25 Spring bank holiday",
            "2026-06-01 Mondays in June until the 22nd", "2026-06-08 Mondays in June until the 22nd",
            "2026-06-15 Mondays in June until the 22nd", "2026-06-22 Mondays in June until the 22nd",
            "2026-12-25 Christmas Day",
        });
}

TEST_CASE("yearly rules are expanded to 9999, beyond libical's year 2582") {
  const auto all = dates(ics("features.ics"), 9999);
  CHECK(all.count("2582-12-25") == 1);
  CHECK(all.count("2583-12-25") == 1);
  CHECK(all.count("2600-12-25") == 1);
  CHECK(all.count("9999-12-25") == 1);
  CHECK(all.count("2600-05-26") == 1);  // the last Monday of May 2600
  CHECK(all.count("9999-05-31") == 1);  // and of May 9999
  CHECK(all.count("9999-05-24") == 0);
  // Christmas 2025-9999 and the last Monday of May 2025-9999, plus the 18 other days of 2026
  // (1 + 2 + 7 by DURATION, 4 by RDATE, 4 Mondays in June).
  CHECK(all.size() == 2 * (9999 - 2025 + 1) + 18);
  const auto cal = office_with(ics("features.ics"));
  CHECK_FALSE(cal.is_business_day(civil_date{2600, 12, 25}));  // a Thursday
  CHECK(cal.is_business_day(civil_date{2600, 12, 24}));
}

TEST_CASE("a yearly rule stops at the end of the calendar's valid range") {
  const auto all = dates(ics("features.ics"), 2030);
  CHECK(all.count("2030-12-25") == 1);
  CHECK(all.count("2031-12-25") == 0);
}

TEST_CASE("several VCALENDARs in one file (cat a.ics b.ics) are all read") {
  CHECK(days(ics("two-calendars.ics"), 9999) ==
        std::vector<std::string>{"2026-01-05 From the first calendar", "2026-01-06 From the second calendar"});
}

TEST_CASE("COUNT, intervals and monthly rules expand as RFC 5545 says") {
  const std::string path = write_ics(
      "count", "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n"
               "BEGIN:VEVENT\nUID:a@t\nDTSTART;VALUE=DATE:20260130\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3\n"
               "SUMMARY:Month end\nEND:VEVENT\n"
               "BEGIN:VEVENT\nUID:b@t\nDTSTART;VALUE=DATE:20240229\nRRULE:FREQ=YEARLY;INTERVAL=1\n"
               "SUMMARY:Leap day\nEND:VEVENT\n"
               "BEGIN:VEVENT\nUID:c@t\nDTSTART;VALUE=DATE:20260105\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3\n"
               "SUMMARY:Fortnightly\nEND:VEVENT\nEND:VCALENDAR\n");
  // 30 January is not the last day of January: DTSTART must be one of the rule's dates.
  CHECK_THROWS_WITH(read_ical_holidays(path, {}, 2030),
                    path + ":7:7: event \"Month end\": DTSTART 2026-01-30 is not one of the dates its "
                           "RRULE makes (RFC 5545 leaves such a set undefined); start it on the first "
                           "date the rule makes");
  const std::string fixed = write_ics(
      "count2", "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n"
                "BEGIN:VEVENT\nUID:a@t\nDTSTART;VALUE=DATE:20260131\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3\n"
                "SUMMARY:Month end\nEND:VEVENT\n"
                "BEGIN:VEVENT\nUID:b@t\nDTSTART;VALUE=DATE:20240229\nRRULE:FREQ=YEARLY;INTERVAL=1\n"
                "SUMMARY:Leap day\nEND:VEVENT\n"
                "BEGIN:VEVENT\nUID:c@t\nDTSTART;VALUE=DATE:20260105\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3\n"
                "SUMMARY:Fortnightly\nEND:VEVENT\nEND:VCALENDAR\n");
  CHECK(dates(fixed, 2032) == std::set<std::string>{"2024-02-29", "2026-01-05", "2026-01-19", "2026-01-31",
                                                    "2026-02-02", "2026-02-28", "2026-03-31", "2028-02-29",
                                                    "2032-02-29"});
  // COUNT continues beyond 2582 too: every 400 years from 2000, 25 times.
  const std::string far = write_ics(
      "count3", "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n"
                "BEGIN:VEVENT\nUID:a@t\nDTSTART;VALUE=DATE:20000101\nRRULE:FREQ=YEARLY;INTERVAL=400;COUNT=25\n"
                "SUMMARY:Every 400 years\nEND:VEVENT\nEND:VCALENDAR\n");
  const auto every400 = dates(far, 9999);
  CHECK(every400.size() == 20);  // 2000, 2400, ..., 9600: year 10000 is beyond the calendar
  CHECK(every400.count("9600-01-01") == 1);
}

TEST_CASE("what a holiday file cannot say is refused at its line and column") {
  // Timed events: a holiday is a date.
  CHECK(refusal("timed", event("DTSTART;TZID=Europe/London:20261225T090000\r\nSUMMARY:Party\r\n")) ==
        "f.ics:6:28: event \"Party\": DTSTART 20261225T090000 has a time of day: a holiday file holds all-day events "
        "(DTSTART;VALUE=DATE:YYYYMMDD)");
  CHECK(refusal("datetime", event("DTSTART;VALUE=DATE-TIME:20261225\r\n")) ==
        "f.ics:6:1: event \"(no SUMMARY)\": DTSTART has VALUE=DATE-TIME, a time of day: a holiday file holds all-day events "
        "(DTSTART;VALUE=DATE:YYYYMMDD)");
  CHECK(refusal("hourly", event("DTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=HOURLY\r\nSUMMARY:X\r\n")) ==
        "f.ics:7:7: event \"X\": RRULE FREQ=HOURLY repeats within a day: a holiday file holds all-day events "
        "(DTSTART;VALUE=DATE:YYYYMMDD)");
  CHECK(refusal("byhour", event("DTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY;BYHOUR=9\r\n")) ==
        "f.ics:7:19: event \"(no SUMMARY)\": RRULE BYHOUR picks times of day: a holiday file holds all-day events "
        "(DTSTART;VALUE=DATE:YYYYMMDD)");
  // RECURRENCE-ID for this and all later occurrences.
  CHECK(refusal("range", event("DTSTART;VALUE=DATE:20251225\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Xmas\r\n") +
                             event("RECURRENCE-ID;RANGE=THISANDFUTURE;VALUE=DATE:20271225\r\n"
                                   "DTSTART;VALUE=DATE:20271227\r\nSUMMARY:Xmas moved\r\n")) ==
        "f.ics:12:1: event \"Xmas moved\": RECURRENCE-ID;RANGE=THISANDFUTURE (an override of this and all "
        "later occurrences) is not supported: split the event into two");
  // An override of an occurrence the event does not have, and one without its event.
  CHECK(refusal("no-occurrence", event("DTSTART;VALUE=DATE:20251225\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Xmas\r\n") +
                                     event("RECURRENCE-ID;VALUE=DATE:20271224\r\nDTSTART;VALUE=DATE:20271227\r\n")) ==
        "f.ics:12:26: event \"(no SUMMARY)\": RECURRENCE-ID 2027-12-24 is not an occurrence of the event at line 4");
  CHECK(refusal("orphan", event("RECURRENCE-ID;VALUE=DATE:20271224\r\nDTSTART;VALUE=DATE:20271227\r\n")) ==
        "f.ics:6:26: event \"(no SUMMARY)\": RECURRENCE-ID overrides an occurrence of UID e@t, but no event in "
        "this VCALENDAR has that UID without RECURRENCE-ID");
  // DTEND and DURATION together, a duration of hours, an empty or negative length.
  CHECK(refusal("both", event("DTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261226\r\nDURATION:P1D\r\n")) ==
        "f.ics:7:18: event \"(no SUMMARY)\" has both DTEND and DURATION (RFC 5545 allows one)");
  CHECK(refusal("hours", event("DTSTART;VALUE=DATE:20261225\r\nDURATION:PT5H\r\n")) ==
        "f.ics:7:10: event \"(no SUMMARY)\": DURATION PT5H is not a whole number of days: expected whole days or weeks such as P1D, "
        "P2D or P1W");
  CHECK(refusal("backwards", event("DTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261225\r\n")) ==
        "f.ics:7:18: event \"(no SUMMARY)\" must last 1 to 366 days (DTEND is the day after the last day); "
        "it lasts 0");
  // Lists of periods, EXRULE, unknown properties and components, other calendar scales.
  CHECK(refusal("period", event("DTSTART;VALUE=DATE:20261225\r\nRDATE;VALUE=PERIOD:20261226/P1D\r\n")) ==
        "f.ics:7:1: event \"(no SUMMARY)\": RDATE has VALUE=PERIOD: list dates instead (RDATE;VALUE=DATE:YYYYMMDD,...)");
  CHECK(refusal("exrule", event("DTSTART;VALUE=DATE:20261225\r\nEXRULE:FREQ=YEARLY\r\n")) ==
        "f.ics:7:1: event \"(no SUMMARY)\": EXRULE (deprecated by RFC 5545) is not supported: list the dates "
        "with EXDATE");
  CHECK(refusal("unknown", event("DTSTART;VALUE=DATE:20261225\r\nRSVP:TRUE\r\n")) ==
        "f.ics:7:1: event \"(no SUMMARY)\": unknown property RSVP (X- properties are ignored; others are refused)");
  CHECK(refusal("vtodo", "BEGIN:VTODO\r\nEND:VTODO\r\n") ==
        "f.ics:4:1: a VTODO in a holiday file: only VEVENTs (all-day events) are holidays");
  CHECK(refusal("rscale", event("DTSTART;VALUE=DATE:20261225\r\nRRULE:RSCALE=HEBREW;FREQ=YEARLY\r\n")) ==
        "f.ics:7:7: event \"(no SUMMARY)\": RRULE RSCALE (RFC 7529 calendars other than the Gregorian) is not supported");
  CHECK(refusal("both-ends", event("DTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY;COUNT=2;UNTIL=20301225\r\n")) ==
        "f.ics:7:7: event \"(no SUMMARY)\": RRULE gives both COUNT and UNTIL (RFC 5545 allows one)");
  CHECK(refusal("bad-date", event("DTSTART;VALUE=DATE:20260230\r\n")) ==
        "f.ics:6:20: event \"(no SUMMARY)\": DTSTART 20260230 is not a date in 0001-9999");
  CHECK(refusal("status", event("DTSTART;VALUE=DATE:20261225\r\nSTATUS:MAYBE\r\n")) ==
        "f.ics:7:8: event \"(no SUMMARY)\": STATUS:MAYBE: expected CONFIRMED, TENTATIVE or CANCELLED");
  CHECK(refusal("no-start", event("SUMMARY:Nothing\r\n")) == "f.ics:4:1: event \"Nothing\" has no DTSTART");
  CHECK(refusal("unclosed", "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\n") ==
        "f.ics:6:1: END:VCALENDAR inside BEGIN:VEVENT (expected END:VEVENT)");
  CHECK(refusal("lone-cr", event("DTSTART;VALUE=DATE:20261225\r\nSUMMARY:Boxing\rDay\r\n")) ==
        "f.ics:7:15: a carriage return (CR) that does not end a line: lines end with CRLF or LF");
  CHECK(refusal("duplicate-uid", event("DTSTART;VALUE=DATE:20261225\r\n") + event("DTSTART;VALUE=DATE:20261226\r\n")) ==
        "f.ics:8:1: event \"(no SUMMARY)\": a second event with UID e@t in this VCALENDAR (the first is at "
        "line 4); an occurrence that differs needs RECURRENCE-ID");
  CHECK(refusal("unsynchronised", event("DTSTART;VALUE=DATE:20261224\r\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25\r\n")) ==
        "f.ics:7:7: event \"(no SUMMARY)\": DTSTART 2026-12-24 is not one of the dates its RRULE makes (RFC "
        "5545 leaves such a set undefined); start it on the first date the rule makes");
  // A long interval repeats its pattern only every 2,800 years: honest up to 2582, refused beyond.
  CHECK(refusal("interval", event("DTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY;INTERVAL=7\r\n")) ==
        "f.ics:7:7: event \"(no SUMMARY)\": an RRULE with INTERVAL=7 repeats its pattern only every 2800 years; "
        "redress expands such a rule only from 1583 to 2582: end the calendar's 'valid' range, or the rule "
        "(COUNT, UNTIL), by then");
  // ... unless COUNT or UNTIL ends the rule by 2582: 2026, 2033 and 2040 (they were refused).
  CHECK(refusal("interval-count", event("DTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY;INTERVAL=7;COUNT=3\r\n")) ==
        "(no error)");
  CHECK(refusal("interval-until", event("DTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY;INTERVAL=7;UNTIL=20401225\r\n")) ==
        "(no error)");
  CHECK(refusal("interval-ok", event("DTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY;INTERVAL=7\r\n"), 2582) ==
        "(no error)");
}

TEST_CASE("a control character in a value is refused; a SUMMARY's line break stays written \\n") {
  // RFC 5545 3.3.11 allows no control character in text but a tab: an ESC in a SUMMARY was
  // printed raw by `redress holidays` and `explain`, where a terminal acts on it.
  CHECK(refusal("escape", event("DTSTART;VALUE=DATE:20260105\r\nSUMMARY:Closed\x1b[31m\r\n")) ==
        "f.ics:7:15: SUMMARY holds a control character (\\x1b), which RFC 5545 does not allow in a value "
        "(a line break is written \\n)");
  CHECK(refusal("bell", event("DTSTART;VALUE=DATE:20260105\x07\r\n")) ==
        "f.ics:6:28: DTSTART holds a control character (\\x07), which RFC 5545 does not allow in a value "
        "(a line break is written \\n)");
  // A line break written as RFC 5545 says (\n) is kept in the name as the two characters, so that
  // a holiday is shown on one line; a tab is shown as \t.
  const std::string path = write_ics("line-break", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" +
                                                       event("DTSTART;VALUE=DATE:20260105\r\n"
                                                             "SUMMARY:Closed\\nfor stock\ttaking\r\n") +
                                                       "END:VCALENDAR\r\n");
  CHECK(days(path, 9999) == std::vector<std::string>{"2026-01-05 Closed\\nfor stock\\ttaking"});
}

TEST_CASE("a byte order mark, LF line ends and folded lines are read") {
  const std::string path = write_ics("bom", "\xEF\xBB\xBF" "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n"
                                            "BEGIN:VEVENT\nUID:x@t\nDTSTART;VALUE=DATE:2026\n 1225\nSUMMARY:Christ\n\tmas\\, Day\n"
                                            "END:VEVENT\nEND:VCALENDAR\n");
  CHECK(days(path, 9999) == std::vector<std::string>{"2026-12-25 Christmas, Day"});
}

TEST_CASE("DTSTART is the first occurrence even when UNTIL is before it") {
  const std::string path = write_ics("until-before", "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\n"
                                                     "BEGIN:VEVENT\nUID:a@t\nDTSTART;VALUE=DATE:20260101\n"
                                                     "RRULE:FREQ=YEARLY;UNTIL=20250101\nSUMMARY:Once\nEND:VEVENT\n"
                                                     "END:VCALENDAR\n");
  CHECK(dates(path, 9999) == std::set<std::string>{"2026-01-01"});
}

TEST_CASE("Outlook's timed all-day events: midnight to midnight of one zone are those local dates") {
  // Christmas every year from 2024 but 2025 (EXDATE at midnight), Good Friday to Easter Monday
  // 2026 (3-6 April: DTEND 7 April is exclusive), and a floating-time bank holiday.
  CHECK(days(ics("outlook-timed-all-day.ics"), 2026) ==
        std::vector<std::string>{
            "2024-12-25 Christmas closure", "2026-04-03 Easter closure", "2026-04-04 Easter closure",
            "2026-04-05 Easter closure", "2026-04-06 Easter closure", "2026-08-31 Summer bank holiday",
            "2026-12-25 Christmas closure",
        });
  const std::string flag = "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE\r\n";
  // Not midnight: a part of a day is no holiday.
  CHECK(refusal("outlook-noon", event("DTSTART;TZID=\"GMT Standard Time\":20261225T000000\r\n"
                                      "DTEND;TZID=\"GMT Standard Time\":20261225T120000\r\nSUMMARY:Half\r\n" + flag)) ==
        "f.ics:7:32: event \"Half\": DTEND 20261225T120000 is not midnight: an event marked all-day "
        "(X-MICROSOFT-CDO-ALLDAYEVENT:TRUE) must run from midnight to midnight");
  // Midnights of two zones are not whole days of either.
  CHECK(refusal("outlook-zones", event("DTSTART;TZID=\"GMT Standard Time\":20261225T000000\r\n"
                                       "DTEND;TZID=\"W. Europe Standard Time\":20261226T000000\r\nSUMMARY:Two\r\n" + flag)) ==
        "f.ics:7:38: event \"Two\": an event marked all-day (X-MICROSOFT-CDO-ALLDAYEVENT:TRUE) at midnight "
        "spans whole days only if DTEND is in DTSTART's zone (TZID=GMT Standard Time), not TZID=W. Europe "
        "Standard Time");
  CHECK(refusal("outlook-utc", event("DTSTART:20261225T000000\r\nDTEND:20261226T000000Z\r\nSUMMARY:Utc\r\n" + flag)) ==
        "f.ics:7:7: event \"Utc\": an event marked all-day (X-MICROSOFT-CDO-ALLDAYEVENT:TRUE) at midnight "
        "spans whole days only if DTEND is in DTSTART's zone (floating), not UTC");
  CHECK(refusal("outlook-mixed", event("DTSTART:20261225T000000\r\nDTEND;VALUE=DATE:20261226\r\nSUMMARY:Mixed\r\n" + flag)) ==
        "f.ics:7:18: event \"Mixed\": an event marked all-day (X-MICROSOFT-CDO-ALLDAYEVENT:TRUE) at midnight "
        "spans whole days only if DTSTART and DTEND are both midnights or both dates");
  // A DATE-TIME DTSTART alone is an instant (RFC 5545 3.6.1), not a day.
  CHECK(refusal("outlook-instant", event("DTSTART:20261225T000000\r\nSUMMARY:Instant\r\n" + flag)) ==
        "f.ics:6:9: event \"Instant\": an event marked all-day (X-MICROSOFT-CDO-ALLDAYEVENT:TRUE) at midnight "
        "spans whole days only with a DTEND at midnight or a DURATION in days");
  // Without Outlook's mark, a time of day is refused as before, midnight or not.
  CHECK(refusal("outlook-unmarked", event("DTSTART:20261225T000000\r\nDTEND:20261226T000000\r\nSUMMARY:Plain\r\n")) ==
        "f.ics:6:9: event \"Plain\": DTSTART 20261225T000000 has a time of day: a holiday file holds all-day "
        "events (DTSTART;VALUE=DATE:YYYYMMDD)");
}

TEST_CASE("COUNT or UNTIL ends a long-interval rule within libical's years, so it is not refused") {
  const std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a@t\r\n"
                           "DTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY;INTERVAL=7;RULE_END\r\n"
                           "SUMMARY:Septennial\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
  for (const std::string end : {"COUNT=3", "UNTIL=20401225", "UNTIL=20450101"}) {
    std::string body = text;
    body.replace(body.find("RULE_END"), 8, end);
    CHECK(dates(write_ics("septennial", body), 9999) == std::set<std::string>{"2026-12-25", "2033-12-25", "2040-12-25"});
  }
}

TEST_CASE("one holiday file makes at most 1,000,000 holiday dates: at the limit and one past") {
  auto file = [](const std::string& name, const std::string& count, const std::string& more) {
    return write_ics(name, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a@t\r\n"
                           "DTSTART;VALUE=DATE:00010101\r\nRRULE:FREQ=DAILY;COUNT=" + count + "\r\n"
                           "SUMMARY:Every day\r\nEND:VEVENT\r\n" + more + "END:VCALENDAR\r\n");
  };
  // 1,000,000 days from 0001-01-01: the last is 999,999 days on, 2738-11-28 (Python:
  // date(1, 1, 1) + timedelta(999999)).
  const std::string at_limit = file("limit", "1000000", "");
  const std::vector<ical_holiday> all = read_ical_holidays(at_limit, {}, 9999);
  REQUIRE(all.size() == 1000000);
  CHECK(all.front().date == civil_date{1, 1, 1});
  CHECK(all.back().date == civil_date{2738, 11, 28});
  // One date more from the rule: refused at the RRULE.
  const std::string past = file("past-rule", "1000001", "");
  CHECK_THROWS_WITH(read_ical_holidays(past, {}, 9999),
                    past + ":7:7: event \"Every day\": its RRULE makes more than 1000000 dates, the most one "
                           "holiday file may make; give it a COUNT or UNTIL, or the calendar a shorter 'valid' range");
  // One date more from another event: refused at that event.
  const std::string past_file = file("past-file", "1000000",
                                     "BEGIN:VEVENT\r\nUID:b@t\r\nDTSTART;VALUE=DATE:99991231\r\nSUMMARY:One more\r\nEND:VEVENT\r\n");
  CHECK_THROWS_WITH(read_ical_holidays(past_file, {}, 9999),
                    past_file + ":10:1: the holiday file makes more than 1000000 holiday dates");
}
