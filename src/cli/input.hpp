// "-" is standard input wherever a command reads a file (policies, calendars, scenarios, test
// files; `due --batch` streams its own). Standard input can be read once: a command that names
// "-" twice is refused before anything is read.
#ifndef REDRESS_CLI_INPUT_HPP
#define REDRESS_CLI_INPUT_HPP

#include <string>
#include <vector>

#include "redress/calendar.hpp"
#include "redress/policy.hpp"
#include "tools/scenario.hpp"

namespace redress::cli {

/// The name messages give standard input: "<stdin>".
inline const std::string standard_input_name = "<stdin>";

/// Throws: redress::error when more than one of `paths` is "-".
void require_standard_input_once(const std::vector<std::string>& paths);

/// Returns: all of standard input. Throws: redress::error when it cannot be read, or when it
/// was read before in this run.
std::string read_standard_input(const std::string& what);

/// load_policy, load_calendar and tools::load_scenario, with "-" read from standard input
/// (relative paths inside it then resolve against the working directory).
policy load_policy_argument(const std::string& path);
business_calendar load_calendar_argument(const std::string& path);
tools::scenario load_scenario_argument(const std::string& path, const time_zone& zone);

}  // namespace redress::cli

#endif
