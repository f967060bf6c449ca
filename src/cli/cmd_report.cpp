// `redress report POLICY HISTORY [--from DATE] [--to DATE] [--json|--csv] [--html FILE]`: the figures a
// complaints function sends its board and its regulator for a period (src/tools/report.hpp).
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "output.hpp"
#include "redress/policy.hpp"
#include "tools/report.hpp"
#include "tools/scenario.hpp"

namespace redress::cli {

namespace {

struct report_options {
  std::string policy, history, from, to, html;
  bool json = false, csv = false;
};

int run_report(const report_options& o) {
  const policy p = load_policy(o.policy);
  const tools::scenario history = tools::load_scenario(o.history, p.calendar(p->default_calendar).zone());
  tools::report_builder builder(p, tools::make_period(p, history, o.from, o.to));
  for (const tools::scenario_complaint& c : history.complaints) builder.add(c);
  const tools::report& r = builder.result();
  if (!o.html.empty()) {
    write_file(o.html, tools::report_html(r));
    std::cerr << "wrote " << o.html << "\n";
  }
  if (o.json) std::cout << tools::report_json(r);
  else if (o.csv) std::cout << tools::report_csv(r);
  else if (o.html.empty()) std::cout << tools::report_text(r);
  return exit_ok;
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_status) {
  auto o = std::make_shared<report_options>();
  CLI::App* command = app.add_subcommand(
      "report", "Period report: received and closed, targets met and business time taken, breaches, upheld, promises, escalations, open by age");
  command->add_option("policy", o->policy, "Policy file")->required();
  command->add_option("history", o->history, "Complaint history (a scenario file, TOML or JSON Lines)")->required();
  command->add_option("--from", o->from, "First day of the period, YYYY-MM-DD (default: the day of the first complaint)");
  command->add_option("--to", o->to, "Last day of the period, YYYY-MM-DD, inclusive (default: the day of the history's last event)");
  CLI::Option* json = command->add_flag("--json", o->json, "Print JSON (schemas/report.schema.json)");
  command->add_flag("--csv", o->csv, "Print CSV: one row per figure (section,item,figure,value)")->excludes(json);
  command->add_option("--html", o->html, "Write the report as a standalone HTML page with charts to FILE (no table is printed unless --json or --csv)")->check(file_name);
  command->footer("Example:\n  redress report rules/iso10002.toml examples/scenarios/retail-week.toml --from 2026-03-23 --to 2026-03-29");
  command->callback([o, &exit_status] { exit_status = run_report(*o); });
}

}  // namespace redress::cli
