// The server's journal: the truth the engine is a cache of (docs/server.md). Complaints, their
// accepted events, the policy texts by version, and the transactional outbox of actions. Each
// commit_* call writes one transaction, or throws and leaves the journal as it was. Instants are
// written as UTC RFC 3339 text (instant::to_string). Values (intake, event, action) are wire JSON
// text (docs/wire-format.md). A backend implements this interface: SQLite (sqlite_journal.cpp)
// and PostgreSQL (postgres_journal.cpp).
#ifndef REDRESS_SRC_SERVER_JOURNAL_HPP
#define REDRESS_SRC_SERVER_JOURNAL_HPP

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redress/time.hpp"
#include "server/sqlite.hpp"  // database_error

namespace redress::server {

/// The schema version this build writes and reads: SQLite's. A PostgreSQL journal is at
/// postgres_schema_version (its complaints carry the columns the fleet's drain needs).
/// 2 adds policies.files: the calendar and holiday files each version read (docs/server.md).
constexpr int journal_schema_version = 2;
/// PostgreSQL's: 2 adds complaints.next_wakeup and complaints.fired_until; 3 policies.files; 4
/// complaints.partition, actions.claimed_by and actions.claimed_until (the deliveries' claims),
/// and indexes of the actions not yet acknowledged and of a complaint's actions.
constexpr int postgres_schema_version = 4;

/// How long a shared journal's delivery claim lasts (journal::deliverable), in the server's time:
/// a server that dies with actions claimed delays their delivery by at most this.
constexpr std::int64_t delivery_lease_seconds = 60;

/// A complaint's row stayed locked by another writer longer than the journal's lock timeout
/// (PostgreSQL's lock_timeout): the request is refused (503), not kept waiting.
struct lock_timeout_error : database_error {
  using database_error::database_error;
};

/// An intake whose id another writer journaled first (a unique key the database refused).
struct duplicate_error : database_error {
  using database_error::database_error;
};

/// A value larger than the journal can hold (PostgreSQL's program_limit_exceeded: an id longer
/// than its unique index takes, about 2,700 bytes): the request is refused (422 limit), since
/// sending it again cannot succeed.
struct journal_limit_error : database_error {
  using database_error::database_error;
};

struct stored_policy {
  std::string version, file, text;
  /// The calendar and holiday files the version read when it was journaled, as wire JSON
  /// ([{"path", "text"}], policy_definition::files); nullopt for a version journaled by a build
  /// that did not record them (schema version 1).
  std::optional<std::string> files;
};

struct stored_complaint {
  std::string id, policy_version, intake;  // intake: wire JSON
  std::vector<std::string> events;         // wire JSON, in the order accepted
  /// Shared journals: every action of this complaint due at or before it is in the outbox
  /// (written by the drain); nullopt: those its events fired (a complaint not drained yet).
  std::optional<instant> fired_until;
  /// The bodies (wire JSON) of the complaint's `retracted` actions in the outbox, in outbox
  /// order: each names in "retracts" an id the complaint emitted and took back, so that a
  /// restored complaint fires a level again under its next revision ("/r2"), as it did live.
  /// (A retraction's id is the retracted id + "/retracted": engine.hpp, action::retracts.)
  std::vector<std::string> retractions;
};

/// An action to put in the outbox.
struct outbox_action {
  std::string id, complaint;
  instant due;
  std::string body;  // wire JSON
};

/// An action as the feed serves it.
struct fed_action {
  std::int64_t cursor = 0;  // its place in the outbox: 1, 2, ...
  std::string id, body;
  instant emitted;
  std::optional<instant> acknowledged;
};

struct journal_counts {
  std::int64_t complaints = 0, open_complaints = 0, events = 0, actions = 0, unacknowledged = 0;
  std::int64_t lag_seconds_sum = 0, lag_seconds_max = 0;  // emitted - due, over every action
};

/// A shared journal's complaints are split into this many partitions, each leased by one live
/// server at a time (journal_listener::rebalance), which holds that partition's complaints in its
/// engine; a complaint's partition is partition_of(its id), fixed at intake.
constexpr int fleet_partitions = 16;
/// FNV-1a (32 bits) of the id's bytes, modulo fleet_partitions: "P-1" -> 5.
int partition_of(std::string_view id) noexcept;

/// Word from the other servers of a shared journal (PostgreSQL's LISTEN/NOTIFY): each commit that
/// puts actions in the outbox or changes a complaint's next wakeup tells every other listener, so
/// a server's scheduler, webhook delivery and waiting feed requests learn of another server's
/// work when it commits, not by polling. A listener has its own connection.
class journal_listener {
public:
  virtual ~journal_listener() = default;
  /// Waits up to `timeout` for word from another server. Returns: true when some came (every
  /// notification waiting is consumed), false when the time ran out. Throws: database_error when
  /// the connection is lost (the next call reconnects; what was said meanwhile is lost, so the
  /// caller acts as on word received).
  virtual bool wait(std::chrono::milliseconds timeout) = 0;
  /// The complaints other servers journaled an intake or an event for, as heard by wait() since
  /// the last call, each once (their owners read them back: the engine of the server leasing a
  /// complaint's partition holds it as journaled).
  virtual std::vector<std::string> take_changed() = 0;
  /// Takes and gives up partition leases so that this server holds its share: fleet_partitions
  /// divided by the servers holding leases now (itself counted), rounded up; a server holding
  /// more gives up its highest ones, one holding fewer takes free ones. Returns: the partitions
  /// held now, ascending. A lease lives with the listener's connection (a session advisory lock):
  /// a server that dies loses its leases with it, and one whose connection was lost holds none
  /// until the next call. Throws: database_error.
  virtual std::vector<int> rebalance() = 0;
};

class journal {
public:
  virtual ~journal() = default;
  /// The schema version the database holds: 0 for an empty one.
  virtual int schema_version() = 0;
  /// Creates or upgrades the schema to journal_schema_version and records it. Throws: for a
  /// database written by a newer build (a higher version), saying so.
  virtual void migrate() = 0;

  virtual std::vector<stored_policy> policies() = 0;
  virtual void add_policy(const stored_policy& p) = 0;
  /// Every complaint in intake order, its events in the order accepted.
  virtual std::vector<stored_complaint> complaints() = 0;
  /// Those of complaints() in the given partitions (shared journals). Default: complaints().
  virtual std::vector<stored_complaint> complaints_in(const std::vector<int>& partitions);
  /// The instant the clock has advanced to (every action due at or before it is in the outbox).
  virtual std::optional<instant> fired_until() = 0;

  /// An accepted intake and the actions it produced.
  virtual void commit_intake(const std::string& id, const std::string& policy_version, const std::string& intake,
                             const std::vector<outbox_action>& actions, instant now) = 0;
  /// An accepted event and the actions it produced; `closes` when it ends the complaint.
  virtual void commit_event(const std::string& complaint, const std::string& event, bool closes,
                            const std::vector<outbox_action>& actions, instant now) = 0;
  /// The clock advanced to `now` and the actions that fell due (already journaled ids are kept).
  virtual void commit_advance(instant now, const std::vector<outbox_action>& actions) = 0;
  /// A journaled version reloaded with the files it reads now (`files`, as stored_policy's) and
  /// the actions recomputing its complaints produced (retractions, revisions).
  virtual void commit_reload(const std::string& version, const std::string& files,
                             const std::vector<outbox_action>& actions, instant now) = 0;

  /// Up to `limit` actions with a cursor above `cursor`, in outbox order.
  virtual std::vector<fed_action> actions_after(std::int64_t cursor, std::size_t limit) = 0;
  /// What this server's webhook delivers next: up to `limit` actions not yet acknowledged, in
  /// outbox order. A shared journal claims them for this server until `now` + delivery_lease:
  /// the other servers' deliveries skip them until then (or until acknowledged), so each action
  /// is delivered by one server, and again by another only when that one died or was too slow
  /// (at least once; the receiver de-duplicates by id). Actions this server claimed are its
  /// own to take again (a retry after a failed delivery).
  virtual std::vector<fed_action> deliverable(std::size_t limit, instant now) = 0;
  /// Gives up this server's claims on actions it has not delivered (a stopping server), so that
  /// the others deliver them at once. Default: nothing (no claims).
  virtual void release_deliveries() {}
  /// The last cursor (0 for an empty outbox).
  virtual std::int64_t last_cursor() = 0;
  /// Marks an action acknowledged at `now` (the first acknowledgement is kept). nullopt: no such id.
  virtual std::optional<fed_action> acknowledge(const std::string& id, instant now) = 0;
  virtual journal_counts counts() = 0;
  /// Whether a complaint is journaled.
  virtual bool has_complaint(const std::string& id) = 0;

  /// Whether other servers may write this journal at the same time (PostgreSQL): then a server's
  /// engine may be behind the journal, and reads a complaint back (complaint(), lock_complaint())
  /// before it decides anything about it. False (SQLite, one server by its file lock): the
  /// server's engine is the journal, and the three calls below are not needed.
  virtual bool shared() const { return false; }
  /// Runs `body` in one transaction: every commit_* call inside it joins it, and lock_complaint()
  /// locks until it ends. Throws what `body` throws, after rolling back. Default: runs `body`.
  virtual void in_transaction(const std::function<void()>& body) { body(); }
  /// Inside in_transaction(): locks the complaint's row until the transaction ends (other writers
  /// of it wait, up to the lock timeout: then lock_timeout_error) and returns it as journaled;
  /// nullopt when it is not journaled. Default (one writer): nullopt.
  virtual std::optional<stored_complaint> lock_complaint(const std::string& id);
  /// The complaint as journaled now, without a lock; nullopt when it is not. Default: nullopt.
  virtual std::optional<stored_complaint> complaint(const std::string& id);

  // The drain (shared journals): each complaint's row says when its next action falls due, so
  // any server fires the due complaints of every server, a dead one's too.
  /// Inside in_transaction(): locks up to `limit` complaints whose next wakeup is at or before
  /// `now`, earliest first, skipping those another transaction holds (FOR UPDATE SKIP LOCKED),
  /// and returns them as journaled. Default: none.
  virtual std::vector<stored_complaint> lock_due(instant now, std::size_t limit);
  /// Records a complaint's next wakeup (nullopt: nothing left to fire) and, when given, the
  /// instant its actions are in the outbox up to. Default: nothing.
  virtual void set_wakeup(const std::string& id, const std::optional<instant>& next_wakeup,
                          const std::optional<instant>& fired_until);
  /// The earliest next wakeup of any complaint; nullopt when none is due ever. Default: nullopt.
  virtual std::optional<instant> next_wakeup();
  /// Shared journals: a listener for the other servers' commits (see journal_listener), on a
  /// connection of its own. Default (one writer): nullptr.
  virtual std::unique_ptr<journal_listener> listen();
};

/// The schema-version rule every backend's migrate() follows: true when `found` (what the
/// database holds) is this build's version, so there is nothing to do; false when the schema must
/// be created or upgraded. Throws: std::runtime_error for a version written by a newer redress.
bool schema_is_current(int found, int current = journal_schema_version);

/// Opens the journal `spec` names: "sqlite:PATH", or "postgresql://..." (libpq's connection URI;
/// postgres_journal.cpp, when built with libpq). Throws: std::invalid_argument for another
/// form (naming the accepted ones), database_error when it cannot be opened.
std::unique_ptr<journal> open_journal(const std::string& spec);

}  // namespace redress::server

#endif
