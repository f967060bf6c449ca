// Running a scenario through a policy: the timeline of every complaint, in time order.
#ifndef REDRESS_SRC_TOOLS_SIMULATE_HPP
#define REDRESS_SRC_TOOLS_SIMULATE_HPP

#include <string>
#include <vector>

#include "redress/engine.hpp"
#include "tools/scenario.hpp"

namespace redress::tools {

/// One line of a complaint's timeline. An action's entry refers to the action (an index into
/// its complaint_run::actions) instead of holding a copy of it: 3,000,000 entries for a
/// 1,000,000-event history each copied an action and its summary.
struct timeline_entry {
  enum class kind { opened, event, rejected, action };
  kind what = kind::event;
  instant at;
  std::string label;   // event name or action kind
  std::string detail;  // a line a person reads (for an action: empty, see complaint_run::detail)
  std::string who;     // for an event, its actor (may be empty)
  std::size_t fired = 0;  // for kind::action: its index in complaint_run::actions
};

struct complaint_run {
  std::string id;
  std::string calendar;
  time_zone zone = time_zone::locate("UTC");
  std::vector<timeline_entry> timeline;
  std::vector<action> actions;  // in the order they fired
  /// Requires: e.what == timeline_entry::kind::action, `e` one of this run's entries.
  const action& fired(const timeline_entry& e) const { return actions[e.fired]; }
  /// The line a person reads for `e`: an action's summary, else e.detail.
  const std::string& detail(const timeline_entry& e) const {
    return e.what == timeline_entry::kind::action ? actions[e.fired].summary : e.detail;
  }
  std::vector<std::pair<std::string, std::string>> owner_after;  // (event name, owner after it)
  complaint_status final_status;
  bool opened = false;
  std::size_t rejected = 0;  // its rejected events and opening
};

struct simulation {
  std::string policy_name;
  std::string policy_version;
  std::string scenario_name;
  instant horizon;
  std::vector<complaint_run> complaints;
  std::size_t rejected = 0;
};

/// Runs one complaint of a scenario on an engine of its own: opens it, applies its events in
/// time order (events before actions at the same instant) and advances to `horizon`. The
/// engine is deterministic per complaint (a complaint's state is a pure function of its policy
/// and its events), so this is the complaint's part of simulate(), computed without the
/// others: `simulate` writes each complaint as soon as it is run and drops it.
/// With `only_until_horizon`, the events after `horizon` are not applied (`simulate --at`: the
/// complaint as it stood at `horizon`, its final_status status(id, horizon)).
complaint_run simulate_complaint(const policy& p, const scenario_complaint& c, instant horizon,
                                 bool only_until_horizon = false);
/// The same on an engine the caller holds (whose current policy is `p`), which keeps the
/// complaint afterwards: `redress migrate` runs a complaint under one version, then migrates it.
complaint_run simulate_complaint(engine& e, const policy& p, const scenario_complaint& c, instant horizon,
                                 bool only_until_horizon = false);

/// The simulation's policy, scenario name and horizon, without its complaints.
simulation simulation_head(const policy& p, const scenario& s);

/// Every complaint of `s` by simulate_complaint(), in the scenario's order, up to its horizon.
simulation simulate(const policy& p, const scenario& s);

std::string_view to_string(action::kind k) noexcept;

/// Returns: "2026-04-01 14:00 +01:00", the local reading people read in tables (seconds only
/// when they are not zero); "1840-06-01 12:00 UTC" where format_rfc3339 writes the instant in
/// UTC (an offset with seconds, such as London's local mean time before 1847).
std::string local_reading(const instant& t, const time_zone& zone);
/// Effects: appends local_reading(t, zone) to `out`, building no string of its own (the tables
/// of `redress simulate` write several per line, 3,000,000 for a 1,000,000-event history).
void append_local_reading(std::string& out, const instant& t, const time_zone& zone);

/// Returns: a clock's outcome as tables print it: "met", "cancelled", "running, breached"
/// (a clock is breached when its due instant passed while it ran, whatever its state now).
std::string clock_outcome(const clock_report& k);

}  // namespace redress::tools

#endif
