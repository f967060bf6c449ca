// `redress migrate OLD NEW --history FILE`: the open complaints of a history moved from one policy
// version to another (engine::migrate), and what that changes: the actions it retracts, the
// actions (revisions) it makes due, and the deadlines it moves. What `diff` predicts, applied.
// Exit 1 when anything changes or a complaint cannot move (a change to review), as diff.
#include <iostream>
#include <map>
#include <memory>
#include <utility>

#include "commands.hpp"
#include "input.hpp"
#include "redress/redress.hpp"
#include "terminal.hpp"
#include "tools/scenario.hpp"
#include "tools/simulate.hpp"
#include "wire/json.hpp"

namespace redress::cli {

namespace {

struct migrate_options {
  std::vector<std::string> policies;  // OLD NEW, or NEW with --from OLD
  std::string from;
  std::string history;
  std::string at;
  bool json = false;
};

struct moved_deadline {
  std::string target;
  int cycle = 1;
  std::optional<instant> was, now;  // absent: no such clock before (after)
};

// One complaint's migration: the actions it returned, or why it stayed.
struct complaint_migration {
  std::string id;
  time_zone zone = time_zone::locate("UTC");
  std::vector<action> actions;
  std::vector<moved_deadline> deadlines;
  std::optional<engine_error> refused;
};

// The deadlines that differ between two statuses, by target and cycle.
std::vector<moved_deadline> moved(const complaint_status& before, const complaint_status& after) {
  std::map<std::pair<std::string, int>, moved_deadline> by_clock;
  for (const clock_report& k : before.clocks) by_clock[{k.target, k.cycle}] = {k.target, k.cycle, k.due, std::nullopt};
  for (const clock_report& k : after.clocks) {
    moved_deadline& m = by_clock[{k.target, k.cycle}];
    m.target = k.target;
    m.cycle = k.cycle;
    m.now = k.due;
  }
  std::vector<moved_deadline> out;
  for (auto& [key, m] : by_clock)
    if (m.was != m.now) out.push_back(std::move(m));
  return out;
}

std::string reading(const std::optional<instant>& t, const time_zone& zone) {
  return t ? tools::local_reading(*t, zone) : std::string("(no clock)");
}

std::string rfc3339(const std::optional<instant>& t, const time_zone& zone) {
  return t ? format_rfc3339(*t, zone) : std::string();
}

int run_migrate(const migrate_options& o) {
  if (o.policies.size() == 1 && o.from.empty())
    throw error("migrate: which policy the history ran under? Give OLD NEW, or NEW --from OLD");
  if (o.policies.size() == 2 && !o.from.empty())
    throw error("migrate: give OLD NEW, or NEW --from OLD, not both");
  const std::string old_path = o.policies.size() == 2 ? o.policies[0] : o.from;
  const std::string new_path = o.policies.back();
  require_standard_input_once({old_path, new_path, o.history});
  const policy from = load_policy_argument(old_path);
  const policy to = load_policy_argument(new_path);
  if (from.version() == to.version())
    throw error(new_path + ": policy version \"" + to.version() + "\" is the version of " + old_path +
                " too: a changed policy needs a new version");
  const time_zone& zone = from.calendar(from->default_calendar).zone();
  const tools::scenario history = load_scenario_argument(o.history, zone);
  instant at = history.horizon();
  if (!o.at.empty()) {
    try {
      at = parse_timestamp(o.at, zone);
    } catch (const error& e) {
      throw error("--at: " + e.message());
    }
  }

  std::vector<complaint_migration> migrations;
  std::size_t retracted = 0, fired = 0, deadlines = 0, refused = 0, unchanged = 0, not_received = 0;
  for (const tools::scenario_complaint& sc : history.complaints) {
    engine e(from);
    (void)e.add_policy(to, false);  // a version of its own (checked above)
    const tools::complaint_run run = tools::simulate_complaint(e, from, sc, at, true);
    if (!run.opened) {
      ++not_received;
      continue;
    }
    complaint_migration m;
    m.id = run.id;
    m.zone = run.zone;
    auto changed = e.migrate(run.id, to.version());
    if (!changed) {
      m.refused = changed.error();
      ++refused;
    } else {
      m.actions = std::move(changed).value();
      const auto after = e.status(run.id, at);
      if (after) m.deadlines = moved(run.final_status, *after);
      for (const action& a : m.actions) ++(a.what == action::kind::retracted ? retracted : fired);
      deadlines += m.deadlines.size();
      if (m.actions.empty() && m.deadlines.empty()) ++unchanged;
    }
    migrations.push_back(std::move(m));
  }

  if (o.json) {
    wire::json out = {{"old", {{"policy", from.name()}, {"version", from.version()}}},
                      {"new", {{"policy", to.name()}, {"version", to.version()}}},
                      {"at", format_rfc3339(at, zone)},
                      {"totals", {{"complaints", migrations.size()}, {"unchanged", unchanged},
                                  {"retracted", retracted}, {"new_actions", fired},
                                  {"deadlines_moved", deadlines}, {"refused", refused},
                                  {"not_received", not_received}}},
                      {"complaints", wire::json::array()}};
    for (const complaint_migration& m : migrations) {
      wire::json c = {{"id", m.id}, {"migrated", !m.refused}};
      if (m.refused) {
        c["error"] = wire::value_of(*m.refused);
      } else {
        c["actions"] = wire::json::array();
        for (const action& a : m.actions) c["actions"].push_back(wire::value_of(a, m.zone));
        c["deadlines"] = wire::json::array();
        for (const moved_deadline& d : m.deadlines)
          c["deadlines"].push_back({{"target", d.target}, {"cycle", d.cycle},
                                    {"old_due", d.was ? wire::json(rfc3339(d.was, m.zone)) : wire::json(nullptr)},
                                    {"new_due", d.now ? wire::json(rfc3339(d.now, m.zone)) : wire::json(nullptr)}});
      }
      out["complaints"].push_back(std::move(c));
    }
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << bold("old") << " " << from.name() << " (version " << from.version() << ")\n"
              << bold("new") << " " << to.name() << " (version " << to.version() << ")\n"
              << bold("at") << "  " << tools::local_reading(at, zone) << ", " << migrations.size()
              << " open complaints from " << o.history << "\n\n"
              << migrations.size() << " migrated: " << unchanged << " unchanged, " << retracted << " actions retracted, "
              << fired << " actions due, " << deadlines << " deadlines moved, "
              << (refused ? red(std::to_string(refused)) : std::string("0")) << " refused\n";
    for (const complaint_migration& m : migrations) {
      if (!m.refused && m.actions.empty() && m.deadlines.empty()) continue;
      std::cout << "\n" << bold(m.id) << "\n";
      if (m.refused) {
        std::cout << "  " << red("not migrated") << ": " << m.refused->message << "\n";
        continue;
      }
      for (const moved_deadline& d : m.deadlines)
        std::cout << "  " << d.target << " #" << d.cycle << " due " << reading(d.was, m.zone) << " -> "
                  << reading(d.now, m.zone) << "\n";
      for (const action& a : m.actions) {
        if (a.what == action::kind::retracted)
          std::cout << "  " << red("retract") << "  " << a.retracts << "  (at " << tools::local_reading(a.at, m.zone) << ")\n";
        else
          std::cout << "  " << green("due") << "      " << a.id << "  " << tools::local_reading(a.at, m.zone) << "  "
                    << a.summary << "\n";
      }
    }
  }
  return (retracted + fired + deadlines + refused) ? exit_findings : exit_ok;
}

}  // namespace

void add_migrate_command(CLI::App& app, int& exit_status) {
  auto o = std::make_shared<migrate_options>();
  CLI::App* command =
      app.add_subcommand("migrate", "Move a history's open complaints to a new policy version and show what changes");
  command->add_option("policies", o->policies, "OLD NEW: the policy the history ran under and the new version (files; - reads standard input); or NEW alone with --from OLD")
      ->required()
      ->expected(1, 2);
  command->add_option("--from", o->from, "The policy the history ran under (with NEW alone)");
  command->add_option("--history", o->history, "The complaints and their events: a scenario (TOML, or JSON Lines ending in .jsonl; - reads standard input)")->required();
  command->add_option("--at", o->at, "Migrate as of this instant: the events up to it applied, the actions due by it fired (default: the scenario's until)");
  command->add_flag("--json", o->json, "Print JSON");
  command->footer(
      "Each complaint runs under OLD up to --at, then moves to NEW (engine::migrate): an action\n"
      "whose instant or text changes is retracted and fires again under its next revision\n"
      "(.../L1/c1/r2), now if it is already due, else later; paused time is kept.\n\n"
      "Exit status: 0 nothing changes, 1 actions or deadlines change or a complaint cannot move, 2 bad input.\n\n"
      "Example (a proposed version that shortens the final response to six business days):\n"
      "  redress migrate rules/iso10002.toml tests/data/policy-tests/iso10002-six-days.toml \\\n"
      "    --history examples/scenarios/retail-week.toml --at 2026-04-10T12:00:00+01:00\n"
      "  23 migrated: 5 unchanged, 31 actions retracted, 46 actions due, 18 deadlines moved, 0 refused");
  command->callback([o, &exit_status] { exit_status = run_migrate(*o); });
}

}  // namespace redress::cli
