// The `redress` command-line tool: what compliance teams and CI pipelines run.
// Exit status: 0 success, 1 findings (a check or test that failed), 2 bad arguments or input.
#include <iostream>
#include <string>

#include "commands.hpp"
#include "output.hpp"
#include "redress/redress.hpp"

namespace {

int run(int argc, char** argv) {
  using namespace redress::cli;
  CLI::App app{"redress: complaint handling on time (deadlines, escalations, responsibility)",
               "redress"};
  app.set_version_flag("--version", std::string("redress ") + redress::version());
  app.require_subcommand(1);
  app.footer("Run 'redress COMMAND --help' for the options and an example of each command.");

  int exit_status = exit_ok;
  add_time_commands(app, exit_status);
  add_check_command(app, exit_status);
  add_lifecycle_command(app, exit_status);
  add_simulate_command(app, exit_status);
  add_test_command(app, exit_status);
  add_explain_command(app, exit_status);
  add_diff_command(app, exit_status);
  add_report_command(app, exit_status);
  add_serve_command(app, exit_status);
  add_holidays_command(app, exit_status);

  auto is_command = [&app](const std::string& name) {
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
      if (sub->check_name(name)) return true;
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !is_command(argv[1])) {
    std::cerr << "redress: unknown command '" << argv[1] << "'\n\n" << app.help();
    return exit_bad_input;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "redress: " << e.what() << " (run 'redress --help')\n";
    return exit_bad_input;
  } catch (const redress::error& e) {
    std::cerr << "redress: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const std::exception& e) {  // e.g. std::filesystem::filesystem_error: never an abort
    std::cerr << "redress: " << e.what() << '\n';
    return exit_bad_input;
  }
  return exit_status;
}

}  // namespace

int main(int argc, char** argv) {
  // Every command's output is checked when it ends: a failed write is exit 2, never exit 0.
  redress::cli::capture_standard_output();
  return redress::cli::finish_standard_output(run(argc, argv));
}
