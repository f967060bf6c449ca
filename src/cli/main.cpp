// The `redress` command-line tool: what compliance teams and CI pipelines run.
// Exit status: 0 success, 1 findings (a check or test that failed), 2 bad arguments or input.
#include <iostream>
#include <string>

#include "commands.hpp"
#include "output.hpp"
#include "redress/redress.hpp"
#include "terminal.hpp"

namespace {

int run(int argc, char** argv) {
  using namespace redress::cli;
  CLI::App app{"redress: complaint handling on time (deadlines, escalations, responsibility)",
               "redress"};
  app.set_version_flag("-V,--version", std::string("redress ") + redress::version());
  app.require_subcommand(1);
  // Global options may follow the command too: `redress simulate P S --color=always`.
  app.fallthrough();
  app.add_option_function<std::string>(
         "--color",
         [](const std::string& value) {
           if (const auto mode = parse_colour_mode(value)) chosen_colour_mode() = *mode;
         },
         "Colour tables: auto (on a terminal, unless NO_COLOR is set), always, never")
      ->check(CLI::IsMember({colour_mode_names[0], colour_mode_names[1], colour_mode_names[2]}))
      ->type_name("WHEN");
  app.footer("Run 'redress COMMAND --help' for the options and an example of each command.");

  int exit_status = exit_ok;
  add_time_commands(app, exit_status);
  add_check_command(app, exit_status);
  add_lifecycle_command(app, exit_status);
  add_simulate_command(app, exit_status);
  add_test_command(app, exit_status);
  add_explain_command(app, exit_status);
  add_diff_command(app, exit_status);
  add_migrate_command(app, exit_status);
  add_report_command(app, exit_status);
  add_serve_command(app, exit_status);
#ifdef REDRESS_WITH_SERVER
  add_server_command(app, exit_status);
#endif
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
    // Name the help of the command that was being parsed: that is where the missing or wrong
    // argument is explained.
    // A global option's error (`--color`) points at the global help.
    std::string help = "redress";
    bool global = false;
    for (const CLI::Option* option : app.get_options())
      if (std::string(e.what()).rfind(option->get_name() + ":", 0) == 0) global = true;
    if (!global)
      for (const CLI::App* sub : app.get_subcommands()) help = "redress " + sub->get_name();
    std::cerr << "redress: " << e.what() << " (run '" << help << " --help')\n";
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
