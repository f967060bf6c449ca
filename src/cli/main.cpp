// The `redress` command-line tool: what compliance teams and CI pipelines run.
// Exit status: 0 success, 1 findings (a check or test that failed), 2 bad arguments or input.
#include <iostream>
#include <string>

#include "commands.hpp"
#include "redress/redress.hpp"

namespace redress::cli {
// One line per command; each is defined in its own cmd_*.cpp.
}  // namespace redress::cli

int main(int argc, char** argv) {
  using namespace redress::cli;
  CLI::App app{"redress: complaint handling on time (deadlines, escalations, responsibility)",
               "redress"};
  app.set_version_flag("--version", std::string("redress ") + redress::version());
  app.require_subcommand(1);
  app.footer("Run 'redress COMMAND --help' for the options and an example of each command.");

  int exit_status = exit_ok;
  (void)exit_status;

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "redress: " << e.what() << "\n\n" << app.help();
    return exit_bad_input;
  } catch (const redress::error& e) {
    std::cerr << "redress: " << e.what() << '\n';
    return exit_bad_input;
  }
  return exit_status;
}
