// The picture a compliance officer pins to a review, and the page that goes into a regulator's
// file. Per complaint: a dated time axis (day ticks, month and year), closed days shaded and
// named, each clock a bar (pauses hatched, the overdue part red), its escalation levels and
// breaches as labelled marks, lifecycle events as labelled marks; then tables of every clock and
// every event and action, so nothing lives only in a tooltip.
#ifndef REDRESS_SRC_TOOLS_TIMELINE_PICTURE_HPP
#define REDRESS_SRC_TOOLS_TIMELINE_PICTURE_HPP

#include <string>
#include <utility>
#include <vector>

#include "redress/policy.hpp"
#include "tools/simulate.hpp"

namespace redress::tools {

/// Returns: the overview as one SVG document: a title (policy, scenario, as-of instant), a
/// legend, one time axis and every complaint of `sim` on it.
std::string timeline_svg(const policy& p, const simulation& sim);

/// Returns: a standalone HTML page that prints (A4 landscape): a first page with the legend,
/// the closed days and a summary of every complaint, then one page per opened complaint with
/// its chart, its clocks (target, start, due, stopped, outcome, owner) and its events and
/// actions (instant, id, who, what).
std::string timeline_html(const policy& p, const simulation& sim);

/// Returns: the name shown for a day `cal` is closed on (no working interval starts on it):
/// the holiday's name ("Good Friday") when the calendar has one for it, else the weekday
/// ("Saturday") for a day closed every week, else "closed".
/// Requires: !cal.is_business_day(day).
std::string closed_day_name(const business_calendar& cal, civil_date day);

/// Returns: the days in [from, to) that `cal` is closed on although their weekday is a working
/// day (holidays, closures), each with closed_day_name(); weekly closed days are left out.
std::vector<std::pair<civil_date, std::string>> holidays_between(const business_calendar& cal, civil_date from,
                                                                 civil_date to);

}  // namespace redress::tools

#endif
