// `redress report POLICY HISTORY [--by kind|owner|channel|month]`: what management asks for:
// time to resolution, share of targets met, breaches by target, promises kept, escalations.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "redress/policy.hpp"
#include "terminal.hpp"
#include "tools/scenario.hpp"
#include "tools/simulate.hpp"

namespace redress::cli {

namespace {

struct report_options {
  std::string policy, history, by = "kind";
  bool json = false, csv = false;
};

struct group_stats {
  std::size_t complaints = 0, resolved = 0;
  std::vector<double> resolution_days;
  std::size_t targets_met = 0, targets_breached = 0;
  std::map<std::string, std::size_t> breaches_by_target;
  std::size_t promises_kept = 0, promises_broken = 0;
  std::map<int, std::size_t> escalations_by_level;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  // Nearest rank: the smallest value with at least p of the data at or below it.
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(p * static_cast<double>(v.size()))));
  return v[rank - 1];
}

std::string fixed(double v, int digits = 1) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

std::string share(std::size_t good, std::size_t bad) {
  return good + bad ? fixed(100.0 * static_cast<double>(good) / static_cast<double>(good + bad)) + "%" : "-";
}

int run_report(const report_options& o) {
  const policy p = load_policy(o.policy);
  const tools::scenario history = tools::load_scenario(o.history, p.calendar(p->default_calendar).zone());
  const tools::simulation sim = tools::simulate(p, history);
  std::map<std::string, group_stats> groups;
  for (std::size_t i = 0; i < sim.complaints.size(); ++i) {
    const tools::complaint_run& run = sim.complaints[i];
    if (!run.opened) continue;
    const auto& attributes = history.complaints[i].intake.attributes;
    std::string key;
    if (o.by == "owner") key = run.final_status.owner.empty() ? "(nobody)" : run.final_status.owner;
    else if (o.by == "month") key = run.zone.to_civil(run.final_status.received).date.to_string().substr(0, 7);
    else {
      auto found = attributes.find(o.by);
      key = found == attributes.end() ? "(none)" : found->second;
    }
    group_stats& g = groups[key];
    ++g.complaints;
    for (const tools::timeline_entry& e : run.timeline)
      if (e.what == tools::timeline_entry::kind::event && e.label == "send_response") {
        ++g.resolved;
        g.resolution_days.push_back(static_cast<double>((e.at - run.final_status.received).count()) / 86400.0);
        break;
      }
    for (const clock_report& k : run.final_status.clocks) {
      if (k.target == "promise") {
        if (k.state == clock_state::met) ++g.promises_kept;
        else if (k.breached) ++g.promises_broken;
        continue;
      }
      if (k.target == "corrective-action") continue;
      if (k.breached) {
        ++g.targets_breached;
        ++g.breaches_by_target[k.target];
      } else if (k.state == clock_state::met) {
        ++g.targets_met;
      }
    }
    for (const action& a : run.actions)
      if (a.what == action::kind::escalation && a.target != "promise") ++g.escalations_by_level[a.level];
  }

  if (o.json) {
    nlohmann::json out = {{"policy", sim.policy_name}, {"version", sim.policy_version}, {"by", o.by}, {"groups", nlohmann::json::array()}};
    for (const auto& [key, g] : groups) {
      nlohmann::json j = {{o.by, key},
                          {"complaints", g.complaints},
                          {"resolved", g.resolved},
                          {"resolution_days_median", percentile(g.resolution_days, 0.5)},
                          {"resolution_days_p90", percentile(g.resolution_days, 0.9)},
                          {"targets_met", g.targets_met},
                          {"targets_breached", g.targets_breached},
                          {"promises_kept", g.promises_kept},
                          {"promises_broken", g.promises_broken},
                          {"breaches_by_target", g.breaches_by_target},
                          {"escalations_by_level", nlohmann::json::object()}};
      for (const auto& [level, n] : g.escalations_by_level) j["escalations_by_level"][std::to_string(level)] = n;
      out["groups"].push_back(j);
    }
    std::cout << out.dump(2) << "\n";
    return exit_ok;
  }
  const char* header[] = {"complaints", "resolved", "TTR median (days)", "TTR p90 (days)", "targets met",
                          "promises kept", "escalations L1/L2/L3+", "breaches by target"};
  if (o.csv) {
    std::cout << o.by;
    for (const char* h : header) std::cout << "," << h;
    std::cout << "\n";
  } else {
    std::cout << bold("policy") << " " << sim.policy_name << " (version " << sim.policy_version << "), "
              << sim.complaints.size() << " complaints, by " << o.by << "\n\n";
  }
  std::size_t width = o.by.size();
  for (const auto& [key, g] : groups) width = std::max(width, key.size());
  if (!o.csv) {
    std::cout << std::string(width, ' ');
    for (const char* h : header) std::cout << "  " << h;
    std::cout << "\n";
  }
  for (const auto& [key, g] : groups) {
    std::size_t l3 = 0;
    for (const auto& [level, n] : g.escalations_by_level)
      if (level >= 3) l3 += n;
    auto level = [&](int l) { auto f = g.escalations_by_level.find(l); return f == g.escalations_by_level.end() ? 0 : f->second; };
    std::string breaches;
    for (const auto& [t, n] : g.breaches_by_target) breaches += (breaches.empty() ? "" : o.csv ? "; " : ", ") + t + " " + std::to_string(n);
    const std::vector<std::string> cells = {
        std::to_string(g.complaints), std::to_string(g.resolved),
        g.resolution_days.empty() ? "-" : fixed(percentile(g.resolution_days, 0.5)),
        g.resolution_days.empty() ? "-" : fixed(percentile(g.resolution_days, 0.9)),
        share(g.targets_met, g.targets_breached), share(g.promises_kept, g.promises_broken),
        std::to_string(level(1)) + "/" + std::to_string(level(2)) + "/" + std::to_string(l3),
        breaches.empty() ? "none" : breaches};
    if (o.csv) {
      std::cout << key;
      for (const auto& c : cells) std::cout << "," << (c.find(',') != std::string::npos ? "\"" + c + "\"" : c);
      std::cout << "\n";
    } else {
      std::cout << key << std::string(width - key.size(), ' ');
      for (std::size_t i = 0; i < cells.size(); ++i) {
        const std::size_t w = std::string(header[i]).size();
        std::cout << "  " << cells[i] << (cells[i].size() < w ? std::string(w - cells[i].size(), ' ') : "");
      }
      std::cout << "\n";
    }
  }
  return exit_ok;
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_status) {
  auto o = std::make_shared<report_options>();
  CLI::App* command = app.add_subcommand("report", "Management report: time to resolution, targets met, breaches, promises kept, escalations");
  command->add_option("policy", o->policy, "Policy file")->required();
  command->add_option("history", o->history, "Complaint history (a scenario file, TOML or JSON Lines)")->required();
  command->add_option("--by", o->by, "Group by kind, owner, channel or month")
      ->check(CLI::IsMember({"kind", "owner", "channel", "month", "priority", "tier", "region", "site"}));
  CLI::Option* json = command->add_flag("--json", o->json, "Print JSON");
  command->add_flag("--csv", o->csv, "Print CSV")->excludes(json);
  command->footer("Example:\n  redress report rules/iso10002.toml examples/scenarios/retail-week.toml --by kind");
  command->callback([o, &exit_status] { exit_status = run_report(*o); });
}

}  // namespace redress::cli
