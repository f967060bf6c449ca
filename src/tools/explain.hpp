// Why a deadline is what it is: every step a line a person can check against a calendar.
#ifndef REDRESS_SRC_TOOLS_EXPLAIN_HPP
#define REDRESS_SRC_TOOLS_EXPLAIN_HPP

#include <string>
#include <vector>

#include "redress/policy.hpp"
#include "tools/scenario.hpp"
#include "tools/simulate.hpp"

namespace redress::tools {

struct explanation_step {
  std::string label;  // "counted", "skipped", "due", ...
  std::string text;   // "Thu 2026-07-02 10:00-17:00: 7H"
};

struct explanation {
  clock_report clock;  // the clock explained, as the simulation left it
  time_zone zone = time_zone::locate("UTC");  // its calendar's zone
  std::vector<explanation_step> steps;
};

/// The steps explaining target `target` (cycle `cycle`, 0 = the last) of complaint `id`.
/// Throws: redress::error when the complaint or the target is not in the simulation.
explanation explain_clock(const policy& p, const scenario& s, const simulation& sim, const std::string& id,
                          const std::string& target, int cycle);

/// Lines explaining target `target` (cycle `cycle`, 0 = the last) of complaint `id`.
/// Throws: redress::error when the complaint or the target is not in the simulation.
std::vector<std::string> explain(const policy& p, const scenario& s, const simulation& sim,
                                 const std::string& id, const std::string& target, int cycle);

}  // namespace redress::tools

#endif
