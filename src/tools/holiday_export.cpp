#include "tools/holiday_export.hpp"

#include <nlohmann/json.hpp>

#include "calendar/ical_holidays.hpp"

namespace redress::tools {

namespace {

const char* const weekday_short[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT.
std::string escape_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

// RFC 5545 3.1: lines of at most 75 octets, continued with CRLF and a space; never inside a
// UTF-8 sequence.
void add_line(std::string& out, const std::string& line) {
  std::size_t start = 0, limit = 75;
  while (line.size() - start > limit) {
    std::size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line, start, cut - start);
    out += "\r\n ";
    start = cut;
    limit = 74;  // the leading space counts
  }
  out.append(line, start, std::string::npos);
  out += "\r\n";
}

// UIDs are "local part @ domain": keep the calendar's name to characters safe there.
std::string uid_part(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
    out += safe ? c : '-';
  }
  return out.empty() ? std::string("calendar") : out;
}

}  // namespace

std::string weekday_abbreviation(civil_date date) {
  return weekday_short[static_cast<int>(date.day_of_week())];
}

std::string holidays_to_text(const std::vector<named_holiday>& holidays) {
  std::string out;
  for (const named_holiday& h : holidays)
    out += h.date.to_string() + " " + weekday_abbreviation(h.date) + " " + h.name + "\n";
  return out;
}

std::string holidays_to_json(const std::string& calendar, civil_date from, civil_date to,
                             const std::vector<named_holiday>& holidays) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const named_holiday& h : holidays)
  {
    nlohmann::ordered_json item;
    item["date"] = h.date.to_string();
    item["weekday"] = weekday_abbreviation(h.date);
    item["name"] = h.name;
    item["source"] = std::string(to_string(h.source));
    list.push_back(std::move(item));
  }
  nlohmann::ordered_json out;
  out["calendar"] = calendar;
  out["from"] = from.to_string();
  out["to"] = to.to_string();
  out["holidays"] = list;
  return out.dump() + "\n";
}

std::string holidays_to_ics(const std::string& calendar, const std::vector<named_holiday>& holidays,
                            instant stamp) {
  std::string out;
  std::string when = stamp.to_string();  // 2026-12-01T19:00:00Z
  std::string dtstamp;
  for (char c : when)
    if (c != '-' && c != ':') dtstamp += c;
  add_line(out, "BEGIN:VCALENDAR");
  add_line(out, "VERSION:2.0");
  add_line(out, "PRODID:-//redress//redress holidays//EN");
  add_line(out, "CALSCALE:GREGORIAN");
  add_line(out, "METHOD:PUBLISH");
  add_line(out, "X-WR-CALNAME:" + escape_text(calendar));
  for (const named_holiday& h : holidays) {
    add_line(out, "BEGIN:VEVENT");
    add_line(out, "UID:" + detail::ical_date_text(h.date) + "-" + uid_part(calendar) + "@holidays.redress");
    add_line(out, "DTSTAMP:" + dtstamp);
    add_line(out, "DTSTART;VALUE=DATE:" + detail::ical_date_text(h.date));
    // DTEND is the next date (exclusive); 9999-12-31 has none a DATE can write (RFC 5545 3.3.4
    // has four-digit years), so that day says how long it is instead (3.6.1: DURATION of P1D).
    if (h.date == civil_date{9999, 12, 31})
      add_line(out, "DURATION:P1D");
    else
      add_line(out, "DTEND;VALUE=DATE:" + detail::ical_date_text(civil_date::from_days(h.date.days_since_epoch() + 1)));
    add_line(out, "SUMMARY:" + escape_text(h.name));
    add_line(out, "TRANSP:TRANSPARENT");
    add_line(out, "END:VEVENT");
  }
  add_line(out, "END:VCALENDAR");
  return out;
}

}  // namespace redress::tools
