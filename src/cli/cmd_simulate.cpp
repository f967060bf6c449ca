// `redress simulate POLICY SCENARIO`: the timeline of every complaint, in time order.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <utility>

#include "commands.hpp"
#include "input.hpp"
#include "output.hpp"
#include "policy/policy_rules.hpp"
#include "redress/redress.hpp"
#include "terminal.hpp"
#include "tools/print_pdf.hpp"
#include "tools/scenario.hpp"
#include "tools/simulate.hpp"
#include "tools/timeline_picture.hpp"
#include "wire/json.hpp"
#include "wire/pretty_text.hpp"

namespace redress::cli {

namespace {

struct simulate_options {
  std::string policy;
  std::string scenario;
  bool json = false;
  std::string svg;
  std::string html;
  std::string pdf;
  std::string at;  // --at: each complaint's status at this instant
};

std::string local(const instant& t, const time_zone& zone) { return tools::local_reading(t, zone); }

std::string pad(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

// The JSON output, written one complaint at a time as each is run (tools::simulate_complaint):
// the whole document as one nlohmann value was most of the 12 GB `simulate --json` took for
// 250,000 complaints (1,000,000 events), and the whole simulation held to the end most of the
// 3 GB after that. The text is what dump(2) of that value prints: its keys in order
// ("complaints" first), each complaint indented as an element of the array.
class json_output {
public:
  json_output(const tools::simulation& head, std::ostream& out)
      : out_(out),
        text_(wire::json({{"policy", head.policy_name},
                          {"policy_version", head.policy_version},
                          {"scenario", head.scenario_name},
                          {"until", head.horizon.to_string()},
                          {"complaints", wire::json::array()}})
                  .dump(2)),
        at_(text_.find(empty_)) {}

  void add(const tools::complaint_run& run) {
    if (at_ == std::string::npos) return;
    // One write per complaint, from one buffer kept across complaints (a fresh string per
    // complaint, grown to its 8 KB, was most of the allocator's time), written as dump(2) would
    // print it (wire::pretty_text) starting at the array element's indent of four.
    buffer_.clear();
    if (added_++ == 0) buffer_.append(text_, 0, at_).append("\"complaints\": [\n");
    else buffer_ += ",\n";
    buffer_ += "    ";
    write(run);
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  }

  void finish() {
    if (added_ == 0) out_ << text_ << "\n";
    else out_ << "\n  ]" << text_.substr(at_ + empty_.size()) << "\n";
  }

private:
  // The complaint as dump(2) prints its nlohmann value at the indent of four, written without
  // building the value (the value and its allocations were most of `--json`'s time): the keys in
  // the same order, every string through w_.text(), every clock and pause written by the wire
  // layer (wire::write, the same fields as its value_of()).
  void write(const tools::complaint_run& run) {
    buffer_ += "{\n";
    w_.field(6, "id", true);
    w_.text(run.id);
    w_.field(6, "calendar");
    w_.text(run.calendar);
    w_.field(6, "timeline");
    w_.list(run.timeline, 8, [&](const tools::timeline_entry& e) { write(run, e); });
    if (run.opened) {
      const complaint_status& st = run.final_status;
      w_.field(6, "state");
      w_.text(to_string(st.state.main));
      w_.field(6, "action_plan");
      w_.text(to_string(st.state.plan));
      w_.field(6, "owner");
      w_.text(st.owner);
      w_.field(6, "escalation_level");
      w_.number(st.escalation_level);
      // Clocks and pauses in the wire format's forms (docs/wire-format.md), written by src/wire.
      w_.field(6, "clocks");
      w_.list(st.clocks, 8, [&](const clock_report& k) { wire::write(w_, k, run.zone, 10); });
      w_.field(6, "pauses");
      w_.list(st.pauses, 8, [&](const pause_record& p) { wire::write(w_, p, run.zone, 10); });
      w_.field(6, "ledger_seconds");
      seconds_by_name(st.ledger);
      w_.field(6, "team_ledger_seconds");
      seconds_by_name(st.team_ledger);
    }
    buffer_ += '\n';
    w_.indent(4);
    buffer_ += '}';
  }

  // A ledger (role or team to seconds, in the map's order) as an object at the indent of six.
  template <class Ledger>
  void seconds_by_name(const Ledger& ledger) {
    if (ledger.empty()) {
      buffer_ += "{}";
      return;
    }
    buffer_ += "{\n";
    bool first = true;
    for (const auto& [name, seconds] : ledger) {
      w_.text_field(8, name, first);
      first = false;
      w_.number(seconds.count());
    }
    buffer_ += '\n';
    w_.indent(6);
    buffer_ += '}';
  }

  // One timeline entry, at the indent of eight.
  void write(const tools::complaint_run& run, const tools::timeline_entry& e) {
    const auto text = [&](std::string_view key, std::string_view value) {
      w_.field(10, key);
      w_.text(value);
    };
    buffer_ += "{\n";
    w_.field(10, "at", true);
    w_.time(e.at, run.zone);
    text("detail", run.detail(e));
    w_.field(10, "type");
    switch (e.what) {
      case tools::timeline_entry::kind::opened: w_.text("received"); break;
      case tools::timeline_entry::kind::event:
        w_.text("event");
        text("event", e.label);
        if (!e.who.empty()) text("actor", e.who);  // who paused, assigned, ... (the event's actor)
        break;
      case tools::timeline_entry::kind::rejected:
        w_.text("rejected");
        text("event", e.label);
        break;
      case tools::timeline_entry::kind::action: {
        const action& a = run.fired(e);
        w_.text("action");
        text("action", e.label);
        text("id", a.id);
        text("target", a.target);
        if (a.level) {
          w_.field(10, "level");
          w_.number(a.level);
        }
        w_.field(10, "cycle");
        w_.number(a.cycle);
        text("who", a.who);
        w_.field(10, "notify");
        w_.list(a.notify, 12, [&](const std::string& role) { w_.text(role); });
        const auto optional_text = [&](std::string_view key, std::string_view value) {
          if (!value.empty()) text(key, value);
        };
        optional_text("assign", a.assign);
        optional_text("record", a.record);
        if (a.by_when) {
          w_.field(10, "by_when");
          w_.time(*a.by_when, run.zone);
        }
        optional_text("verifier", a.verifier);
        if (a.deliver_at) {
          w_.field(10, "deliver_at");
          w_.time(*a.deliver_at, run.zone);
        }
        break;
      }
    }
    buffer_ += '\n';
    w_.indent(8);
    buffer_ += '}';
  }

  static constexpr std::string_view empty_ = "\"complaints\": []";
  std::ostream& out_;
  const std::string text_;
  const std::size_t at_;
  std::size_t added_ = 0;
  std::string buffer_;
  wire::pretty_text w_{buffer_};
};

void print_head(const tools::simulation& sim) {
  std::cout << bold("policy") << "   " << sim.policy_name << " (version " << sim.policy_version << ")\n";
  if (!sim.scenario_name.empty()) std::cout << bold("scenario") << " " << sim.scenario_name << "\n";
}

// The tables append to one buffer per complaint, written at once: a string per reading, pad
// and paint (3,000,000 readings for a 1,000,000-event history) was most of the table's time.
// `pad_from(out, from, width)` pads what was appended since `from` to `width` characters.
void pad_from(std::string& out, std::size_t from, std::size_t width) {
  if (out.size() - from < width) out.append(width - (out.size() - from), ' ');
}

// A pause as the tables print it: when, until when, who paused it and why.
void append_pause(std::string& out, const pause_record& pr, const time_zone& zone) {
  out += "    paused ";
  tools::append_local_reading(out, pr.from, zone);
  out += " to ";
  if (pr.to) tools::append_local_reading(out, *pr.to, zone);
  else out += "(still paused)";
  if (!pr.actor.empty()) out.append(" by ").append(pr.actor);
  if (!pr.reason.empty()) out.append(": ").append(pr.reason);
  out += '\n';
}

void print_pause(const pause_record& pr, const time_zone& zone) {
  std::string line;
  append_pause(line, pr, zone);
  std::cout << line;
}

// A complaint's timeline, its state at the horizon, its clocks and its pauses, appended to `out`.
void append_complaint(std::string& out, const instant& horizon, const tools::complaint_run& run) {
  out += '\n';
  append_painted(out, "1", [&] { out += run.id; });
  if (run.opened) {
    out += "  ";
    append_painted(out, "2", [&] { out.append("calendar ").append(run.calendar).append(" (").append(run.zone.name()).append(")"); });
  }
  out += '\n';
  for (const tools::timeline_entry& e : run.timeline) {
    out += "  ";
    std::size_t from = out.size();
    tools::append_local_reading(out, e.at, run.zone);
    pad_from(out, from, 26);
    out += "  ";
    const char* code = nullptr;  // the label's colour
    if (e.what == tools::timeline_entry::kind::rejected) code = "31";
    else if (e.what == tools::timeline_entry::kind::action) {
      const action::kind k = run.fired(e).what;
      code = k == action::kind::breach || k == action::kind::promise_breach ? "31" : k == action::kind::escalation ? "33" : "32";
    }
    const auto label = [&] {
      from = out.size();
      if (e.what == tools::timeline_entry::kind::rejected) out += "REJECTED ";
      out += e.label;
      pad_from(out, from, 22);
    };
    if (code) append_painted(out, code, label);
    else label();
    out.append("  ").append(run.detail(e));
    if (e.what == tools::timeline_entry::kind::action && run.fired(e).deliver_at) {  // quiet hours: when the host notifies a person
      out += "  (deliver ";
      tools::append_local_reading(out, *run.fired(e).deliver_at, run.zone);
      out += ')';
    }
    out += '\n';
  }
  if (!run.opened) return;
  const complaint_status& s = run.final_status;
  out += "  ";
  append_painted(out, "2", [&] {
    out += "at ";
    tools::append_local_reading(out, horizon, run.zone);
    out.append(": ").append(to_string(s.state.main)).append(", owner ").append(s.owner.empty() ? detail::no_owner_name : std::string_view(s.owner));
    out.append(", escalation level ").append(std::to_string(s.escalation_level));
  });
  out += '\n';
  std::size_t width = 0;
  for (const clock_report& k : s.clocks) width = std::max(width, k.target.size() + 4);
  for (const clock_report& k : s.clocks) {
    out += "    ";
    std::size_t from = out.size();
    out.append(k.target).append(" #").append(std::to_string(k.cycle));
    pad_from(out, from, width);
    out += "  ";
    const auto state = [&] {
      from = out.size();
      out += tools::clock_outcome(k);
      pad_from(out, from, 20);
    };
    if (k.breached) append_painted(out, "31", state);
    else if (k.state == clock_state::met) append_painted(out, "32", state);
    else state();
    out += "  due ";
    tools::append_local_reading(out, k.due, run.zone);
    if (k.extended) out += " (extended)";
    if (k.stopped) {
      out += "  stopped ";
      tools::append_local_reading(out, *k.stopped, run.zone);
    }
    out += '\n';
  }
  // Every pause, with who paused it and why.
  for (const pause_record& pr : s.pauses) append_pause(out, pr, run.zone);
}

void print_tail(std::size_t complaints, std::size_t rejected) {
  std::cout << "\n"
            << complaints << " complaints, " << rejected << " rejected events or openings\n";
}

// `--at INSTANT`: each complaint as it stood then, its events up to that instant applied and its
// clocks advanced to it (tools::simulate_complaint), and the engine's status(id, INSTANT): in the
// wire's status form with --json, else a table of its clocks, their levels and its pauses.
void print_status_at(const instant& at, const time_zone& zone, const tools::complaint_run& run) {
  std::cout << "\n" << bold(run.id);
  if (!run.opened) {  // no calendar of its own: the policy's
    std::cout << "  not received by " << local(at, zone) << "\n";
    return;
  }
  const complaint_status& s = run.final_status;
  std::cout << "  " << dim("calendar " + run.calendar + " (" + run.zone.name() + ")") << "\n";
  std::cout << "  " << to_string(s.state.main) << ", owner " << (s.owner.empty() ? std::string(detail::no_owner_name) : s.owner)
            << ", escalation level " << s.escalation_level << "\n";
  for (const clock_report& k : s.clocks) {
    std::cout << "    " << k.target << " #" << k.cycle << "  " << tools::clock_outcome(k) << "  due "
              << local(k.due, run.zone) << (k.extended ? " (extended)" : "");
    if (k.due_if_resumed_now) std::cout << ", if resumed now " << local(*k.due_if_resumed_now, run.zone);
    if (k.stopped) std::cout << "  stopped " << local(*k.stopped, run.zone);
    std::cout << "\n";
    for (const level_report& l : k.levels)
      std::cout << "      " << pad(l.label, 20) << "  " << pad(l.at ? local(*l.at, run.zone) : std::string("-"), 26)
                << "  " << (l.fired ? "fired" : "not fired") << "\n";
  }
  for (const pause_record& pr : s.pauses) print_pause(pr, run.zone);
}

int run_status_at(const simulate_options& o, const policy& p, const tools::scenario& s) {
  const time_zone& zone = p.calendar(p->default_calendar).zone();
  instant at;
  try {
    at = parse_timestamp(o.at, zone);
  } catch (const error& e) {
    throw error("--at: " + e.message());
  }
  const tools::simulation head = tools::simulation_head(p, s);
  if (o.json) {
    wire::json out = {{"policy", head.policy_name},
                      {"policy_version", head.policy_version},
                      {"scenario", head.scenario_name},
                      {"at", format_rfc3339(at, zone)},
                      {"complaints", wire::json::array()},
                      {"not_received", wire::json::array()}};
    for (const tools::scenario_complaint& c : s.complaints) {
      const tools::complaint_run run = tools::simulate_complaint(p, c, at, true);
      if (run.opened) out["complaints"].push_back(wire::value_of(run.final_status, run.zone, at));
      else out["not_received"].push_back(run.id);
    }
    std::cout << out.dump(2) << "\n";
    return exit_ok;
  }
  print_head(head);
  std::cout << bold("status at") << " " << local(at, zone) << "\n";
  for (const tools::scenario_complaint& c : s.complaints) print_status_at(at, zone, tools::simulate_complaint(p, c, at, true));
  return exit_ok;
}

int run_simulate(const simulate_options& o) {
  require_standard_input_once({o.policy, o.scenario});
  const policy p = load_policy_argument(o.policy);
  const tools::scenario s = load_scenario_argument(o.scenario, p.calendar(p->default_calendar).zone());
  if (!o.at.empty()) return run_status_at(o, p, s);
  const bool picture = !o.svg.empty() || !o.html.empty() || !o.pdf.empty();
  if (!picture) {
    // Each complaint is run, written and dropped: the output grows, the memory does not.
    const tools::simulation head = tools::simulation_head(p, s);
    if (o.json) {
      json_output out(head, std::cout);
      for (const tools::scenario_complaint& c : s.complaints) out.add(tools::simulate_complaint(p, c, head.horizon));
      out.finish();
    } else {
      print_head(head);
      std::size_t rejected = 0;
      std::string text;  // one complaint's table, its buffer kept across complaints
      for (const tools::scenario_complaint& c : s.complaints) {
        const tools::complaint_run run = tools::simulate_complaint(p, c, head.horizon);
        rejected += run.rejected;
        text.clear();
        append_complaint(text, head.horizon, run);
        std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
      }
      print_tail(s.complaints.size(), rejected);
    }
    return exit_ok;
  }
  // The pictures lay out every complaint together: the whole simulation.
  const tools::simulation sim = tools::simulate(p, s);
  if (!o.svg.empty()) {
    write_file(o.svg, tools::timeline_svg(p, sim));
    std::cerr << "wrote " << o.svg << "\n";
  }
  if (!o.html.empty() || !o.pdf.empty()) {
    const std::string html = tools::timeline_html(p, sim);
    if (!o.html.empty()) {
      write_file(o.html, html);
      std::cerr << "wrote " << o.html << "\n";
    }
    if (!o.pdf.empty()) {
      write_file(o.pdf, tools::print_to_pdf(html));
      std::cerr << "wrote " << o.pdf << "\n";
    }
  }
  if (o.json) {
    json_output out(sim, std::cout);
    for (const tools::complaint_run& run : sim.complaints) out.add(run);
    out.finish();
  }
  return exit_ok;
}

}  // namespace

void add_simulate_command(CLI::App& app, int& exit_status) {
  auto o = std::make_shared<simulate_options>();
  CLI::App* command = app.add_subcommand("simulate", "Run a scenario through a policy and print every complaint's timeline");
  command->add_option("policy", o->policy, "Policy file (TOML); - reads standard input")->required();
  command->add_option("scenario", o->scenario, "Scenario file (TOML, or JSON Lines ending in .jsonl); - reads standard input")->required();
  command->add_flag("--json", o->json, "Print JSON instead of a table");
  CLI::Option* at = command->add_option(
      "--at", o->at,
      "Print each complaint's status at INSTANT instead (its events up to then applied, its clocks advanced to it)");
  at->type_name("INSTANT");
  command->add_option("--svg", o->svg, "Write the timeline picture as SVG to FILE")->check(file_name)->excludes(at);
  command->add_option("--html", o->html, "Write the timeline picture as a standalone HTML page to FILE")->check(file_name)->excludes(at);
  command->add_option("--pdf", o->pdf,
                      "Print that page to FILE as a PDF (A4 landscape, one page per complaint) through headless "
                      "chromium (Debian package chromium; REDRESS_CHROMIUM names another binary)")
      ->check(file_name)
      ->excludes(at);
  command->footer(
      "Example:\n  redress simulate rules/iso10002.toml examples/scenarios/retail-week.toml\n"
      "  redress simulate rules/fca-disp.toml examples/scenarios/fca-holding.toml --svg timeline.svg\n"
      "  redress simulate rules/iso10002.toml examples/scenarios/retail-week.toml --pdf retail-week.pdf\n"
      "  redress simulate rules/iso10002.toml examples/scenarios/retail-week.toml --at 2026-03-25T12:00:00Z");
  command->callback([o, &exit_status] { exit_status = run_simulate(*o); });
}

}  // namespace redress::cli
