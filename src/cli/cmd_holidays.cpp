// `redress holidays --calendar FILE (--year YYYY | --from DATE --to DATE) [--json | --ics]`:
// a calendar's holidays with their names, for calendar authors and for other tools.
#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "commands.hpp"
#include "input.hpp"
#include "redress/calendar.hpp"
#include "redress/error.hpp"
#include "tools/holiday_export.hpp"

namespace redress::cli {

namespace {

struct holidays_options {
  std::string calendar;
  std::string year;
  std::string from;
  std::string to;
  bool json = false;
  bool ics = false;
};

int read_year(const std::string& text) {
  bool digits = text.size() == 4;
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  const int year = digits ? std::stoi(text) : 0;
  if (year < 1) throw error("--year: expected a year YYYY in 0001-9999, got \"" + text + "\"");
  return year;
}

civil_date read_date(const std::string& text, const char* option) {
  try {
    return civil_date::parse(text);
  } catch (const error& e) {
    throw error(std::string(option) + ": " + e.message());
  }
}

int run_holidays(const holidays_options& o) {
  if (o.json && o.ics) throw error("give --json or --ics, not both");
  civil_date from, to;
  if (!o.year.empty()) {
    if (!o.from.empty() || !o.to.empty()) throw error("give --year, or --from and --to, not both");
    const int year = read_year(o.year);
    from = civil_date{year, 1, 1};
    to = civil_date{year, 12, 31};
  } else {
    if (o.from.empty() || o.to.empty())
      throw error("give --year YYYY, or --from YYYY-MM-DD and --to YYYY-MM-DD");
    from = read_date(o.from, "--from");
    to = read_date(o.to, "--to");
    if (to < from) throw error("--to (" + to.to_string() + ") is before --from (" + from.to_string() + ")");
  }
  const business_calendar calendar = load_calendar_argument(o.calendar);
  const std::vector<named_holiday> found = calendar.holidays(from, to);
  std::string out;
  if (o.json) {
    out = tools::holidays_to_json(calendar.name(), from, to, found);
  } else if (o.ics) {
    const auto now = std::chrono::system_clock::now();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    out = tools::holidays_to_ics(calendar.name(), found, instant::from_unix(seconds));
  } else {
    out = tools::holidays_to_text(found);
  }
  std::cout << out;  // a failed write is reported, with its reason, by finish_standard_output
  return exit_ok;
}

}  // namespace

void add_holidays_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<holidays_options>();
  CLI::App* command = app.add_subcommand(
      "holidays", "List a calendar's holidays (listed, by rule, and observed) with their names");
  command->add_option("--calendar", options->calendar, "Calendar file (TOML); - reads standard input")->required();
  command->add_option("--year", options->year, "A year: every holiday from 1 January to 31 December");
  command->add_option("--from", options->from, "First date (YYYY-MM-DD), with --to");
  command->add_option("--to", options->to, "Last date (YYYY-MM-DD, inclusive)");
  command->add_flag("--json", options->json, "Print a JSON object");
  command->add_flag("--ics", options->ics,
                    "Print an iCalendar file (one all-day event per holiday) to import elsewhere");
  command->footer(
      "One line per date: the date, the weekday and the holiday's name. Exit 2 for a year the\n"
      "calendar does not cover.\n\nExample:\n"
      "  redress holidays --calendar rules/calendars/england-wales.toml --from 2027-03-01 --to 2027-05-31\n"
      "  2027-03-26 Fri Good Friday\n"
      "  2027-03-29 Mon Easter Monday\n"
      "  2027-05-03 Mon Early May bank holiday\n"
      "  2027-05-31 Mon Spring bank holiday");
  command->callback([options, &exit_status] { exit_status = run_holidays(*options); });
}

}  // namespace redress::cli
