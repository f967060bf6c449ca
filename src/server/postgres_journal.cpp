// The journal in PostgreSQL (journal.hpp) through libpq: one connection, every parameter bound
// ($1, $2, ...), one transaction per commit_* call (BEGIN ... COMMIT, ROLLBACK on any failure,
// then database_error with PostgreSQL's message). No SQL now(): every instant is the caller's.
// Outbox cursors are 1, 2, ... without gaps (a sequence would skip on a rollback or a duplicate
// id), so the next cursor is max + 1 under a lock on the actions table.
#include "server/postgres_journal.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>


namespace redress::server {

namespace {

using param = std::optional<std::string>;

class result {
public:
  explicit result(PGresult* r) : r_(r) {}
  ~result() { PQclear(r_); }
  result(result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  result(const result&) = delete;
  result& operator=(const result&) = delete;
  result& operator=(result&&) = delete;
  ExecStatusType status() const { return PQresultStatus(r_); }
  int rows() const { return PQntuples(r_); }
  bool null(int row, int column) const { return PQgetisnull(r_, row, column) != 0; }
  std::string text(int row, int column) const { return PQgetvalue(r_, row, column); }
  std::optional<std::string> optional_text(int row, int column) const {
    if (null(row, column)) return std::nullopt;
    return text(row, column);
  }
  const char* sqlstate() const { return PQresultErrorField(r_, PG_DIAG_SQLSTATE); }
  long long integer(int row, int column) const { return std::stoll(text(row, column)); }

private:
  PGresult* r_;
};

std::string message_of(PGconn* c) {
  std::string m = PQerrorMessage(c);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

// A text[] literal of `texts` ({"a","b\"c"}): each element quoted, its " and \ escaped.
template <typename Texts>
std::string text_array(const Texts& texts) {
  std::string out = "{";
  for (const std::string& t : texts) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char ch : t) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

// A connection to `uri`. Throws: database_error saying why it cannot be opened.
PGconn* connect(const std::string& uri) {
  PGconn* c = PQconnectdb(uri.c_str());
  if (!c || PQstatus(c) != CONNECTION_OK) {
    const std::string why = c ? message_of(c) : "out of memory";
    PQfinish(c);
    throw database_error("cannot open the PostgreSQL journal " + uri + ": " + why);
  }
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  return c;
}

// The channel every server of one database notifies and listens on; a notification's payload is
// the notifying journal's token, so a server does not wake itself.
constexpr const char* channel = "redress_journal";

// A journal's token: its process and its place among the journals the process opened.
std::string new_token() {
  static std::atomic<unsigned> opened{0};
  return std::to_string(static_cast<long long>(::getpid())) + "." + std::to_string(++opened);
}

// LISTEN on a connection of its own (journal_listener).
class postgres_listener final : public journal_listener {
public:
  postgres_listener(std::string uri, std::string token) : uri_(std::move(uri)), token_(std::move(token)) { open(); }
  ~postgres_listener() override { PQfinish(c_); }
  postgres_listener(const postgres_listener&) = delete;
  postgres_listener& operator=(const postgres_listener&) = delete;

  bool wait(std::chrono::milliseconds timeout) override {
    if (!c_ || PQstatus(c_) != CONNECTION_OK) {
      open();
      return true;  // what was notified while it was lost is not known: as if heard
    }
    if (heard()) return true;
    pollfd p{PQsocket(c_), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (ready < 0 && errno != EINTR) throw database_error(std::string("journal listener: poll: ") + std::strerror(errno));
    if (ready <= 0) return false;
    if (PQconsumeInput(c_) == 0 || PQstatus(c_) != CONNECTION_OK) {
      const std::string why = message_of(c_);
      lost();
      throw database_error("journal listener: the connection was lost: " + why);
    }
    return heard();
  }

  // A new connection: listening, counted among the servers, holding no partition yet.
  void open() {
    lost();
    c_ = connect(uri_);
    result r(PQexec(c_, (std::string("LISTEN ") + channel).c_str()));
    if (r.status() != PGRES_COMMAND_OK) {
      const std::string why = message_of(c_);
      lost();
      throw database_error("journal listener: LISTEN " + std::string(channel) + ": " + why);
    }
    (void)value("SELECT pg_advisory_lock_shared(" + std::to_string(lease_class) + ", " + std::to_string(presence_key) +
                ")::text");
  }

  std::vector<int> rebalance() override {
    if (!c_ || PQstatus(c_) != CONNECTION_OK) open();
    const std::string k = std::to_string(lease_class);
    const long long servers = std::stoll(value(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = " + k + " AND objid = " +
        std::to_string(presence_key) + " AND objsubid = 2 AND granted"));
    const std::size_t share =
        static_cast<std::size_t>((fleet_partitions + std::max(servers, 1LL) - 1) / std::max(servers, 1LL));
    while (held_.size() > share) {
      const int p = *held_.rbegin();
      (void)value("SELECT pg_advisory_unlock(" + k + ", " + std::to_string(p) + ")");
      held_.erase(p);
    }
    for (int p = 0; p < fleet_partitions && held_.size() < share; ++p)
      if (!held_.count(p) && value("SELECT pg_try_advisory_lock(" + k + ", " + std::to_string(p) + ")") == "t")
        held_.insert(p);
    return {held_.begin(), held_.end()};
  }

private:
  // The advisory locks' first key ("redr"): the partitions' leases are (lease_class, partition);
  // every live server holds (lease_class, presence_key) shared, so that the servers are counted
  // whether or not they hold a partition yet.
  static constexpr long long lease_class = 0x72656472, presence_key = 1000;

  // The one value `sql` returns. Throws: database_error (the connection is then dropped: its
  // leases are gone with it, and the next call opens a new one).
  std::string value(const std::string& sql) {
    result r(PQexec(c_, sql.c_str()));
    if (r.status() != PGRES_TUPLES_OK || r.rows() != 1) {
      const std::string why = message_of(c_);
      lost();
      throw database_error("journal listener: " + why + " in: " + sql);
    }
    return r.text(0, 0);
  }

  void lost() {
    PQfinish(c_);
    c_ = nullptr;
    held_.clear();
  }

  // Consumes every notification received; true when one came from another journal. A payload is
  // "TOKEN" or "TOKEN COMPLAINT" (postgres_journal::notify).
  bool heard() {
    bool other = false;
    while (PGnotify* n = PQnotifies(c_)) {
      const std::string_view payload(n->extra);
      const std::size_t space = payload.find(' ');
      if (payload.substr(0, space) != token_) {
        other = true;
        if (space != std::string_view::npos) changed_.emplace(payload.substr(space + 1));
      }
      PQfreemem(n);
    }
    return other;
  }

public:
  std::vector<std::string> take_changed() override {
    std::vector<std::string> out(changed_.begin(), changed_.end());
    changed_.clear();
    return out;
  }

private:

  std::string uri_, token_;
  PGconn* c_ = nullptr;
  std::set<int> held_;  // the partitions whose leases this connection holds
  std::set<std::string> changed_;  // take_changed()
};

class postgres_journal final : public journal {
public:
  explicit postgres_journal(const std::string& uri) : uri_(uri), token_(new_token()), c_(connect(uri)) {
    run("SET client_min_messages = warning");
    // A complaint's row held locked by another server (a slow or stuck one) makes a request wait
    // this long at most, then fail with lock_timeout_error (503), not hang. A lock_timeout given
    // in the URI (?options=-c%20lock_timeout%3D...) is kept.
    if (scalar("SHOW lock_timeout") == std::optional<std::string>("0")) run("SET lock_timeout = '5s'");
  }
  ~postgres_journal() override { PQfinish(c_); }
  postgres_journal(const postgres_journal&) = delete;
  postgres_journal& operator=(const postgres_journal&) = delete;

  int schema_version() override {
    if (!scalar("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'meta'"))
      return 0;
    const auto v = scalar("SELECT value FROM meta WHERE key = 'schema_version'");
    return v ? std::stoi(*v) : 0;
  }

  void migrate() override {
    const int found = schema_version();
    if (schema_is_current(found, postgres_schema_version)) return;
    if (found == 0 && scalar("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()"))
      throw std::runtime_error("the PostgreSQL schema holds tables but no redress server schema version (another "
                               "program's database?): refusing to change it; give the server an empty database");
    transaction([&] {
      if (found == 0) create_version_1();
      if (found < 2) add_version_2();
      // Version 3: the files each policy version read (NULL: journaled before they were).
      if (found < 3) run("ALTER TABLE policies ADD COLUMN files TEXT");
      // Version 4: which server claimed an action for its webhook, until when (deliverable());
      // the actions not yet acknowledged found without reading the acknowledged ones; and a
      // complaint's actions (its retractions, read with it at every request) without reading
      // the whole outbox.
      run("ALTER TABLE actions ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_until TEXT");
      run("CREATE INDEX actions_unacknowledged ON actions(cursor) WHERE acknowledged_at IS NULL");
      run("CREATE INDEX actions_by_complaint ON actions(complaint)");
      // ... and each complaint's partition (partition_of), the complaints a lease holds.
      run("ALTER TABLE complaints ADD COLUMN partition INTEGER");
      const result ids = run("SELECT id FROM complaints");
      for (int i = 0; i < ids.rows(); ++i)
        run("UPDATE complaints SET partition = $2::integer WHERE id = $1",
            {ids.text(i, 0), std::to_string(partition_of(ids.text(i, 0)))});
      run("ALTER TABLE complaints ALTER COLUMN partition SET NOT NULL");
      run("CREATE INDEX complaints_by_partition ON complaints(partition)");
      run("INSERT INTO meta(key, value) VALUES('schema_version', $1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
          {std::to_string(postgres_schema_version)});
    });
  }

  void add_version_2() {
    {
      // Version 2: each complaint's next wakeup and the instant its actions are in the outbox up
      // to, so that any server drains the due complaints (lock_due). A version 1 journal's
      // complaints keep the clock it had reached (meta.fired_until, as a version 1 restart used)
      // and are due at once: the first drain rebuilds each and writes its true next wakeup.
      run("ALTER TABLE complaints ADD COLUMN next_wakeup TIMESTAMPTZ, ADD COLUMN fired_until TIMESTAMPTZ");
      run("UPDATE complaints SET fired_until = (SELECT value::timestamptz FROM meta WHERE key = 'fired_until'), "
          "next_wakeup = coalesce((SELECT value::timestamptz FROM meta WHERE key = 'fired_until'), "
          "'1970-01-01T00:00:00Z')");
      run("CREATE INDEX complaints_due ON complaints(next_wakeup) WHERE next_wakeup IS NOT NULL");
    }
  }

  void create_version_1() {
    {
      // Version 1 (the same tables as the SQLite journal's).
      run("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      run("CREATE TABLE policies(serial BIGSERIAL UNIQUE, version TEXT PRIMARY KEY, file TEXT NOT NULL, "
          "text TEXT NOT NULL)");
      run(R"(CREATE TABLE complaints(
               serial BIGSERIAL PRIMARY KEY,
               id TEXT UNIQUE NOT NULL,
               policy_version TEXT NOT NULL REFERENCES policies(version),
               intake TEXT NOT NULL,
               open INTEGER NOT NULL DEFAULT 1))");
      run(R"(CREATE TABLE events(
               seq BIGSERIAL PRIMARY KEY,
               complaint TEXT NOT NULL REFERENCES complaints(id),
               body TEXT NOT NULL))");
      run(R"(CREATE TABLE actions(
               cursor BIGINT PRIMARY KEY,
               id TEXT UNIQUE NOT NULL,
               complaint TEXT NOT NULL REFERENCES complaints(id),
               due_at TEXT NOT NULL,
               emitted_at TEXT NOT NULL,
               lag_seconds BIGINT NOT NULL,
               body TEXT NOT NULL,
               acknowledged_at TEXT))");
      run("CREATE INDEX events_by_complaint ON events(complaint, seq)");
      run("INSERT INTO meta(key, value) VALUES('schema_version', '1')");
    }
  }

  std::vector<stored_policy> policies() override {
    std::vector<stored_policy> out;
    const result r = run("SELECT version, file, text, files FROM policies ORDER BY serial");
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.optional_text(i, 3)});
    return out;
  }

  void add_policy(const stored_policy& p) override {
    transaction([&] {
      run("INSERT INTO policies(version, file, text, files) VALUES($1, $2, $3, $4)", {p.version, p.file, p.text, p.files});
    });
  }

  void commit_reload(const std::string& version, const std::string& files, const std::vector<outbox_action>& actions,
                     instant now) override {
    transaction([&] {
      run("UPDATE policies SET files = $1 WHERE version = $2", {files, version});
      record(actions, now);
    });
  }

  std::vector<stored_complaint> complaints() override { return complaints_where("", {}); }

  std::vector<stored_complaint> complaints_in(const std::vector<int>& partitions) override {
    if (partitions.empty()) return {};
    std::string list = "{";
    for (const int p : partitions) list += (list.size() > 1 ? "," : "") + std::to_string(p);
    return complaints_where(" WHERE partition = ANY($1::integer[])", {list + "}"});
  }

  std::optional<instant> fired_until() override {
    const auto v = scalar("SELECT value FROM meta WHERE key = 'fired_until'");
    if (!v) return std::nullopt;
    return instant::parse(*v);
  }

  void commit_intake(const std::string& id, const std::string& policy_version, const std::string& intake,
                     const std::vector<outbox_action>& actions, instant now) override {
    transaction([&] {
      run("INSERT INTO complaints(id, policy_version, intake, partition) VALUES($1, $2, $3, $4::integer)",
          {id, policy_version, intake, std::to_string(partition_of(id))});
      notify(id);
      record(actions, now);
    });
  }

  void commit_event(const std::string& complaint, const std::string& event, bool closes,
                    const std::vector<outbox_action>& actions, instant now) override {
    transaction([&] {
      run("INSERT INTO events(complaint, body) VALUES($1, $2)", {complaint, event});
      notify(complaint);
      if (closes) run("UPDATE complaints SET open = 0 WHERE id = $1", {complaint});
      record(actions, now);
    });
  }

  void commit_advance(instant now, const std::vector<outbox_action>& actions) override {
    transaction([&] {
      // Several servers advance: the latest instant is kept (UTC text of one width sorts as time).
      run("INSERT INTO meta(key, value) VALUES('fired_until', $1) ON CONFLICT(key) DO UPDATE SET value = excluded.value "
          "WHERE meta.value < excluded.value",
          {now.to_string()});
      record(actions, now);
    });
  }

  std::vector<fed_action> actions_after(std::int64_t cursor, std::size_t limit) override {
    return fed(run("SELECT cursor, id, body, emitted_at, acknowledged_at FROM actions WHERE cursor > $1 "
                   "ORDER BY cursor LIMIT $2",
                   {std::to_string(cursor), std::to_string(limit)}));
  }

  // Claims (SKIP LOCKED: two servers claiming at once take different actions) what is not
  // acknowledged and not claimed by another server until after now.
  std::vector<fed_action> deliverable(std::size_t limit, instant now) override {
    const instant until = instant::from_unix(now.unix_seconds() + delivery_lease_seconds);
    std::vector<fed_action> out = fed(run(
        "UPDATE actions SET claimed_by = $1, claimed_until = $3 WHERE cursor IN (SELECT cursor FROM actions "
        "WHERE acknowledged_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $2 OR claimed_by = $1) "
        "ORDER BY cursor LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING cursor, id, body, emitted_at, acknowledged_at",
        {token_, now.to_string(), until.to_string(), std::to_string(limit)}));
    std::sort(out.begin(), out.end(), [](const fed_action& x, const fed_action& y) { return x.cursor < y.cursor; });
    return out;
  }

  void release_deliveries() override {
    run("UPDATE actions SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1 AND acknowledged_at IS NULL",
        {token_});
  }

  std::int64_t last_cursor() override {
    const auto v = scalar("SELECT max(cursor) FROM actions");
    return v ? std::stoll(*v) : 0;
  }

  std::optional<fed_action> acknowledge(const std::string& id, instant now) override {
    std::optional<fed_action> out;
    transaction([&] {
      run("UPDATE actions SET acknowledged_at = $1 WHERE id = $2 AND acknowledged_at IS NULL", {now.to_string(), id});
      auto found = fed(run("SELECT cursor, id, body, emitted_at, acknowledged_at FROM actions WHERE id = $1", {id}));
      if (!found.empty()) out = std::move(found.front());
    });
    return out;
  }

  journal_counts counts() override {
    journal_counts c;
    const result cs = run("SELECT count(*), coalesce(sum(open), 0) FROM complaints");
    c.complaints = cs.integer(0, 0);
    c.open_complaints = cs.integer(0, 1);
    c.events = run("SELECT count(*) FROM events").integer(0, 0);
    const result as = run("SELECT count(*), count(*) - count(acknowledged_at), coalesce(sum(lag_seconds), 0), "
                          "coalesce(max(lag_seconds), 0) FROM actions");
    c.actions = as.integer(0, 0);
    c.unacknowledged = as.integer(0, 1);
    c.lag_seconds_sum = as.integer(0, 2);
    c.lag_seconds_max = as.integer(0, 3);
    return c;
  }

  bool has_complaint(const std::string& id) override {
    return scalar("SELECT 1 FROM complaints WHERE id = $1", {id}).has_value();
  }

  bool shared() const override { return true; }

  void in_transaction(const std::function<void()>& body) override { transaction(body); }

  // FOR UPDATE: a second server applying an event to the same complaint waits here until this
  // transaction ends, then reads the events this one journaled.
  std::optional<stored_complaint> lock_complaint(const std::string& id) override {
    if (!in_transaction_) throw std::logic_error("lock_complaint outside in_transaction");
    return read_complaint(id, " FOR UPDATE");
  }

  std::optional<stored_complaint> complaint(const std::string& id) override { return read_complaint(id, ""); }

  // SKIP LOCKED: a complaint another server is advancing (or applying an event to) is left to
  // it; the next due one is taken instead, so servers drain one backlog without waiting on each
  // other, and a dead server's complaints are taken by the others.
  std::vector<stored_complaint> lock_due(instant now, std::size_t limit) override {
    if (!in_transaction_) throw std::logic_error("lock_due outside in_transaction");
    const result cs = run("SELECT id, policy_version, intake, " + fired_until_column +
                              " FROM complaints WHERE next_wakeup <= $1::timestamptz ORDER BY next_wakeup, serial "
                              "LIMIT $2 FOR UPDATE SKIP LOCKED",
                          {now.to_string(), std::to_string(limit)});
    std::vector<stored_complaint> out;
    if (cs.rows() == 0) return out;
    std::unordered_map<std::string, std::size_t> at;
    std::vector<std::string> due;
    for (int i = 0; i < cs.rows(); ++i) {
      out.push_back({cs.text(i, 0), cs.text(i, 1), cs.text(i, 2), {}, epoch(cs, i, 3), {}});
      at.emplace(out.back().id, out.size() - 1);
      due.push_back(out.back().id);
    }
    const std::string ids = text_array(due);
    const result es = run("SELECT complaint, body FROM events WHERE complaint = ANY($1::text[]) ORDER BY seq", {ids});
    for (int i = 0; i < es.rows(); ++i) out[at.at(es.text(i, 0))].events.push_back(es.text(i, 1));
    const result rs = run("SELECT complaint, body FROM actions WHERE complaint = ANY($1::text[]) AND id LIKE "
                          "'%/retracted' ORDER BY cursor",
                          {ids});
    for (int i = 0; i < rs.rows(); ++i) out[at.at(rs.text(i, 0))].retractions.push_back(rs.text(i, 1));
    return out;
  }

  void set_wakeup(const std::string& id, const std::optional<instant>& next_wakeup,
                  const std::optional<instant>& fired_until) override {
    const param next = next_wakeup ? param(next_wakeup->to_string()) : std::nullopt;
    notify();
    if (fired_until)
      run("UPDATE complaints SET next_wakeup = $2::timestamptz, fired_until = $3::timestamptz WHERE id = $1",
          {id, next, fired_until->to_string()});
    else
      run("UPDATE complaints SET next_wakeup = $2::timestamptz WHERE id = $1", {id, next});
  }

  std::optional<instant> next_wakeup() override {
    const auto v = scalar("SELECT extract(epoch FROM min(next_wakeup))::bigint FROM complaints");
    if (!v) return std::nullopt;
    return instant::from_unix(std::stoll(*v));
  }

  std::unique_ptr<journal_listener> listen() override { return std::make_unique<postgres_listener>(uri_, token_); }

private:
  inline static const std::string fired_until_column = "extract(epoch FROM fired_until)::bigint";

  static std::optional<instant> epoch(const result& r, int row, int column) {
    if (r.null(row, column)) return std::nullopt;
    return instant::from_unix(r.integer(row, column));
  }

  // The complaints `where` selects (a clause on complaints, with `params`), in intake order, each
  // with its events and retractions.
  std::vector<stored_complaint> complaints_where(const std::string& where, const std::vector<param>& params) {
    std::vector<stored_complaint> out;
    const result cs =
        run("SELECT id, policy_version, intake, " + fired_until_column + " FROM complaints" + where + " ORDER BY serial",
            params);
    out.reserve(static_cast<std::size_t>(cs.rows()));
    for (int i = 0; i < cs.rows(); ++i) out.push_back({cs.text(i, 0), cs.text(i, 1), cs.text(i, 2), {}, epoch(cs, i, 3), {}});
    std::unordered_map<std::string, stored_complaint*> by_id;
    for (auto& c : out) by_id.emplace(c.id, &c);
    const std::string in = where.empty() ? "" : " WHERE complaint IN (SELECT id FROM complaints" + where + ")";
    const result es = run("SELECT complaint, body FROM events" + in + " ORDER BY seq", params);
    for (int i = 0; i < es.rows(); ++i)
      if (const auto it = by_id.find(es.text(i, 0)); it != by_id.end()) it->second->events.push_back(es.text(i, 1));
    const std::string and_in = where.empty() ? "" : " AND complaint IN (SELECT id FROM complaints" + where + ")";
    const result rs = run("SELECT complaint, body FROM actions WHERE id LIKE '%/retracted'" + and_in + " ORDER BY cursor",
                          params);
    for (int i = 0; i < rs.rows(); ++i)
      if (const auto it = by_id.find(rs.text(i, 0)); it != by_id.end()) it->second->retractions.push_back(rs.text(i, 1));
    return out;
  }

  std::optional<stored_complaint> read_complaint(const std::string& id, const char* lock) {
    const result c = run("SELECT policy_version, intake, " + fired_until_column + " FROM complaints WHERE id = $1" + lock,
                         {id});
    if (c.rows() == 0) return std::nullopt;
    stored_complaint out{id, c.text(0, 0), c.text(0, 1), {}, epoch(c, 0, 2), {}};
    const result es = run("SELECT body FROM events WHERE complaint = $1 ORDER BY seq", {id});
    for (int i = 0; i < es.rows(); ++i) out.events.push_back(es.text(i, 0));
    const result rs = run("SELECT body FROM actions WHERE complaint = $1 AND id LIKE '%/retracted' ORDER BY cursor", {id});
    for (int i = 0; i < rs.rows(); ++i) out.retractions.push_back(rs.text(i, 0));
    return out;
  }

  // Runs `sql` with text parameters (nullopt: NULL); throws database_error with PostgreSQL's
  // message. A connection found broken is reset once before the statement (a restarted server).
  // A statement with parameters is prepared on the connection the first time it runs and
  // executed by name afterwards (parsed and planned once per connection, not at every request).
  result run(const std::string& sql, const std::vector<param>& params = {}) {
    if (PQstatus(c_) != CONNECTION_OK && !in_transaction_) {
      PQreset(c_);
      prepared_.clear();  // a new session holds none
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const param& p : params) values.push_back(p ? p->c_str() : nullptr);
    const int n = static_cast<int>(values.size());
    const std::string* name = nullptr;
    if (n > 0) {
      auto it = prepared_.find(sql);
      if (it == prepared_.end()) {
        const std::string fresh = "redress_" + std::to_string(prepared_.size() + 1);
        result p(PQprepare(c_, fresh.c_str(), sql.c_str(), n, nullptr));
        if (p.status() != PGRES_COMMAND_OK) throw database_error("journal: " + message_of(c_) + " in: " + sql);
        it = prepared_.emplace(sql, fresh).first;
      }
      name = &it->second;
    }
    result r(name ? PQexecPrepared(c_, name->c_str(), n, values.data(), nullptr, nullptr, 0)
                  : PQexecParams(c_, sql.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0));
    const ExecStatusType s = r.status();
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
      const char* state = r.sqlstate();
      const std::string message = "journal: " + message_of(c_) + " in: " + sql;
      if (state && std::string_view(state) == "55P03")  // lock_not_available: lock_timeout ran out
        throw lock_timeout_error(message);
      if (state && std::string_view(state) == "23505")  // unique_violation
        throw duplicate_error(message);
      if (state && std::string_view(state) == "54000")  // program_limit_exceeded
        throw journal_limit_error(message);
      throw database_error(message);
    }
    return r;
  }

  std::optional<std::string> scalar(const std::string& sql, const std::vector<param>& params = {}) {
    const result r = run(sql, params);
    if (r.rows() == 0 || r.null(0, 0)) return std::nullopt;
    return r.text(0, 0);
  }

  // One transaction; inside one already (in_transaction()), `body` joins it.
  template <typename F>
  void transaction(F&& body) {
    if (in_transaction_) {
      body();
      return;
    }
    run("BEGIN");
    in_transaction_ = true;
    try {
      body();
      run("COMMIT");
      in_transaction_ = false;
    } catch (...) {
      in_transaction_ = false;
      pending_.clear();
      PQclear(PQexec(c_, "ROLLBACK"));
      throw;
    }
    announce();
  }

  // What a committed transaction changed, told to the other servers' listeners: one statement,
  // its own transaction, after the commit. Not inside the transaction that wrote: PostgreSQL
  // serializes the commits of transactions that NOTIFY (a database-wide lock held through the
  // commit's WAL flush), which would take away group commit between the servers. A server that dies between its commit and this loses the word
  // only: the others' caches are checked against the journal before each use, and their
  // schedulers read the journal's next wakeup at least every 10 seconds. A failure here is
  // reported, not thrown: the commit stands.
  void announce() {
    if (pending_.empty()) return;
    const std::string list = text_array(pending_);
    pending_.clear();
    try {
      run("SELECT count(pg_notify($1, payload)) FROM unnest($2::text[]) AS payload", {std::string(channel), list});
    } catch (const std::exception& e) {
      std::fprintf(stderr, "redress server: telling the other servers of a commit failed: %s\n", e.what());
    }
  }

  // Inside a transaction: the other servers' listeners hear of it once it commits (announce()).
  // `complaint`: its intake or an event was journaled (the payload names it, for its owner).
  void notify(const std::string& complaint = "") { pending_.insert(complaint.empty() ? token_ : token_ + " " + complaint); }

  void record(const std::vector<outbox_action>& actions, instant now) {
    if (actions.empty()) return;
    notify();
    run("LOCK TABLE actions IN SHARE ROW EXCLUSIVE MODE");
    for (const outbox_action& a : actions)
      run("INSERT INTO actions(cursor, id, complaint, due_at, emitted_at, lag_seconds, body) "
          "SELECT coalesce(max(cursor), 0) + 1, $1::text, $2::text, $3::text, $4::text, $5::bigint, $6::text FROM actions "
          "HAVING NOT EXISTS (SELECT 1 FROM actions WHERE id = $1::text)",
          {a.id, a.complaint, a.due.to_string(), now.to_string(),
           std::to_string(now.unix_seconds() - a.due.unix_seconds()), a.body});
  }

  static std::vector<fed_action> fed(const result& r) {
    std::vector<fed_action> out;
    for (int i = 0; i < r.rows(); ++i) {
      fed_action f;
      f.cursor = r.integer(i, 0);
      f.id = r.text(i, 1);
      f.body = r.text(i, 2);
      f.emitted = instant::parse(r.text(i, 3));
      if (const auto a = r.optional_text(i, 4)) f.acknowledged = instant::parse(*a);
      out.push_back(std::move(f));
    }
    return out;
  }

  std::string uri_, token_;
  PGconn* c_ = nullptr;
  bool in_transaction_ = false;
  std::unordered_map<std::string, std::string> prepared_;  // statement text -> its name on c_
  std::set<std::string> pending_;  // notify(): the payloads announce() sends after the commit
};

}  // namespace

std::unique_ptr<journal> open_postgres_journal(const std::string& uri) { return std::make_unique<postgres_journal>(uri); }

}  // namespace redress::server
