#include "tools/timeline_picture.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "tools/markup.hpp"

namespace redress::tools {

namespace {

std::string escape(const std::string& text) { return xml_escape(text); }

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

const char* colour_of(const clock_report& k) {
  if (k.breached) return "#d9534f";
  switch (k.state) {
    case clock_state::met: return "#5cb85c";
    case clock_state::cancelled: return "#aaaaaa";
    default: return "#428bca";
  }
}

}  // namespace

std::string timeline_svg(const policy& p, const simulation& sim) {
  // The time window: from the first receipt to the horizon (or the last due, if later).
  instant begin = sim.horizon, end = sim.horizon;
  for (const complaint_run& run : sim.complaints) {
    if (!run.opened) continue;
    begin = std::min(begin, run.final_status.received);
    for (const clock_report& k : run.final_status.clocks) end = std::max(end, k.due);
  }
  begin = begin - std::chrono::hours{12};
  end = end + std::chrono::hours{12};
  const double left = 190, width = 1100, right = 20, row = 22, header = 26;
  const double span = static_cast<double>((end - begin).count());
  auto x = [&](instant t) { return left + width * static_cast<double>((t - begin).count()) / span; };

  std::ostringstream body;
  double y = 40;
  for (const complaint_run& run : sim.complaints) {
    if (!run.opened) continue;
    const complaint_status& s = run.final_status;
    const double block_top = y;
    const double block_height = header + row * static_cast<double>(s.clocks.size()) + 6;
    // Working hours of the complaint's calendar, shaded.
    const business_calendar& cal = p.calendar(s.calendar);
    for (const auto& [a, b] : cal.working_intervals(begin, end))
      body << "<rect class=\"working\" x=\"" << num(x(a)) << "\" y=\"" << num(block_top) << "\" width=\""
           << num(std::max(0.5, x(b) - x(a))) << "\" height=\"" << num(block_height) << "\"/>\n";
    // Pauses, hatched across the complaint.
    for (const pause_record& pr : s.pauses) {
      const instant to = pr.to ? *pr.to : sim.horizon;
      body << "<rect class=\"pause\" x=\"" << num(x(pr.from)) << "\" y=\"" << num(block_top + header) << "\" width=\""
           << num(std::max(1.0, x(to) - x(pr.from))) << "\" height=\"" << num(row * static_cast<double>(s.clocks.size()))
           << "\"><title>paused: " << escape(pr.reason) << "</title></rect>\n";
    }
    body << "<text class=\"complaint\" x=\"8\" y=\"" << num(y + 17) << "\">" << escape(run.id) << "</text>\n";
    body << "<text class=\"note\" x=\"" << num(left) << "\" y=\"" << num(y + 17) << "\">" << escape(run.calendar)
         << " · owner " << escape(s.owner.empty() ? "nobody" : s.owner) << " · " << escape(std::string(to_string(s.state.main)))
         << "</text>\n";
    y += header;
    for (const clock_report& k : s.clocks) {
      const instant stop = k.stopped ? *k.stopped : sim.horizon;
      body << "<text class=\"clock\" x=\"16\" y=\"" << num(y + 15) << "\">" << escape(k.target)
           << (k.cycle > 1 ? " #" + std::to_string(k.cycle) : "") << "</text>\n";
      body << "<rect class=\"bar\" fill=\"" << colour_of(k) << "\" x=\"" << num(x(k.started)) << "\" y=\"" << num(y + 5)
           << "\" width=\"" << num(std::max(1.5, x(stop) - x(k.started))) << "\" height=\"12\"><title>"
           << escape(k.target) << ": " << escape(std::string(to_string(k.state))) << (k.breached ? " (breached)" : "")
           << ", due " << escape(format_rfc3339(k.due, run.zone)) << "</title></rect>\n";
      body << "<line class=\"deadline\" x1=\"" << num(x(k.due)) << "\" x2=\"" << num(x(k.due)) << "\" y1=\"" << num(y + 1)
           << "\" y2=\"" << num(y + 21) << "\"><title>due " << escape(format_rfc3339(k.due, run.zone)) << "</title></line>\n";
      for (const action& a : run.actions) {
        if (a.target != k.target || a.cycle != k.cycle) continue;
        const bool breach = a.what == action::kind::breach || a.what == action::kind::promise_breach;
        const double ax = x(a.at);
        body << "<path class=\"" << (breach ? "breach" : "escalation") << "\" d=\"M" << num(ax) << " " << num(y + 3) << " l-5 -7 h10 z\"><title>"
             << escape(format_rfc3339(a.at, run.zone) + " " + a.summary) << "</title></path>\n";
      }
      y += row;
    }
    y += 16;
  }
  // The axis: a tick per day, labelled sparsely.
  std::ostringstream axis;
  const double days = span / 86400;
  const int every = days <= 21 ? 1 : days <= 60 ? 7 : 30;
  const time_zone zone = sim.complaints.empty() ? time_zone::locate("UTC") : sim.complaints.front().zone;
  civil_date day = zone.to_civil(begin).date;
  for (int i = 0; i < 4000; ++i) {
    const instant midnight = zone.resolve(civil_time{day, 0, 0, 0});
    if (midnight > end) break;
    if (midnight >= begin) {
      axis << "<line class=\"tick\" x1=\"" << num(x(midnight)) << "\" x2=\"" << num(x(midnight)) << "\" y1=\"28\" y2=\""
           << num(y) << "\"/>\n";
      if (i % every == 0)
        axis << "<text class=\"day\" x=\"" << num(x(midnight) + 2) << "\" y=\"22\">" << day.to_string().substr(5) << "</text>\n";
    }
    day = civil_date::from_days(day.days_since_epoch() + 1);
  }
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(left + width + right) << "\" height=\"" << num(y + 10)
      << "\" viewBox=\"0 0 " << num(left + width + right) << " " << num(y + 10) << "\" font-family=\"sans-serif\">\n"
      << "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
         "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8a6d3b\" stroke-width=\"2\"/></pattern></defs>\n"
      << "<style>.working{fill:#eef3f8}.pause{fill:url(#hatch);opacity:.6}.complaint{font-weight:bold;font-size:13px}"
         ".clock{font-size:12px}.note{font-size:11px;fill:#555}.day{font-size:10px;fill:#666}.tick{stroke:#ddd}"
         ".deadline{stroke:#000;stroke-width:2}.escalation{fill:#f0ad4e}.breach{fill:#d9534f}</style>\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << axis.str() << body.str() << "</svg>\n";
  return svg.str();
}

std::string timeline_html(const simulation& sim, const std::string& svg) {
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
       << escape(sim.policy_name + " — " + (sim.scenario_name.empty() ? std::string("timeline") : sim.scenario_name))
       << "</title>\n<style>body{font-family:sans-serif;margin:24px}.legend span{display:inline-block;margin-right:18px}"
          ".sw{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle}</style>\n</head>\n<body>\n"
       << "<h1>" << escape(sim.policy_name) << " <small>(version " << escape(sim.policy_version) << ")</small></h1>\n"
       << "<p class=\"legend\"><span><i class=\"sw\" style=\"background:#5cb85c\"></i>met</span>"
          "<span><i class=\"sw\" style=\"background:#d9534f\"></i>breached</span>"
          "<span><i class=\"sw\" style=\"background:#428bca\"></i>running</span>"
          "<span><i class=\"sw\" style=\"background:#aaa\"></i>cancelled</span>"
          "<span><i class=\"sw\" style=\"background:#eef3f8;border:1px solid #ccd\"></i>working hours</span>"
          "<span>▼ escalation (orange) or breach (red)</span><span>| deadline</span></p>\n"
       << "<div id=\"timeline\">\n" << svg << "</div>\n"
       << "<script>\n// Marks the page rendered when the picture has a real size: tests check this.\n"
          "const box = document.querySelector('#timeline svg').getBBox();\n"
          "document.body.dataset.rendered = (box.width > 0 && box.height > 0) ? 'yes' : 'no';\n</script>\n"
       << "</body>\n</html>\n";
  return html.str();
}

}  // namespace redress::tools
