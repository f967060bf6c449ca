// Each `redress` subcommand lives in its own file and registers itself here. A command's
// callback stores its exit status (0 success, 1 findings, 2 bad input) in `exit_status`;
// a redress::error escaping a command becomes its message on stderr and status 2 (main.cpp).
#ifndef REDRESS_CLI_COMMANDS_HPP
#define REDRESS_CLI_COMMANDS_HPP

#include <CLI/CLI.hpp>

namespace redress::cli {

constexpr int exit_ok = 0;
constexpr int exit_findings = 1;
constexpr int exit_bad_input = 2;

/// For every option that names a file: an empty value ("--svg \"\"", or "--token-file
/// \"$UNSET\"") is refused, where it read as the option not given (no picture written, a server
/// without its token) and exited 0.
inline const CLI::Validator file_name(
    [](const std::string& value) { return value.empty() ? std::string("expected a file name, not an empty string") : std::string(); },
    "");

// `redress due`, `redress elapsed` (cmd_time.cpp).
void add_time_commands(CLI::App& app, int& exit_status);
// `redress check` (cmd_check.cpp).
void add_check_command(CLI::App& app, int& exit_status);
// `redress lifecycle` (cmd_lifecycle.cpp).
void add_lifecycle_command(CLI::App& app, int& exit_status);
// `redress simulate` (cmd_simulate.cpp), `redress test` (cmd_test.cpp).
void add_simulate_command(CLI::App& app, int& exit_status);
void add_test_command(CLI::App& app, int& exit_status);
// `redress explain` (cmd_explain.cpp).
void add_explain_command(CLI::App& app, int& exit_status);
// `redress diff` (cmd_diff.cpp), `redress report` (cmd_report.cpp).
void add_diff_command(CLI::App& app, int& exit_status);
void add_report_command(CLI::App& app, int& exit_status);
// `redress migrate` (cmd_migrate.cpp): diff's prediction, applied to a history.
void add_migrate_command(CLI::App& app, int& exit_status);
// `redress serve` (cmd_serve.cpp): the engine over stdin/stdout, in the wire format.
void add_serve_command(CLI::App& app, int& exit_status);
// `redress server` (cmd_server.cpp): the engine over HTTP with a journal (REDRESS_BUILD_SERVER).
void add_server_command(CLI::App& app, int& exit_status);

// `redress holidays` (cmd_holidays.cpp).
void add_holidays_command(CLI::App& app, int& exit_status);

}  // namespace redress::cli

#endif
