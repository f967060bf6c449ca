// The journal in SQLite (journal.hpp): one file, WAL mode, synchronous=FULL, one transaction
// per commit_* call (BEGIN IMMEDIATE ... COMMIT, rolled back on any failure).
#include <sqlite3.h>

#include <stdexcept>
#include <unordered_map>

#include "server/sqlite.hpp"
#include "server/sqlite_journal.hpp"

namespace redress::server {

namespace {

class sqlite_journal final : public journal {
public:
  explicit sqlite_journal(const std::string& path) : db_(path) {}

  int schema_version() override {
    if (!db_.scalar("SELECT name FROM sqlite_master WHERE type='table' AND name='meta'")) return 0;
    const auto v = db_.scalar("SELECT value FROM meta WHERE key='schema_version'");
    return v ? std::stoi(*v) : 0;
  }

  void migrate() override {
    const int found = schema_version();
    if (schema_is_current(found)) return;
    if (found == 0 && db_.scalar("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"))
      throw std::runtime_error("the SQLite file holds tables but no redress server schema version (another "
                               "program's database?): refusing to change it; give the server a new file");
    transaction([&] {
      if (found == 0) create_version_1();
      // Version 2: the files each policy version read (NULL: journaled before they were).
      db_.exec("ALTER TABLE policies ADD COLUMN files TEXT");
      db_.run("UPDATE meta SET value = ? WHERE key = 'schema_version'", {std::to_string(journal_schema_version)});
    });
  }

  void create_version_1() {
    {
      db_.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      db_.exec(R"(CREATE TABLE policies(version TEXT PRIMARY KEY, file TEXT NOT NULL, text TEXT NOT NULL))");
      db_.exec(R"(CREATE TABLE complaints(
                    serial INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT UNIQUE NOT NULL,
                    policy_version TEXT NOT NULL REFERENCES policies(version),
                    intake TEXT NOT NULL,
                    open INTEGER NOT NULL DEFAULT 1))");
      db_.exec(R"(CREATE TABLE events(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    complaint TEXT NOT NULL REFERENCES complaints(id),
                    body TEXT NOT NULL))");
      db_.exec(R"(CREATE TABLE actions(
                    cursor INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT UNIQUE NOT NULL,
                    complaint TEXT NOT NULL REFERENCES complaints(id),
                    due_at TEXT NOT NULL,
                    emitted_at TEXT NOT NULL,
                    lag_seconds INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    acknowledged_at TEXT))");
      db_.exec("CREATE INDEX events_by_complaint ON events(complaint, seq)");
      db_.exec("INSERT INTO meta(key, value) VALUES('schema_version', '1')");
    }
  }

  std::vector<stored_policy> policies() override {
    std::vector<stored_policy> out;
    db_.run("SELECT version, file, text, files FROM policies ORDER BY rowid", {}, [&](sqlite3_stmt* s) {
      out.push_back({database::text(s, 0), database::text(s, 1), database::text(s, 2), database::optional_text(s, 3)});
    });
    return out;
  }

  void add_policy(const stored_policy& p) override {
    transaction([&] {
      db_.run("INSERT INTO policies(version, file, text, files) VALUES(?,?,?,?)", {p.version, p.file, p.text, p.files});
    });
  }

  std::vector<stored_complaint> complaints() override {
    std::vector<stored_complaint> out;
    db_.run("SELECT id, policy_version, intake FROM complaints ORDER BY serial", {}, [&](sqlite3_stmt* s) {
      out.push_back({database::text(s, 0), database::text(s, 1), database::text(s, 2), {}, std::nullopt, {}});
    });
    // Events in complaint order: one pass over the index, matched to the complaints by id.
    std::string current;
    std::vector<std::string>* into = nullptr;
    unordered_index index(out);
    db_.run("SELECT complaint, body FROM events ORDER BY seq", {}, [&](sqlite3_stmt* s) {
      const std::string id = database::text(s, 0);
      if (!into || id != current) {
        current = id;
        into = index.find(id);
      }
      if (into) into->push_back(database::text(s, 1));
    });
    std::unordered_map<std::string, std::vector<std::string>*> retractions;
    for (auto& c : out) retractions.emplace(c.id, &c.retractions);
    db_.run("SELECT complaint, body FROM actions WHERE id LIKE '%/retracted' ORDER BY cursor", {}, [&](sqlite3_stmt* s) {
      if (const auto it = retractions.find(database::text(s, 0)); it != retractions.end())
        it->second->push_back(database::text(s, 1));
    });
    return out;
  }

  std::optional<instant> fired_until() override {
    const auto v = db_.scalar("SELECT value FROM meta WHERE key='fired_until'");
    if (!v) return std::nullopt;
    return instant::parse(*v);
  }

  void commit_intake(const std::string& id, const std::string& policy_version, const std::string& intake,
                     const std::vector<outbox_action>& actions, instant now) override {
    transaction([&] {
      db_.run("INSERT INTO complaints(id, policy_version, intake) VALUES(?,?,?)", {id, policy_version, intake});
      record(actions, now);
    });
  }

  void commit_event(const std::string& complaint, const std::string& event, bool closes,
                    const std::vector<outbox_action>& actions, instant now) override {
    transaction([&] {
      db_.run("INSERT INTO events(complaint, body) VALUES(?,?)", {complaint, event});
      if (closes) db_.run("UPDATE complaints SET open=0 WHERE id=?", {complaint});
      record(actions, now);
    });
  }

  void commit_advance(instant now, const std::vector<outbox_action>& actions) override {
    transaction([&] {
      db_.run("INSERT INTO meta(key, value) VALUES('fired_until', ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
              {now.to_string()});
      record(actions, now);
    });
  }

  void commit_reload(const std::string& version, const std::string& files, const std::vector<outbox_action>& actions,
                     instant now) override {
    transaction([&] {
      db_.run("UPDATE policies SET files = ? WHERE version = ?", {files, version});
      record(actions, now);
    });
  }

  std::vector<fed_action> actions_after(std::int64_t cursor, std::size_t limit) override {
    std::vector<fed_action> out;
    db_.run("SELECT cursor, id, body, emitted_at, acknowledged_at FROM actions WHERE cursor > ? ORDER BY cursor LIMIT ?",
            {std::to_string(cursor), std::to_string(limit)}, [&](sqlite3_stmt* s) { out.push_back(fed(s)); });
    return out;
  }

  std::vector<fed_action> deliverable(std::size_t limit, instant) override {
    std::vector<fed_action> out;
    db_.run("SELECT cursor, id, body, emitted_at, acknowledged_at FROM actions WHERE acknowledged_at IS NULL "
            "ORDER BY cursor LIMIT ?",
            {std::to_string(limit)}, [&](sqlite3_stmt* s) { out.push_back(fed(s)); });
    return out;
  }

  std::int64_t last_cursor() override {
    const auto v = db_.scalar("SELECT max(cursor) FROM actions");
    return v ? std::stoll(*v) : 0;
  }

  std::optional<fed_action> acknowledge(const std::string& id, instant now) override {
    std::optional<fed_action> out;
    transaction([&] {
      db_.run("UPDATE actions SET acknowledged_at=? WHERE id=? AND acknowledged_at IS NULL", {now.to_string(), id});
      db_.run("SELECT cursor, id, body, emitted_at, acknowledged_at FROM actions WHERE id=?", {id},
              [&](sqlite3_stmt* s) { out = fed(s); });
    });
    return out;
  }

  journal_counts counts() override {
    journal_counts c;
    db_.run("SELECT count(*), coalesce(sum(open), 0) FROM complaints", {}, [&](sqlite3_stmt* s) {
      c.complaints = database::integer(s, 0);
      c.open_complaints = database::integer(s, 1);
    });
    db_.run("SELECT count(*) FROM events", {}, [&](sqlite3_stmt* s) { c.events = database::integer(s, 0); });
    db_.run("SELECT count(*), count(*) - count(acknowledged_at), coalesce(sum(lag_seconds), 0), "
            "coalesce(max(lag_seconds), 0) FROM actions",
            {}, [&](sqlite3_stmt* s) {
              c.actions = database::integer(s, 0);
              c.unacknowledged = database::integer(s, 1);
              c.lag_seconds_sum = database::integer(s, 2);
              c.lag_seconds_max = database::integer(s, 3);
            });
    return c;
  }

  bool has_complaint(const std::string& id) override {
    return db_.scalar("SELECT 1 FROM complaints WHERE id=?", {id}).has_value();
  }

private:
  // complaint id -> its events, for complaints()
  struct unordered_index {
    explicit unordered_index(std::vector<stored_complaint>& list) {
      for (auto& c : list) by_id.emplace(c.id, &c.events);
    }
    std::vector<std::string>* find(const std::string& id) {
      const auto it = by_id.find(id);
      return it == by_id.end() ? nullptr : it->second;
    }
    std::unordered_map<std::string, std::vector<std::string>*> by_id;
  };

  template <typename F>
  void transaction(F&& body) {
    db_.begin();
    try {
      body();
      db_.commit();
    } catch (...) {
      db_.rollback();
      throw;
    }
  }

  void record(const std::vector<outbox_action>& actions, instant now) {
    for (const outbox_action& a : actions)
      db_.run("INSERT OR IGNORE INTO actions(id, complaint, due_at, emitted_at, lag_seconds, body) VALUES(?,?,?,?,?,?)",
              {a.id, a.complaint, a.due.to_string(), now.to_string(),
               std::to_string(now.unix_seconds() - a.due.unix_seconds()), a.body});
  }

  static fed_action fed(sqlite3_stmt* s) {
    fed_action f;
    f.cursor = database::integer(s, 0);
    f.id = database::text(s, 1);
    f.body = database::text(s, 2);
    f.emitted = instant::parse(database::text(s, 3));
    if (const auto a = database::optional_text(s, 4)) f.acknowledged = instant::parse(*a);
    return f;
  }

  database db_;
};

}  // namespace

std::unique_ptr<journal> open_sqlite_journal(const std::string& path) { return std::make_unique<sqlite_journal>(path); }

}  // namespace redress::server
