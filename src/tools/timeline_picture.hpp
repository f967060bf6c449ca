// The picture a compliance officer pins to a review: per complaint a time axis, each clock a bar
// (pauses hatched, working hours shaded), escalation marks and the deadline line. SVG, and a
// standalone HTML page around it.
#ifndef REDRESS_SRC_TOOLS_TIMELINE_PICTURE_HPP
#define REDRESS_SRC_TOOLS_TIMELINE_PICTURE_HPP

#include <string>

#include "redress/policy.hpp"
#include "tools/simulate.hpp"

namespace redress::tools {

std::string timeline_svg(const policy& p, const simulation& sim);
std::string timeline_html(const simulation& sim, const std::string& svg);

}  // namespace redress::tools

#endif
