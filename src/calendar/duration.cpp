// Durations in the contract's text forms, the option names, and ISO 8601 printing.
#include <cctype>
#include <limits>
#include <string>

#include "redress/calendar.hpp"

namespace redress {

namespace {

struct unit_name {
  const char* singular;
  duration_spec::unit what;
};

constexpr unit_name unit_names[] = {
    {"second", duration_spec::unit::seconds},
    {"minute", duration_spec::unit::minutes},
    {"hour", duration_spec::unit::hours},
    {"business second", duration_spec::unit::business_seconds},
    {"business minute", duration_spec::unit::business_minutes},
    {"business hour", duration_spec::unit::business_hours},
    {"day", duration_spec::unit::days},
    {"week", duration_spec::unit::weeks},
    {"month", duration_spec::unit::months},
    {"business day", duration_spec::unit::business_days},
};

const char* const duration_forms =
    "a whole number and a unit, such as \"15 business days\", \"8 weeks\", \"1 month\", "
    "\"90 business minutes\" or \"36 hours\"";

[[noreturn]] void fail(std::string_view text, const std::string& what, const source_location& where) {
  throw error("invalid duration \"" + std::string(text) + "\": " + what + "; expected " +
                  duration_forms,
              where);
}

std::string lower_words(std::string_view text) {
  // Lower-case and collapse runs of blanks to one space.
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

duration_spec duration_spec::parse(std::string_view text, const source_location& where) {
  std::size_t pos = 0;
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  bool negative = false;
  bool signed_count = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    negative = text[pos] == '-';
    signed_count = true;
    ++pos;
  }
  const std::size_t digits_start = pos;
  std::int64_t count = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    const int digit = text[pos] - '0';
    if (count > (std::numeric_limits<std::int64_t>::max() - digit) / 10)
      fail(text, "the number is too large", where);
    count = count * 10 + digit;
    ++pos;
  }
  if (pos == digits_start) {
    if (text.find_first_not_of(" \t") == std::string_view::npos) fail(text, "it is empty", where);
    fail(text, "it does not start with a whole number", where);
  }
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ','))
    fail(text, "the number must be whole (write \"90 business minutes\", not \"1.5 business hours\")",
         where);
  if (pos == text.size() || (text[pos] != ' ' && text[pos] != '\t'))
    fail(text, "a space and a unit must follow the number", where);

  const std::string words = lower_words(text.substr(pos));
  const unit_name* found = nullptr;
  for (const unit_name& u : unit_names) {
    const std::string_view singular = u.singular;
    std::string_view w = words;
    if (w.size() == singular.size() + 1 && w.back() == 's') w.remove_suffix(1);
    if (w == singular) found = &u;
  }
  if (!found) {
    std::string hint;
    if (words.rfind("working day", 0) == 0 || words.rfind("work day", 0) == 0) hint = " (did you mean \"business days\"?)";
    else if (words.rfind("calendar day", 0) == 0) hint = " (did you mean \"days\"? calendar days are plain days)";
    else if (words.rfind("working hour", 0) == 0) hint = " (did you mean \"business hours\"?)";
    fail(text, "unknown unit \"" + words + "\"" + hint, where);
  }

  duration_spec spec;
  spec.count = negative ? -count : count;
  spec.what = found->what;
  if (spec.is_day_period()) {
    if (negative && count != 0) fail(text, "a day period cannot be negative", where);
    if (signed_count && !negative) {
      // "+2 business days" is how offsets after a deadline are written; the sign is harmless.
    }
    if (count == 0 && spec.what != unit::business_days)
      fail(text, "a day period needs at least 1 (\"0 business days\" means the same business day)",
           where);
  }
  return spec;
}

std::int64_t duration_spec::seconds() const {
  std::int64_t scale = 1;
  switch (what) {
    case unit::seconds:
    case unit::business_seconds: scale = 1; break;
    case unit::minutes:
    case unit::business_minutes: scale = 60; break;
    case unit::hours:
    case unit::business_hours: scale = 3600; break;
    default: throw error("a day period (\"" + to_string() + "\") has no fixed length in seconds");
  }
  if (count > std::numeric_limits<std::int64_t>::max() / scale ||
      count < std::numeric_limits<std::int64_t>::min() / scale)
    throw error("duration \"" + to_string() + "\" is too large");
  return count * scale;
}

std::string duration_spec::to_string() const {
  const char* name = "second";
  for (const unit_name& u : unit_names)
    if (u.what == what) name = u.singular;
  std::string out = std::to_string(count) + ' ' + name;
  if (count != 1 && count != -1) out += 's';
  return out;
}

std::string_view to_string(day_end e) {
  switch (e) {
    case day_end::end_of_day: return "end-of-day";
    case day_end::close_of_business: return "close-of-business";
    case day_end::same_time: return "same-time";
  }
  return "end-of-day";
}

std::string_view to_string(rollover_rule r) {
  return r == rollover_rule::none ? "none" : "next-business-day";
}

std::string_view to_string(receipt_rule r) {
  return r == receipt_rule::as_received ? "as-received" : "next-business-day-if-closed";
}

std::optional<day_end> parse_day_end(std::string_view text) {
  for (day_end e : {day_end::end_of_day, day_end::close_of_business, day_end::same_time})
    if (text == to_string(e)) return e;
  return std::nullopt;
}

std::optional<rollover_rule> parse_rollover_rule(std::string_view text) {
  for (rollover_rule r : {rollover_rule::none, rollover_rule::next_business_day})
    if (text == to_string(r)) return r;
  return std::nullopt;
}

std::optional<receipt_rule> parse_receipt_rule(std::string_view text) {
  for (receipt_rule r : {receipt_rule::as_received, receipt_rule::next_business_day_if_closed})
    if (text == to_string(r)) return r;
  return std::nullopt;
}

std::string format_iso8601_duration(std::chrono::seconds d) {
  std::int64_t s = d.count();
  std::string out;
  // The magnitude of INT64_MIN does not fit; no working time reaches it.
  if (s < 0) {
    out += '-';
    s = s == std::numeric_limits<std::int64_t>::min() ? std::numeric_limits<std::int64_t>::max() : -s;
  }
  out += "PT";
  const std::int64_t hours = s / 3600, minutes = s / 60 % 60, seconds = s % 60;
  if (hours) out += std::to_string(hours) + 'H';
  if (minutes) out += std::to_string(minutes) + 'M';
  if (seconds || (!hours && !minutes)) out += std::to_string(seconds) + 'S';
  return out;
}

std::string local_interval::to_string() const {
  auto hhmm = [](int minute) {
    std::string out;
    const int h = minute / 60, m = minute % 60;
    out += static_cast<char>('0' + h / 10);
    out += static_cast<char>('0' + h % 10);
    out += ':';
    out += static_cast<char>('0' + m / 10);
    out += static_cast<char>('0' + m % 10);
    return out;
  };
  const int end = end_minute > 1440 ? end_minute - 1440 : end_minute;
  return hhmm(start_minute) + '-' + hhmm(end);
}

}  // namespace redress
