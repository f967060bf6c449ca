// Civil arithmetic (Howard Hinnant's days_from_civil / civil_from_days algorithms, which date.h
// implements the same way; for the years of about -32800 to 2,000,000, both as Neri and
// Schneider's 32-bit forms, which give the same results in fewer steps) and RFC 3339 reading and writing, kept free of <date/date.h> so this
// translation unit stays cheap.
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>

#include "redress/error.hpp"
#include "redress/time.hpp"
#include "time/rfc3339.hpp"

namespace redress {

namespace {

constexpr bool is_leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int days_in_month(int y, int m) noexcept {
  constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

constexpr std::int64_t days_from_civil(std::int64_t year, std::int64_t month,
                                       std::int64_t day) noexcept {
  const std::int64_t y = year - (month <= 2 ? 1 : 0);
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The days whose year fits in civil_date's int: from_days saturates beyond them.
constexpr std::int64_t first_int_day = days_from_civil(std::numeric_limits<int>::min(), 1, 1);
constexpr std::int64_t last_int_day = days_from_civil(std::numeric_limits<int>::max(), 12, 31);

// civil_from_days as C. Neri and L. Schneider give it ("Euclidean affine functions and their
// application to calendar algorithms", Software: Practice and Experience 53(4), 2023):
// the days are shifted by 82 eras of 400 years so that every quantity is an unsigned 32-bit
// number. Exact for ns_first_day..ns_last_day (-32800-03-01 to 2907005-06-04); tests/time
// compares it with days_since_epoch over every day of 0001-9999.
constexpr std::uint32_t ns_eras = 82;
constexpr std::uint32_t ns_shift = 719468 + 146097 * ns_eras;
constexpr std::int64_t ns_first_day = -std::int64_t{ns_shift};
constexpr std::int64_t ns_last_day = (std::int64_t{1} << 30) - 1 - std::int64_t{ns_shift} - 1;

civil_date neri_schneider(std::int64_t z) noexcept {
  const auto n = static_cast<std::uint32_t>(z + ns_shift);
  const std::uint32_t n1 = 4 * n + 3;
  const std::uint32_t century = n1 / 146097;
  const std::uint32_t n2 = n1 % 146097 / 4 * 4 + 3;  // the day of the century, as 4 n + 3
  const std::uint64_t p2 = std::uint64_t{2939745} * n2;
  const auto year_of_century = static_cast<std::uint32_t>(p2 >> 32);
  const std::uint32_t day_of_year = static_cast<std::uint32_t>(p2) / 2939745 / 4;  // from 1 March
  const std::uint32_t n3 = 2141 * day_of_year + 197913;
  const std::uint32_t month = n3 >> 16;  // 3..14
  const std::uint32_t day = (n3 & 0xFFFF) / 2141 + 1;
  const bool january_or_february = day_of_year >= 306;
  const auto year = static_cast<std::int64_t>(100 * century + year_of_century) -
                    std::int64_t{400} * ns_eras + (january_or_february ? 1 : 0);
  return civil_date{static_cast<int>(year), static_cast<int>(january_or_february ? month - 12 : month),
                    static_cast<int>(day)};
}

// days_from_civil in the same paper's form, over the same shifted eras.
// Exact for the years -32799 to 2,000,000 with a month of 1-12 and a day of 1-31: tests/time
// compares it with the general form over every day of 0001-9999.
std::int64_t neri_schneider_days(int year, int month, int day) noexcept {
  const bool january_or_february = month <= 2;
  const std::uint32_t y = static_cast<std::uint32_t>(year + 400 * static_cast<int>(ns_eras)) - (january_or_february ? 1 : 0);
  const std::uint32_t m = static_cast<std::uint32_t>(january_or_february ? month + 12 : month);
  const std::uint32_t century = y / 100;
  const std::uint32_t year_days = 1461 * y / 4 - century + century / 4;
  const std::uint32_t month_days = (979 * m - 2919) / 32;  // from 1 March
  return static_cast<std::int64_t>(year_days + month_days + static_cast<std::uint32_t>(day - 1)) - ns_shift;
}

}  // namespace

bool civil_date::ok() const noexcept {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

std::int64_t civil_date::days_since_epoch() const noexcept {
  if (year >= -32799 && year <= 2000000 && month >= 1 && month <= 12 && day >= 1 && day <= 31)
    return neri_schneider_days(year, month, day);
  return days_from_civil(year, month, day);
}

civil_date civil_date::from_days(std::int64_t z) noexcept {
  // Beyond the years an int holds, saturate (the date is then not ok()) rather than let the
  // year wrap round to one that looks real: an instant in the year 2^32 + 2026 must not read
  // as 2026. The bounds also keep `z + 719468` from overflowing.
  if (z < first_int_day) return civil_date{std::numeric_limits<int>::min(), 1, 1};
  if (z > last_int_day) return civil_date{std::numeric_limits<int>::max(), 12, 31};
  if (z >= ns_first_day && z <= ns_last_day) return neri_schneider(z);
  z += 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return civil_date{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

weekday civil_date::day_of_week() const noexcept {
  // 1970-01-01 was a Thursday.
  const std::int64_t index = (days_since_epoch() % 7 + 7 + 3) % 7;
  return static_cast<weekday>(index);
}

std::string civil_date::to_string() const {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

bool civil_time::ok() const noexcept {
  return date.ok() && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 &&
         second <= 59;
}

std::int64_t civil_time::seconds_since_epoch() const noexcept {
  return date.days_since_epoch() * 86400 + hour * 3600 + minute * 60 + second;
}

civil_time civil_time::from_seconds(std::int64_t s) noexcept {
  // Not `s - floor_div(s, 86400) * 86400`, which overflows for s near INT64_MIN.
  const std::int64_t remainder = s % 86400;
  const std::int64_t days = s / 86400 - (remainder < 0 ? 1 : 0);
  const std::int64_t rest = remainder < 0 ? remainder + 86400 : remainder;
  return civil_time{civil_date::from_days(days), static_cast<int>(rest / 3600),
                    static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60)};
}

std::string civil_time::to_string() const {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02d", date.to_string().c_str(), hour, minute,
                second);
  return buffer;
}

namespace {

// Two digits of 0-99 at `out`.
char* two_digits(char* out, int value) noexcept {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

}  // namespace

std::size_t detail::write_rfc3339(char* out, instant t, std::int32_t offset_seconds) {
  const char sign = offset_seconds < 0 ? '-' : '+';
  const std::int64_t magnitude = offset_seconds < 0 ? -std::int64_t{offset_seconds} : offset_seconds;
  std::string text;
  if (magnitude % 60 != 0) {
    // Historical local mean time offsets have seconds; RFC 3339 cannot say them, so the
    // instant is printed in UTC rather than rounded.
    text = t.to_string();
  } else {
    const std::int64_t s = t.unix_seconds();
    // Saturate rather than overflow for instants at the ends of the int64 range.
    const std::int64_t local_seconds =
        offset_seconds > 0 && s > std::numeric_limits<std::int64_t>::max() - offset_seconds
            ? std::numeric_limits<std::int64_t>::max()
        : offset_seconds < 0 && s < std::numeric_limits<std::int64_t>::min() - offset_seconds
            ? std::numeric_limits<std::int64_t>::min()
            : s + offset_seconds;
    const civil_time local = civil_time::from_seconds(local_seconds);
    if (local.date.year >= 0 && local.date.year <= 9999) {
      // The common case, digit by digit: what the "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d"
      // below prints for such a year (an offset is under 24 hours).
      char* p = out;
      p = two_digits(p, local.date.year / 100);
      p = two_digits(p, local.date.year % 100);
      *p++ = '-';
      p = two_digits(p, local.date.month);
      *p++ = '-';
      p = two_digits(p, local.date.day);
      *p++ = 'T';
      p = two_digits(p, local.hour);
      *p++ = ':';
      p = two_digits(p, local.minute);
      *p++ = ':';
      p = two_digits(p, local.second);
      *p++ = sign;
      p = two_digits(p, static_cast<int>(magnitude / 3600));
      *p++ = ':';
      p = two_digits(p, static_cast<int>(magnitude / 60 % 60));
      return static_cast<std::size_t>(p - out);
    }
    char buffer[rfc3339_capacity];
    std::snprintf(buffer, sizeof buffer, "%s%c%02d:%02d", local.to_string().c_str(), sign,
                  static_cast<int>(magnitude / 3600), static_cast<int>(magnitude / 60 % 60));
    text = buffer;
  }
  const std::size_t length = text.size() < rfc3339_capacity ? text.size() : rfc3339_capacity;
  std::memcpy(out, text.data(), length);
  return length;
}

std::string format_rfc3339(instant t, std::int32_t offset_seconds) {
  char buffer[detail::rfc3339_capacity];
  return std::string(buffer, detail::write_rfc3339(buffer, t, offset_seconds));
}

std::string instant::to_string() const {
  return civil_time::from_seconds(seconds_).to_string() + "Z";
}

// --- reading ------------------------------------------------------------------------------

namespace {

const char* const example = "2026-03-27T16:00:00+01:00";

class timestamp_reader {
public:
  timestamp_reader(std::string_view text, bool offset_required)
      : text_(text), offset_required_(offset_required) {}

  [[noreturn]] void fail(const std::string& what) const {
    std::string expected = offset_required_
                               ? std::string("RFC 3339 with an offset, such as ") + example
                               : std::string("RFC 3339 such as ") + example +
                                     " or a local time such as 2026-03-27T16:00:00";
    throw error("invalid timestamp \"" + std::string(text_) + "\": " + what + " (expected " +
                expected + ")");
  }

  int digits(std::size_t count, const char* what) {
    int value = 0;
    const std::size_t start = pos_;
    for (std::size_t i = 0; i < count; ++i) {
      if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9')
        fail(std::string("expected ") + std::to_string(count) + " digits of " + what +
             " at character " + std::to_string(start + 1));
      value = value * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    return value;
  }

  void literal(char c, const char* what) {
    if (pos_ >= text_.size() || text_[pos_] != c)
      fail(std::string("expected ") + what + " at character " + std::to_string(pos_ + 1));
    ++pos_;
  }

  civil_time civil() {
    civil_time t;
    t.date.year = digits(4, "the year");
    if (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
      fail("years beyond 9999 are not supported (4 digits, 0001-9999)");
    literal('-', "'-' after the year");
    t.date.month = digits(2, "the month");
    literal('-', "'-' after the month");
    t.date.day = digits(2, "the day");
    if (pos_ < text_.size() && (text_[pos_] == 'T' || text_[pos_] == 't' || text_[pos_] == ' '))
      ++pos_;
    else
      fail("expected 'T' between date and time at character " + std::to_string(pos_ + 1));
    t.hour = digits(2, "the hour");
    literal(':', "':' after the hour");
    t.minute = digits(2, "the minutes");
    literal(':', "':' after the minutes (seconds are required)");
    t.second = digits(2, "the seconds");
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      const std::size_t first = pos_;
      bool nonzero = false;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
        nonzero = nonzero || text_[pos_] != '0';
        ++pos_;
      }
      if (pos_ == first) fail("expected digits after '.' at character " + std::to_string(first + 1));
      if (nonzero) fail("fractional seconds are not supported (redress works in whole seconds)");
    }
    if (t.date.year < 1) fail("year 0000 is out of range (0001-9999)");
    if (t.date.month < 1 || t.date.month > 12) fail("month must be 01-12");
    if (t.date.day < 1 || !t.date.ok()) fail("day " + std::to_string(t.date.day) +
                                             " does not exist in " + month_name(t.date));
    if (t.hour > 23) fail("hour must be 00-23");
    if (t.minute > 59) fail("minutes must be 00-59");
    if (t.second == 60) fail("leap seconds are not supported");
    if (t.second > 59) fail("seconds must be 00-59");
    return t;
  }

  // Returns true and sets `offset` when an offset follows; false at the end of the text.
  bool offset(std::int32_t& offset) {
    if (pos_ == text_.size()) {
      if (offset_required_) fail("missing the UTC offset ('Z' or +hh:mm) at the end");
      return false;
    }
    const char c = text_[pos_];
    if (c == 'Z' || c == 'z') {
      ++pos_;
      offset = 0;
    } else if (c == '+' || c == '-') {
      ++pos_;
      const int hours = digits(2, "the offset hours");
      literal(':', "':' in the offset (+hh:mm)");
      const int minutes = digits(2, "the offset minutes");
      if (hours > 23) fail("offset hours must be 00-23");
      if (minutes > 59) fail("offset minutes must be 00-59");
      offset = (hours * 3600 + minutes * 60) * (c == '-' ? -1 : 1);
    } else {
      fail("expected 'Z' or an offset such as +01:00 at character " + std::to_string(pos_ + 1));
    }
    if (pos_ != text_.size())
      fail("unexpected text after the offset at character " + std::to_string(pos_ + 1));
    return true;
  }

private:
  static std::string month_name(const civil_date& d) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", d.year, d.month);
    return buffer;
  }

  std::string_view text_;
  bool offset_required_;
  std::size_t pos_ = 0;
};

}  // namespace

instant instant::parse(std::string_view text) {
  timestamp_reader reader(text, true);
  const civil_time local = reader.civil();
  std::int32_t offset = 0;
  reader.offset(offset);
  return instant::from_unix(local.seconds_since_epoch() - offset);
}

instant parse_timestamp(std::string_view text, const time_zone& zone) {
  timestamp_reader reader(text, false);
  const civil_time local = reader.civil();
  std::int32_t offset = 0;
  if (reader.offset(offset)) return instant::from_unix(local.seconds_since_epoch() - offset);
  return zone.resolve(local);
}

civil_date civil_date::parse(std::string_view text) {
  auto fail = [&](const std::string& what) -> civil_date {
    throw error("invalid date \"" + std::string(text) + "\": " + what +
                " (expected YYYY-MM-DD such as 2026-04-01)");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return fail("wrong shape");
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p)
    for (std::size_t i = 0; i < lengths[p]; ++i) {
      const char c = text[starts[p] + i];
      if (c < '0' || c > '9') return fail("expected digits");
      parts[p] = parts[p] * 10 + (c - '0');
    }
  civil_date d{parts[0], parts[1], parts[2]};
  if (d.year < 1) return fail("year 0000 is out of range (0001-9999)");
  if (d.month < 1 || d.month > 12) return fail("month must be 01-12");
  if (!d.ok()) return fail("no such day in that month");
  return d;
}

const char* version() noexcept { return REDRESS_VERSION; }

}  // namespace redress
