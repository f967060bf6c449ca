// `redress explain POLICY SCENARIO --complaint ID --target NAME`: why this deadline.
#include <iostream>
#include <limits>
#include <memory>

#include "commands.hpp"
#include "input.hpp"
#include "redress/policy.hpp"
#include "tools/explain.hpp"
#include "wire/json.hpp"

namespace redress::cli {

void add_explain_command(CLI::App& app, int& exit_status) {
  struct options {
    std::string policy, scenario, complaint, target;
    int cycle = 0;
    bool json = false;
  };
  auto o = std::make_shared<options>();
  CLI::App* command = app.add_subcommand("explain", "Explain a deadline step by step: selector, calendar, counted and skipped days, pauses, DST, rollover");
  command->add_option("policy", o->policy, "Policy file (TOML); - reads standard input")->required();
  command->add_option("scenario", o->scenario, "Scenario file; - reads standard input")->required();
  command->add_option("--complaint", o->complaint, "Complaint id")->required();
  command->add_option("--target", o->target, "Target name (or promise, corrective-action)")->required();
  command->add_option("--cycle", o->cycle, "Cycle of a periodic target, counted from 1 (default: the last)")
      ->check(CLI::Range(1, std::numeric_limits<int>::max()));
  command->add_flag("--json", o->json,
                    "Print JSON: the clock in the wire format (docs/wire-format.md) and the steps as {step, text}");
  command->footer(
      "Example:\n  redress explain rules/fca-disp.toml examples/scenarios/fca-holding.toml --complaint C-17 --target final-response");
  command->callback([o, &exit_status] {
    require_standard_input_once({o->policy, o->scenario});
    const policy p = load_policy_argument(o->policy);
    const tools::scenario s = load_scenario_argument(o->scenario, p.calendar(p->default_calendar).zone());
    const tools::simulation sim = tools::simulate(p, s);
    if (o->json) {
      const tools::explanation e = tools::explain_clock(p, s, sim, o->complaint, o->target, o->cycle);
      wire::json steps = wire::json::array();
      for (const tools::explanation_step& step : e.steps) steps.push_back({{"step", step.label}, {"text", step.text}});
      const wire::json out = {{"complaint", o->complaint},
                              {"target", o->target},
                              {"clock", wire::value_of(e.clock, e.zone)},
                              {"steps", std::move(steps)}};
      std::cout << out.dump(2) << '\n';
    } else {
      for (const std::string& l : tools::explain(p, s, sim, o->complaint, o->target, o->cycle)) std::cout << l << '\n';
    }
    exit_status = exit_ok;
  });
}

}  // namespace redress::cli
