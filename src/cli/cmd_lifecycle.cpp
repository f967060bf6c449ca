// `redress lifecycle --format dot|mermaid`: the diagram of the real transition table.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "redress/lifecycle.hpp"

namespace redress::cli {

void add_lifecycle_command(CLI::App& app, int& exit_status) {
  auto format = std::make_shared<std::string>("mermaid");
  CLI::App* command = app.add_subcommand(
      "lifecycle", "Print the complaint lifecycle diagram, generated from the state machine's table");
  command->add_option("--format", *format, "mermaid (renders on code hosts) or dot (Graphviz)")
      ->check(CLI::IsMember({"mermaid", "dot"}));
  command->footer(
      "Example (then, with Graphviz: dot -Tsvg lifecycle.dot > lifecycle.svg):\n"
      "  redress lifecycle --format dot > lifecycle.dot");
  command->callback([format, &exit_status] {
    std::cout << lifecycle_diagram(*format);
    exit_status = exit_ok;
  });
}

}  // namespace redress::cli
