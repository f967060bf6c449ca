// A host's first program against redress, built by both consumer projects.
#include <iostream>

#include <redress/redress.hpp>

int main() {
  const auto calendar = redress::parse_calendar(R"(
[calendar]
name = "office"
timezone = "Europe/London"
holidays = ["2026-04-03", "2026-04-06"]
[calendar.hours]
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00"]
)", "office.toml");
  const auto due = redress::deadline(calendar, redress::instant::parse("2026-04-01T14:00:00+01:00"),
                                     redress::duration_spec::parse("15 business days"));
  std::cout << redress::format_rfc3339(due, calendar.zone()) << " (redress " << redress::version() << ")\n";
  return redress::format_rfc3339(due, calendar.zone()) == "2026-04-24T23:59:59+01:00" ? 0 : 1;
}
