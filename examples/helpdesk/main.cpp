// A small but real host: a helpdesk that keeps the complaint journal in SQLite and lets redress
// run the clocks.
//
//   redress-helpdesk --policy rules/iso10002.toml --journal journal.db [--until TIME] [INPUT.jsonl|-]
//
// - Ingests complaints and events as JSON Lines (the scenario format of rules/README.md).
// - Late events: a feed delivers some events late (a phone agent logs a call half an hour after
//   it). Lines are buffered and applied in event-time order (ties in input order) once the feed is
//   --reorder-window (default 3600 seconds) past them: the feed's time is the latest event time
//   read so far. An event up to the window late is therefore applied in its place, as `redress
//   simulate` does with the whole file sorted; one later than that is applied when it arrives,
//   and refused by the engine if its complaint has moved on. An acknowledgement ("ack KEY") is
//   printed when the line is applied and journaled, so up to a window after it is read.
// - Journal: a serial number per complaint, every accepted event, every action, the final result;
//   WAL mode, one transaction per applied line (committed before it is acknowledged). The engine
//   is changed only when the journal is: if the commit fails, the complaint is put back as it was
//   (rebuilt from its history without the line, only then: a line costs the same however long
//   its complaint's history), and the helpdesk stops with exit 2.
// - Policy versions: the journal keeps the text of every policy version complaints were opened
//   under; each complaint stays on its version across restarts (a new version only applies to new
//   complaints). A policy file changed without a new version is refused, loudly, as is a restart
//   that cannot restore a journaled complaint (it names them). Calendars are not journaled: a
//   policy's text names its calendar files, which a restart reads again from the disk, so a
//   calendar file changed between runs changes the deadlines of complaints already open (give
//   the changed calendar a new file name and the policy a new version instead).
// - Survives a restart (a crash, SIGKILL): on start it rebuilds the engine by replaying the journal
//   in the order lines were applied, executes any action that fired but was not yet recorded, then
//   skips the input lines already journaled (each has a key), so no acknowledged complaint or event
//   is lost, and re-ingesting the same input changes nothing.
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <redress/redress.hpp>

#include "server/sqlite.hpp"

namespace {

using json = nlohmann::json;

// Standard output is checked: the reason of its first failed flush is kept for the exit message.
int stdout_error = 0;
void flush_output() {
  errno = 0;
  std::cout.flush();
  if (!std::cout && !stdout_error) stdout_error = errno ? errno : EIO;
}

// --- SQLite, thinly: the server's layer (src/server/sqlite.hpp), one copy for both ------------
using redress::server::database;

// The helpdesk's tables (created when missing).
void create_tables(database& db) {
  db.exec(R"(CREATE TABLE IF NOT EXISTS complaints(
            serial INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT UNIQUE NOT NULL,
            received TEXT NOT NULL,
            attributes TEXT NOT NULL,
            policy_version TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'received',
            owner TEXT NOT NULL DEFAULT '',
            result TEXT NOT NULL DEFAULT ''))");
  db.exec(R"(CREATE TABLE IF NOT EXISTS events(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT UNIQUE NOT NULL,
            complaint TEXT NOT NULL REFERENCES complaints(id),
            at TEXT NOT NULL,
            event TEXT NOT NULL,
            fields TEXT NOT NULL))");
  db.exec(R"(CREATE TABLE IF NOT EXISTS actions(
            id TEXT PRIMARY KEY,
            complaint TEXT NOT NULL,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            who TEXT NOT NULL,
            summary TEXT NOT NULL,
            by_when TEXT NOT NULL,
            verifier TEXT NOT NULL))");
  db.exec(R"(CREATE TABLE IF NOT EXISTS rejected(
            key TEXT PRIMARY KEY,
            complaint TEXT NOT NULL,
            reason TEXT NOT NULL))");
  // Every applied line (accepted or rejected), in the order it was applied: what a restart replays.
  db.exec(R"(CREATE TABLE IF NOT EXISTS applied(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT UNIQUE NOT NULL,
            at TEXT NOT NULL,
            accepted INTEGER NOT NULL))");
  // The text of each policy version a complaint was opened under.
  db.exec(R"(CREATE TABLE IF NOT EXISTS policies(
            version TEXT PRIMARY KEY,
            file TEXT NOT NULL,
            text TEXT NOT NULL))");
}

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
struct settings {
  std::string policy_file = "rules/iso10002.toml", journal = "helpdesk.db", input = "-", until, dump;
  bool quiet = false, summary = false, keys = false;
  int pace_us = 0;
  long reorder_window = 3600;  // seconds
  long max_pages = 0;          // tests: PRAGMA max_page_count, a journal that fills up
};

std::string read_policy_text(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw std::runtime_error("cannot read policy \"" + path + "\": " +
                             (std::filesystem::is_directory(path, ec) ? "it is a directory" : "not a regular file"));
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) throw std::runtime_error("cannot read policy \"" + path + "\"");
  return text;
}

class helpdesk {
public:
  // The current policy comes from `o.policy_file`; the journal's older versions are loaded from
  // the text it keeps of them.
  helpdesk(const settings& o, redress::policy current, const std::string& text)
      : policy_(current), engine_(current), db_(o.journal, o.max_pages), quiet_(o.quiet),
        zone_(current.calendar(current->default_calendar).zone()), window_(o.reorder_window) {
    create_tables(db_);
    bool known = false;
    std::vector<std::pair<std::string, std::string>> others;  // file, text
    db_.run("SELECT version, file, text FROM policies", {}, [&](sqlite3_stmt* s) {
      const std::string version = database::text(s, 0);
      if (version != current.version()) {
        others.emplace_back(database::text(s, 1), database::text(s, 2));
        return;
      }
      known = true;
      if (database::text(s, 2) != text)
        throw std::runtime_error("policy \"" + o.policy_file + "\" says version \"" + version +
                                 "\", but its text is not the text the journal holds for that version "
                                 "(journaled from \"" + database::text(s, 1) +
                                 "\"): a changed policy needs a new version; refusing to start");
    });
    for (const auto& [file, old_text] : others) {
      try {
        const auto added = engine_.add_policy(redress::parse_policy(old_text, file), false);
        if (!added) unloadable_.push_back(added.error().message);
      } catch (const std::exception& e) {
        unloadable_.push_back(e.what());
      }
    }
    if (!known) {
      db_.begin();
      db_.run("INSERT INTO policies(version, file, text) VALUES(?,?,?)", {current.version(), o.policy_file, text});
      db_.commit();
    }
  }

  // Rebuilds the engine from the journal: every applied line in the order it was applied, each
  // after the same advance the live run made; then executes the actions that fired but were
  // never recorded (a crash between the two). Throws: naming the complaints it cannot restore.
  std::size_t recover() {
    std::map<std::string, std::pair<std::string, std::string>> openings;  // key -> attributes, version
    db_.run("SELECT id, attributes, policy_version FROM complaints", {}, [&](sqlite3_stmt* s) {
      openings["open " + database::text(s, 0)] = {database::text(s, 1), database::text(s, 2)};
    });
    std::map<std::string, std::string> events;  // key -> fields
    db_.run("SELECT key, fields FROM events", {}, [&](sqlite3_stmt* s) { events[database::text(s, 0)] = database::text(s, 1); });
    std::set<std::string> recorded;
    db_.run("SELECT id FROM actions", {}, [&](sqlite3_stmt* s) { recorded.insert(database::text(s, 0)); });
    std::vector<std::string> lost;
    std::vector<redress::action> fired;
    const auto keep = [&fired](std::vector<redress::action> actions) {
      for (auto& a : actions) fired.push_back(std::move(a));
    };
    std::size_t replayed = 0;
    std::map<std::string, int> occurrences;  // unused: journaled lines keep their keys
    db_.run("SELECT key, at, accepted FROM applied ORDER BY seq", {}, [&](sqlite3_stmt* s) {
      const std::string key = database::text(s, 0);
      journaled_.insert(key);
      ++replayed;
      keep(engine_.advance(redress::instant::parse(database::text(s, 1)) - std::chrono::seconds{1}));
      if (sqlite3_column_int(s, 2) == 0) return;  // rejected: it changed nothing
      if (auto o = openings.find(key); o != openings.end()) {
        input_line line = parse_line(o->second.first, zone_, occurrences);
        redress::complaint_snapshot opening;
        opening.policy_version = o->second.second;
        opening.intake = line.intake;
        auto restored = engine_.restore(opening);
        if (!restored) lost.push_back(line.complaint + " (opened under policy version \"" + opening.policy_version +
                                      "\"): " + restored.error().message);
        else keep(std::move(restored).value());
        return;
      }
      auto e = events.find(key);
      if (e == events.end()) {
        lost.push_back(key + ": applied, but the journal has no such event");
        return;
      }
      input_line line = parse_line(e->second, zone_, occurrences);
      auto applied = engine_.apply(line.complaint, line.event);
      if (!applied) lost.push_back(line.complaint + ": its journaled event " + key + " is now refused: " + applied.error().message);
      else keep(std::move(applied).value());
    });
    db_.run("SELECT key FROM rejected", {}, [&](sqlite3_stmt* s) { journaled_.insert(database::text(s, 0)); });
    if (!lost.empty()) {
      std::string message = "cannot restore " + std::to_string(lost.size()) + " journaled complaint(s) or event(s):";
      for (const std::string& l : lost) message += "\n  " + l;
      for (const std::string& u : unloadable_) message += "\n  (a journaled policy version does not load: " + u + ")";
      throw std::runtime_error(message);
    }
    std::vector<redress::action> missing;
    for (auto& a : fired)
      if (recorded.insert(a.id).second) missing.push_back(std::move(a));
    execute(missing);
    return replayed;
  }

  void ingest(std::istream& in) {
    std::string text;
    std::map<std::string, int> occurrences;
    int number = 0;
    std::optional<redress::instant> feed;  // the latest event time read
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
      if (pace_us_ > 0) std::this_thread::sleep_for(std::chrono::microseconds(pace_us_));
      const redress::instant at = time_of(line);
      if (!feed || *feed < at) feed = at;
      if (!journaled_.count(line.key)) waiting_.emplace(std::make_pair(at, number), std::move(line));
      release(*feed - std::chrono::seconds{window_});
    }
    if (bad_input(in)) throw std::runtime_error("cannot read the input");
    release(redress::instant::from_unix(std::numeric_limits<std::int64_t>::max()));
  }

  void finish(redress::instant until) { execute(engine_.advance(until)); }
  // After a failure: the clocks run to `until` for --dump, nothing journaled (a restart fires
  // and records the same actions).
  void advance_unrecorded(redress::instant until) { (void)engine_.advance(until); }

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
  static bool bad_input(std::istream& in) { return in.bad(); }

  std::string local(const std::string& utc) {
    return redress::format_rfc3339(redress::instant::parse(utc), zone_);
  }

  // Applies, in event-time order, the waiting lines at or before `limit`.
  void release(redress::instant limit) {
    while (!waiting_.empty() && waiting_.begin()->first.first <= limit) {
      const input_line line = std::move(waiting_.begin()->second);
      waiting_.erase(waiting_.begin());
      execute(engine_.advance(time_of(line) - std::chrono::seconds{1}));
      accept(line);
    }
  }

  // Applies one line to the engine and journals it in one transaction. If the journal cannot
  // commit, the engine is put back as it was before the line, and the error goes on up.
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
    try {
      db_.begin();
      db_.run("INSERT INTO applied(key, at, accepted) VALUES(?,?,?)", {line.key, at.to_string(), rejection.empty() ? "1" : "0"});
      if (!rejection.empty()) {
        db_.run("INSERT OR IGNORE INTO rejected(key, complaint, reason) VALUES(?,?,?)", {line.key, line.complaint, rejection});
      } else if (line.opening) {
        db_.run("INSERT INTO complaints(id, received, attributes, policy_version) VALUES(?,?,?,?)",
                {line.complaint, at.to_string(), line.fields.dump(), policy_.version()});
      } else {
        db_.run("INSERT INTO events(key, complaint, at, event, fields) VALUES(?,?,?,?,?)",
                {line.key, line.complaint, at.to_string(), std::string(redress::to_string(line.event.what)), line.fields.dump()});
      }
      if (rejection.empty()) {
        record_status(line.complaint, at);
        for (const auto& a : actions) record(a);
      }
      db_.commit();
    } catch (const std::exception& e) {
      db_.rollback();
      if (rejection.empty()) undo(line);

      throw std::runtime_error(std::string(e.what()) + " (so " + line.key + " is not applied)");
    }
    journaled_.insert(line.key);
    if (!rejection.empty()) {
      if (!quiet_) std::cout << "rejected " << line.key << ": " << rejection << "\n";
      return;
    }
    std::cout << "ack " << line.key << "\n";
    flush_output();
    for (const auto& a : actions) announce(a);
  }

  // Puts the complaint back as it was before `line` (applied to the engine, not journaled): an
  // opening is erased; an event is taken off its history, and the complaint rebuilt from the
  // rest. Everything due before the event had fired before it was applied (release() advances
  // first), so the snapshot's fired_until is the one it had before.
  void undo(const input_line& line) {
    auto now = engine_.snapshot(line.complaint);
    engine_.erase(line.complaint);
    if (line.opening || !now) return;
    redress::complaint_snapshot before = std::move(now).value();
    before.events.pop_back();
    (void)engine_.restore(before);
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
    db_.begin();
    try {
      for (const auto& a : actions) {
        record(a);
        record_status(a.complaint, a.at);
      }
      db_.commit();
    } catch (...) {
      db_.rollback();  // the engine has fired them; a restart finds them unrecorded and executes them
      throw;
    }
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
      case redress::action::kind::retracted: return "retracted";
    }
    return "action";
  }

  redress::policy policy_;
  redress::engine engine_;
  database db_;
  bool quiet_;
  redress::time_zone zone_;
  long window_;
  std::set<std::string> journaled_;
  std::map<std::pair<redress::instant, int>, input_line> waiting_;  // (event time, input line) -> line
  std::vector<std::string> unloadable_;
  int pace_us_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  settings o;
  CLI::App app{"redress-helpdesk: a helpdesk that journals complaints in SQLite and lets redress run the clocks",
               "redress-helpdesk"};
  app.add_option("--policy", o.policy_file, "Policy file (TOML)")->capture_default_str();
  app.add_option("--journal", o.journal, "The SQLite journal (created when missing)")->capture_default_str();
  app.add_option("--until", o.until, "Advance the clocks to TIME at the end (default: now)");
  app.add_flag("--summary", o.summary, "Print the journal and the escalations at the end");
  app.add_option("--dump", o.dump, "Write every complaint's state at --until to FILE (for comparing runs)");
  app.add_flag("--quiet", o.quiet, "Print only acknowledgements");
  app.add_flag("--keys", o.keys, "Print the input keys the journal holds, and stop");
  app.add_option("--pace-us", o.pace_us, "Wait N microseconds before each input line (the crash test's knob)");
  app.add_option("--reorder-window", o.reorder_window,
                 "Apply events in event-time order once the feed is SECONDS past them")
      ->capture_default_str();
  app.add_option("--journal-max-pages", o.max_pages, "Tests: limit the journal to N pages (PRAGMA max_page_count)");
  app.add_option("input", o.input, "JSON Lines input, or - for standard input")->capture_default_str();
  try {
    app.parse(argc, argv);
    // CLI11 has refused what is not a number; these are the numbers that make no sense.
    if (o.pace_us < 0) throw CLI::ValidationError("--pace-us", "must not be negative, not " + std::to_string(o.pace_us));
    if (o.reorder_window < 0)
      throw CLI::ValidationError("--reorder-window", "must not be negative, not " + std::to_string(o.reorder_window));
    if (o.max_pages < 0)
      throw CLI::ValidationError("--journal-max-pages", "must not be negative, not " + std::to_string(o.max_pages));
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "redress-helpdesk: " << e.what() << " (run 'redress-helpdesk --help')\n";
    return 2;
  }
  std::unique_ptr<helpdesk> desk;
  redress::instant until;
  const auto write_dump = [&] {
    if (o.dump.empty() || !desk) return;
    std::ofstream out(o.dump);
    desk->dump(until, out);
    out.close();
    if (!out) throw std::runtime_error("cannot write " + o.dump);
  };
  try {
    const std::string text = read_policy_text(o.policy_file);
    const redress::policy policy = redress::parse_policy(text, o.policy_file);
    const redress::time_zone zone = policy.calendar(policy->default_calendar).zone();
    until = o.until.empty() ? redress::instant::from_sys(std::chrono::system_clock::now())
                            : redress::parse_timestamp(o.until, zone);
    std::ifstream file;
    if (o.input != "-" && !o.keys) {
      std::error_code ec;
      if (std::filesystem::is_directory(o.input, ec))
        throw std::runtime_error("the input \"" + o.input + "\" is a directory, not a JSON Lines file");
      file.open(o.input);
      if (!file) throw std::runtime_error("cannot read " + o.input);
    }
    desk = std::make_unique<helpdesk>(o, policy, text);
    if (o.keys) {
      desk->keys(std::cout);
      return 0;
    }
    desk->pace(o.pace_us);
    const std::size_t recovered = desk->recover();
    if (recovered && !o.quiet) std::cout << "recovered " << recovered << " journal entries\n";
    desk->ingest(o.input == "-" ? std::cin : file);
    std::cout << "ingested\n" << std::flush;
    desk->finish(until);
    if (o.summary) desk->summary(until);
    write_dump();
    flush_output();
    if (!stdout_error && (std::fflush(stdout) != 0 || std::ferror(stdout))) stdout_error = errno ? errno : EIO;
    if (stdout_error) throw std::runtime_error(std::string("cannot write standard output: ") + std::strerror(stdout_error));
  } catch (const std::exception& e) {
    std::cerr << "redress-helpdesk: " << e.what() << "\n";
    try {
      if (desk) desk->advance_unrecorded(until);
      write_dump();  // the engine as the journal holds it, advanced to --until
    } catch (const std::exception& d) {
      std::cerr << "redress-helpdesk: " << d.what() << "\n";
    }
    return 2;
  }
  return 0;
}
