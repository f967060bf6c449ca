// `redress report`: the figures a complaints function sends its board and its regulator for a
// period (the shape of the FCA's complaints return where the data allows). Complaints are added
// one at a time and each is run on its own engine up to the period's end, then forgotten: the
// report holds counters and one number per stopped clock, never the complaints' timelines, so
// its cost is linear in the history. The figures are defined in docs/wire-format.md ("Report").
#ifndef REDRESS_SRC_TOOLS_REPORT_HPP
#define REDRESS_SRC_TOOLS_REPORT_HPP

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "redress/engine.hpp"
#include "tools/scenario.hpp"

namespace redress::tools {

/// The period: whole local dates in the policy's default calendar, from..to inclusive.
struct report_period {
  civil_date from_date, to_date;
  instant from, to;  // the first and the last second of the period
};

/// One target (all variants of one name): clocks decided in the period.
struct target_figures {
  std::string target;
  bool working_time = true;     // counted in working time (false: an elapsed-time target)
  std::size_t met = 0;          // stopped in the period at or before the due instant
  std::size_t breached = 0;     // breached in the period (due + 1 s within it)
  std::size_t cancelled = 0;    // cancelled in the period (withdrawn or closed while running)
  std::vector<std::int64_t> taken;  // seconds consumed (pauses excluded) by clocks stopped in the period
};

/// The FCA return's bands: within 3 business days, within 8 weeks, after 8 weeks.
struct age_bands {
  std::size_t within_3_business_days = 0, within_8_weeks = 0, after_8_weeks = 0;
};

struct week_figures {
  civil_date monday;
  std::size_t received = 0, closed = 0, breaches = 0;
};

struct report {
  std::string policy_name, policy_version, zone;
  report_period period;
  std::size_t complaints = 0;            // read from the history, received by the period's end
  std::size_t rejected_intakes = 0, rejected_events = 0;
  std::size_t received = 0;
  std::map<std::string, std::size_t> received_by_kind, received_by_channel;
  std::size_t closed = 0;
  age_bands closed_by_age;
  std::size_t upheld = 0, not_upheld = 0, no_resolution = 0;  // of the complaints closed
  std::size_t withdrawn = 0;             // withdrawn in the period (neither closed nor open)
  std::vector<target_figures> targets;   // in the policy's order
  std::size_t breaches = 0;
  std::map<std::string, std::size_t> breaches_by_target, breaches_by_kind, breaches_by_channel,
      breaches_by_owner;
  std::size_t promises_kept = 0, promises_broken = 0;
  std::map<int, std::size_t> escalations_by_level;
  std::size_t open_at_end = 0;
  age_bands open_by_age;
  std::vector<week_figures> weeks;
};

/// Nearest rank: the smallest value with at least `p` (0 < p <= 1) of the values at or below it.
/// Returns 0 for no values.
std::int64_t percentile(std::vector<std::int64_t> values, double p);

class report_builder {
public:
  /// Requires: period.from <= period.to.
  report_builder(const policy& p, report_period period);
  /// Runs one complaint of the history up to the period's end and adds its figures.
  void add(const scenario_complaint& complaint);
  const report& result() const noexcept { return r_; }

private:
  const policy& p_;
  report r_;
  std::map<std::string, std::size_t, std::less<>> target_index_;
  void add_week(instant t, std::size_t week_figures::*field);
  target_figures& target(const std::string& name);
};

/// The period for --from/--to (either may be empty: the local date of the history's first
/// receipt, and of its last receipt or event). Throws: redress::error naming the option.
report_period make_period(const policy& p, const scenario& history, const std::string& from,
                          const std::string& to);

std::string report_json(const report& r);
std::string report_csv(const report& r);
std::string report_text(const report& r);
/// A standalone page: tables and inline SVG charts (no scripts, no external files).
std::string report_html(const report& r);

}  // namespace redress::tools

#endif
