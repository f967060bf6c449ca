// A calendar's holidays for people and other tools: one line per date, JSON, and an
// iCalendar (RFC 5545) file that Outlook, Jira Service Management or Zendesk import.
#ifndef REDRESS_SRC_TOOLS_HOLIDAY_EXPORT_HPP
#define REDRESS_SRC_TOOLS_HOLIDAY_EXPORT_HPP

#include <string>
#include <vector>

#include "redress/calendar.hpp"

namespace redress::tools {

/// "Mon".
std::string weekday_abbreviation(civil_date date);

/// "2027-03-29 Mon Easter Monday\n" per holiday.
std::string holidays_to_text(const std::vector<named_holiday>& holidays);

/// {"calendar":..., "from":..., "to":..., "holidays":[{"date","weekday","name","source"}]}
std::string holidays_to_json(const std::string& calendar, civil_date from, civil_date to,
                             const std::vector<named_holiday>& holidays);

/// A VCALENDAR with one all-day VEVENT per holiday (DTSTART;VALUE=DATE, DTEND the next day),
/// CRLF line endings, lines folded at 75 octets. UIDs are stable: the date and the calendar's
/// name, so a re-import updates events instead of duplicating them. `stamp` is the DTSTAMP.
std::string holidays_to_ics(const std::string& calendar, const std::vector<named_holiday>& holidays,
                            instant stamp);

}  // namespace redress::tools

#endif
