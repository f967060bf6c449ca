#include <catch2/catch.hpp>

#include "redress/error.hpp"
#include "redress/time.hpp"

using redress::civil_date;
using redress::civil_time;
using redress::instant;
using redress::time_zone;

namespace {
civil_time at(int y, int mo, int d, int h, int mi, int s = 0) {
  return civil_time{civil_date{y, mo, d}, h, mi, s};
}
std::string failure_of(std::string_view text) {
  try {
    (void)instant::parse(text);
  } catch (const redress::error& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("an RFC 3339 timestamp in UTC reads as seconds since the epoch") {
  // 2026-03-27T16:00:00Z: 20539 days after 1970-01-01, plus 16 hours.
  CHECK(instant::parse("2026-03-27T16:00:00Z").unix_seconds() == 20539LL * 86400 + 16 * 3600);
  CHECK(instant::parse("1970-01-01T00:00:00Z").unix_seconds() == 0);
  CHECK(instant::parse("1969-12-31T23:59:59Z").unix_seconds() == -1);
}

TEST_CASE("an offset is subtracted to reach UTC") {
  CHECK(instant::parse("2026-03-27T16:00:00+01:00") == instant::parse("2026-03-27T15:00:00Z"));
  CHECK(instant::parse("2026-03-27T16:00:00-05:30") == instant::parse("2026-03-27T21:30:00Z"));
  CHECK(instant::parse("2026-03-27T16:00:00+00:00") == instant::parse("2026-03-27T16:00:00Z"));
  CHECK(instant::parse("2026-03-27t16:00:00z") == instant::parse("2026-03-27T16:00:00Z"));
  CHECK(instant::parse("2026-03-27T16:00:00.000Z") == instant::parse("2026-03-27T16:00:00Z"));
}

TEST_CASE("printing and reading an instant round-trips") {
  for (const char* text : {"2026-03-27T16:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                           "2024-02-29T12:34:56Z", "1969-07-20T20:17:40Z"}) {
    CHECK(instant::parse(text).to_string() == text);
  }
}

TEST_CASE("an instant prints with any offset as RFC 3339") {
  const instant t = instant::parse("2026-05-22T22:59:59Z");
  CHECK(redress::format_rfc3339(t, 3600) == "2026-05-22T23:59:59+01:00");
  CHECK(redress::format_rfc3339(t, 0) == "2026-05-22T22:59:59+00:00");
  CHECK(redress::format_rfc3339(t, -(4 * 3600 + 30 * 60)) == "2026-05-22T18:29:59-04:30");
}

TEST_CASE("an instant prints with the offset its zone has at that instant") {
  const time_zone london = time_zone::locate("Europe/London");
  CHECK(redress::format_rfc3339(instant::parse("2026-01-15T12:00:00Z"), london) ==
        "2026-01-15T12:00:00+00:00");
  CHECK(redress::format_rfc3339(instant::parse("2026-07-15T12:00:00Z"), london) ==
        "2026-07-15T13:00:00+01:00");
}

TEST_CASE("a local time in the spring-forward gap resolves to the transition instant") {
  // Europe/London 2026-03-29: clocks go from 01:00 GMT to 02:00 BST; 01:30 never happens.
  const time_zone london = time_zone::locate("Europe/London");
  const auto info = london.lookup(at(2026, 3, 29, 1, 30));
  CHECK(info.result == redress::local_time_info::kind::nonexistent);
  CHECK(info.resolved == instant::parse("2026-03-29T01:00:00Z"));
  CHECK(redress::parse_timestamp("2026-03-29T01:30:00", london) ==
        instant::parse("2026-03-29T01:00:00Z"));
}

TEST_CASE("a local time in the fall-back overlap resolves to its first occurrence") {
  // Europe/London 2026-10-25: 01:00-02:00 happens twice, first in BST (+01:00) then in GMT.
  const time_zone london = time_zone::locate("Europe/London");
  const auto info = london.lookup(at(2026, 10, 25, 1, 30));
  CHECK(info.result == redress::local_time_info::kind::ambiguous);
  CHECK(info.resolved == instant::parse("2026-10-25T00:30:00Z"));
  CHECK(info.later == instant::parse("2026-10-25T01:30:00Z"));
  CHECK(redress::parse_timestamp("2026-10-25T01:30:00", london) ==
        instant::parse("2026-10-25T01:30:00+01:00"));
}

TEST_CASE("a local time without offset reads in the zone; one with an offset ignores the zone") {
  const time_zone new_york = time_zone::locate("America/New_York");
  CHECK(redress::parse_timestamp("2026-07-04T09:00:00", new_york) ==
        instant::parse("2026-07-04T13:00:00Z"));
  CHECK(redress::parse_timestamp("2026-07-04T09:00:00Z", new_york) ==
        instant::parse("2026-07-04T09:00:00Z"));
}

TEST_CASE("DST keeps working after 2037, from the zone's POSIX rule") {
  // Debian's tz files list transitions up to 2037; the footer GMT0BST,M3.5.0/1,M10.5.0 goes on.
  const time_zone london = time_zone::locate("Europe/London");
  CHECK(london.offset_at(instant::parse("2038-07-01T12:00:00Z")) == 3600);
  CHECK(london.offset_at(instant::parse("2045-07-01T12:00:00Z")) == 3600);
  CHECK(london.offset_at(instant::parse("2045-12-01T12:00:00Z")) == 0);
  // Last Sunday of March 2040 is the 25th: 01:30 local does not exist.
  CHECK(london.lookup(at(2040, 3, 25, 1, 30)).result ==
        redress::local_time_info::kind::nonexistent);
  const time_zone sydney = time_zone::locate("Australia/Sydney");
  CHECK(sydney.offset_at(instant::parse("2050-01-15T00:00:00Z")) == 11 * 3600);
  CHECK(sydney.offset_at(instant::parse("2050-07-15T00:00:00Z")) == 10 * 3600);
}

TEST_CASE("a remembered offset holds for its period only, either side of each transition") {
  // Europe/London: BST from 2026-03-29T01:00:00Z to 2026-10-25T01:00:00Z; the tz file's table
  // ends in 2037 and its POSIX footer gives 2038's change, on 28 March at 01:00 UTC. offset_at
  // remembers the periods of its last answers, so asking out of order must still give each
  // instant its own period's offset.
  const time_zone london = time_zone::locate("Europe/London");
  const std::pair<const char*, int> asked[] = {
      {"2026-03-29T00:59:59Z", 0},    {"2026-03-29T01:00:00Z", 3600}, {"2026-10-25T00:59:59Z", 3600},
      {"2026-10-25T01:00:00Z", 0},    {"2026-06-01T12:00:00Z", 3600}, {"2026-01-01T00:00:00Z", 0},
      {"2037-10-25T00:59:59Z", 3600}, {"2037-10-25T01:00:00Z", 0},    {"2038-03-28T00:59:59Z", 0},
      {"2038-03-28T01:00:00Z", 3600}, {"2037-12-31T23:59:59Z", 0},    {"2038-10-31T00:59:59Z", 3600},
      {"2038-10-31T01:00:00Z", 0},    {"9999-07-01T00:00:00Z", 3600}, {"2026-07-01T00:00:00Z", 3600}};
  for (const auto& [text, offset] : asked) {
    INFO(text);
    CHECK(london.offset_at(instant::parse(text)) == offset);
  }
  // Beyond the years date can hold, the offset in force at its nearer edge (10001-01-01: none;
  // 0000-01-01: local mean time), never a remembered one.
  CHECK(london.offset_at(instant::from_unix(std::int64_t{400'000'000'000})) == 0);
  CHECK(london.offset_at(instant::parse("2026-06-01T12:00:00Z")) == 3600);
  CHECK(london.offset_at(instant::from_unix(std::int64_t{-400'000'000'000})) == -75);  // local mean time, -0:01:15
  // Every six hours through 2036-2039, forwards then backwards, against the UK rule itself:
  // summer time from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
  // October.
  const auto last_sunday_1am = [](int year, int month) {
    civil_date d{year, month, 31};
    while (d.day_of_week() != redress::weekday::sunday) d = civil_date::from_days(d.days_since_epoch() - 1);
    return civil_time{d, 1, 0, 0}.seconds_since_epoch();
  };
  const auto uk_rule = [&](std::int64_t t) {
    const int year = civil_date::from_days(t >= 0 ? t / 86400 : (t - 86399) / 86400).year;
    return t >= last_sunday_1am(year, 3) && t < last_sunday_1am(year, 10) ? 3600 : 0;
  };
  const std::int64_t from = instant::parse("2036-01-01T00:00:00Z").unix_seconds();
  const std::int64_t to = instant::parse("2040-01-01T00:00:00Z").unix_seconds();
  int asked_count = 0, differ = 0;
  for (std::int64_t t = from; t < to; t += 6 * 3600, ++asked_count)
    if (london.offset_at(instant::from_unix(t)) != uk_rule(t)) ++differ;
  for (std::int64_t t = to; t > from; t -= 6 * 3600 + 1, ++asked_count)
    if (london.offset_at(instant::from_unix(t)) != uk_rule(t)) ++differ;
  CHECK(asked_count == 11'688);
  CHECK(differ == 0);
}

TEST_CASE("offset_at asked of three zones in turn gives each zone's own offset, either side of each transition") {
  // offset_at remembers, per thread, the period of its last answer for two zones: asking three
  // zones in turn, on both sides of their 2026 changes and in the footer's years, must never
  // answer one zone's question with another's period. Values from zdump -v.
  const time_zone london = time_zone::locate("Europe/London");
  const time_zone sydney = time_zone::locate("Australia/Sydney");
  const time_zone new_york = time_zone::locate("America/New_York");
  struct ask {
    const time_zone* zone;
    const char* at;
    int offset;
  };
  const ask asked[] = {
      {&london, "2026-03-29T00:59:59Z", 0},         {&sydney, "2026-03-29T00:59:59Z", 39600},
      {&new_york, "2026-03-29T00:59:59Z", -14400},  {&london, "2026-03-29T01:00:00Z", 3600},
      {&sydney, "2026-04-04T15:59:59Z", 39600},     {&sydney, "2026-04-04T16:00:00Z", 36000},
      {&london, "2026-04-04T16:00:00Z", 3600},      {&sydney, "2026-10-03T15:59:59Z", 36000},
      {&new_york, "2026-03-08T06:59:59Z", -18000},  {&new_york, "2026-03-08T07:00:00Z", -14400},
      {&sydney, "2026-10-03T16:00:00Z", 39600},     {&new_york, "2026-11-01T05:59:59Z", -14400},
      {&new_york, "2026-11-01T06:00:00Z", -18000},  {&london, "2026-10-25T00:59:59Z", 3600},
      {&london, "2026-10-25T01:00:00Z", 0},         {&sydney, "2040-03-31T15:59:59Z", 39600},
      {&sydney, "2040-03-31T16:00:00Z", 36000},     {&london, "2038-03-28T00:59:59Z", 0},
      {&london, "2038-03-28T01:00:00Z", 3600},      {&new_york, "2026-11-01T05:59:59Z", -14400},
      {&london, "2026-03-29T00:59:59Z", 0},         {&sydney, "2026-03-29T00:59:59Z", 39600}};
  for (const ask& a : asked) {
    INFO(a.zone->name() << " at " << a.at);
    CHECK(a.zone->offset_at(instant::parse(a.at)) == a.offset);
    CHECK(format_rfc3339(instant::parse(a.at), *a.zone).substr(19) ==
          (a.offset == 0 ? std::string("+00:00") : a.offset == 3600 ? std::string("+01:00")
           : a.offset == 39600 ? std::string("+11:00") : a.offset == 36000 ? std::string("+10:00")
           : a.offset == -14400 ? std::string("-04:00") : std::string("-05:00")));
  }
}

TEST_CASE("an unknown zone name is a clear error") {
  CHECK_THROWS_WITH(time_zone::locate("Europe/Londn"),
                    "unknown time zone \"Europe/Londn\": expected an IANA zone name such as "
                    "\"Europe/London\" or \"UTC\"");
  CHECK_THROWS_AS(time_zone::locate("../../etc/passwd"), redress::error);
  CHECK_THROWS_AS(time_zone::locate(""), redress::error);
}

TEST_CASE("malformed timestamps quote the input and say what was expected") {
  CHECK(failure_of("2026-3-27T16:00:00Z") ==
        "invalid timestamp \"2026-3-27T16:00:00Z\": expected 2 digits of the month at character 6 "
        "(expected RFC 3339 with an offset, such as 2026-03-27T16:00:00+01:00)");
  CHECK(failure_of("2026-03-27T16:00:00") ==
        "invalid timestamp \"2026-03-27T16:00:00\": missing the UTC offset ('Z' or +hh:mm) at the "
        "end (expected RFC 3339 with an offset, such as 2026-03-27T16:00:00+01:00)");
  CHECK(failure_of("2026-02-29T10:00:00Z") ==
        "invalid timestamp \"2026-02-29T10:00:00Z\": day 29 does not exist in 2026-02 (expected "
        "RFC 3339 with an offset, such as 2026-03-27T16:00:00+01:00)");
  CHECK(failure_of("2026-03-27T24:00:00Z").find("hour must be 00-23") != std::string::npos);
  CHECK(failure_of("2026-03-27T16:00Z").find("':' after the minutes (seconds are required)") !=
        std::string::npos);
  CHECK(failure_of("2026-03-27T16:00:60Z").find("leap seconds are not supported") !=
        std::string::npos);
  CHECK(failure_of("2026-03-27T16:00:00.5Z").find("fractional seconds are not supported") !=
        std::string::npos);
  CHECK(failure_of("2026-03-27T16:00:00+1:00").find("2 digits of the offset hours") !=
        std::string::npos);
  CHECK(failure_of("2026-03-27T16:00:00+01:00x").find("unexpected text after the offset") !=
        std::string::npos);
  CHECK(failure_of("0000-01-01T00:00:00Z").find("year 0000 is out of range") != std::string::npos);
  CHECK(failure_of("").find("4 digits of the year at character 1") != std::string::npos);
  CHECK(failure_of("10000-01-01T00:00:00Z").find("years beyond 9999 are not supported") != std::string::npos);
}

TEST_CASE("every day of 0001-9999 reads back as the date it counts, and the fast path's edges hold") {
  // Walk the calendar a day at a time with nothing but month lengths, beside the day count.
  constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::int64_t day = -719162;  // 0001-01-01: 719,162 days before 1970-01-01
  std::int64_t wrong = 0;
  for (int y = 1; y <= 9999; ++y) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    for (int m = 1; m <= 12; ++m) {
      const int n = m == 2 && leap ? 29 : lengths[m - 1];
      for (int d = 1; d <= n; ++d, ++day) {
        const civil_date date{y, m, d};
        if (date.days_since_epoch() != day || !(civil_date::from_days(day) == date)) ++wrong;
      }
    }
  }
  CHECK(wrong == 0);
  CHECK(day == 2932897);  // the day after 9999-12-31
  // from_days uses Neri and Schneider's form from -32800-03-01 to 2907005-06-04 and the
  // general one beyond: both sides of each edge.
  CHECK(civil_date::from_days(-12699422) == civil_date{-32800, 3, 1});
  CHECK(civil_date::from_days(-12699423) == civil_date{-32800, 2, 29});
  CHECK(civil_date::from_days(1061042400) == civil_date{2907005, 6, 4});
  CHECK(civil_date::from_days(1061042401) == civil_date{2907005, 6, 5});
  CHECK(civil_date{-32800, 3, 1}.days_since_epoch() == -12699422);
  CHECK(civil_date{2907005, 6, 4}.days_since_epoch() == 1061042400);
  // days_since_epoch's fast form holds for -32799 to 2,000,000: the days either side of each
  // edge are one apart, and read back.
  CHECK(civil_date{-32799, 1, 1}.days_since_epoch() - civil_date{-32800, 12, 31}.days_since_epoch() == 1);
  CHECK(civil_date{2000001, 1, 1}.days_since_epoch() - civil_date{2000000, 12, 31}.days_since_epoch() == 1);
  CHECK(civil_date::from_days(civil_date{-32800, 12, 31}.days_since_epoch()) == civil_date{-32800, 12, 31});
  CHECK(civil_date::from_days(civil_date{2000001, 1, 1}.days_since_epoch()) == civil_date{2000001, 1, 1});
}

TEST_CASE("civil dates count days and weekdays") {
  CHECK(civil_date{1970, 1, 1}.days_since_epoch() == 0);
  CHECK(civil_date{2026, 4, 1}.days_since_epoch() == 20544);
  CHECK(civil_date::from_days(20544) == civil_date{2026, 4, 1});
  CHECK(civil_date{2026, 4, 1}.day_of_week() == redress::weekday::wednesday);
  CHECK(civil_date{2026, 4, 3}.day_of_week() == redress::weekday::friday);
  CHECK(civil_date{1969, 12, 31}.day_of_week() == redress::weekday::wednesday);
  CHECK_FALSE(civil_date{2026, 2, 29}.ok());
  CHECK(civil_date{2024, 2, 29}.ok());
  CHECK(civil_date::parse("2026-12-24") == civil_date{2026, 12, 24});
  CHECK_THROWS_WITH(civil_date::parse("2026-13-01"),
                    "invalid date \"2026-13-01\": month must be 01-12 (expected YYYY-MM-DD such as "
                    "2026-04-01)");
}
