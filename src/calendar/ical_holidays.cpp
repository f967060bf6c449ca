// iCalendar holiday files. Content lines, components and dates are read here, so that every
// refusal names its line and column (libical reports no positions); libical expands RRULEs.
//
// Supported, for all-day events (RFC 5545): DTSTART;VALUE=DATE with DTEND (exclusive) or
// DURATION in days or weeks, RRULE (DAILY, WEEKLY, MONTHLY, YEARLY with COUNT or UNTIL and the
// BY* parts of dates), RDATE and EXDATE lists of dates, RECURRENCE-ID overrides (a moved or a
// cancelled occurrence), STATUS:CANCELLED, several VCALENDARs in one file, VTIMEZONE and VALARM
// blocks (skipped: dates have no zone), X- properties and components (ignored), and Outlook's
// timed all-day events (X-MICROSOFT-CDO-ALLDAYEVENT:TRUE, DTSTART and DTEND at midnight of one
// zone: the local dates they span). Everything that could change which dates are holidays and
// is not in that list is refused.
#include "calendar/ical_holidays.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <set>

#include <libical/ical.h>

#include "files/byte_order_mark.hpp"
#include "files/toml_reader.hpp"

namespace redress::detail {
namespace {

// libical's recurrence iterator stops after this year, and is Gregorian only from 1583.
constexpr int libical_last_year = 2582;
constexpr int libical_first_year = 1583;
// The Gregorian calendar repeats itself every 400 years: 146,097 days, 20,871 weeks.
constexpr std::int64_t days_per_400_years = 146097;
// One file may make at most this many holiday dates (a FREQ=DAILY rule to 9999 makes 2.9 million).
constexpr std::size_t max_dates_per_file = 1000000;

struct ical_deleter {
  void operator()(icalrecur_iterator* i) const { icalrecur_iterator_free(i); }
};

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Where each run of a logical (unfolded) line came from.
struct segment {
  std::size_t offset;  // in the logical line
  int line;
  int column;  // of the segment's first character
};

struct content_line {
  std::string name;  // upper case
  std::vector<std::pair<std::string, std::string>> params;  // upper-case name, value
  std::string value;
  std::size_t value_offset = 0;  // in the logical line
  std::vector<segment> segments;
  std::string path;

  source_location at(std::size_t offset) const {
    const segment* s = &segments.front();
    for (const segment& candidate : segments)
      if (candidate.offset <= offset) s = &candidate;
    return {path, s->line, s->column + static_cast<int>(offset - s->offset)};
  }
  source_location at_value(std::size_t offset_in_value = 0) const {
    return at(value_offset + offset_in_value);
  }
  source_location start() const { return at(0); }
  const std::string* param(std::string_view key) const {
    for (const auto& [k, v] : params)
      if (k == key) return &v;
    return nullptr;
  }
};

[[noreturn]] void fail(const source_location& where, const std::string& message) {
  throw error(message, where);
}

// --- content lines (RFC 5545 section 3.1) -----------------------------------------------------

content_line parse_content_line(std::string logical, std::vector<segment> segments,
                                const std::string& path) {
  content_line out;
  out.path = path;
  out.segments = std::move(segments);
  auto is_name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
  };
  std::size_t pos = 0;
  while (pos < logical.size() && is_name_char(logical[pos])) ++pos;
  if (pos == 0)
    fail(out.at(0), "expected a content line NAME:VALUE (such as DTSTART;VALUE=DATE:20261225)");
  out.name = upper(logical.substr(0, pos));
  while (pos < logical.size() && logical[pos] == ';') {
    const std::size_t name_start = ++pos;
    while (pos < logical.size() && is_name_char(logical[pos])) ++pos;
    if (pos == name_start || pos >= logical.size() || logical[pos] != '=')
      fail(out.at(pos), "expected a parameter NAME=VALUE after ';' in " + out.name);
    std::string key = upper(logical.substr(name_start, pos - name_start));
    ++pos;
    std::string value;
    for (;;) {
      if (pos < logical.size() && logical[pos] == '"') {
        const std::size_t close = logical.find('"', pos + 1);
        if (close == std::string::npos)
          fail(out.at(pos), "a quoted parameter value of " + out.name + " is not closed");
        value += logical.substr(pos + 1, close - pos - 1);
        pos = close + 1;
      } else {
        const std::size_t stop = logical.find_first_of(";:,", pos);
        const std::size_t end = stop == std::string::npos ? logical.size() : stop;
        value += logical.substr(pos, end - pos);
        pos = end;
      }
      if (pos < logical.size() && logical[pos] == ',') {
        value += ',';
        ++pos;
        continue;
      }
      break;
    }
    out.params.emplace_back(std::move(key), std::move(value));
  }
  if (pos >= logical.size() || logical[pos] != ':')
    fail(out.at(pos), "expected ':' and a value after " + out.name);
  out.value_offset = pos + 1;
  out.value = logical.substr(pos + 1);
  // RFC 5545 3.3.11: text holds no control character but a tab (a line break is written \n).
  for (std::size_t i = out.value_offset; i < logical.size(); ++i)
    if (logical[i] != '\t' && find_control(std::string_view(&logical[i], 1)) == 0)
      fail(out.at(i), out.name + " holds a control character (" + escape_controls(std::string(1, logical[i])) +
                          "), which RFC 5545 does not allow in a value (a line break is written \\n)");
  return out;
}

// Unfolds and splits the text into content lines. Accepts LF or CRLF line ends and a leading
// UTF-8 byte order mark; refuses a NUL and a carriage return that does not end a line.
std::vector<content_line> read_content_lines(const std::string& text, const std::string& path) {
  std::vector<content_line> out;
  std::size_t pos = byte_order_mark_length(text);
  std::string logical;
  std::vector<segment> segments;
  auto flush = [&] {
    if (!segments.empty()) out.push_back(parse_content_line(std::move(logical), std::move(segments), path));
    logical.clear();
    segments.clear();
  };
  int line = 0;
  while (pos < text.size()) {
    ++line;
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::size_t stop = end;
    if (stop > pos && text[stop - 1] == '\r') --stop;
    const std::string_view physical(text.data() + pos, stop - pos);
    const int first_column = 1;  // a byte order mark before line 1 is not a column
    const bool continuation = !physical.empty() && (physical[0] == ' ' || physical[0] == '\t');
    if (!continuation) flush();  // the line before is complete: its problems come first
    for (std::size_t i = 0; i < physical.size(); ++i) {
      if (physical[i] == '\r')
        fail({path, line, static_cast<int>(i) + first_column},
             "a carriage return (CR) that does not end a line: lines end with CRLF or LF");
      if (physical[i] == '\0')
        fail({path, line, static_cast<int>(i) + first_column},
             "a NUL byte: an iCalendar file is text");
    }
    if (continuation) {
      if (segments.empty())
        fail({path, line, 1}, "a continuation line (starting with a space) with no line before it");
      segments.push_back({logical.size(), line, 2});
      logical.append(physical.substr(1));
    } else if (!physical.empty()) {  // blank lines are tolerated between content lines
      segments.push_back({0, line, first_column});
      logical.assign(physical);
    }
    pos = end + 1;
  }
  flush();
  return out;
}

// --- values ---------------------------------------------------------------------------------

// TEXT (section 3.3.11): \\ \; \, \n.
std::string unescape_text(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) {
      const char next = value[++i];
      out += next == 'n' || next == 'N' ? '\n' : next;
    } else {
      out += value[i];
    }
  }
  return out;
}

struct dated {
  civil_date date;
  source_location where;
  // Outlook's timed all-day events: the date was written as its midnight ("20261225T000000"),
  // in `zone` ("TZID=GMT Standard Time", "UTC" or "floating").
  bool timed = false;
  std::string zone;
};

// What a date property may hold: a DATE, or (in an event Outlook marks all-day,
// X-MICROSOFT-CDO-ALLDAYEVENT:TRUE) the midnight that begins a local date.
enum class date_form : std::uint8_t { date_only, midnight_too };

const char* const all_day_hint = "a holiday file holds all-day events (DTSTART;VALUE=DATE:YYYYMMDD)";

// One DATE value "YYYYMMDD" at `offset` of the line's value; with date_form::midnight_too also
// "YYYYMMDDT000000" or "YYYYMMDDT000000Z" (`timed` then says so).
civil_date parse_date_text(const content_line& l, std::size_t offset, std::size_t length,
                           date_form form = date_form::date_only, bool* timed = nullptr) {
  std::string text = l.value.substr(offset, length);
  const std::size_t t = text.find_first_of("Tt");
  if (t != std::string::npos && form == date_form::midnight_too) {
    const std::string time = upper(text.substr(t));
    if (t != 8 || (time != "T000000" && time != "T000000Z"))
      fail(l.at_value(offset), l.name + " " + text + " is not midnight: an event marked all-day "
                               "(X-MICROSOFT-CDO-ALLDAYEVENT:TRUE) must run from midnight to midnight");
    text.resize(8);
    if (timed) *timed = true;
  } else if (t != std::string::npos) {
    fail(l.at_value(offset), l.name + " " + text + " has a time of day: " + all_day_hint);
  }
  const bool digits = text.size() == 8 && std::all_of(text.begin(), text.end(), [](char c) {
                        return c >= '0' && c <= '9';
                      });
  if (!digits) fail(l.at_value(offset), l.name + " \"" + text + "\" is not a date: expected YYYYMMDD");
  const civil_date d{std::atoi(text.substr(0, 4).c_str()), std::atoi(text.substr(4, 2).c_str()),
                     std::atoi(text.substr(6, 2).c_str())};
  if (!d.ok()) fail(l.at_value(offset), l.name + " " + text + " is not a date in 0001-9999");
  return d;
}

// The VALUE parameter of a date property must say DATE (or nothing). TZID is accepted and has
// no effect: a date is a local date of the calendar's own zone.
void check_date_value_type(const content_line& l, date_form form) {
  if (const std::string* type = l.param("VALUE")) {
    const std::string kind = upper(*type);
    if (kind == "DATE-TIME" && form == date_form::midnight_too) return;
    if (kind == "DATE-TIME")
      fail(l.start(), l.name + " has VALUE=DATE-TIME, a time of day: " + all_day_hint);
    if (kind == "PERIOD")
      fail(l.start(), l.name + " has VALUE=PERIOD: list dates instead (" + l.name + ";VALUE=DATE:YYYYMMDD,...)");
    if (kind != "DATE") fail(l.start(), l.name + " has VALUE=" + *type + ": expected VALUE=DATE");
  }
}

std::vector<dated> parse_date_list(const content_line& l, date_form form = date_form::date_only) {
  check_date_value_type(l, form);
  std::vector<dated> out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t comma = l.value.find(',', pos);
    const std::size_t end = comma == std::string::npos ? l.value.size() : comma;
    dated d;
    d.where = l.at_value(pos);
    d.date = parse_date_text(l, pos, end - pos, form, &d.timed);
    if (d.timed) {
      const std::string* tzid = l.param("TZID");
      d.zone = tzid ? "TZID=" + *tzid : upper(l.value.substr(pos, end - pos)).back() == 'Z' ? "UTC" : "floating";
    }
    out.push_back(std::move(d));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

dated parse_single_date(const content_line& l, date_form form = date_form::date_only) {
  const std::vector<dated> list = parse_date_list(l, form);
  if (list.size() != 1) fail(l.at_value(), l.name + " takes one date, not a list");
  return list.front();
}

// DURATION in whole days for an all-day event: P1D, P2D, P1W (a time part must be zero).
std::int64_t parse_duration_days(const content_line& l) {
  const std::string text = upper(l.value);
  const std::string expected = "expected whole days or weeks such as P1D, P2D or P1W";
  std::size_t pos = 0;
  if (pos < text.size() && text[pos] == '+') ++pos;
  if (pos < text.size() && text[pos] == '-')
    fail(l.at_value(), "DURATION " + l.value + " is negative: " + expected);
  if (pos >= text.size() || text[pos] != 'P') fail(l.at_value(), "DURATION \"" + l.value + "\": " + expected);
  ++pos;
  std::int64_t days = 0;
  bool any = false, in_time = false, nonzero_time = false;
  while (pos < text.size()) {
    if (text[pos] == 'T' && !in_time) {
      in_time = true;
      ++pos;
      continue;
    }
    const std::size_t digits = pos;
    std::int64_t n = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && n < 100000)
      n = n * 10 + (text[pos++] - '0');
    if (pos == digits || pos >= text.size())
      fail(l.at_value(pos), "DURATION \"" + l.value + "\": " + expected);
    const char unit = text[pos++];
    any = true;
    if (!in_time && unit == 'W') days += 7 * n;
    else if (!in_time && unit == 'D') days += n;
    else if (in_time && (unit == 'H' || unit == 'M' || unit == 'S')) nonzero_time = nonzero_time || n != 0;
    else fail(l.at_value(pos - 1), "DURATION \"" + l.value + "\": " + expected);
  }
  if (!any) fail(l.at_value(), "DURATION \"" + l.value + "\": " + expected);
  if (nonzero_time)
    fail(l.at_value(), "DURATION " + l.value + " is not a whole number of days: " + expected);
  return days;
}

// --- recurrence rules -----------------------------------------------------------------------

struct rule {
  std::string libical_text;  // without COUNT and UNTIL, which are applied here
  icalrecurrencetype_frequency freq = ICAL_NO_RECURRENCE;
  std::int64_t interval = 1;
  std::optional<std::int64_t> count;
  std::optional<civil_date> until;
  source_location where;
};

rule parse_rule(const content_line& l) {
  rule out;
  out.where = l.at_value();
  std::set<std::string> seen;
  std::size_t pos = 0;
  while (pos <= l.value.size()) {
    const std::size_t semi = l.value.find(';', pos);
    const std::size_t end = semi == std::string::npos ? l.value.size() : semi;
    const std::string part = l.value.substr(pos, end - pos);
    const source_location where = l.at_value(pos);
    const std::size_t eq = part.find('=');
    if (eq == std::string::npos || eq == 0)
      fail(where, "RRULE part \"" + part + "\" is not NAME=VALUE");
    const std::string key = upper(part.substr(0, eq));
    const std::string value = part.substr(eq + 1);
    if (!seen.insert(key).second) fail(where, "RRULE gives " + key + " twice");
    auto whole_number = [&](std::int64_t low) {
      std::int64_t n = 0;
      bool ok = !value.empty() && value.size() <= 9;
      for (char c : value) ok = ok && c >= '0' && c <= '9';
      if (ok) n = std::stoll(value);
      if (!ok || n < low)
        fail(where, "RRULE " + key + "=" + value + ": expected a whole number of at least " + std::to_string(low));
      return n;
    };
    if (key == "FREQ") {
      const std::string f = upper(value);
      if (f == "SECONDLY" || f == "MINUTELY" || f == "HOURLY")
        fail(where, "RRULE FREQ=" + value + " repeats within a day: " + all_day_hint);
      if (f == "DAILY") out.freq = ICAL_DAILY_RECURRENCE;
      else if (f == "WEEKLY") out.freq = ICAL_WEEKLY_RECURRENCE;
      else if (f == "MONTHLY") out.freq = ICAL_MONTHLY_RECURRENCE;
      else if (f == "YEARLY") out.freq = ICAL_YEARLY_RECURRENCE;
      else fail(where, "RRULE FREQ=" + value + ": expected DAILY, WEEKLY, MONTHLY or YEARLY");
      out.libical_text += (out.libical_text.empty() ? "" : ";") + part;
    } else if (key == "COUNT") {
      out.count = whole_number(1);
    } else if (key == "UNTIL") {
      if (value.size() < 8) fail(where, "RRULE UNTIL=" + value + ": expected YYYYMMDD");
      content_line date_line = l;
      date_line.name = "RRULE UNTIL";
      out.until = parse_date_text(date_line, pos + eq + 1, 8);
      const std::string rest = value.substr(8);
      if (!rest.empty() && !(rest.size() >= 7 && (rest[0] == 'T' || rest[0] == 't')))
        fail(where, "RRULE UNTIL=" + value + ": expected YYYYMMDD or YYYYMMDDTHHMMSSZ");
    } else if (key == "INTERVAL") {
      out.interval = whole_number(1);
      out.libical_text += ";" + part;
    } else if (key == "BYDAY" || key == "BYMONTHDAY" || key == "BYYEARDAY" || key == "BYWEEKNO" ||
               key == "BYMONTH" || key == "BYSETPOS" || key == "WKST") {
      out.libical_text += ";" + part;
    } else if (key == "BYHOUR" || key == "BYMINUTE" || key == "BYSECOND") {
      fail(where, "RRULE " + key + " picks times of day: " + all_day_hint);
    } else if (key == "RSCALE" || key == "SKIP") {
      fail(where, "RRULE " + key + " (RFC 7529 calendars other than the Gregorian) is not supported");
    } else {
      fail(where, "unknown RRULE part " + key + ": expected FREQ, INTERVAL, COUNT, UNTIL, BYDAY, "
                  "BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYMONTH, BYSETPOS or WKST");
    }
    if (semi == std::string::npos) break;
    pos = semi + 1;
  }
  if (out.freq == ICAL_NO_RECURRENCE) fail(out.where, "RRULE has no FREQ");
  if (out.count && out.until) fail(out.where, "RRULE gives both COUNT and UNTIL (RFC 5545 allows one)");
  if (out.libical_text.rfind("FREQ", 0) != 0) {  // FREQ first, as libical expects
    const std::size_t f = out.libical_text.find(";FREQ=");
    std::string freq_part = out.libical_text.substr(f + 1);
    const std::size_t next = freq_part.find(';');
    std::string rest = out.libical_text.substr(0, f);
    if (next != std::string::npos) {
      rest += freq_part.substr(next);
      freq_part = freq_part.substr(0, next);
    }
    out.libical_text = freq_part + rest;
  }
  return out;
}

// (Built from text: icaltime_null_date() with its fields set makes libical skip DTSTART.)
icaltimetype to_ical(const civil_date& d) { return icaltime_from_string(ical_date_text(d).c_str()); }

[[noreturn]] void fail_too_many(const rule& r, const std::string& what) {
  fail(r.where, what + ": its RRULE makes more than " + std::to_string(max_dates_per_file) +
                    " dates, the most one holiday file may make; give it a COUNT or UNTIL, or the "
                    "calendar a shorter 'valid' range");
}

// The dates libical makes for `r` from `start`, before the end of `stop_year`, as days after
// `start`. They stand for dates `origin` + that many days (`start` is `origin` moved by whole
// 400-year periods, or `origin` itself), so COUNT and UNTIL stop the expansion here.
std::vector<std::int64_t> libical_offsets(const rule& r, const civil_date& start, std::int64_t origin,
                                          int stop_year, const std::string& what) {
  icalerror_clear_errno();
  const icalrecurrencetype recurrence = icalrecurrencetype_from_string(r.libical_text.c_str());
  if (recurrence.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
    icalerror_clear_errno();
    fail(r.where, what + ": libical cannot read RRULE " + r.libical_text);
  }
  std::unique_ptr<icalrecur_iterator, ical_deleter> it(icalrecur_iterator_new(recurrence, to_ical(start)));
  icalerror_clear_errno();
  if (!it) fail(r.where, what + ": its RRULE names no date (a month or day that does not exist?)");
  std::vector<std::int64_t> out;
  const std::int64_t first = start.days_since_epoch();
  const std::optional<std::int64_t> until =
      r.until ? std::optional<std::int64_t>(r.until->days_since_epoch()) : std::nullopt;
  for (icaltimetype next = icalrecur_iterator_next(it.get()); !icaltime_is_null_time(next);
       next = icalrecur_iterator_next(it.get())) {
    if (next.year > stop_year) break;
    const std::int64_t offset = civil_date{next.year, next.month, next.day}.days_since_epoch() - first;
    if (until && origin + offset > *until && !out.empty()) break;  // the first is DTSTART's check
    if (r.count && static_cast<std::int64_t>(out.size()) >= *r.count) break;
    if (out.size() == max_dates_per_file) fail_too_many(r, what);
    out.push_back(offset);
  }
  return out;
}

std::int64_t period_in_400_years(const rule& r) {
  const std::int64_t n = r.interval;
  switch (r.freq) {
    case ICAL_YEARLY_RECURRENCE: return n / std::gcd(n, std::int64_t{400});
    case ICAL_MONTHLY_RECURRENCE: return n / std::gcd(n, std::int64_t{4800});
    case ICAL_WEEKLY_RECURRENCE: return n / std::gcd(n, std::int64_t{20871});
    default: return n / std::gcd(n, days_per_400_years);
  }
}

// The start dates a rule makes, DTSTART first, to the end of `last_year`. Beyond libical's last
// year, the dates repeat with the Gregorian calendar: a rule whose pattern repeats every K*400
// years is expanded over one period (shifted back into years libical covers) and repeated.
std::vector<civil_date> expand_rule(const rule& r, const civil_date& start, int last_year,
                                    const std::string& what) {
  const std::int64_t k = period_in_400_years(r);
  std::vector<std::int64_t> offsets;  // days after DTSTART
  std::int64_t period_days = 0;       // 0: no repetition (the offsets are all there is)
  const int first_year = libical_first_year + ((start.year - libical_first_year) % 400 + 400) % 400;
  // Within libical's years it expands the rule itself: a calendar valid to 2027 needs no
  // period, nor a rule whose UNTIL or COUNT ends it by libical's last year.
  const bool in_libical = start.year >= libical_first_year;
  bool direct = in_libical && (last_year <= libical_last_year || (r.until && r.until->year <= libical_last_year));
  if (in_libical && !direct && r.count) {
    offsets = libical_offsets(r, start, start.days_since_epoch(), std::min(last_year, libical_last_year), what);
    direct = static_cast<std::int64_t>(offsets.size()) == *r.count;
    if (!direct) offsets.clear();
  }
  if (direct) {
    if (offsets.empty()) offsets = libical_offsets(r, start, start.days_since_epoch(), last_year, what);
  } else if (first_year + 400 * k <= libical_last_year) {
    const civil_date shifted{first_year, start.month, start.day};
    const int period_years = static_cast<int>(400 * k);
    period_days = days_per_400_years * k;
    for (std::int64_t offset : libical_offsets(r, shifted, start.days_since_epoch(), first_year + period_years, what))
      if (offset < period_days) offsets.push_back(offset);
  } else {
    fail(r.where, what + ": an RRULE with INTERVAL=" + std::to_string(r.interval) + " repeats its "
                      "pattern only every " + std::to_string(400 * k) + " years; redress expands "
                      "such a rule only from " + std::to_string(libical_first_year) + " to " +
                      std::to_string(libical_last_year) + ": end the calendar's 'valid' range, or "
                      "the rule (COUNT, UNTIL), by then");
  }
  if (offsets.empty() || offsets.front() != 0)
    fail(r.where, what + ": DTSTART " + start.to_string() + " is not one of the dates its RRULE makes "
                         "(RFC 5545 leaves such a set undefined); start it on the first date the rule makes");
  std::vector<civil_date> out;
  const std::int64_t origin = start.days_since_epoch();
  for (std::int64_t period = 0;; ++period) {
    for (std::int64_t offset : offsets) {
      const civil_date day = civil_date::from_days(origin + offset + period * period_days);
      if (!day.ok() || day.year > last_year || (r.until && *r.until < day) ||
          (r.count && static_cast<std::int64_t>(out.size()) >= *r.count))
        return out;
      if (out.size() == max_dates_per_file) fail_too_many(r, what);
      out.push_back(day);
    }
    if (period_days == 0) return out;
  }
}

// --- components -----------------------------------------------------------------------------

struct event {
  source_location begin;
  std::string uid;
  std::string summary = "(no SUMMARY)";
  std::optional<dated> start;
  std::optional<dated> end;
  std::optional<std::int64_t> duration_days;
  source_location duration_where;
  std::optional<rule> repeat;
  std::vector<dated> rdates;
  std::vector<dated> exdates;
  std::optional<dated> recurrence_id;
  bool cancelled = false;

  std::string what() const { return "event \"" + summary + "\""; }
  std::int64_t length() const {
    if (duration_days) return *duration_days;
    if (end) return end->date.days_since_epoch() - start->date.days_since_epoch();
    return 1;
  }
};

bool ignored_event_property(const std::string& name) {
  static const std::set<std::string> descriptive = {
      "DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE", "CLASS", "DESCRIPTION", "LOCATION", "TRANSP",
      "PRIORITY", "CATEGORIES", "COMMENT", "CONTACT", "ORGANIZER", "ATTENDEE", "URL", "GEO",
      "RESOURCES", "ATTACH", "RELATED-TO", "REQUEST-STATUS", "COLOR", "IMAGE", "CONFERENCE"};
  return name.rfind("X-", 0) == 0 || descriptive.count(name) != 0;
}

class reader {
public:
  reader(std::vector<content_line> lines, int last_year) : lines_(std::move(lines)), last_year_(last_year) {}

  std::vector<ical_holiday> run(const std::string& path) {
    (void)path;
    while (next_ < lines_.size()) {
      const content_line& l = lines_[next_++];
      if (l.name != "BEGIN" || upper(l.value) != "VCALENDAR")
        fail(l.start(), "expected BEGIN:VCALENDAR, not " + l.name + ":" + l.value +
                            " (a holiday file is one or more VCALENDARs of all-day VEVENTs)");
      read_calendar(l);
    }
    return std::move(out_);
  }

private:
  const content_line& take(const content_line& opened) {
    if (next_ >= lines_.size())
      fail(opened.start(), "BEGIN:" + opened.value + " has no END:" + opened.value);
    return lines_[next_++];
  }

  // Skips a component we do not read (VTIMEZONE, VALARM, X-...), checking its nesting.
  void skip(const content_line& opened) {
    const std::string name = upper(opened.value);
    for (;;) {
      const content_line& l = take(opened);
      if (l.name == "BEGIN") skip(l);
      else if (l.name == "END") {
        if (upper(l.value) != name)
          fail(l.start(), "END:" + l.value + " inside BEGIN:" + opened.value + " (expected END:" + opened.value + ")");
        return;
      }
    }
  }

  void read_calendar(const content_line& opened) {
    std::vector<event> events;
    for (;;) {
      const content_line& l = take(opened);
      const std::string value = upper(l.value);
      if (l.name == "END") {
        if (value != "VCALENDAR") fail(l.start(), "END:" + l.value + " inside BEGIN:VCALENDAR (expected END:VCALENDAR)");
        break;
      }
      if (l.name == "BEGIN") {
        if (value == "VEVENT") events.push_back(read_event(l));
        else if (value == "VTIMEZONE" || value.rfind("X-", 0) == 0) skip(l);
        else fail(l.start(), "a " + l.value + " in a holiday file: only VEVENTs (all-day events) are holidays");
        continue;
      }
      if (l.name == "VERSION") {
        if (l.value != "2.0") fail(l.at_value(), "VERSION:" + l.value + ": expected VERSION:2.0 (RFC 5545)");
      } else if (l.name == "CALSCALE") {
        if (value != "GREGORIAN")
          fail(l.at_value(), "CALSCALE:" + l.value + ": only the GREGORIAN calendar scale is supported");
      } else if (l.name == "METHOD") {
        if (value != "PUBLISH")
          fail(l.at_value(), "METHOD:" + l.value + ": a holiday file is a published calendar (METHOD:PUBLISH)");
      } else if (l.name != "PRODID" && l.name.rfind("X-", 0) != 0 && l.name != "NAME" &&
                 l.name != "DESCRIPTION" && l.name != "UID" && l.name != "URL" && l.name != "LAST-MODIFIED" &&
                 l.name != "REFRESH-INTERVAL" && l.name != "SOURCE" && l.name != "COLOR" && l.name != "IMAGE") {
        fail(l.start(), "unknown calendar property " + l.name + " (X- properties are ignored; others are refused)");
      }
    }
    resolve(events);
  }

  event read_event(const content_line& opened) {
    event e;
    e.begin = opened.start();
    std::vector<const content_line*> props;
    for (;;) {
      const content_line& l = take(opened);
      if (l.name == "END") {
        if (upper(l.value) != "VEVENT") fail(l.start(), "END:" + l.value + " inside BEGIN:VEVENT (expected END:VEVENT)");
        break;
      }
      if (l.name == "BEGIN") {
        const std::string value = upper(l.value);
        if (value == "VALARM" || value.rfind("X-", 0) == 0) skip(l);
        else fail(l.start(), "a " + l.value + " inside a VEVENT: expected only VALARM");
        continue;
      }
      // A line break written \n in a SUMMARY is kept as the two characters: a holiday's name is
      // shown on one line.
      if (l.name == "SUMMARY") e.summary = escape_controls(unescape_text(l.value));
      props.push_back(&l);
    }
    try {
      read_properties(e, props);
    } catch (const error& problem) {
      if (problem.message().rfind("event \"", 0) == 0) throw;
      throw error(e.what() + ": " + problem.message(), problem.where());
    }
    check_event(e);
    return e;
  }

  static void read_properties(event& e, const std::vector<const content_line*>& props) {
    std::set<std::string> once;
    const bool outlook_all_day = std::any_of(props.begin(), props.end(), [](const content_line* p) {
      return p->name == "X-MICROSOFT-CDO-ALLDAYEVENT" && upper(p->value) == "TRUE";
    });
    const date_form form = outlook_all_day ? date_form::midnight_too : date_form::date_only;
    for (const content_line* p : props) {
      const content_line& l = *p;
      const std::string& name = l.name;
      if ((name == "DTSTART" || name == "DTEND" || name == "DURATION" || name == "RRULE" || name == "UID" ||
           name == "SUMMARY" || name == "STATUS" || name == "RECURRENCE-ID") &&
          !once.insert(name).second)
        fail(l.start(), e.what() + " has two " + name + " lines");
      if (name == "DTSTART") {
        e.start = parse_single_date(l, form);
      } else if (name == "DTEND") {
        e.end = parse_single_date(l, form);
      } else if (name == "DURATION") {
        e.duration_days = parse_duration_days(l);
        e.duration_where = l.at_value();
      } else if (name == "RRULE") {
        e.repeat = parse_rule(l);
      } else if (name == "RDATE") {
        for (const dated& d : parse_date_list(l, form)) e.rdates.push_back(d);
      } else if (name == "EXDATE") {
        for (const dated& d : parse_date_list(l, form)) e.exdates.push_back(d);
      } else if (name == "RECURRENCE-ID") {
        if (const std::string* range = l.param("RANGE"))
          fail(l.start(), e.what() + ": RECURRENCE-ID;RANGE=" + *range + " (an override of this and all "
                          "later occurrences) is not supported: split the event into two");
        e.recurrence_id = parse_single_date(l, form);
      } else if (name == "STATUS") {
        const std::string status = upper(l.value);
        if (status == "CANCELLED") e.cancelled = true;
        else if (status != "CONFIRMED" && status != "TENTATIVE")
          fail(l.at_value(), e.what() + ": STATUS:" + l.value + ": expected CONFIRMED, TENTATIVE or CANCELLED");
      } else if (name == "UID") {
        e.uid = l.value;
      } else if (name == "EXRULE") {
        fail(l.start(), e.what() + ": EXRULE (deprecated by RFC 5545) is not supported: list the dates with EXDATE");
      } else if (name != "SUMMARY" && !ignored_event_property(name)) {
        fail(l.start(), e.what() + ": unknown property " + name + " (X- properties are ignored; others are refused)");
      }
    }
  }

  static void check_event(const event& e) {
    if (!e.start) fail(e.begin, e.what() + " has no DTSTART");
    if (e.end && e.duration_days)
      fail(e.end->where, e.what() + " has both DTEND and DURATION (RFC 5545 allows one)");
    if (e.start->timed || (e.end && e.end->timed)) {
      // Outlook's all-day event at midnight: whole local days only if it ends at a midnight of
      // the same zone (a DATE-TIME DTSTART alone is an instant, RFC 5545 3.6.1).
      const std::string midnight = "an event marked all-day (X-MICROSOFT-CDO-ALLDAYEVENT:TRUE) at "
                                   "midnight spans whole days only ";
      if (!e.end && !e.duration_days)
        fail(e.start->where, e.what() + ": " + midnight + "with a DTEND at midnight or a DURATION in days");
      if (e.end && e.start->timed != e.end->timed)
        fail(e.end->where, e.what() + ": " + midnight + "if DTSTART and DTEND are both midnights or both dates");
      if (e.end && e.start->zone != e.end->zone)
        fail(e.end->where, e.what() + ": " + midnight + "if DTEND is in DTSTART's zone (" + e.start->zone +
                               "), not " + e.end->zone);
    }
    const std::int64_t length = e.length();
    if (length < 1 || length > 366) {
      const source_location where = e.end ? e.end->where : e.duration_where;
      fail(where, e.what() + " must last 1 to 366 days (DTEND is the day after the last day); it lasts " +
                      std::to_string(length));
    }
    if (e.recurrence_id && (e.repeat || !e.rdates.empty() || !e.exdates.empty()))
      fail(e.recurrence_id->where, e.what() + ": an override (RECURRENCE-ID) cannot have RRULE, RDATE or EXDATE");
    if (e.recurrence_id && e.uid.empty())
      fail(e.recurrence_id->where, e.what() + ": an override (RECURRENCE-ID) needs the UID of its event");
  }

  void emit(const event& e, const civil_date& first) {
    for (std::int64_t i = 0; i < e.length(); ++i) {
      const civil_date day = civil_date::from_days(first.days_since_epoch() + i);
      if (!day.ok()) break;
      out_.push_back({day, e.summary});
    }
    if (out_.size() > max_dates_per_file)
      fail(e.begin, "the holiday file makes more than " + std::to_string(max_dates_per_file) + " holiday dates");
  }

  void resolve(const std::vector<event>& events) {
    std::map<std::string, const event*> masters;
    std::map<std::string, std::map<civil_date, const event*>> overrides;
    for (const event& e : events) {
      if (e.recurrence_id) {
        auto [it, fresh] = overrides[e.uid].emplace(e.recurrence_id->date, &e);
        if (!fresh)
          fail(e.recurrence_id->where, e.what() + ": a second override of " + e.recurrence_id->date.to_string() +
                                           " (the first is at line " + std::to_string(it->second->begin.line) + ")");
      } else if (!e.uid.empty()) {
        auto [it, fresh] = masters.emplace(e.uid, &e);
        if (!fresh)
          fail(e.begin, e.what() + ": a second event with UID " + e.uid + " in this VCALENDAR (the first is at line " +
                            std::to_string(it->second->begin.line) + "); an occurrence that differs needs RECURRENCE-ID");
      }
    }
    for (const auto& [uid, by_date] : overrides)
      if (!masters.count(uid)) {
        const event& o = *by_date.begin()->second;
        fail(o.recurrence_id->where, o.what() + ": RECURRENCE-ID overrides an occurrence of UID " + uid +
                                         ", but no event in this VCALENDAR has that UID without RECURRENCE-ID");
      }
    for (const event& e : events) {
      if (e.recurrence_id) continue;
      std::set<civil_date> starts;
      // DTSTART is always the first occurrence (RFC 5545 3.8.5.3), even past an UNTIL.
      if (e.start->date.year <= last_year_) starts.insert(e.start->date);
      if (e.repeat) {
        for (const civil_date& d : expand_rule(*e.repeat, e.start->date, last_year_, e.what())) starts.insert(d);
      }
      for (const dated& d : e.rdates)
        if (d.date.year <= last_year_) starts.insert(d.date);
      for (const dated& d : e.exdates) starts.erase(d.date);
      auto found = e.uid.empty() ? overrides.end() : overrides.find(e.uid);
      if (found != overrides.end())
        for (const auto& [date, o] : found->second) {
          if (starts.erase(date) == 0 && date.year <= last_year_)
            fail(o->recurrence_id->where, o->what() + ": RECURRENCE-ID " + date.to_string() +
                                              " is not an occurrence of the event at line " +
                                              std::to_string(e.begin.line));
          if (!o->cancelled && o->start->date.year <= last_year_) emit(*o, o->start->date);
        }
      if (e.cancelled) continue;
      for (const civil_date& d : starts) emit(e, d);
    }
  }

  std::vector<content_line> lines_;
  std::size_t next_ = 0;
  int last_year_;
  std::vector<ical_holiday> out_;
};

}  // namespace

std::string ical_date_text(civil_date date) {
  const std::string text = date.to_string();  // YYYY-MM-DD
  return text.substr(0, 4) + text.substr(5, 2) + text.substr(8, 2);
}

std::vector<ical_holiday> read_ical_holidays(const std::string& path, const source_location& cited_at,
                                             int last_year) {
  const std::string text = read_text_file(path, "holiday file", cited_at);
  const std::size_t bom = byte_order_mark_length(text);
  if (upper(text.substr(bom, 15)) != "BEGIN:VCALENDAR")
    throw error("not an iCalendar file: expected BEGIN:VCALENDAR with all-day VEVENTs",
                source_location{path, 1, 1});
  return reader(read_content_lines(text, path), last_year).run(path);
}

}  // namespace redress::detail
