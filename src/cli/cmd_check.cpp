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
#include "input.hpp"
#include "diagnostic_json.hpp"
#include "redress/policy.hpp"

namespace redress::cli {

namespace {

struct check_options {
  std::vector<std::string> files;
  bool json = false;
  bool strict = false;
  std::string as_of;
};

// Without --as-of, `check` says where each calendar's listed holidays end (a line each, a
// "note" in JSON); with it, lint_policy warns when that end is near.
void listed_data_notes(const policy& p, std::vector<std::string>& notes) {
  for (const auto& [name, calendar] : p.definition().calendars)
    if (const std::optional<civil_date> end = calendar.listed_until())
      notes.push_back("calendar \"" + name + "\": listed holidays cover to " + end->to_string());
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
  require_standard_input_once(o.files);
  for (const std::string& path : o.files) {
    const std::string file = path == "-" ? standard_input_name : path;
    std::vector<diagnostic> found;
    std::vector<std::string> notes;
    try {
      const policy p = load_policy_argument(path);
      found = lint_policy(p, as_of);
      if (!as_of) listed_data_notes(p, notes);
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
        report.push_back(diagnostic_value<nlohmann::json>(d, file));
      } else {
        std::cout << d.to_string() << '\n';
      }
    }
    if (!o.json && found.empty()) std::cout << file << ": ok\n";
    // A note is not a finding: in JSON it has the severity "note" and no line.
    for (const std::string& note : notes) {
      if (!o.json) {
        std::cout << file << ": " << note << '\n';
        continue;
      }
      nlohmann::json value =
          diagnostic_value<nlohmann::json>(diagnostic{diagnostic::severity::warning, source_location{file, 0, 0}, note}, file);
      value["severity"] = "note";
      report.push_back(std::move(value));
    }
  }
  if (o.json) std::cout << report.dump(2) << '\n';
  return status;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<check_options>();
  CLI::App* check = app.add_subcommand("check", "Load and lint policy files");
  check->add_option("policies", options->files, "Policy files (TOML); - reads one from standard input")->required();
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
