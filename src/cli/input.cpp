#include "input.hpp"

#include <iostream>
#include <iterator>

#include "redress/error.hpp"

namespace redress::cli {

void require_standard_input_once(const std::vector<std::string>& paths) {
  int named = 0;
  for (const std::string& p : paths) named += p == "-";
  if (named > 1) throw error("standard input (\"-\") is named " + std::to_string(named) + " times; it can be read only once");
}

std::string read_standard_input(const std::string& what) {
  static bool read = false;
  if (read) throw error("standard input (\"-\") is named twice; it can be read only once");
  read = true;
  std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  if (std::cin.bad()) throw error("cannot read " + what + " from standard input", source_location{standard_input_name, 0, 0});
  return text;
}

policy load_policy_argument(const std::string& path) {
  if (path != "-") return load_policy(path);
  return parse_policy(read_standard_input("the policy"), standard_input_name);
}

business_calendar load_calendar_argument(const std::string& path) {
  if (path != "-") return load_calendar(path);
  return parse_calendar(read_standard_input("the calendar"), standard_input_name);
}

tools::scenario load_scenario_argument(const std::string& path, const time_zone& zone) {
  if (path != "-") return tools::load_scenario(path, zone);
  return tools::parse_scenario(read_standard_input("the scenario"), standard_input_name, zone);
}

}  // namespace redress::cli
