// Holiday rules ([[calendar.holiday_rules]]): the date grammar, observance, names, validity,
// and the iCalendar export read back by libical. Every expected date is from a published
// list or worked by hand in the comment beside it.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include <libical/ical.h>

#include "calendar/holiday_rules.hpp"
#include "redress/calendar.hpp"
#include "redress/error.hpp"
#include "support/error_message.hpp"
#include "tools/holiday_export.hpp"

using namespace redress;

namespace {

const char* const header = R"(
[calendar]
name = "t"
timezone = "UTC"
[calendar.hours]
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00"]
)";

business_calendar with_rules(const std::string& rules) {
  return parse_calendar(std::string(header) + rules, "cal.toml");
}

std::string rule(const std::string& name, const std::string& date, const std::string& more = "") {
  return "[[calendar.holiday_rules]]\nname = \"" + name + "\"\ndate = \"" + date + "\"\n" + more + "\n";
}

std::string load_error(const std::string& rules) {
  return testing::error_message([&] { (void)with_rules(rules); });
}

std::string listing(const business_calendar& c, civil_date from, civil_date to) {
  return tools::holidays_to_text(c.holidays(from, to));
}

civil_date d(int y, int m, int day) { return civil_date{y, m, day}; }

}  // namespace

TEST_CASE("Western Easter by the Gregorian computus") {
  // Published Easter Sundays.
  CHECK(detail::western_easter(2000) == d(2000, 4, 23));
  CHECK(detail::western_easter(2019) == d(2019, 4, 21));
  CHECK(detail::western_easter(2024) == d(2024, 3, 31));
  CHECK(detail::western_easter(2038) == d(2038, 4, 25));  // the latest possible date
  CHECK(detail::western_easter(2285) == d(2285, 3, 22));  // the earliest possible date
}

TEST_CASE("Orthodox Easter by the Julian computus, as a Gregorian date") {
  CHECK(detail::orthodox_easter(2021) == d(2021, 5, 2));
  CHECK(detail::orthodox_easter(2023) == d(2023, 4, 16));
  CHECK(detail::orthodox_easter(2024) == d(2024, 5, 5));
  CHECK(detail::orthodox_easter(2010) == d(2010, 4, 4));  // the same day as Western Easter
}

TEST_CASE("Japan's equinox days by the published formula, only for 1900-2150") {
  // Cabinet Office lists: Vernal Equinox Day 2024-03-20, 2027-03-21; Autumnal 2024-09-22,
  // 2025-09-23. 1900: 21 March (the 1900-1979 constants, int() truncating toward zero).
  CHECK(detail::march_equinox(2024) == d(2024, 3, 20));
  CHECK(detail::march_equinox(2027) == d(2027, 3, 21));
  CHECK(detail::september_equinox(2024) == d(2024, 9, 22));
  CHECK(detail::september_equinox(2025) == d(2025, 9, 23));
  CHECK(detail::march_equinox(1900) == d(1900, 3, 21));
  CHECK_FALSE(detail::march_equinox(1899));
  CHECK_FALSE(detail::september_equinox(2151));
}

TEST_CASE("nth and last weekday of a month, weekday after another rule, on or after a date") {
  const business_calendar c = with_rules(
      rule("Thanksgiving", "fourth thursday of november") + rule("Memorial", "last monday of may") +
      rule("Election", "the tuesday after the first monday of november") +
      rule("Victoria", "monday before 05-25") + rule("Spring", "monday on or after 05-25"));
  // 2022: 1 November is a Tuesday, so election day is 8 November, not 1 November.
  // Two rules on one date make one entry with both names.
  CHECK(listing(c, d(2022, 5, 1), d(2022, 11, 30)) ==
        "2022-05-23 Mon Victoria\n2022-05-30 Mon Memorial and Spring\n2022-11-08 Tue Election\n"
        "2022-11-24 Thu Thanksgiving\n");
}

TEST_CASE("A if WEEKDAY, else B: Ireland's St Brigid's Day") {
  const business_calendar c =
      with_rules(rule("St Brigid's Day", "02-01 if friday, else first monday of february", "from = 2023"));
  // 2026: 1 February is a Sunday -> Monday 2 February; 2030: 1 February is a Friday.
  CHECK(listing(c, d(2026, 1, 1), d(2026, 12, 31)) == "2026-02-02 Mon St Brigid's Day\n");
  CHECK(listing(c, d(2030, 1, 1), d(2030, 12, 31)) == "2030-02-01 Fri St Brigid's Day\n");
  CHECK(listing(c, d(2022, 1, 1), d(2022, 12, 31)).empty());  // before 'from'
}

TEST_CASE("observance: substitute days push past each other (UK)") {
  const std::string observe = "observe = \"next-weekday\"";
  const business_calendar c = with_rules(rule("Christmas Day", "12-25", observe) +
                                         rule("Boxing Day", "12-26", observe));
  // 2021: Saturday and Sunday -> Monday 27 and Tuesday 28 (GOV.UK).
  CHECK(listing(c, d(2021, 12, 1), d(2021, 12, 31)) ==
        "2021-12-27 Mon Christmas Day (substitute day)\n2021-12-28 Tue Boxing Day (substitute day)\n");
  // 2022: Christmas on Sunday -> Tuesday 27, because Boxing Day holds Monday 26 (GOV.UK).
  CHECK(listing(c, d(2022, 12, 1), d(2022, 12, 31)) ==
        "2022-12-26 Mon Boxing Day\n2022-12-27 Tue Christmas Day (substitute day)\n");
  CHECK_FALSE(c.is_business_day(d(2022, 12, 27)));
  CHECK(c.is_business_day(d(2022, 12, 28)));
}

TEST_CASE("observance: nearest weekday spills into the year before (US federal)") {
  const business_calendar c = with_rules(rule("New Year's Day", "01-01", "observe = \"nearest-weekday\""));
  // 1 January 2022 is a Saturday: observed Friday 31 December 2021 (OPM).
  CHECK(listing(c, d(2021, 12, 1), d(2022, 1, 31)) == "2021-12-31 Fri New Year's Day (observed)\n");
  CHECK_FALSE(c.is_business_day(d(2021, 12, 31)));
  CHECK(c.is_business_day(d(2022, 1, 3)));
}

TEST_CASE("observance: additional day, Monday if weekend, Monday if Sunday, Saturday if Sunday") {
  const business_calendar c = with_rules(
      rule("Boxing Day", "12-26", "observe = \"additional-weekday\"") +
      rule("Australia Day", "01-26", "observe = \"monday-if-weekend\"\nobserved_name = \"Australia Day\"") +
      rule("Canada Day", "07-01", "observe = \"monday-if-sunday\"") +
      rule("King's Day", "04-27", "observe = \"saturday-if-sunday\""));
  // NSW 2026: Boxing Day on Saturday stays and Monday 28 is added.
  CHECK(listing(c, d(2026, 12, 1), d(2026, 12, 31)) ==
        "2026-12-26 Sat Boxing Day\n2026-12-28 Mon Boxing Day (additional day)\n");
  // NSW 2025: 26 January is a Sunday -> Monday 27, no holiday on the Sunday.
  CHECK(listing(c, d(2025, 1, 1), d(2025, 1, 31)) == "2025-01-27 Mon Australia Day\n");
  // Canada 2018: 1 July a Sunday -> Monday 2 July. Netherlands 2025: 27 April a Sunday -> 26.
  CHECK(listing(c, d(2018, 7, 1), d(2018, 7, 31)) == "2018-07-02 Mon Canada Day (observed)\n");
  CHECK(listing(c, d(2025, 4, 1), d(2025, 4, 30)) == "2025-04-26 Sat King's Day (observed)\n");
}

TEST_CASE("Japan: substitute holiday and the citizens' holiday between two holidays") {
  const business_calendar c = with_rules(
      rule("Respect for the Aged Day", "third monday of september") +
      rule("Autumnal Equinox Day", "september-equinox", "observe = \"next-day-if-sunday\"") +
      rule("Citizens' Holiday", "between-holidays", "from = 1988"));
  // 2026 (Cabinet Office): Monday 21 Respect for the Aged, Tuesday 22 citizens' holiday,
  // Wednesday 23 equinox.
  CHECK(listing(c, d(2026, 9, 1), d(2026, 9, 30)) ==
        "2026-09-21 Mon Respect for the Aged Day\n2026-09-22 Tue Citizens' Holiday\n"
        "2026-09-23 Wed Autumnal Equinox Day\n");
  // 2024: the equinox on Sunday 22 September stays and Monday 23 is the substitute holiday;
  // Respect for the Aged Day is Monday 16.
  CHECK(listing(c, d(2024, 9, 1), d(2024, 9, 30)) ==
        "2024-09-16 Mon Respect for the Aged Day\n2024-09-22 Sun Autumnal Equinox Day\n"
        "2024-09-23 Mon Autumnal Equinox Day (substitute holiday)\n");
  // The equinox formula holds for 1900-2150: the calendar has no data after.
  CHECK(c.rule_years() == std::make_pair(1900, 2150));
  CHECK_THROWS_WITH(c.holidays(d(2151, 1, 1), d(2151, 12, 31)),
                    Catch::Contains("has no data for 2151"));
  CHECK_THROWS_WITH(deadline(c, instant::parse("2150-12-30T10:00:00Z"), duration_spec::parse("5 business days")),
                    Catch::Contains("has no data for 2151"));
}

TEST_CASE("listed holidays carry names; rules-only calendars have no end") {
  const business_calendar c = parse_calendar(R"toml(
[calendar]
name = "t"
timezone = "Europe/London"
holidays = ["2020-05-11", { date = "2020-05-08", name = "Early May bank holiday (VE day)" }]
[[calendar.holiday_rules]]
name = "Early May bank holiday"
date = "first monday of may"
from = 1978
except = [2020]
[calendar.hours]
mon = ["09:00-17:00"]
fri = ["09:00-17:00"]
)toml", "cal.toml");
  CHECK(listing(c, d(2020, 5, 1), d(2020, 5, 31)) ==
        "2020-05-08 Fri Early May bank holiday (VE day)\n2020-05-11 Mon holiday\n");
  CHECK(listing(c, d(2021, 5, 1), d(2021, 5, 31)) == "2021-05-03 Mon Early May bank holiday\n");
  CHECK(c.holiday_on(d(2021, 5, 3))->source == named_holiday::origin::rule);
  CHECK(c.holiday_on(d(2020, 5, 8))->source == named_holiday::origin::listed);
  CHECK_FALSE(c.holiday_on(d(2021, 5, 4)));
  // No `valid` and only rules plus past listed dates: any year, e.g. 5000 (first Monday of May
  // 5000 is the 5th: 1 May 5000 is a Thursday, as 2000 years of 146097-day cycles keep weekdays).
  CHECK(listing(c, d(5000, 5, 1), d(5000, 5, 31)) == "5000-05-05 Mon Early May bank holiday\n");
  CHECK_FALSE(c.is_business_day(d(5000, 5, 5)));
}

TEST_CASE("holiday rule mistakes are located and say what was expected") {
  CHECK(load_error(rule("X", "12-25", "observe = \"next-weekdays\"")) ==
        "cal.toml:14:11: unknown observe \"next-weekdays\": expected none, nearest-weekday, "
        "monday-if-weekend, next-weekday, additional-weekday, monday-if-sunday, next-day-if-sunday "
        "or saturday-if-sunday; did you mean 'next-weekday'?");
  CHECK(load_error(rule("X", "first mondy of may")) ==
        "cal.toml:13:15: invalid holiday date \"first mondy of may\": expected a weekday (monday ... "
        "sunday), found \"mondy\"");
  CHECK(load_error(rule("X", "last monday of mai")) ==
        "cal.toml:13:24: invalid holiday date \"last monday of mai\": expected a month (january ... "
        "december), found \"mai\"");
  CHECK(load_error(rule("X", "easter+x")) ==
        "cal.toml:13:9: invalid holiday date \"easter+x\": expected \"easter+N\" or \"easter-N\" "
        "with N a number of days (at most 366), found \"easter+x\"");
  CHECK(load_error(rule("X", "13-01")) ==
        "cal.toml:13:9: invalid holiday date \"13-01\": expected a month 01-12 in \"MM-DD\", found \"13-01\"");
  CHECK(load_error(rule("X", "02-01 if friday")) ==
        "cal.toml:13:24: invalid holiday date \"02-01 if friday\": expected \", else DATE\" or another "
        "weekday after \"if WEEKDAY\", found the end");
  CHECK(load_error(rule("X", "12-25", "from = 2020\nuntil = 2019")) ==
        "cal.toml:15:9: 'until' (2019) is before 'from' (2020)");
  CHECK(load_error(rule("X", "12-25", "from = 2020\nexcept = [2019]")) ==
        "cal.toml:15:11: 'except' year 2019 is outside the rule's years 2020-...");
  CHECK(load_error("[[calendar.holiday_rules]]\ndate = \"12-25\"\n") ==
        "cal.toml:11:1: a holiday rule needs a 'name' (shown by explain and `redress holidays`)");
  CHECK(load_error("[[calendar.holiday_rules]]\nname = \"X\"\ndat = \"12-25\"\n") ==
        "cal.toml:13:1: unknown key 'dat' in [[calendar.holiday_rules]]; did you mean 'date'?");
}

TEST_CASE("an exception that gives a rule-made holiday its own hours reopens it") {
  calendar_definition def;
  def.name = "t";
  def.timezone = "UTC";
  def.week[0] = {local_interval{540, 1020}};
  def.holiday_rules.push_back({"Boxing Day", "12-26", holiday_observance::none, "", std::nullopt, std::nullopt, {}});
  def.exceptions[d(2025, 12, 26)] = {local_interval{540, 720}};
  const business_calendar c = business_calendar::build(def);
  // The exception reopens the date: it is no holiday of the calendar.
  CHECK(listing(c, d(2025, 12, 1), d(2025, 12, 31)).empty());
  CHECK(listing(c, d(2026, 12, 1), d(2026, 12, 31)) == "2026-12-26 Sat Boxing Day\n");
}

TEST_CASE("holidays --ics parses back with libical: every date and name") {
  const business_calendar c = load_calendar(std::string(REDRESS_SOURCE_DIR) + "/rules/calendars/england-wales.toml");
  auto list = c.holidays(d(2022, 1, 1), d(2022, 12, 31));
  REQUIRE(list.size() == 10);
  // A name longer than a line (75 octets), with characters TEXT escapes and a UTF-8 one.
  list.push_back({d(2022, 12, 31), "A very long holiday name; with a comma, a semicolon and an \xC3\xA9 to make it fold", named_holiday::origin::listed});
  const std::string ics = tools::holidays_to_ics(c.name(), list, instant::parse("2026-12-01T12:00:00Z"));
  CHECK(ics.find("\r\n") != std::string::npos);
  for (std::size_t at = ics.find('\n'); at != std::string::npos; at = ics.find('\n', at + 1))
    REQUIRE(ics[at - 1] == '\r');  // CRLF only
  std::unique_ptr<icalcomponent, void (*)(icalcomponent*)> root(icalparser_parse_string(ics.c_str()),
                                                                 icalcomponent_free);
  REQUIRE(root);
  REQUIRE(icalcomponent_isa(root.get()) == ICAL_VCALENDAR_COMPONENT);
  std::size_t i = 0;
  for (icalcomponent* e = icalcomponent_get_first_component(root.get(), ICAL_VEVENT_COMPONENT); e;
       e = icalcomponent_get_next_component(root.get(), ICAL_VEVENT_COMPONENT), ++i) {
    REQUIRE(i < list.size());
    CHECK_FALSE(icalcomponent_get_first_property(e, ICAL_XLICERROR_PROPERTY));
    const icaltimetype start = icalcomponent_get_dtstart(e);
    const icaltimetype end = icalcomponent_get_dtend(e);
    CHECK(icaltime_is_date(start));
    CHECK(civil_date{start.year, start.month, start.day} == list[i].date);
    CHECK(civil_date{end.year, end.month, end.day}.days_since_epoch() == list[i].date.days_since_epoch() + 1);
    CHECK(std::string(icalcomponent_get_summary(e)) == list[i].name);
    CHECK(icalcomponent_get_uid(e) != nullptr);
    CHECK(icalcomponent_get_first_property(e, ICAL_DTSTAMP_PROPERTY) != nullptr);
  }
  CHECK(i == list.size());
  CHECK(ics.find("\r\n ") != std::string::npos);  // the long SUMMARY was folded
}

TEST_CASE("extends: a child's rule replaces the parent's rules of that name, others are inherited") {
  const business_calendar c =
      load_calendar(std::string(REDRESS_SOURCE_DIR) + "/tests/data/calendars/rules-child.toml");
  // 2026: first Monday of August is 3 August (not the parent's 31 August); Boxing Day, a
  // Saturday, moves to Monday 28 December.
  CHECK(listing(c, d(2026, 1, 1), d(2026, 12, 31)) ==
        "2026-08-03 Mon Summer bank holiday\n2026-11-30 Mon St Andrew's Day\n"
        "2026-12-28 Mon Boxing Day (substitute day)\n");
}

namespace {

// "01-01 if monday, else 01-01 if monday, else ... else 01-17", with `alternatives` ", else"s.
std::string else_chain(int alternatives) {
  std::string date;
  for (int i = 0; i < alternatives; ++i) date += "01-01 if monday, else ";
  return date + "01-17";
}

// "monday after monday after ... 01-01", `levels` "monday after"s deep.
std::string after_chain(int levels) {
  std::string date;
  for (int i = 0; i < levels; ++i) date += "monday after ";
  return date + "01-01";
}

}  // namespace

TEST_CASE("a date chains at most 16 ', else' alternatives and nests 'WEEKDAY after' 16 deep") {
  // 1 January 2022 is a Saturday, so every "01-01 if monday" falls through to the last: Monday
  // 17 January 2022.
  const business_calendar sixteen = with_rules(rule("Chain", else_chain(16)));
  CHECK(listing(sixteen, d(2022, 1, 1), d(2022, 1, 31)) == "2022-01-17 Mon Chain\n");
  // A 17th ", else" (or the 200,000th, which used to overflow the stack in the recursive parser)
  // is refused where it stands: "01-01 if monday, else " is 22 characters, the quote is column 8.
  for (int n : {17, 200000}) {
    CHECK(load_error(rule("Chain", else_chain(n))) ==
          "cal.toml:13:" + std::to_string(9 + 16 * 22 + 17) + ": invalid holiday date \"" + else_chain(n) +
              "\": a date may chain at most 16 \", else\" alternatives (this is one more)");
  }
  // 1 January 2022 (Saturday): the Monday after is 3 January, then 10 January, ... and the 16th is
  // 3 January + 15 weeks = Monday 18 April.
  const business_calendar nested = with_rules(rule("Nested", after_chain(16)));
  CHECK(listing(nested, d(2022, 4, 1), d(2022, 4, 30)) == "2022-04-18 Mon Nested\n");
  CHECK(load_error(rule("Nested", after_chain(17))) ==
        "cal.toml:13:" + std::to_string(9 + 16 * 13) + ": invalid holiday date \"" + after_chain(17) +
            "\": a date may nest \"WEEKDAY after DATE\" at most 16 deep, found \"monday\"");
}

TEST_CASE("hours next to an exception: a rule-made holiday closes its date as a listed one does") {
  // Monday 4 May 2026 is the first Monday of May. Its weekly overnight shift (20:00-04:00) would
  // run into Tuesday's exception (02:00-05:00), but the Monday is a holiday, so it has no shift.
  const std::string night = R"(
[calendar]
name = "night"
timezone = "UTC"
HOLIDAYS
[calendar.hours]
mon = ["20:00-04:00"]
wed = ["09:00-17:00"]
RULE
[[calendar.exceptions]]
date = "2026-05-05"
hours = ["02:00-05:00"]
)";
  auto with = [&](const std::string& holidays, const std::string& rules) {
    std::string text = night;
    text.replace(text.find("HOLIDAYS"), 8, holidays);
    text.replace(text.find("RULE"), 4, rules);
    return parse_calendar(text, "night.toml");
  };
  const business_calendar listed = with("holidays = [\"2026-05-04\"]", "");
  const business_calendar ruled = with("", rule("Early May bank holiday", "first monday of may"));
  for (const business_calendar* c : {&listed, &ruled}) {
    CHECK_FALSE(c->is_open(instant::parse("2026-05-04T21:00:00Z")));
    CHECK(c->is_open(instant::parse("2026-05-05T03:00:00Z")));
    CHECK_FALSE(c->is_open(instant::parse("2026-05-05T05:00:00Z")));
    CHECK(c->is_open(instant::parse("2026-05-11T21:00:00Z")));  // an ordinary Monday
  }
  // The other side: Sunday 3 May's exception runs to 04:00 on the Monday holiday, whose weekly
  // hours (02:00-10:00) it would overlap on a working Monday.
  const std::string sunday = std::string(R"(
[calendar]
name = "sunday"
timezone = "UTC"
[calendar.hours]
mon = ["02:00-10:00"]
)") + rule("Early May bank holiday", "first monday of may") + R"(
[[calendar.exceptions]]
date = "2026-05-03"
hours = ["22:00-04:00"]
)";
  const business_calendar after = parse_calendar(sunday, "sunday.toml");
  CHECK(after.is_open(instant::parse("2026-05-04T03:00:00Z")));
  CHECK_FALSE(after.is_open(instant::parse("2026-05-04T05:00:00Z")));
  // A working Monday next to the same exception is still refused.
  std::string june = sunday;
  june.replace(june.find("2026-05-03"), 10, "2026-06-07");
  CHECK(testing::error_message([&] { (void)parse_calendar(june, "sunday.toml"); }) == "sunday.toml:12:1: 2026-06-07: the overnight interval of 2026-06-07 runs past "
                               "the start of 2026-06-08's first interval");
}

TEST_CASE("holidays --ics on 9999-12-31 parses back with libical: DURATION:P1D, not a DTEND") {
  const business_calendar c = load_calendar(std::string(REDRESS_SOURCE_DIR) + "/tests/data/calendars/last-day.toml");
  const auto list = c.holidays(d(9998, 12, 31), d(9999, 12, 31));
  REQUIRE(list.size() == 2);
  const std::string ics = tools::holidays_to_ics(c.name(), list, instant::parse("2026-12-01T12:00:00Z"));
  std::unique_ptr<icalcomponent, void (*)(icalcomponent*)> root(icalparser_parse_string(ics.c_str()),
                                                                 icalcomponent_free);
  REQUIRE(root);
  icalcomponent* first = icalcomponent_get_first_component(root.get(), ICAL_VEVENT_COMPONENT);
  REQUIRE(first);
  icalcomponent* last = icalcomponent_get_next_component(root.get(), ICAL_VEVENT_COMPONENT);
  REQUIRE(last);
  for (icalcomponent* e : {first, last}) CHECK_FALSE(icalcomponent_get_first_property(e, ICAL_XLICERROR_PROPERTY));
  // 9998-12-31: DTEND 9999-01-01, as every other day.
  const icaltimetype end = icaltime_from_string(
      icalproperty_get_value_as_string(icalcomponent_get_first_property(first, ICAL_DTEND_PROPERTY)));
  CHECK(civil_date{end.year, end.month, end.day} == d(9999, 1, 1));
  // 9999-12-31: a date, one day long, with no DTEND.
  const icaltimetype start = icalcomponent_get_dtstart(last);
  CHECK(icaltime_is_date(start));
  CHECK(civil_date{start.year, start.month, start.day} == d(9999, 12, 31));
  CHECK(icalcomponent_get_first_property(last, ICAL_DTEND_PROPERTY) == nullptr);
  icalproperty* duration = icalcomponent_get_first_property(last, ICAL_DURATION_PROPERTY);
  REQUIRE(duration);
  const icaldurationtype one = icalproperty_get_duration(duration);
  CHECK(icaldurationtype_as_int(one) == 86400);
  CHECK(std::string(icalcomponent_get_summary(last)) == "New Year's Eve");
}
