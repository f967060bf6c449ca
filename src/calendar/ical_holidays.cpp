#include "calendar/ical_holidays.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <sstream>

#include <libical/ical.h>

#include "files/toml_reader.hpp"

namespace redress::detail {
namespace {

struct ical_deleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
struct recur_deleter {
  void operator()(icalrecur_iterator* i) const { icalrecur_iterator_free(i); }
};

civil_date from_ical(const icaltimetype& t) { return civil_date{t.year, t.month, t.day}; }

}  // namespace


std::vector<ical_holiday> read_ical_holidays(const std::string& path, const source_location& cited_at,
                                             int last_year) {
  std::vector<ical_holiday> out;
  const std::string text = read_text_file(path, "holiday file", cited_at);
  if (text.find('\0') != std::string::npos)
    throw error("holiday file \"" + path + "\" is not an iCalendar text file", cited_at);

  // libical does not report positions; count the events' lines ourselves.
  std::vector<int> event_lines;
  {
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::string upper;
      for (char c : line) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (upper == "BEGIN:VEVENT") event_lines.push_back(number);
    }
  }
  std::unique_ptr<icalcomponent, ical_deleter> root(icalparser_parse_string(text.c_str()));
  if (!root || (icalcomponent_isa(root.get()) != ICAL_VCALENDAR_COMPONENT &&
                icalcomponent_isa(root.get()) != ICAL_VEVENT_COMPONENT))
    throw error("not an iCalendar file: expected BEGIN:VCALENDAR with all-day VEVENTs",
                source_location{path, 1, 1});

  std::vector<icalcomponent*> events;
  if (icalcomponent_isa(root.get()) == ICAL_VEVENT_COMPONENT) {
    events.push_back(root.get());
  } else {
    for (icalcomponent* e = icalcomponent_get_first_component(root.get(), ICAL_VEVENT_COMPONENT);
         e; e = icalcomponent_get_next_component(root.get(), ICAL_VEVENT_COMPONENT))
      events.push_back(e);
  }
  for (std::size_t k = 0; k < events.size(); ++k) {
    icalcomponent* event = events[k];
    const source_location where{path, k < event_lines.size() ? event_lines[k] : 0, 0};
    const char* summary_text = icalcomponent_get_summary(event);
    const std::string summary = summary_text ? summary_text : "(no SUMMARY)";
    if (icalproperty* problem = icalcomponent_get_first_property(event, ICAL_XLICERROR_PROPERTY)) {
      const char* what = icalproperty_get_xlicerror(problem);
      throw error("event \"" + summary + "\" is malformed: " + (what ? what : "unknown error"), where);
    }
    const icaltimetype start = icalcomponent_get_dtstart(event);
    if (icaltime_is_null_time(start))
      throw error("event \"" + summary + "\" has no DTSTART", where);
    if (!icaltime_is_date(start))
      throw error("event \"" + summary +
                      "\" is not an all-day event: expected DTSTART;VALUE=DATE:YYYYMMDD",
                  where);
    const civil_date first = from_ical(start);
    if (!first.ok()) throw error("event \"" + summary + "\" starts on an invalid date", where);
    std::int64_t length = 1;
    if (icalproperty* end_property = icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY)) {
      const icaltimetype end = icalproperty_get_dtend(end_property);
      if (!icaltime_is_date(end))
        throw error("event \"" + summary + "\" has a DTEND that is not a date", where);
      length = from_ical(end).days_since_epoch() - first.days_since_epoch();
      if (length < 1 || length > 366)
        throw error("event \"" + summary + "\" must last 1 to 366 days", where);
    }
    std::vector<civil_date> excluded;
    for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_EXDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(event, ICAL_EXDATE_PROPERTY))
      excluded.push_back(from_ical(icalproperty_get_exdate(p)));

    std::vector<civil_date> occurrences;
    if (icalproperty* rule = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY)) {
      const icalrecurrencetype recurrence = icalproperty_get_rrule(rule);
      if (recurrence.freq != ICAL_YEARLY_RECURRENCE)
        throw error("event \"" + summary + "\" repeats other than yearly: only RRULE:FREQ=YEARLY "
                    "is supported for holidays", where);
      std::unique_ptr<icalrecur_iterator, recur_deleter> it(icalrecur_iterator_new(recurrence, start));
      if (!it) throw error("event \"" + summary + "\" has an RRULE libical cannot expand", where);
      for (icaltimetype next = icalrecur_iterator_next(it.get()); !icaltime_is_null_time(next);
           next = icalrecur_iterator_next(it.get())) {
        if (next.year > last_year) break;
        occurrences.push_back(from_ical(next));
      }
    } else {
      occurrences.push_back(first);
    }
    for (const civil_date& day : occurrences) {
      if (std::find(excluded.begin(), excluded.end(), day) != excluded.end()) continue;
      for (std::int64_t i = 0; i < length; ++i)
        out.push_back({civil_date::from_days(day.days_since_epoch() + i), summary});
    }
  }
  return out;
}

}  // namespace redress::detail

