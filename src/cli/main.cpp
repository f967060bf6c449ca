// The `redress` command-line tool: what compliance teams and CI pipelines run.
// Exit status: 0 success, 1 findings (a check or test that failed), 2 bad arguments or input.
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "redress/redress.hpp"

namespace {

constexpr int exit_bad_input = 2;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"redress: complaint handling on time (deadlines, escalations, responsibility)",
               "redress"};
  app.set_version_flag("--version", std::string("redress ") + redress::version());
  app.require_subcommand(1);
  app.footer("Run 'redress COMMAND --help' for the options and an example of each command.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "redress: " << e.what() << "\n\n" << app.help();
    return exit_bad_input;
  }
  return 0;
}
