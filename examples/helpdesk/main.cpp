// A small but real host: a helpdesk that keeps the complaint journal in SQLite and lets redress
// run the clocks.
//
//   redress-helpdesk --policy rules/iso10002.toml --journal journal.db [--until TIME] [INPUT.jsonl|-]
//
// - Ingests complaints and events as JSON Lines (the scenario format of rules/README.md).
// - Journal: a serial number per complaint, every accepted event, every action, the final result;
//   WAL mode, one transaction per accepted event (committed before it is acknowledged with
//   "ack <key>" on stdout).
// - Executes due actions by printing them (who, what, by when, verifier) and recording them;
//   action ids make re-execution after a restart idempotent.
// - Survives a restart: on start it rebuilds the engine by replaying the journal, then skips the
//   input lines already journaled (each has a key), so no acknowledged complaint or event is lost.
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <set>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include <redress/redress.hpp>

namespace {

using json = nlohmann::json;

// --- SQLite, thinly -------------------------------------------------------------------------
class database {
public:
  explicit database(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) fail("cannot open journal " + path);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA foreign_keys=ON");
    exec(R"(CREATE TABLE IF NOT EXISTS complaints(
              serial INTEGER PRIMARY KEY AUTOINCREMENT,
              id TEXT UNIQUE NOT NULL,
              received TEXT NOT NULL,
              attributes TEXT NOT NULL,
              policy_version TEXT NOT NULL,
              state TEXT NOT NULL DEFAULT 'received',
              owner TEXT NOT NULL DEFAULT '',
              result TEXT NOT NULL DEFAULT ''))");
    exec(R"(CREATE TABLE IF NOT EXISTS events(
              seq INTEGER PRIMARY KEY AUTOINCREMENT,
              key TEXT UNIQUE NOT NULL,
              complaint TEXT NOT NULL REFERENCES complaints(id),
              at TEXT NOT NULL,
              event TEXT NOT NULL,
              fields TEXT NOT NULL))");
    exec(R"(CREATE TABLE IF NOT EXISTS actions(
              id TEXT PRIMARY KEY,
              complaint TEXT NOT NULL,
              at TEXT NOT NULL,
              kind TEXT NOT NULL,
              who TEXT NOT NULL,
              summary TEXT NOT NULL,
              by_when TEXT NOT NULL,
              verifier TEXT NOT NULL))");
    exec(R"(CREATE TABLE IF NOT EXISTS rejected(
              key TEXT PRIMARY KEY,
              complaint TEXT NOT NULL,
              reason TEXT NOT NULL))");
  }
  ~database() { sqlite3_close(db_); }
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  void exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      std::string what = message ? message : "unknown error";
      sqlite3_free(message);
      fail(what + " in: " + sql);
    }
  }

  // Runs `sql` with text parameters; calls `row` for each result row.
  void run(const std::string& sql, const std::vector<std::string>& params,
           const std::function<void(sqlite3_stmt*)>& row = {}) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
      fail(std::string(sqlite3_errmsg(db_)) + " in: " + sql);
    for (std::size_t i = 0; i < params.size(); ++i)
      sqlite3_bind_text(statement, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW)
      if (row) row(statement);
    sqlite3_finalize(statement);
    if (rc != SQLITE_DONE) fail(std::string(sqlite3_errmsg(db_)) + " in: " + sql);
  }

  static std::string text(sqlite3_stmt* s, int column) {
    const unsigned char* t = sqlite3_column_text(s, column);
    return t ? reinterpret_cast<const char*>(t) : "";
  }

private:
  [[noreturn]] static void fail(const std::string& what) { throw std::runtime_error("journal: " + what); }
  sqlite3* db_ = nullptr;
};

// --- input lines ----------------------------------------------------------------------------
struct input_line {
  std::string key;         // unique: "open C-17" or "C-17 2026-04-01T15:00:00Z acknowledge #1"
  std::string complaint;
  bool opening = false;
  redress::complaint_intake intake;
  redress::complaint_event event;
  json fields;             // what the journal keeps of it
};

redress::instant read_time(const json& j, const char* key, const redress::time_zone& zone) {
  if (!j.contains(key) || !j[key].is_string()) throw redress::error(std::string("'") + key + "' must be a timestamp string");
  return redress::parse_timestamp(j[key].get<std::string>(), zone);
}

std::string text_field(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// Parses one line; `occurrences` counts identical (complaint, at, event) so keys stay unique.
input_line parse_line(const std::string& text, const redress::time_zone& zone, std::map<std::string, int>& occurrences) {
  const json j = json::parse(text);
  if (!j.is_object() || !j.contains("complaint") || !j["complaint"].is_string())
    throw redress::error("every line needs \"complaint\"");
  input_line line;
  line.complaint = j["complaint"].get<std::string>();
  line.fields = j;
  if (j.contains("received")) {
    line.opening = true;
    line.key = "open " + line.complaint;
    line.intake.id = line.complaint;
    line.intake.received = read_time(j, "received", zone);
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key() != "complaint" && it.key() != "received" && it->is_string())
        line.intake.attributes[it.key()] = it->get<std::string>();
    return line;
  }
  const auto what = redress::parse_lifecycle_event(text_field(j, "event"));
  if (!what) throw redress::error("unknown or missing \"event\"");
  redress::complaint_event& e = line.event;
  e.what = *what;
  e.at = read_time(j, "at", zone);
  e.actor = text_field(j, "actor");
  e.reason = text_field(j, "reason");
  e.role = text_field(j, "role");
  e.justified = j.value("justified", false);
  e.satisfied = j.value("satisfied", true);
  if (j.contains("promised")) e.promised = read_time(j, "promised", zone);
  e.action_what = text_field(j, "what");
  e.action_owner = text_field(j, "owner");
  e.action_verifier = text_field(j, "verifier");
  if (j.contains("due")) e.action_due = read_time(j, "due", zone);
  const std::string base = line.complaint + " " + e.at.to_string() + " " + std::string(redress::to_string(e.what));
  line.key = base + " #" + std::to_string(++occurrences[base]);
  return line;
}

// --- the helpdesk ---------------------------------------------------------------------------
class helpdesk {
public:
  helpdesk(redress::policy p, const std::string& journal, bool quiet)
      : policy_(p), engine_(p), db_(journal), quiet_(quiet), zone_(p.calendar(p->default_calendar).zone()) {}

  // Rebuilds the engine from the journal: complaints and events in the order they were accepted.
  std::size_t recover() {
    std::vector<std::string> openings;
    db_.run("SELECT attributes FROM complaints ORDER BY serial", {}, [&](sqlite3_stmt* s) {
      openings.push_back(database::text(s, 0));
    });
    std::map<std::string, int> occurrences;
    std::size_t replayed = 0;
    // Openings first, each followed by the events that came after it, in journal order.
    std::vector<std::pair<std::string, std::string>> events;
    db_.run("SELECT complaint, fields FROM events ORDER BY seq", {}, [&](sqlite3_stmt* s) {
      events.emplace_back(database::text(s, 0), database::text(s, 1));
    });
    std::vector<input_line> lines;
    for (const std::string& o : openings) lines.push_back(parse_line(o, zone_, occurrences));
    for (const auto& [complaint, fields] : events) lines.push_back(parse_line(fields, zone_, occurrences));
    std::stable_sort(lines.begin(), lines.end(), [](const input_line& a, const input_line& b) {
      const auto ta = a.opening ? a.intake.received : a.event.at;
      const auto tb = b.opening ? b.intake.received : b.event.at;
      return ta < tb;
    });
    for (input_line& l : lines) {
      engine_.advance(time_of(l) - std::chrono::seconds{1});  // recorded already: not printed again
      if (l.opening) (void)engine_.open(l.intake);
      else (void)engine_.apply(l.complaint, l.event);
      journaled_.insert(l.key);
      ++replayed;
    }
    db_.run("SELECT key FROM rejected", {}, [&](sqlite3_stmt* s) { journaled_.insert(database::text(s, 0)); });
    return replayed;
  }

  void ingest(std::istream& in) {
    std::string text;
    std::map<std::string, int> occurrences;
    int number = 0;
    while (std::getline(in, text)) {
      ++number;
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      input_line line;
      try {
        line = parse_line(text, zone_, occurrences);
      } catch (const std::exception& e) {
        std::cerr << "line " << number << ": " << e.what() << " (skipped)\n";
        continue;
      }
      if (journaled_.count(line.key)) continue;  // accepted before a restart
      if (pace_us_ > 0) std::this_thread::sleep_for(std::chrono::microseconds(pace_us_));
      execute(engine_.advance(time_of(line) - std::chrono::seconds{1}));
      accept(line);
    }
  }

  void finish(redress::instant until) { execute(engine_.advance(until)); }

  // Every input key the journal holds (openings, events, rejections), for the crash test.
  void keys(std::ostream& out) {
    db_.run("SELECT 'open ' || id FROM complaints UNION ALL SELECT key FROM events UNION ALL SELECT key FROM rejected",
            {}, [&](sqlite3_stmt* s) { out << database::text(s, 0) << "\n"; });
  }

  void pace(int microseconds) { pace_us_ = microseconds; }

  void summary(redress::instant until) {
    std::cout << "\n== journal\n";
    db_.run("SELECT count(*) FROM complaints", {}, [](sqlite3_stmt* s) { std::cout << sqlite3_column_int(s, 0) << " complaints, "; });
    db_.run("SELECT count(*) FROM events", {}, [](sqlite3_stmt* s) { std::cout << sqlite3_column_int(s, 0) << " events, "; });
    db_.run("SELECT count(*) FROM actions", {}, [](sqlite3_stmt* s) { std::cout << sqlite3_column_int(s, 0) << " actions, "; });
    db_.run("SELECT count(*) FROM rejected", {}, [](sqlite3_stmt* s) { std::cout << sqlite3_column_int(s, 0) << " rejected\n"; });
    std::cout << "\n  serial  complaint  state                    owner             result\n";
    db_.run("SELECT serial, id, state, owner, result FROM complaints ORDER BY serial", {}, [](sqlite3_stmt* s) {
      std::printf("  %6d  %-9s  %-23s  %-16s  %s\n", sqlite3_column_int(s, 0), database::text(s, 1).c_str(),
                  database::text(s, 2).c_str(), database::text(s, 3).c_str(), database::text(s, 4).c_str());
    });
    std::cout << "\n== escalations and breaches\n";
    db_.run("SELECT at, complaint, who, summary FROM actions WHERE kind IN ('escalation','breach','promise broken') ORDER BY at, id",
            {}, [&](sqlite3_stmt* s) {
              std::printf("  %s  %-6s  %-16s %s\n", local(database::text(s, 0)).c_str(), database::text(s, 1).c_str(),
                          database::text(s, 2).c_str(), database::text(s, 3).c_str());
            });
    std::cout << "\n(state at " << redress::format_rfc3339(until, zone_) << ")\n";
  }

  // The engine's state of every complaint, for comparing runs.
  void dump(redress::instant until, std::ostream& out) {
    std::vector<std::string> ids;
    db_.run("SELECT id FROM complaints ORDER BY id", {}, [&](sqlite3_stmt* s) { ids.push_back(database::text(s, 0)); });
    for (const std::string& id : ids) {
      auto s = engine_.status(id, until);
      if (!s) continue;
      out << id << " " << redress::to_string(s->state.main) << " owner=" << s->owner << " level=" << s->escalation_level
          << " events=" << s->events << "\n";
      for (const auto& c : s->clocks)
        out << "  " << c.target << "#" << c.cycle << " " << redress::to_string(c.state) << (c.breached ? " breached" : "")
            << " due=" << c.due.to_string() << " consumed=" << c.consumed.count() << "\n";
    }
  }

private:
  static redress::instant time_of(const input_line& l) { return l.opening ? l.intake.received : l.event.at; }

  std::string local(const std::string& utc) {
    return redress::format_rfc3339(redress::instant::parse(utc), zone_);
  }

  void accept(const input_line& line) {
    const redress::instant at = time_of(line);
    std::vector<redress::action> actions;
    std::string rejection;
    if (line.opening) {
      auto opened = engine_.open(line.intake);
      if (!opened) rejection = opened.error().message;
      else actions = std::move(opened).value();
    } else {
      auto applied = engine_.apply(line.complaint, line.event);
      if (!applied) rejection = applied.error().message;
      else actions = std::move(applied).value();
    }
    db_.exec("BEGIN IMMEDIATE");
    if (!rejection.empty()) {
      db_.run("INSERT OR IGNORE INTO rejected(key, complaint, reason) VALUES(?,?,?)", {line.key, line.complaint, rejection});
      db_.exec("COMMIT");
      journaled_.insert(line.key);
      if (!quiet_) std::cout << "rejected " << line.key << ": " << rejection << "\n";
      return;
    }
    if (line.opening) {
      db_.run("INSERT INTO complaints(id, received, attributes, policy_version) VALUES(?,?,?,?)",
              {line.complaint, at.to_string(), line.fields.dump(), policy_.version()});
    } else {
      db_.run("INSERT INTO events(key, complaint, at, event, fields) VALUES(?,?,?,?,?)",
              {line.key, line.complaint, at.to_string(), std::string(redress::to_string(line.event.what)), line.fields.dump()});
    }
    record_status(line.complaint, at);
    for (const auto& a : actions) record(a);
    db_.exec("COMMIT");
    journaled_.insert(line.key);
    std::cout << "ack " << line.key << "\n" << std::flush;
    for (const auto& a : actions) announce(a);
  }

  void record_status(const std::string& id, redress::instant at) {
    auto s = engine_.status(id, at);
    if (!s) return;
    std::string result;
    for (const auto& c : s->clocks)
      if (c.breached) result += (result.empty() ? "breached: " : ", ") + c.target;
    db_.run("UPDATE complaints SET state=?, owner=?, result=? WHERE id=?",
            {std::string(redress::to_string(s->state.main)), s->owner, result, id});
  }

  void record(const redress::action& a) {
    db_.run("INSERT OR IGNORE INTO actions(id, complaint, at, kind, who, summary, by_when, verifier) VALUES(?,?,?,?,?,?,?,?)",
            {a.id, a.complaint, a.at.to_string(), kind_name(a.what), a.who, a.summary,
             a.by_when ? a.by_when->to_string() : std::string(), a.verifier});
  }

  void execute(const std::vector<redress::action>& actions) {
    if (actions.empty()) return;
    db_.exec("BEGIN IMMEDIATE");
    for (const auto& a : actions) {
      record(a);
      record_status(a.complaint, a.at);
    }
    db_.exec("COMMIT");
    for (const auto& a : actions) announce(a);
  }

  void announce(const redress::action& a) {
    if (quiet_) return;
    std::cout << "action " << redress::format_rfc3339(a.at, zone_) << " " << a.id << " who=" << a.who
              << (a.by_when ? " by=" + redress::format_rfc3339(*a.by_when, zone_) : "")
              << (a.verifier.empty() ? "" : " verifier=" + a.verifier) << " : " << a.summary << "\n";
  }

  static std::string kind_name(redress::action::kind k) {
    switch (k) {
      case redress::action::kind::escalation: return "escalation";
      case redress::action::kind::breach: return "breach";
      case redress::action::kind::promise_breach: return "promise broken";
      case redress::action::kind::corrective_action: return "corrective action";
      case redress::action::kind::assignment: return "owner";
      case redress::action::kind::pause_ended: return "pause ended";
    }
    return "action";
  }

  redress::policy policy_;
  redress::engine engine_;
  database db_;
  bool quiet_;
  redress::time_zone zone_;
  std::set<std::string> journaled_;
  int pace_us_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::string policy_file = "rules/iso10002.toml", journal = "helpdesk.db", input = "-", until_text, dump_file;
  bool quiet = false, summary = false, keys = false;
  int pace_us = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](std::string& target) {
      if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
      target = argv[++i];
    };
    if (arg == "--policy") value(policy_file);
    else if (arg == "--journal") value(journal);
    else if (arg == "--until") value(until_text);
    else if (arg == "--dump") value(dump_file);
    else if (arg == "--quiet") quiet = true;
    else if (arg == "--keys") keys = true;
    else if (arg == "--pace-us") {
      std::string v;
      value(v);
      pace_us = std::stoi(v);
    }
    else if (arg == "--summary") summary = true;
    else if (arg == "--help") {
      std::cout << "usage: redress-helpdesk --policy POLICY --journal FILE.db [--until TIME] [--summary] [--dump FILE]\n"
                   "                        [--quiet] [--keys] [--pace-us N] [INPUT.jsonl|-]\n"
                   "  --summary    print the journal and the escalations at the end\n"
                   "  --dump FILE  write every complaint's state at --until (for comparing runs)\n"
                   "  --keys       print the input keys the journal holds, and stop\n"
                   "  --pace-us N  wait N microseconds before each input line (the crash test's knob)\n";
      return 0;
    } else input = arg;
  }
  try {
    const redress::policy policy = redress::load_policy(policy_file);
    helpdesk desk(policy, journal, quiet);
    if (keys) {
      desk.keys(std::cout);
      return 0;
    }
    desk.pace(pace_us);
    const std::size_t recovered = desk.recover();
    if (recovered && !quiet) std::cout << "recovered " << recovered << " journal entries\n";
    std::ifstream file;
    if (input != "-") {
      file.open(input);
      if (!file) throw std::runtime_error("cannot read " + input);
    }
    desk.ingest(input == "-" ? std::cin : file);
    std::cout << "ingested\n" << std::flush;
    const redress::time_zone zone = policy.calendar(policy->default_calendar).zone();
    const redress::instant until = until_text.empty() ? redress::instant::from_sys(std::chrono::system_clock::now())
                                                      : redress::parse_timestamp(until_text, zone);
    desk.finish(until);
    if (summary) desk.summary(until);
    if (!dump_file.empty()) {
      std::ofstream out(dump_file);
      desk.dump(until, out);
    }
  } catch (const std::exception& e) {
    std::cerr << "redress-helpdesk: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
