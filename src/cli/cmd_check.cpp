// `redress check POLICY...`: load and lint policies.
// Exit 2 when a file cannot be loaded, 1 when lint finds errors (or warnings under --strict).
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "redress/policy.hpp"

namespace redress::cli {

namespace {

struct check_options {
  std::vector<std::string> files;
  bool json = false;
  bool strict = false;
  std::string as_of;
};

// How long before a calendar's listed holidays end `check --as-of` warns.
constexpr std::int64_t listed_data_warning_days = 90;

// The end of each calendar's listed holidays: a line each without --as-of, a warning with it
// when the end is less than 90 days away (or past).
void check_calendar_data(const policy& p, const std::string& file, const std::optional<civil_date>& as_of,
                         std::vector<diagnostic>& found, std::vector<std::string>& notes) {
  for (const auto& [name, calendar] : p.definition().calendars) {
    // A holiday rule named twice for overlapping years is a copy or a missing from/until.
    const auto& rules = calendar.definition().holiday_rules;
    for (std::size_t i = 0; i < rules.size(); ++i)
      for (std::size_t j = 0; j < i; ++j) {
        if (rules[i].name != rules[j].name) continue;
        const int a0 = rules[j].from.value_or(1), a1 = rules[j].until.value_or(9999);
        const int b0 = rules[i].from.value_or(1), b1 = rules[i].until.value_or(9999);
        if (std::max(a0, b0) > std::min(a1, b1)) continue;
        found.push_back(diagnostic{
            diagnostic::severity::warning, source_location{file, 0, 0},
            "calendar \"" + name + "\": holiday rule \"" + rules[i].name + "\" is given twice for the years " +
                std::to_string(std::max(a0, b0)) + "-" + std::to_string(std::min(a1, b1)) +
                " (\"" + rules[j].date + "\" and \"" + rules[i].date +
                "\"): give each its 'from' and 'until', or rename one"});
      }
    const std::optional<civil_date> end = calendar.listed_until();
    if (!end) continue;
    if (!as_of) {
      notes.push_back(file + ": calendar \"" + name + "\": listed holidays cover to " + end->to_string());
      continue;
    }
    const std::int64_t left = end->days_since_epoch() - as_of->days_since_epoch();
    if (left >= listed_data_warning_days) continue;
    const std::string when = left < 0 ? "ended on " + end->to_string()
                                      : "end on " + end->to_string() + ", " + std::to_string(left) +
                                            (left == 1 ? " day" : " days") + " after " + as_of->to_string();
    found.push_back(diagnostic{diagnostic::severity::warning, source_location{file, 0, 0},
                               "calendar \"" + name + "\": its listed holidays " + when +
                                   ": add the next dates (or holiday rules) and widen 'valid'"});
  }
}

int run_check(const check_options& o) {
  int status = exit_ok;
  nlohmann::json report = nlohmann::json::array();
  std::optional<civil_date> as_of;
  if (!o.as_of.empty()) {
    try {
      as_of = civil_date::parse(o.as_of);
    } catch (const error& e) {
      throw error("--as-of: " + e.message());
    }
  }
  for (const std::string& file : o.files) {
    std::vector<diagnostic> found;
    std::vector<std::string> notes;
    try {
      const policy p = load_policy(file);
      found = lint_policy(p);
      check_calendar_data(p, file, as_of, found, notes);
    } catch (const error& e) {
      found.push_back(diagnostic{diagnostic::severity::error, e.where(), e.message()});
      if (found.back().where.file.empty()) found.back().where.file = file;
      status = exit_bad_input;
    }
    for (const diagnostic& d : found) {
      if (status != exit_bad_input &&
          (d.level == diagnostic::severity::error || o.strict))
        status = exit_findings;
      if (o.json) {
        report.push_back({{"file", d.where.file.empty() ? file : d.where.file},
                          {"line", d.where.line},
                          {"column", d.where.column},
                          {"severity", d.level == diagnostic::severity::error ? "error" : "warning"},
                          {"message", d.message}});
      } else {
        std::cout << d.to_string() << '\n';
      }
    }
    if (!o.json && found.empty()) std::cout << file << ": ok\n";
    if (!o.json)
      for (const std::string& note : notes) std::cout << note << '\n';
  }
  if (o.json) std::cout << report.dump(2) << '\n';
  return status;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<check_options>();
  CLI::App* check = app.add_subcommand("check", "Load and lint policy files");
  check->add_option("policies", options->files, "Policy files (TOML)")->required();
  check->add_flag("--json", options->json, "Print the diagnostics as a JSON array");
  check->add_flag("--strict", options->strict, "Treat warnings as errors (exit 1)");
  check->add_option("--as-of", options->as_of,
                    "Warn when a calendar's listed holidays end within 90 days of this date "
                    "(YYYY-MM-DD); without it, print where each one's listed holidays end");
  check->footer(
      "Exit status: 0 clean, 1 lint findings (errors, or warnings with --strict), 2 a file "
      "that cannot be loaded.\n\nExample:\n  redress check rules/iso10002.toml rules/fca-disp.toml\n"
      "  rules/iso10002.toml: ok\n  rules/fca-disp.toml: ok");
  check->callback([options, &exit_status] { exit_status = run_check(*options); });
}

}  // namespace redress::cli
