#include "tools/timeline_picture.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "policy/policy_rules.hpp"
#include "tools/markup.hpp"

namespace redress::tools {

namespace {

constexpr std::array<const char*, 7> weekday_names{"Monday", "Tuesday", "Wednesday", "Thursday",
                                                   "Friday", "Saturday", "Sunday"};
constexpr std::array<const char*, 12> month_names{"January", "February", "March",     "April",   "May",      "June",
                                                  "July",    "August",   "September", "October", "November", "December"};

std::string esc(const std::string& text) { return xml_escape(text); }

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

std::size_t weekday_index(civil_date d) { return static_cast<std::size_t>(d.day_of_week()); }
civil_date next_day(civil_date d) { return civil_date::from_days(d.days_since_epoch() + 1); }
std::string short_weekday(civil_date d) { return std::string(weekday_names[weekday_index(d)]).substr(0, 3); }

// "Fri 2026-04-03": how a closed day is listed.
std::string dated(civil_date d) { return short_weekday(d) + " " + d.to_string(); }

// Colours: one table, used by the marks and by the legend that explains them.
constexpr const char* met_colour = "#3c9a3c";
constexpr const char* running_colour = "#3a7bbf";
constexpr const char* overdue_colour = "#d43f3a";
constexpr const char* cancelled_colour = "#9a9a9a";
constexpr const char* escalation_colour = "#e08a00";
constexpr const char* event_colour = "#333333";

constexpr const char* svg_style =
    "<style>text{font-family:sans-serif}.working{fill:#eaf1f8}.closed{fill:#d9d9d9}.holiday{fill:#f2d7a6}"
    ".pause{fill:url(#hatch);opacity:.7}.complaint-id{font-weight:bold;font-size:13px}.clock-name{font-size:11px}"
    ".note{font-size:11px;fill:#444}.month{font-size:11px;font-weight:bold;fill:#222}.day{font-size:9px;fill:#444}"
    ".tick{stroke:#c8c8c8;stroke-width:.6}.minor{stroke:#e4e4e4;stroke-width:.5}.due{stroke:#000;stroke-width:1.6}"
    ".horizon{stroke:#555;stroke-width:1;stroke-dasharray:4 3}.mark-label{font-size:9px;fill:#222}"
    ".connector{stroke:#888;stroke-width:.5}.title{font-size:16px;font-weight:bold}.legend-text{font-size:10px;fill:#222}"
    "</style>\n";

constexpr const char* svg_defs =
    "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
    "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8a6d3b\" "
    "stroke-width=\"2\"/></pattern></defs>\n";

// Width of a label in pixels, counting characters rather than bytes ("→" is one).
double text_width(const std::string& text, double font_size) {
  std::size_t chars = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
  return static_cast<double>(chars) * font_size * 0.58;
}

// The stretch of time a figure shows (whole local days) and where an instant falls on it.
struct frame {
  instant begin, end;
  time_zone zone;
  double left = 210, width = 1060;
  double x(instant t) const {
    const double span = static_cast<double>((end - begin).count());
    return left + width * static_cast<double>((t - begin).count()) / span;
  }
  double px_per_day() const { return width * 86400.0 / static_cast<double>((end - begin).count()); }
  double right() const { return left + width; }
};

frame frame_for(const std::vector<const complaint_run*>& runs, instant horizon) {
  instant first = horizon, last = horizon;
  bool any = false;
  const time_zone* zone = nullptr;
  for (const complaint_run* run : runs) {
    if (!run->opened) continue;
    const complaint_status& s = run->final_status;
    if (!any) first = last = s.received;
    any = true;
    if (!zone) zone = &run->zone;
    first = std::min(first, s.received);
    for (const timeline_entry& e : run->timeline) last = std::max(last, e.at);
    for (const clock_report& k : s.clocks) last = std::max({last, k.due, k.stopped ? *k.stopped : horizon});
  }
  const time_zone z = zone ? *zone : time_zone::locate("UTC");
  const instant begin = z.resolve(civil_time{z.to_civil(first).date, 0, 0, 0});
  const civil_time last_local = z.to_civil(last);
  const bool at_midnight = last_local.hour == 0 && last_local.minute == 0 && last_local.second == 0;
  const instant end = at_midnight && last > begin ? last : z.resolve(civil_time{next_day(last_local.date), 0, 0, 0});
  return frame{begin, end, z};
}

// Labels beside marks, in as many lanes as it takes for none to overlap.
class label_lanes {
public:
  struct placed {
    std::size_t lane;
    double text_x;
    bool end_anchored;  // text ends left of the mark (it would run past the chart's right edge)
  };
  explicit label_lanes(double right_limit) : right_limit_(right_limit) {}
  placed place(double x, const std::string& text, double font_size) {
    const double w = text_width(text, font_size);
    const bool end_anchored = x + 3 + w > right_limit_;
    const double from = end_anchored ? x - 3 - w : x - 1;
    const double to = end_anchored ? x + 1 : x + 3 + w;
    std::size_t lane = 0;
    while (lane < ends_.size() && from < ends_[lane] + 6) ++lane;
    if (lane == ends_.size()) ends_.push_back(to);
    else ends_[lane] = to;
    return {lane, end_anchored ? x - 3 : x + 3, end_anchored};
  }
  std::size_t count() const { return ends_.size(); }

private:
  double right_limit_;
  std::vector<double> ends_;
};

struct mark {
  enum class shape { down_triangle, dot, cross };
  instant at;
  std::string label;  // printed beside it
  std::string title;  // its tooltip: the full sentence
  shape form = shape::dot;
  const char* colour = event_colour;
  const char* css = "event";
};

constexpr double lane_height = 10;

// Draws a row's marks with their labels above `base_y`; labels are already placed.
void draw_marks(std::ostream& out, const frame& f, const std::vector<mark>& marks,
                const std::vector<label_lanes::placed>& where, double top, double base_y) {
  for (std::size_t i = 0; i < marks.size(); ++i) {
    const mark& m = marks[i];
    const label_lanes::placed& at = where[i];
    const double mx = f.x(m.at);
    const double label_y = top + 8 + lane_height * static_cast<double>(at.lane);
    out << "<g class=\"mark " << m.css << "\"><title>" << esc(m.title) << "</title>";
    out << "<line class=\"connector\" x1=\"" << num(mx) << "\" x2=\"" << num(mx) << "\" y1=\"" << num(label_y + 2)
        << "\" y2=\"" << num(base_y) << "\"/>";
    switch (m.form) {
      case mark::shape::down_triangle:
        out << "<path fill=\"" << m.colour << "\" d=\"M" << num(mx) << " " << num(base_y + 1) << " l-4 -6 h8 z\"/>";
        break;
      case mark::shape::dot:
        out << "<circle fill=\"" << m.colour << "\" cx=\"" << num(mx) << "\" cy=\"" << num(base_y) << "\" r=\"2.5\"/>";
        break;
      case mark::shape::cross:
        out << "<path stroke=\"" << m.colour << "\" stroke-width=\"1.5\" d=\"M" << num(mx - 3) << " " << num(base_y - 3)
            << " l6 6 m0 -6 l-6 6\"/>";
        break;
    }
    out << "<text class=\"mark-label\" x=\"" << num(at.text_x) << "\" y=\"" << num(label_y) << "\""
        << (at.end_anchored ? " text-anchor=\"end\"" : "") << ">" << esc(m.label) << "</text></g>\n";
  }
}

// "75% → team-lead": the level as the policy writes it and who it reaches.
std::string level_label(const clock_report* k, const action& a) {
  std::string level;
  if (k && a.level >= 1 && static_cast<std::size_t>(a.level) <= k->levels.size())
    level = k->levels[static_cast<std::size_t>(a.level) - 1].label;
  if (level.empty()) level = "level " + std::to_string(a.level);
  std::string who = a.assign;
  if (who.empty())
    for (const std::string& n : a.notify) who += (who.empty() ? "" : ", ") + n;
  return who.empty() ? level : level + " → " + who;
}

std::string event_words(const std::string& name) {
  std::string words = name;
  std::replace(words.begin(), words.end(), '_', ' ');
  return words;
}

std::string clock_name(const clock_report& k) {
  return k.cycle > 1 ? k.target + " #" + std::to_string(k.cycle) : k.target;
}

// One complaint's rows: its header line, closed days and working hours, pauses, an events row
// and a row per clock. Returns the height drawn.
double draw_complaint(std::ostream& out, const policy& p, const simulation& sim, const complaint_run& run,
                      const frame& f, double top, bool with_header) {
  const complaint_status& s = run.final_status;
  const business_calendar& cal = p.calendar(s.calendar);

  // Lay out first (rows grow with their label lanes), then draw.
  std::vector<mark> event_marks;
  std::vector<std::vector<mark>> clock_marks(s.clocks.size());
  auto row_of = [&](const action& a) -> int {
    if (a.what != action::kind::escalation && a.what != action::kind::breach && a.what != action::kind::promise_breach)
      return -1;
    for (std::size_t i = 0; i < s.clocks.size(); ++i)
      if (s.clocks[i].target == a.target && s.clocks[i].cycle == a.cycle) return static_cast<int>(i);
    return -1;
  };
  for (const timeline_entry& e : run.timeline) {
    const std::string when = local_reading(e.at, run.zone);
    switch (e.what) {
      case timeline_entry::kind::opened:
        event_marks.push_back({e.at, "received", when + " received" + (e.detail.empty() ? "" : ": " + e.detail)});
        break;
      case timeline_entry::kind::event:
        event_marks.push_back({e.at, event_words(e.label),
                               when + " " + e.label + (e.who.empty() ? "" : " by " + e.who) +
                                   (e.detail.empty() ? "" : " (" + e.detail + ")")});
        break;
      case timeline_entry::kind::rejected:
        event_marks.push_back({e.at, "rejected: " + event_words(e.label), when + " " + e.label + " rejected: " + e.detail,
                               mark::shape::cross, overdue_colour, "rejected"});
        break;
      case timeline_entry::kind::action: {
        const action& a = run.fired(e);
        const int row = row_of(a);
        const std::string title = when + " " + a.summary;
        if (row < 0) {
          const std::string label = a.what == action::kind::assignment
                                        ? "owner → " + (a.assign.empty() ? a.who : a.assign)
                                        : std::string(to_string(a.what));
          event_marks.push_back({e.at, label, title, mark::shape::dot, escalation_colour, "action"});
          continue;
        }
        const clock_report& k = s.clocks[static_cast<std::size_t>(row)];
        if (a.what == action::kind::escalation)
          clock_marks[static_cast<std::size_t>(row)].push_back(
              {e.at, level_label(&k, a), title, mark::shape::down_triangle, escalation_colour, "escalation"});
        else
          clock_marks[static_cast<std::size_t>(row)].push_back(
              {e.at, a.what == action::kind::breach ? "breached" : "promise broken", title, mark::shape::down_triangle,
               overdue_colour, "breach"});
        break;
      }
    }
  }
  auto place_all = [&](const std::vector<mark>& marks, label_lanes& lanes) {
    std::vector<label_lanes::placed> placed;
    for (const mark& m : marks) placed.push_back(lanes.place(f.x(m.at), m.label, 9));
    return placed;
  };
  label_lanes event_lanes(f.right());
  const auto event_places = place_all(event_marks, event_lanes);
  std::vector<label_lanes> clock_lanes(s.clocks.size(), label_lanes(f.right()));
  std::vector<std::vector<label_lanes::placed>> clock_places;
  for (std::size_t i = 0; i < s.clocks.size(); ++i) clock_places.push_back(place_all(clock_marks[i], clock_lanes[i]));

  const double header = with_header ? 22 : 4;
  const double events_height = lane_height * static_cast<double>(event_lanes.count()) + 14;
  std::vector<double> row_heights;
  double rows_height = 0;
  for (const label_lanes& l : clock_lanes) {
    row_heights.push_back(lane_height * static_cast<double>(l.count()) + 22);
    rows_height += row_heights.back();
  }
  const double body_top = top + header;
  const double height = header + events_height + rows_height + 4;

  out << "<g class=\"complaint-block\" data-complaint=\"" << esc(run.id) << "\">\n";
  // Closed days, then working hours, behind everything.
  for (civil_date d = f.zone.to_civil(f.begin).date; f.zone.resolve(civil_time{d, 0, 0, 0}) < f.end; d = next_day(d)) {
    if (cal.is_business_day(d)) continue;
    const bool weekly = cal.definition().week[weekday_index(d)].empty();
    const instant from = std::max(f.begin, cal.start_of_day(d));
    const instant to = std::min(f.end, cal.start_of_day(next_day(d)));
    out << "<rect class=\"" << (weekly ? "closed" : "holiday") << "\" x=\"" << num(f.x(from)) << "\" y=\""
        << num(body_top) << "\" width=\"" << num(f.x(to) - f.x(from)) << "\" height=\"" << num(height - header)
        << "\"><title>" << esc(dated(d) + ": " + closed_day_name(cal, d) + " (" + cal.name() + ")") << "</title></rect>\n";
  }
  for (const auto& [a, b] : cal.working_intervals(f.begin, f.end))
    out << "<rect class=\"working\" x=\"" << num(f.x(a)) << "\" y=\"" << num(body_top) << "\" width=\""
        << num(std::max(0.5, f.x(b) - f.x(a))) << "\" height=\"" << num(height - header) << "\"/>\n";
  const double clocks_top = body_top + events_height;
  for (const pause_record& pr : s.pauses) {
    const instant to = pr.to ? *pr.to : sim.horizon;
    out << "<rect class=\"pause\" x=\"" << num(f.x(pr.from)) << "\" y=\"" << num(clocks_top) << "\" width=\""
        << num(std::max(1.0, f.x(to) - f.x(pr.from))) << "\" height=\"" << num(rows_height) << "\"><title>"
        << esc("paused " + local_reading(pr.from, run.zone) + " to " +
               (pr.to ? local_reading(*pr.to, run.zone) : std::string("(still paused)")) +
               (pr.actor.empty() ? "" : " by " + pr.actor) + (pr.reason.empty() ? "" : ": " + pr.reason))
        << "</title></rect>\n";
  }
  if (sim.horizon > f.begin && sim.horizon < f.end)
    out << "<line class=\"horizon\" x1=\"" << num(f.x(sim.horizon)) << "\" x2=\"" << num(f.x(sim.horizon)) << "\" y1=\""
        << num(body_top) << "\" y2=\"" << num(top + height) << "\"><title>"
        << esc("as of " + local_reading(sim.horizon, run.zone)) << "</title></line>\n";

  // Header: the complaint, where it stands at the horizon (a page says it above the figure).
  std::string received_detail;
  for (const timeline_entry& e : run.timeline)
    if (e.what == timeline_entry::kind::opened) received_detail = e.detail;
  if (with_header) out << "<text class=\"complaint-id\" x=\"8\" y=\"" << num(top + 15) << "\">" << esc(run.id) << "</text>\n";
  if (with_header)
    out << "<text class=\"note\" x=\"" << num(f.left) << "\" y=\"" << num(top + 15) << "\">"
      << esc(received_detail + (received_detail.empty() ? "" : " · ") + "calendar " + run.calendar + " · " +
             std::string(to_string(s.state.main)) + ", owner " + (s.owner.empty() ? std::string(detail::no_owner_name) : s.owner) + " at " +
             local_reading(sim.horizon, run.zone))
      << "</text>\n";

  // Events row.
  out << "<text class=\"clock-name\" x=\"16\" y=\"" << num(body_top + events_height - 4) << "\" fill=\"#555\">events</text>\n";
  draw_marks(out, f, event_marks, event_places, body_top, body_top + events_height - 6);

  // A row per clock.
  double y = clocks_top;
  for (std::size_t i = 0; i < s.clocks.size(); ++i) {
    const clock_report& k = s.clocks[i];
    const double bar_y = y + lane_height * static_cast<double>(clock_lanes[i].count()) + 6;
    const instant stop = k.stopped ? *k.stopped : sim.horizon;
    const std::string outcome = clock_outcome(k) + (k.extended ? ", extended" : "");
    const std::string summary = clock_name(k) + ": " + outcome + "; started " + local_reading(k.started, run.zone) +
                                "; due " + local_reading(k.due, run.zone) +
                                (k.stopped ? "; stopped " + local_reading(*k.stopped, run.zone) : std::string()) +
                                (k.owner.empty() ? "" : "; owner " + k.owner);
    out << "<g class=\"clock-row\" data-target=\"" << esc(k.target) << "\" data-cycle=\"" << k.cycle << "\">\n";
    out << "<text class=\"clock-name\" x=\"16\" y=\"" << num(bar_y + 9) << "\">" << esc(clock_name(k)) << "</text>\n";
    // Within time: coloured by the outcome; a breach turns the bar red only from its due instant.
    const instant on_time_end = k.breached ? std::min(stop, k.due) : stop;
    const char* on_time_colour = k.breached                           ? running_colour
                                 : k.state == clock_state::met        ? met_colour
                                 : k.state == clock_state::cancelled  ? cancelled_colour
                                                                      : running_colour;
    out << "<rect class=\"bar\" fill=\"" << on_time_colour << "\" x=\"" << num(f.x(k.started)) << "\" y=\"" << num(bar_y)
        << "\" width=\"" << num(std::max(1.5, f.x(on_time_end) - f.x(k.started))) << "\" height=\"10\"><title>"
        << esc(summary) << "</title></rect>\n";
    if (k.breached && stop > k.due)
      out << "<rect class=\"bar overdue\" fill=\"" << overdue_colour << "\" x=\"" << num(f.x(k.due)) << "\" y=\""
          << num(bar_y) << "\" width=\"" << num(std::max(1.5, f.x(stop) - f.x(k.due))) << "\" height=\"10\"><title>"
          << esc(clock_name(k) + ": overdue from " + local_reading(k.due, run.zone) +
                 (k.stopped ? " until it stopped " + local_reading(*k.stopped, run.zone)
                            : " and still running at " + local_reading(sim.horizon, run.zone)))
          << "</title></rect>\n";
    out << "<line class=\"due\" x1=\"" << num(f.x(k.due)) << "\" x2=\"" << num(f.x(k.due)) << "\" y1=\"" << num(bar_y - 3)
        << "\" y2=\"" << num(bar_y + 13) << "\"><title>" << esc(clock_name(k) + " due " + local_reading(k.due, run.zone))
        << "</title></line>\n";
    draw_marks(out, f, clock_marks[i], clock_places[i], y, bar_y);
    out << "</g>\n";
    y += row_heights[i];
  }
  out << "</g>\n";
  return height;
}

// The time axis: month and year, a tick per local midnight, day numbers as space allows.
void draw_axis(std::ostream& out, const frame& f, double top, double bottom) {
  const double per_day = f.px_per_day();
  const int label_every = per_day >= 14 ? 1 : per_day >= 3 ? 7 : 0;
  double last_month_x = -1e9;
  bool first = true;
  for (civil_date d = f.zone.to_civil(f.begin).date;; d = next_day(d)) {
    const instant midnight = f.zone.resolve(civil_time{d, 0, 0, 0});
    if (midnight >= f.end) break;
    const double x = f.x(std::max(midnight, f.begin));
    out << "<line class=\"tick\" x1=\"" << num(x) << "\" x2=\"" << num(x) << "\" y1=\"" << num(top + 18) << "\" y2=\""
        << num(bottom) << "\"/>\n";
    if (per_day >= 120)
      for (int h : {6, 12, 18}) {
        const double hx = f.x(f.zone.resolve(civil_time{d, h, 0, 0}));
        out << "<line class=\"minor\" x1=\"" << num(hx) << "\" x2=\"" << num(hx) << "\" y1=\"" << num(top + 26)
            << "\" y2=\"" << num(bottom) << "\"/>\n";
      }
    if ((first || d.day == 1) && x - last_month_x > 90) {
      out << "<text class=\"month\" x=\"" << num(x + 2) << "\" y=\"" << num(top + 10) << "\">"
          << month_names[static_cast<std::size_t>(d.month - 1)] << " " << d.year << "</text>\n";
      last_month_x = x;
    }
    first = false;
    const bool labelled = label_every == 1 || (label_every == 7 && d.day_of_week() == weekday::monday);
    if (labelled) {
      const std::string text = per_day >= 40 ? short_weekday(d) + " " + std::to_string(d.day) : std::to_string(d.day);
      out << "<text class=\"day\" x=\"" << num(x + 2) << "\" y=\"" << num(top + 25) << "\">" << esc(text) << "</text>\n";
    }
  }
}

struct calendar_days {
  std::string calendar;
  std::vector<std::pair<civil_date, std::string>> days;
};

// The closed days (other than weekly ones) in each calendar the complaints use, over `f`.
std::vector<calendar_days> holidays_in(const policy& p, const std::vector<const complaint_run*>& runs, const frame& f) {
  std::set<std::string> names;
  for (const complaint_run* run : runs)
    if (run->opened) names.insert(run->final_status.calendar);
  std::vector<calendar_days> out;
  for (const std::string& name : names) {
    const business_calendar& cal = p.calendar(name);
    out.push_back({name, holidays_between(cal, cal.local_date(f.begin), cal.local_date(f.end))});
  }
  return out;
}

// The legend, as SVG (the standalone file and the page share it). Returns its height.
double draw_legend(std::ostream& out, double left, double top, const std::vector<calendar_days>& holidays) {
  double x = left;
  const double y = top + 10;
  auto swatch = [&](const std::string& fill_or_class, bool is_class, const std::string& text) {
    out << "<rect " << (is_class ? "class=\"" : "fill=\"") << fill_or_class << "\" x=\"" << num(x) << "\" y=\""
        << num(y - 8) << "\" width=\"14\" height=\"10\" stroke=\"#999\" stroke-width=\".5\"/>"
        << "<text class=\"legend-text\" x=\"" << num(x + 18) << "\" y=\"" << num(y) << "\">" << esc(text) << "</text>\n";
    x += 26 + text_width(text, 10);
  };
  auto symbol = [&](const std::string& shape, const std::string& text) {
    out << shape << "<text class=\"legend-text\" x=\"" << num(x + 12) << "\" y=\"" << num(y) << "\">" << esc(text)
        << "</text>\n";
    x += 22 + text_width(text, 10);
  };
  out << "<g class=\"legend-box\">\n";
  swatch(met_colour, false, "met");
  swatch(running_colour, false, "running (within its time)");
  swatch(overdue_colour, false, "overdue (after its due instant)");
  swatch(cancelled_colour, false, "cancelled");
  swatch("pause", true, "paused");
  swatch("working", true, "working hours");
  swatch("closed", true, "closed every week");
  swatch("holiday", true, "holiday / closed");
  symbol("<path fill=\"" + std::string(escalation_colour) + "\" d=\"M" + num(x + 5) + " " + num(y + 1) + " l-4 -6 h8 z\"/>",
         "escalation level");
  symbol("<path fill=\"" + std::string(overdue_colour) + "\" d=\"M" + num(x + 5) + " " + num(y + 1) + " l-4 -6 h8 z\"/>",
         "breach");
  symbol("<circle fill=\"" + std::string(event_colour) + "\" cx=\"" + num(x + 5) + "\" cy=\"" + num(y - 3) + "\" r=\"2.5\"/>",
         "event");
  symbol("<line class=\"due\" x1=\"" + num(x + 5) + "\" x2=\"" + num(x + 5) + "\" y1=\"" + num(y - 10) + "\" y2=\"" +
             num(y + 2) + "\"/>",
         "due");
  symbol("<line class=\"horizon\" x1=\"" + num(x + 5) + "\" x2=\"" + num(x + 5) + "\" y1=\"" + num(y - 10) + "\" y2=\"" +
             num(y + 2) + "\"/>",
         "as of");
  double height = 16;
  for (const calendar_days& c : holidays) {
    std::string line = "Holidays and closures, " + c.calendar + ": ";
    if (c.days.empty()) line += "none in this period";
    for (std::size_t i = 0; i < c.days.size(); ++i)
      line += (i ? ", " : "") + dated(c.days[i].first) + " " + c.days[i].second;
    out << "<text class=\"legend-text holidays\" x=\"" << num(left) << "\" y=\"" << num(top + height + 12) << "\">" << esc(line)
        << "</text>\n";
    height += 15;
  }
  out << "</g>\n";
  return height + 6;
}

std::vector<const complaint_run*> opened_runs(const simulation& sim) {
  std::vector<const complaint_run*> runs;
  for (const complaint_run& run : sim.complaints)
    if (run.opened) runs.push_back(&run);
  return runs;
}

std::string title_of(const simulation& sim) {
  return sim.policy_name + " (version " + sim.policy_version + ")" +
         (sim.scenario_name.empty() ? std::string() : " — " + sim.scenario_name);
}

// A figure: the axis and the given complaints on one frame, as an <svg> element.
std::string figure_svg(const policy& p, const simulation& sim, const std::vector<const complaint_run*>& runs,
                       const frame& f, bool standalone) {
  std::ostringstream body;
  double y = 0;
  const double total_width = f.right() + 20;
  if (standalone) {
    body << "<text class=\"title\" x=\"8\" y=\"20\">" << esc(title_of(sim)) << "</text>\n";
    const time_zone& zone = runs.empty() ? f.zone : runs.front()->zone;
    body << "<text class=\"note\" x=\"8\" y=\"37\">"
         << esc("as of " + local_reading(sim.horizon, zone) + " · " + std::to_string(runs.size()) + " complaints" +
                (sim.rejected ? " · " + std::to_string(sim.rejected) + " rejected events or openings" : std::string()))
         << "</text>\n";
    y = 46;
    y += draw_legend(body, 8, y, holidays_in(p, runs, f));
  }
  const double axis_top = y;
  y += 32;
  std::ostringstream rows;
  for (const complaint_run* run : runs) y += draw_complaint(rows, p, sim, *run, f, y, standalone) + 8;
  std::ostringstream svg;
  // Width and height always: a page scales the figure to its width and keeps this aspect ratio.
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(total_width) << "\" height=\"" << num(y) << "\""
      << " viewBox=\"0 0 " << num(total_width) << " " << num(y) << "\" font-family=\"sans-serif\">\n";
  if (standalone) svg << "<title>" << esc(title_of(sim)) << "</title>\n";
  svg << svg_defs << svg_style << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" << body.str();
  draw_axis(svg, f, axis_top, y);
  svg << rows.str() << "</svg>\n";
  return svg.str();
}

}  // namespace

std::string closed_day_name(const business_calendar& cal, civil_date day) {
  // The holiday's name from the calendar (listed, rule-made or observed) where it has one; a
  // date outside the calendar's range or rules is only "closed".
  try {
    if (const auto holiday = cal.holiday_on(day)) return holiday->name;
  } catch (const error&) {
  }
  if (cal.definition().week[weekday_index(day)].empty()) return weekday_names[weekday_index(day)];
  return "closed";
}

std::vector<std::pair<civil_date, std::string>> holidays_between(const business_calendar& cal, civil_date from,
                                                                 civil_date to) {
  std::vector<std::pair<civil_date, std::string>> out;
  for (civil_date d = from; d.days_since_epoch() < to.days_since_epoch(); d = next_day(d))
    if (!cal.is_business_day(d) && !cal.definition().week[weekday_index(d)].empty())
      out.emplace_back(d, closed_day_name(cal, d));
  return out;
}

std::string timeline_svg(const policy& p, const simulation& sim) {
  const std::vector<const complaint_run*> runs = opened_runs(sim);
  return figure_svg(p, sim, runs, frame_for(runs, sim.horizon), true);
}

std::string timeline_html(const policy& p, const simulation& sim) {
  const std::vector<const complaint_run*> runs = opened_runs(sim);
  const frame whole = frame_for(runs, sim.horizon);
  const std::vector<calendar_days> holidays = holidays_in(p, runs, whole);
  const time_zone& zone = runs.empty() ? whole.zone : runs.front()->zone;
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << esc(title_of(sim))
       << "</title>\n<style>\n"
          "body{font-family:sans-serif;margin:24px;color:#111}\n"
          "h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:0 0 2px}p.meta{margin:0 0 8px;color:#444;font-size:12px}\n"
          "figure{margin:4px 0 8px}figure svg{width:100%;height:auto;display:block}\n"
          "table{border-collapse:collapse;font-size:11px;margin:4px 0 10px;width:100%}\n"
          "th,td{border:1px solid #ccc;padding:2px 5px;text-align:left;vertical-align:top}th{background:#f0f0f0}\n"
          "td.when{white-space:nowrap}tr.breached td.outcome{color:#b52b27;font-weight:bold}caption{text-align:left;font-weight:bold;font-size:12px;padding:2px 0}\n"
          "section.complaint{margin-top:28px}\n"
          "@page{size:A4 landscape;margin:10mm}\n"
          "@media print{body{margin:0;-webkit-print-color-adjust:exact;print-color-adjust:exact}"
          "section.complaint{break-before:page;margin-top:0}figure,h2,p.meta{break-inside:avoid;break-after:avoid}"
          "table{font-size:8px;margin:2px 0 6px}th,td{padding:1px 4px}td.id{white-space:nowrap}h2{font-size:13px}p.meta{font-size:9px;margin:0 0 2px}figure{margin:0 0 4px}thead{display:table-header-group}tr{break-inside:avoid}}\n"
          "</style>\n</head>\n<body>\n";
  html << "<header><h1>" << esc(title_of(sim)) << "</h1>\n<p class=\"meta\">"
       << esc("as of " + local_reading(sim.horizon, zone) + " · " + std::to_string(runs.size()) + " complaints opened · " +
              std::to_string(sim.rejected) + " rejected events or openings" +
              (p->source.empty() ? std::string() : " · source: " + p->source))
       << "</p></header>\n";
  {
    std::ostringstream legend;
    const double h = draw_legend(legend, 4, 0, holidays);
    html << "<figure class=\"legend\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1290\" height=\"" << num(h)
         << "\" viewBox=\"0 0 1290 " << num(h) << "\" font-family=\"sans-serif\">" << svg_style << svg_defs << legend.str() << "</svg></figure>\n";
  }
  // The summary: every complaint, where it stands.
  html << "<table class=\"summary\"><caption>Complaints</caption><thead><tr><th>Complaint</th><th>Received</th>"
          "<th>Details</th><th>Calendar</th><th>State</th><th>Owner</th><th>Clocks met</th><th>Breached</th>"
          "<th>Running</th></tr></thead><tbody>\n";
  for (const complaint_run& run : sim.complaints) {
    if (!run.opened) {
      std::string why;
      for (const timeline_entry& e : run.timeline) why = e.detail;
      html << "<tr class=\"rejected\"><td>" << esc(run.id) << "</td><td class=\"when\">"
           << (run.timeline.empty() ? std::string() : esc(local_reading(run.timeline.front().at, run.zone)))
           << "</td><td colspan=\"7\">rejected at intake: " << esc(why) << "</td></tr>\n";
      continue;
    }
    const complaint_status& s = run.final_status;
    int met = 0, breached = 0, running = 0;
    for (const clock_report& k : s.clocks) {
      if (k.breached) ++breached;
      else if (k.state == clock_state::met) ++met;
      else if (k.state == clock_state::running || k.state == clock_state::paused) ++running;
    }
    std::string detail;
    for (const timeline_entry& e : run.timeline)
      if (e.what == timeline_entry::kind::opened) detail = e.detail;
    html << "<tr><td><a href=\"#" << esc(run.id) << "\">" << esc(run.id) << "</a></td><td class=\"when\">"
         << esc(local_reading(s.received, run.zone)) << "</td><td>" << esc(detail) << "</td><td>" << esc(run.calendar)
         << "</td><td>" << esc(std::string(to_string(s.state.main))) << "</td><td>" << esc(s.owner) << "</td><td>" << met
         << "</td><td>" << breached << "</td><td>" << running << "</td></tr>\n";
  }
  html << "</tbody></table>\n";
  for (const calendar_days& c : holidays) {
    html << "<table class=\"holidays\"><caption>" << esc("Holidays and closures (" + c.calendar + ")")
         << "</caption><thead><tr><th>Date</th><th>Name</th></tr></thead><tbody>\n";
    if (c.days.empty()) html << "<tr><td colspan=\"2\">none in this period (weekends are closed)</td></tr>\n";
    for (const auto& [day, name] : c.days)
      html << "<tr><td class=\"when\">" << esc(dated(day)) << "</td><td>" << esc(name) << "</td></tr>\n";
    html << "</tbody></table>\n";
  }

  for (const complaint_run* run : runs) {
    const complaint_status& s = run->final_status;
    html << "<section class=\"complaint\" id=\"" << esc(run->id) << "\">\n<h2>" << esc(run->id) << " — "
         << esc(std::string(to_string(s.state.main)) + ", owner " + (s.owner.empty() ? std::string(detail::no_owner_name) : s.owner)) << "</h2>\n";
    std::string detail;
    for (const timeline_entry& e : run->timeline)
      if (e.what == timeline_entry::kind::opened) detail = e.detail;
    html << "<p class=\"meta\">"
         << esc("received " + local_reading(s.received, run->zone) + (detail.empty() ? "" : " · " + detail) +
                " · calendar " + run->calendar + " (" + run->zone.name() + ") · escalation level " +
                std::to_string(s.escalation_level) + " · as of " + local_reading(sim.horizon, run->zone))
         << "</p>\n";
    html << "<figure>" << figure_svg(p, sim, {run}, frame_for({run}, sim.horizon), false) << "</figure>\n";
    html << "<table class=\"clocks\"><caption>Clocks</caption><thead><tr><th>Target</th><th>Start</th><th>Due</th>"
            "<th>Stopped</th><th>Outcome</th><th>Owner</th></tr></thead><tbody>\n";
    for (const clock_report& k : s.clocks)
      html << "<tr class=\"clock" << (k.breached ? " breached" : "") << "\" data-target=\"" << esc(k.target)
           << "\" data-cycle=\"" << k.cycle << "\"><td>" << esc(clock_name(k)) << "</td><td class=\"when\">"
           << esc(local_reading(k.started, run->zone)) << "</td><td class=\"when\">" << esc(local_reading(k.due, run->zone))
           << "</td><td class=\"when\">" << (k.stopped ? esc(local_reading(*k.stopped, run->zone)) : std::string("—"))
           << "</td><td class=\"outcome\">" << esc(clock_outcome(k) + (k.extended ? ", extended" : "")) << "</td><td>"
           << esc(k.owner) << "</td></tr>\n";
    html << "</tbody></table>\n";
    html << "<table class=\"actions\"><caption>Events and actions</caption><thead><tr><th>Instant</th><th>Id</th>"
            "<th>Who</th><th>What</th></tr></thead><tbody>\n";
    for (const timeline_entry& e : run->timeline) {
      std::string id, who, what;
      switch (e.what) {
        case timeline_entry::kind::opened: what = "received" + (e.detail.empty() ? "" : ": " + e.detail); break;
        case timeline_entry::kind::event:
          who = e.who;
          what = e.label + (e.detail.empty() ? "" : ": " + e.detail);
          break;
        case timeline_entry::kind::rejected:
          who = e.who;
          what = "REJECTED " + e.label + ": " + e.detail;
          break;
        case timeline_entry::kind::action:
          id = run->fired(e).id;
          who = run->fired(e).who;
          what = e.label + ": " + run->fired(e).summary;
          break;
      }
      html << "<tr class=\"" << (e.what == timeline_entry::kind::action ? "action" : "event") << "\"><td class=\"when\">"
           << esc(local_reading(e.at, run->zone)) << "</td><td class=\"id\">" << esc(id) << "</td><td>" << esc(who) << "</td><td>"
           << esc(what) << "</td></tr>\n";
    }
    html << "</tbody></table>\n</section>\n";
  }
  html << "<script>\n// Marks the page rendered when every chart has a real size: tests check this.\n"
          "const boxes = [...document.querySelectorAll('figure svg')].map(s => s.getBBox());\n"
          "document.body.dataset.rendered = (boxes.length > 0 && boxes.every(b => b.width > 0 && b.height > 0)) ? 'yes' : 'no';\n"
          "document.body.dataset.charts = String(document.querySelectorAll('section.complaint figure svg').length);\n</script>\n"
       << "</body>\n</html>\n";
  return html.str();
}

}  // namespace redress::tools
