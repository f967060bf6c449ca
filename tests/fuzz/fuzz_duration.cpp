// Durations as policies and the command line write them ("15 business days", "-2 business
// hours"): whatever duration_spec::parse accepts prints back to itself, has the kind its unit
// says, and (for elapsed and working time) converts to seconds or says it is too large.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "redress/calendar.hpp"

using redress::duration_spec;
using redress_fuzz::succeeds;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const redress::source_location where{"policy.toml", 3, 7};
  duration_spec spec;
  try {
    spec = duration_spec::parse(text, where);
  } catch (const redress::error& e) {
    FUZZ_CHECK(e.where().file == where.file && e.where().line == where.line &&
                   e.where().column == where.column,
               "the error for \"" + std::string(text) + "\" lost its location: " + e.what());
    return 0;
  }
  const std::string context = "\"" + std::string(text) + "\" -> \"" + spec.to_string() + "\"";
  FUZZ_CHECK(spec.is_elapsed() + spec.is_working_time() + spec.is_day_period() == 1,
             context + ": a duration has exactly one kind");
  FUZZ_CHECK(!spec.is_day_period() || spec.count > 0 ||
                 (spec.count == 0 && spec.what == duration_spec::unit::business_days),
             context + ": a day period needs at least 1 (or \"0 business days\")");

  const std::string printed = spec.to_string();
  duration_spec back;
  FUZZ_CHECK(succeeds([&] { back = duration_spec::parse(printed); }),
             context + ": to_string() does not parse");
  FUZZ_CHECK(back == spec, context + ": to_string() parses to \"" + back.to_string() + "\"");

  if (!spec.is_day_period()) {
    std::int64_t seconds = 0;
    if (succeeds([&] { seconds = spec.seconds(); })) {
      FUZZ_CHECK((seconds > 0) == (spec.count > 0) && (seconds < 0) == (spec.count < 0),
                 context + ": seconds() changed the sign");
      FUZZ_CHECK(seconds % 60 == 0 || spec.what == duration_spec::unit::seconds ||
                     spec.what == duration_spec::unit::business_seconds,
                 context + ": minutes and hours are whole minutes");
    }
  }
  return 0;
}
