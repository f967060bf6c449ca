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
  int line = 0;  // where it is written in scenario::file (a path per event was a copy of the file's name)
};

struct scenario_complaint {
  complaint_intake intake;
  int line = 0;  // of its opening, in scenario::file
  std::vector<scenario_event> events;  // as read: see in_order()

  /// The complaint's events in the order a simulation applies them: by the instant they were
  /// logged (logged_at, else at), and at one instant in file order. The readers refuse an event
  /// logged earlier than the one before it in the same complaint, so that order is the order
  /// they were read in (a late event, whose at is earlier, is put in its place by the engine); scenario::steps() and
  /// report_builder::add() both walk this view, not an ordering of their own.
  const std::vector<scenario_event>& in_order() const noexcept { return events; }
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
  /// The same for one complaint alone (`index`: its place in `complaints`, written into each
  /// step): its opening and events by instant, ties in file order. steps() is these, merged.
  static std::vector<step> steps_of(const scenario_complaint& c, std::size_t index);
};

/// Reads a scenario file: TOML, or JSON Lines when the file ends in .jsonl (or its first
/// non-blank character is '{'). Local times without an offset are read in `zone`.
/// `path` "-" reads standard input (named "<stdin>" in messages). A JSON Lines file is read a
/// line at a time, never held whole (its complaints are: an event line may come anywhere
/// after its complaint's opening, so no complaint is complete before the end of the file).
/// Throws: redress::error at file:line:col.
scenario load_scenario(const std::string& path, const time_zone& zone);
scenario parse_scenario(const std::string& text, const std::string& file_name, const time_zone& zone);

}  // namespace redress::tools

#endif
