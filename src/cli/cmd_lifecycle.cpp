// `redress lifecycle --format dot|mermaid`: the diagram of the real transition table.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "redress/lifecycle.hpp"
#include "wire/json.hpp"

namespace redress::cli {

void add_lifecycle_command(CLI::App& app, int& exit_status) {
  auto format = std::make_shared<std::string>("mermaid");
  auto json = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand(
      "lifecycle", "Print the complaint lifecycle diagram, generated from the state machine's table");
  CLI::Option* format_option =
      command->add_option("--format", *format, "mermaid (renders on code hosts) or dot (Graphviz)")
          ->check(CLI::IsMember({"mermaid", "dot"}));
  command->add_flag("--json", *json, "Print the transition table as JSON (region, from, event, to, guard, internal)")
      ->excludes(format_option);
  command->footer(
      "Example (then, with Graphviz: dot -Tsvg lifecycle.dot > lifecycle.svg):\n"
      "  redress lifecycle --format dot > lifecycle.dot");
  command->callback([format, json, &exit_status] {
    if (*json) {
      wire::json rows = wire::json::array();
      for (const lifecycle_transition& t : lifecycle_transitions()) {
        const char* region = t.where == lifecycle_transition::region::complaint     ? "complaint"
                             : t.where == lifecycle_transition::region::action_plan ? "action_plan"
                                                                                     : "data";
        rows.push_back({{"region", region},
                        {"from", std::string(t.from_name())},
                        {"event", std::string(to_string(t.event))},
                        {"to", std::string(t.to_name())},
                        {"guard", std::string(t.guard)},
                        {"internal", t.internal}});
      }
      std::cout << wire::json{{"transitions", std::move(rows)}}.dump(2) << '\n';
      exit_status = exit_ok;
      return;
    }
    std::cout << lifecycle_diagram(*format);
    exit_status = exit_ok;
  });
}

}  // namespace redress::cli
