// Scenario files: complaints with their attributes and timed events, for simulate, test,
// explain, diff and report. TOML (hand-written) or JSON Lines (exported by a host). The format is
// documented in rules/README.md ("Scenarios").
#ifndef REDRESS_SRC_TOOLS_SCENARIO_HPP
#define REDRESS_SRC_TOOLS_SCENARIO_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "redress/engine.hpp"

namespace redress::tools {

struct scenario_event {
  complaint_event event;
  source_location where;
};

struct scenario_complaint {
  complaint_intake intake;
  source_location where;
  std::vector<scenario_event> events;
};

struct scenario {
  std::string name;
  std::string file;
  std::optional<instant> until;  // simulate up to here (default: 30 days after the last event)
  std::vector<scenario_complaint> complaints;

  /// The instant simulations run to.
  instant horizon() const;

  /// One opening or event of the scenario, as a simulation meets it.
  struct step {
    instant at;
    std::size_t complaint;  // index in `complaints`
    int event;              // index in that complaint's `events`; -1: its opening
  };
  /// Every opening and event in the order a simulation applies them: by instant, and at one
  /// instant in the order the file lists them (the one ordering rule of scenarios).
  std::vector<step> steps() const;
};

/// Reads a scenario file: TOML, or JSON Lines when the file ends in .jsonl (or its first
/// non-blank character is '{'). Local times without an offset are read in `zone`.
/// `path` "-" reads standard input (named "<stdin>" in messages).
/// Throws: redress::error at file:line:col.
scenario load_scenario(const std::string& path, const time_zone& zone);
scenario parse_scenario(const std::string& text, const std::string& file_name, const time_zone& zone);

}  // namespace redress::tools

#endif
