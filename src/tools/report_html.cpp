// `redress report --html FILE`: the period report as a standalone page (tables, and inline SVG
// charts: bars per kind and per target, a weekly trend line). No script and no external file:
// it opens, prints and archives as it is. Every bar and point carries its figure in data-*
// attributes, which tests/cli/report_checks.py compares with `report --json`.
#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

#include "tools/markup.hpp"
#include "tools/report.hpp"

namespace redress::tools {

namespace {

std::string number(double v, int digits = 1) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

std::string count_text(std::size_t n) { return std::to_string(n); }

std::string hours(std::int64_t seconds) { return number(static_cast<double>(seconds) / 3600.0) + " h"; }

std::string h(const std::string& text) { return xml_escape(text); }

const char* const style = R"(
body { font: 14px/1.45 system-ui, sans-serif; color: #222; margin: 24px auto; max-width: 1000px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ccc; }
.period { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg text { font: 11px system-ui, sans-serif; fill: #222; }
.received { fill: #4a78b5; } .breaches { fill: #c0392b; } .met { fill: #2e8b57; }
.line-received { stroke: #4a78b5; fill: none; stroke-width: 2; }
.line-closed { stroke: #2e8b57; fill: none; stroke-width: 2; stroke-dasharray: 5 3; }
.axis { stroke: #888; stroke-width: 1; } .grid { stroke: #ddd; stroke-width: 1; }
.note { color: #555; font-size: 12px; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, figure { break-inside: avoid; page-break-inside: avoid; }
}
@page { size: A4; margin: 14mm; }
)";

// Grouped vertical bars: one group per category, one bar per series.
struct bar_series {
  std::string name, css;
  std::vector<std::size_t> values;
};

std::string bar_chart(const std::string& id, const std::string& title, const std::vector<std::string>& categories,
                      const std::vector<bar_series>& series, const std::string& data_key) {
  const int width = 460, height = 260, left = 36, bottom = 76, top = 28;
  std::size_t most = 1;
  for (const bar_series& s : series)
    for (std::size_t v : s.values) most = std::max(most, v);
  most = (most + 3) / 4 * 4;  // whole numbers on the four grid lines
  const double plot_h = height - bottom - top;
  const double group_w = categories.empty() ? 0 : static_cast<double>(width - left - 8) / static_cast<double>(categories.size());
  const double bar_w = std::max(4.0, (group_w - 10) / static_cast<double>(std::max<std::size_t>(1, series.size())));
  std::ostringstream out;
  out << "<figure><figcaption id=\"" << id << "-title\">" << h(title) << "</figcaption>\n";
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" << id << "\" role=\"img\" aria-labelledby=\"" << id
      << "-title\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " " << height << "\">\n";
  out << "<title>" << h(title) << "</title>\n";
  const double base = height - bottom;
  for (int tick = 0; tick <= 4; ++tick) {
    const double value = static_cast<double>(most) * tick / 4.0;
    const double y = base - plot_h * tick / 4.0;
    out << "<line class=\"grid\" x1=\"" << left << "\" x2=\"" << width - 4 << "\" y1=\"" << number(y) << "\" y2=\"" << number(y) << "\"/>";
    out << "<text x=\"" << left - 4 << "\" y=\"" << number(y + 4) << "\" text-anchor=\"end\">" << number(value, 0) << "</text>\n";
  }
  out << "<line class=\"axis\" x1=\"" << left << "\" x2=\"" << width - 4 << "\" y1=\"" << base << "\" y2=\"" << base << "\"/>\n";
  for (std::size_t c = 0; c < categories.size(); ++c) {
    const double x0 = left + group_w * static_cast<double>(c) + 5;
    for (std::size_t s = 0; s < series.size(); ++s) {
      const std::size_t v = series[s].values[c];
      const double bh = plot_h * static_cast<double>(v) / static_cast<double>(most);
      const double x = x0 + bar_w * static_cast<double>(s);
      out << "<rect class=\"bar " << series[s].css << "\" data-" << data_key << "=\"" << h(categories[c]) << "\" data-series=\""
          << h(series[s].name) << "\" data-value=\"" << v << "\" x=\"" << number(x) << "\" y=\"" << number(base - bh)
          << "\" width=\"" << number(bar_w - 2) << "\" height=\"" << number(bh) << "\"><title>" << h(categories[c]) << ": "
          << v << " " << h(series[s].name) << "</title></rect>";
      out << "<text x=\"" << number(x + (bar_w - 2) / 2) << "\" y=\"" << number(base - bh - 3) << "\" text-anchor=\"middle\">" << v << "</text>\n";
    }
    const double cx = x0 + group_w / 2 - 5, cy = base + 14;
    out << "<text class=\"category\" x=\"" << number(cx) << "\" y=\"" << cy << "\" text-anchor=\"end\" transform=\"rotate(-25 "
        << number(cx) << " " << cy << ")\">" << h(categories[c]) << "</text>\n";
  }
  // Legend, above the plot.
  double lx = left + 8;
  for (const bar_series& s : series) {
    out << "<rect class=\"" << s.css << "\" x=\"" << number(lx) << "\" y=\"2\" width=\"10\" height=\"10\"/>"
        << "<text x=\"" << number(lx + 14) << "\" y=\"11\">" << h(s.name) << "</text>\n";
    lx += 24 + 7.0 * static_cast<double>(s.name.size());
  }
  out << "</svg></figure>\n";
  return out.str();
}

// Share met per target, as horizontal bars from 0 to 100%.
std::string share_chart(const report& r) {
  const int width = 460, row = 24, left = 170, top = 10;
  const int height = top + row * static_cast<int>(r.targets.size()) + 30;
  const double plot_w = width - left - 50;
  std::ostringstream out;
  out << "<figure><figcaption id=\"chart-target-title\">Share met within the target</figcaption>\n";
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-target\" role=\"img\" aria-labelledby=\"chart-target-title\" width=\""
      << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " " << height << "\">\n";
  out << "<title>Share met within the target</title>\n";
  for (int tick = 0; tick <= 4; ++tick) {
    const double x = left + plot_w * tick / 4.0;
    out << "<line class=\"grid\" x1=\"" << number(x) << "\" x2=\"" << number(x) << "\" y1=\"" << top << "\" y2=\"" << height - 24 << "\"/>"
        << "<text x=\"" << number(x) << "\" y=\"" << height - 10 << "\" text-anchor=\"middle\">" << tick * 25 << "%</text>\n";
  }
  for (std::size_t i = 0; i < r.targets.size(); ++i) {
    const target_figures& t = r.targets[i];
    const double y = top + row * static_cast<double>(i);
    out << "<text x=\"" << left - 6 << "\" y=\"" << number(y + 15) << "\" text-anchor=\"end\">" << h(t.target) << "</text>";
    if (t.met + t.breached == 0) {
      out << "<text class=\"no-data\" data-target=\"" << h(t.target) << "\" x=\"" << left + 4 << "\" y=\"" << number(y + 15)
          << "\">none decided</text>\n";
      continue;
    }
    const double share = static_cast<double>(t.met) / static_cast<double>(t.met + t.breached);
    out << "<rect class=\"bar met\" data-target=\"" << h(t.target) << "\" data-value=\"" << number(share, 4) << "\" x=\"" << left
        << "\" y=\"" << number(y + 4) << "\" width=\"" << number(plot_w * share) << "\" height=\"16\"><title>" << h(t.target)
        << ": " << t.met << " met, " << t.breached << " breached</title></rect>"
        << "<text x=\"" << number(left + plot_w * share + 4) << "\" y=\"" << number(y + 16) << "\">" << number(100 * share) << "%</text>\n";
  }
  out << "</svg></figure>\n";
  return out.str();
}

// Received and closed per week, as two lines.
std::string trend_chart(const report& r) {
  const int width = 940, height = 240, left = 36, right = 48, top = 20, bottom = 50;
  std::size_t most = 1;
  for (const week_figures& w : r.weeks) most = std::max({most, w.received, w.closed});
  most = (most + 3) / 4 * 4;
  const double plot_w = width - left - right, plot_h = height - top - bottom, base = height - bottom;
  const std::size_t n = r.weeks.size();
  auto x_of = [&](std::size_t i) { return n <= 1 ? left + plot_w / 2 : left + plot_w * static_cast<double>(i) / static_cast<double>(n - 1); };
  auto y_of = [&](std::size_t v) { return base - plot_h * static_cast<double>(v) / static_cast<double>(most); };
  std::ostringstream out;
  out << "<figure><figcaption id=\"chart-weeks-title\">Received and closed per week (weeks from Monday)</figcaption>\n";
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-weeks\" role=\"img\" aria-labelledby=\"chart-weeks-title\" width=\""
      << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " " << height << "\">\n";
  out << "<title>Received and closed per week</title>\n";
  for (int tick = 0; tick <= 4; ++tick) {
    const double y = base - plot_h * tick / 4.0;
    out << "<line class=\"grid\" x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << number(y) << "\" y2=\"" << number(y) << "\"/>"
        << "<text x=\"" << left - 4 << "\" y=\"" << number(y + 4) << "\" text-anchor=\"end\">"
        << number(static_cast<double>(most) * tick / 4.0, 0) << "</text>\n";
  }
  const struct { const char* name; std::size_t week_figures::*field; const char* css; } lines[] = {
      {"received", &week_figures::received, "line-received"}, {"closed", &week_figures::closed, "line-closed"}};
  for (const auto& line : lines) {
    std::string points;
    for (std::size_t i = 0; i < n; ++i) points += (points.empty() ? "" : " ") + number(x_of(i)) + "," + number(y_of(r.weeks[i].*line.field));
    out << "<polyline class=\"" << line.css << "\" data-series=\"" << line.name << "\" points=\"" << points << "\"/>\n";
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t v = r.weeks[i].*line.field;
      out << "<circle class=\"point " << line.css << "\" data-series=\"" << line.name << "\" data-week=\"" << r.weeks[i].monday.to_string()
          << "\" data-value=\"" << v << "\" cx=\"" << number(x_of(i)) << "\" cy=\"" << number(y_of(v)) << "\" r=\"3.5\"><title>week of "
          << r.weeks[i].monday.to_string() << ": " << v << " " << line.name << "</title></circle>\n";
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    out << "<text x=\"" << number(x_of(i)) << "\" y=\"" << base + 16 << "\" text-anchor=\"middle\">" << r.weeks[i].monday.to_string() << "</text>\n";
  out << "<line class=\"line-received\" x1=\"" << left << "\" x2=\"" << left + 24 << "\" y1=\"" << height - 12 << "\" y2=\"" << height - 12
      << "\"/><text x=\"" << left + 30 << "\" y=\"" << height - 8 << "\">received</text>"
      << "<line class=\"line-closed\" x1=\"" << left + 110 << "\" x2=\"" << left + 134 << "\" y1=\"" << height - 12 << "\" y2=\""
      << height - 12 << "\"/><text x=\"" << left + 140 << "\" y=\"" << height - 8 << "\">closed</text>\n";
  out << "</svg></figure>\n";
  return out.str();
}

std::string counts_table(const std::string& id, const std::string& heading, const std::map<std::string, std::size_t>& m) {
  std::ostringstream out;
  out << "<table id=\"" << id << "\"><tr><th>" << h(heading) << "</th><th class=\"n\">breaches</th></tr>";
  if (m.empty()) out << "<tr><td colspan=\"2\">none</td></tr>";
  for (const auto& [k, v] : m) out << "<tr><td>" << h(k) << "</td><td class=\"n\">" << v << "</td></tr>";
  out << "</table>\n";
  return out.str();
}

}  // namespace

std::string report_html(const report& r) {
  std::ostringstream out;
  const std::string title = r.policy_name + " — report " + r.period.from_date.to_string() + " to " + r.period.to_date.to_string();
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << h(title) << "</title><style>" << style
      << "</style></head>\n<body data-from=\"" << r.period.from_date.to_string() << "\" data-to=\"" << r.period.to_date.to_string() << "\">\n";
  out << "<h1>" << h(r.policy_name) << " (version " << h(r.policy_version) << ")</h1>\n";
  out << "<p class=\"period\">Complaints report for " << r.period.from_date.to_string() << " to " << r.period.to_date.to_string()
      << " inclusive (" << h(r.zone) << "); figures as known at the end of the period.</p>\n";

  auto row = [&](const std::string& id, const std::string& label, std::size_t v) {
    out << "<tr id=\"" << id << "\"><td>" << h(label) << "</td><td class=\"n\">" << v << "</td></tr>";
  };
  out << "<h2>Summary</h2>\n<table id=\"summary\"><tr><th>figure</th><th class=\"n\">complaints</th></tr>";
  row("received", "received in the period", r.received);
  row("closed", "closed in the period", r.closed);
  row("closed-3bd", "  closed within 3 business days", r.closed_by_age.within_3_business_days);
  row("closed-8w", "  closed after 3 business days, within 8 weeks", r.closed_by_age.within_8_weeks);
  row("closed-late", "  closed after 8 weeks", r.closed_by_age.after_8_weeks);
  row("upheld", "  upheld (resolution proposed as justified)", r.upheld);
  row("not-upheld", "  not upheld", r.not_upheld);
  row("no-resolution", "  closed without a proposed resolution", r.no_resolution);
  row("withdrawn", "withdrawn in the period", r.withdrawn);
  row("open", "open at the end of the period", r.open_at_end);
  row("open-3bd", "  open for up to 3 business days", r.open_by_age.within_3_business_days);
  row("open-8w", "  open for up to 8 weeks", r.open_by_age.within_8_weeks);
  row("open-late", "  open for more than 8 weeks", r.open_by_age.after_8_weeks);
  row("promises-kept", "promises kept", r.promises_kept);
  row("promises-broken", "promises broken", r.promises_broken);
  if (r.rejected_intakes || r.rejected_events) {
    row("rejected-intakes", "intakes the policy refused", r.rejected_intakes);
    row("rejected-events", "events the policy rejected", r.rejected_events);
  }
  out << "</table>\n";

  out << "<h2>Targets</h2>\n<table id=\"targets\"><tr><th>target</th><th class=\"n\">met</th><th class=\"n\">breached</th>"
         "<th class=\"n\">share met</th><th class=\"n\">stopped</th><th class=\"n\">taken p50</th><th class=\"n\">p90</th>"
         "<th class=\"n\">p95</th><th class=\"n\">longest</th></tr>";
  for (const target_figures& t : r.targets) {
    std::vector<std::int64_t> taken = t.taken;
    const bool any = !taken.empty();
    const std::int64_t longest = any ? *std::max_element(taken.begin(), taken.end()) : 0;
    out << "<tr data-target=\"" << h(t.target) << "\"><td>" << h(t.target) << "</td><td class=\"n\">" << t.met << "</td><td class=\"n\">"
        << t.breached << "</td><td class=\"n\">"
        << (t.met + t.breached ? number(100.0 * static_cast<double>(t.met) / static_cast<double>(t.met + t.breached)) + "%" : "—")
        << "</td><td class=\"n\">" << t.taken.size() << "</td>";
    for (double p : {0.5, 0.9, 0.95}) out << "<td class=\"n\">" << (any ? hours(percentile(taken, p)) : "—") << "</td>";
    out << "<td class=\"n\">" << (any ? hours(longest) : "—") << "</td></tr>";
  }
  out << "</table>\n<p class=\"note\">Taken: the time a clock consumed from its start to its stop, pauses excluded, in working "
         "hours of the complaint's calendar (elapsed hours for a target counted in elapsed time); nearest-rank percentiles of "
         "the clocks that stopped in the period. Share met: met / (met + breached) of the clocks decided in the period.</p>\n";

  // Charts: bars per kind (received, breaches), share met per target, the weekly trend.
  std::set<std::string> kinds;
  for (const auto& [k, v] : r.received_by_kind) kinds.insert(k);
  for (const auto& [k, v] : r.breaches_by_kind) kinds.insert(k);
  std::vector<std::string> kind_list(kinds.begin(), kinds.end());
  bar_series received{"received", "received", {}}, breaches{"breaches", "breaches", {}};
  for (const std::string& k : kind_list) {
    auto a = r.received_by_kind.find(k);
    auto b = r.breaches_by_kind.find(k);
    received.values.push_back(a == r.received_by_kind.end() ? 0 : a->second);
    breaches.values.push_back(b == r.breaches_by_kind.end() ? 0 : b->second);
  }
  std::vector<std::string> breach_targets;
  bar_series target_breaches{"breaches", "breaches", {}};
  for (const auto& [t, v] : r.breaches_by_target) {
    breach_targets.push_back(t);
    target_breaches.values.push_back(v);
  }
  out << "<h2>Charts</h2>\n<div class=\"charts\">\n"
      << bar_chart("chart-kind", "Received and breaches per kind", kind_list, {received, breaches}, "kind") << share_chart(r)
      << bar_chart("chart-target-breaches", "Breaches per target", breach_targets, {target_breaches}, "target") << trend_chart(r)
      << "</div>\n";

  out << "<h2>Breaches</h2>\n<p>" << r.breaches << " breach" << (r.breaches == 1 ? "" : "es")
      << " in the period. By owner: the role the breach action named, who owned the clock when it was breached.</p>\n"
      << "<div class=\"charts\">" << counts_table("breaches-target", "target", r.breaches_by_target)
      << counts_table("breaches-kind", "kind", r.breaches_by_kind) << counts_table("breaches-channel", "channel", r.breaches_by_channel)
      << counts_table("breaches-owner", "owner", r.breaches_by_owner) << "</div>\n";

  out << "<h2>Escalations</h2>\n<table id=\"escalations\"><tr><th>level</th><th class=\"n\">escalations</th></tr>";
  if (r.escalations_by_level.empty()) out << "<tr><td colspan=\"2\">none</td></tr>";
  for (const auto& [level, v] : r.escalations_by_level) out << "<tr><td>L" << level << "</td><td class=\"n\">" << v << "</td></tr>";
  out << "</table>\n";

  out << "<h2>Received</h2>\n<div class=\"charts\"><table id=\"received-kind\"><tr><th>kind</th><th class=\"n\">received</th></tr>";
  for (const auto& [k, v] : r.received_by_kind) out << "<tr><td>" << h(k) << "</td><td class=\"n\">" << count_text(v) << "</td></tr>";
  out << "</table><table id=\"received-channel\"><tr><th>channel</th><th class=\"n\">received</th></tr>";
  for (const auto& [k, v] : r.received_by_channel) out << "<tr><td>" << h(k) << "</td><td class=\"n\">" << count_text(v) << "</td></tr>";
  out << "</table></div>\n";

  out << "<h2>Weeks</h2>\n<table id=\"weeks\"><tr><th>week of</th><th class=\"n\">received</th><th class=\"n\">closed</th><th class=\"n\">breaches</th></tr>";
  for (const week_figures& w : r.weeks)
    out << "<tr><td>" << w.monday.to_string() << "</td><td class=\"n\">" << w.received << "</td><td class=\"n\">" << w.closed
        << "</td><td class=\"n\">" << w.breaches << "</td></tr>";
  out << "</table>\n</body></html>\n";
  return out.str();
}

}  // namespace redress::tools
