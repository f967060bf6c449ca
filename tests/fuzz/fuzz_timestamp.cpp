// Timestamps and dates as users type them: instant::parse (RFC 3339 with an offset),
// parse_timestamp (offset or local wall-clock time, read in a zone by the DST rules) and
// civil_date::parse. Whatever parses must print back to the same instant or date, and a local
// time must resolve as the contract's DST rule says (gap -> transition, overlap -> first).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "redress/time.hpp"

using redress::civil_date;
using redress::civil_time;
using redress::instant;
using redress::time_zone;
using redress_fuzz::succeeds;

namespace {

// Offsets RFC 3339 can write, from -23:59 to +23:59, with the odd ones real zones use.
constexpr std::int32_t offsets[] = {0,      3600,  -3600,  19800, 20700,  -12600, 34200,
                                    37800,  45900, 50400,  -36000, -43200, -34200, 86340,
                                    -86340, 60,    -60};

const time_zone* zones() {
  static const time_zone list[] = {
      time_zone::locate("Europe/London"), time_zone::locate("Australia/Lord_Howe"),
      time_zone::locate("Asia/Kathmandu"), time_zone::locate("America/Sao_Paulo"),
      time_zone::locate("UTC")};
  return list;
}
constexpr std::size_t zone_count = 5;

bool in_supported_years(const civil_time& t) { return t.date.year >= 1 && t.date.year <= 9999; }

std::string show(instant t) { return std::to_string(t.unix_seconds()) + " s"; }

// Whatever parses as an instant prints back to itself: in UTC, with any offset, and with each
// zone's offset, whenever the printed reading is in 0001-9999 (instant::parse's requirement).
// A timestamp at the very edge, such as 0001-01-01T00:00:00+01:00, parses to an instant in the
// UTC year 0000, which prints as a timestamp instant::parse refuses: README says why that is
// left as it is.
void check_round_trips(instant t, std::string_view input) {
  if (!in_supported_years(civil_time::from_seconds(t.unix_seconds()))) return;
  const std::string context = "input \"" + std::string(input) + "\" -> " + show(t);
  const std::string utc = t.to_string();
  instant back;
  FUZZ_CHECK(succeeds([&] { back = instant::parse(utc); }),
             context + ": to_string() gave \"" + utc + "\", which does not parse");
  FUZZ_CHECK(back == t, context + ": \"" + utc + "\" parses to " + show(back));
  for (const std::int32_t offset : offsets) {
    if (!in_supported_years(civil_time::from_seconds(t.unix_seconds() + offset))) continue;
    const std::string text = redress::format_rfc3339(t, offset);
    FUZZ_CHECK(succeeds([&] { back = instant::parse(text); }),
               context + ": format_rfc3339(offset " + std::to_string(offset) + ") gave \"" + text +
                   "\", which does not parse");
    FUZZ_CHECK(back == t, context + ": \"" + text + "\" parses to " + show(back));
  }
  for (std::size_t z = 0; z < zone_count; ++z) {
    const time_zone& zone = zones()[z];
    std::int32_t offset = 0;
    if (!succeeds([&] { offset = zone.offset_at(t); })) continue;
    if (!in_supported_years(civil_time::from_seconds(t.unix_seconds() + offset))) continue;
    const std::string text = redress::format_rfc3339(t, zone);
    FUZZ_CHECK(succeeds([&] { back = redress::parse_timestamp(text, zone); }),
               context + ": format_rfc3339(" + zone.name() + ") gave \"" + text +
                   "\", which does not parse");
    FUZZ_CHECK(back == t, context + ": \"" + text + "\" parses to " + show(back));
  }
}

// The wall-clock reading of a timestamp parse_timestamp accepted without an offset: the fixed
// positions of "YYYY-MM-DDThh:mm:ss".
civil_time wall_clock(std::string_view text) {
  auto number = [&](std::size_t at, std::size_t width) {
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) value = value * 10 + (text[at + i] - '0');
    return value;
  };
  return civil_time{civil_date{number(0, 4), number(5, 2), number(8, 2)}, number(11, 2),
                    number(14, 2), number(17, 2)};
}

// A local time resolves by the contract's rule: unique -> itself; in a gap -> the transition
// (the wall clock jumps over it); in an overlap -> the first occurrence.
void check_local_resolution(const time_zone& zone, std::string_view input, instant resolved) {
  const civil_time local = wall_clock(input);
  const std::string context =
      "\"" + std::string(input) + "\" in " + zone.name() + " -> " + show(resolved);
  FUZZ_CHECK(local.ok(), context + ": accepted a reading that is not a real time");
  const redress::local_time_info info = zone.lookup(local);
  FUZZ_CHECK(info.resolved == resolved, context + ": lookup() disagrees with parse_timestamp()");
  const std::int64_t wall = local.seconds_since_epoch();
  const auto wall_at = [&](instant t) { return zone.to_civil(t).seconds_since_epoch(); };
  switch (info.result) {
    case redress::local_time_info::kind::unique:
      FUZZ_CHECK(wall_at(resolved) == wall, context + ": does not read back as the same wall time");
      FUZZ_CHECK(info.later == resolved, context + ": unique, but later != resolved");
      break;
    case redress::local_time_info::kind::nonexistent:
      FUZZ_CHECK(wall_at(resolved) > wall && wall_at(resolved - std::chrono::seconds{1}) < wall,
                 context + ": a time in a gap must resolve to the transition that skips it");
      break;
    case redress::local_time_info::kind::ambiguous:
      FUZZ_CHECK(info.later > resolved, context + ": an overlap's first occurrence comes first");
      FUZZ_CHECK(wall_at(resolved) == wall && wall_at(info.later) == wall,
                 context + ": both occurrences must read back as the same wall time");
      break;
  }
}

void check_date(std::string_view text) {
  civil_date d;
  if (!succeeds([&] { d = civil_date::parse(text); })) return;
  const std::string context = "civil_date::parse(\"" + std::string(text) + "\")";
  FUZZ_CHECK(d.ok(), context + " accepted a date that is not ok()");
  FUZZ_CHECK(d.to_string() == text, context + " prints back as \"" + d.to_string() + "\"");
  const std::int64_t days = d.days_since_epoch();
  FUZZ_CHECK(civil_date::from_days(days) == d, context + ": days_since_epoch() does not invert");
  FUZZ_CHECK(static_cast<std::int64_t>(d.day_of_week()) == ((days % 7) + 7 + 3) % 7,
             context + ": wrong day of the week");
}

// Eight raw bytes as an instant: conversions must not misbehave far outside 0001-9999.
void check_any_instant(const std::uint8_t* data) {
  std::int64_t seconds = 0;
  std::memcpy(&seconds, data, sizeof seconds);
  const instant t = instant::from_unix(seconds);
  for (std::size_t z = 0; z < zone_count; ++z) {
    (void)succeeds([&] { (void)redress::format_rfc3339(t, zones()[z]); });
    (void)succeeds([&] { (void)zones()[z].to_civil(t); });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (size == sizeof(std::int64_t)) check_any_instant(data);

  instant t;
  const bool absolute = succeeds([&] { t = instant::parse(text); });
  if (absolute) check_round_trips(t, text);

  for (std::size_t z = 0; z < zone_count; ++z) {
    const time_zone& zone = zones()[z];
    instant in_zone;
    if (!succeeds([&] { in_zone = redress::parse_timestamp(text, zone); })) {
      FUZZ_CHECK(!absolute, "\"" + std::string(text) + "\": instant::parse accepts it, "
                            "parse_timestamp in " + zone.name() + " does not");
      continue;
    }
    if (absolute) {
      FUZZ_CHECK(in_zone == t, "\"" + std::string(text) + "\": parse_timestamp in " + zone.name() +
                                   " disagrees with instant::parse");
    } else {
      check_round_trips(in_zone, text);
      check_local_resolution(zone, text, in_zone);
    }
  }

  check_date(text);
  return 0;
}
