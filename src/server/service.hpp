// The server's core, without HTTP: one wire::session (the engine) and one journal, under one
// mutex; the clock; the action feed. Every call returns the HTTP status and the JSON body the
// route replies with (http.cpp only moves bytes). docs/server.md is the contract.
//
// The engine changes only when the journal does: an intake or event is applied to the engine,
// then it and the actions it produced are committed in one transaction; if the commit fails the
// complaint is put back as it was and the reply is an error. A refused request writes nothing.
#ifndef REDRESS_SRC_SERVER_SERVICE_HPP
#define REDRESS_SRC_SERVER_SERVICE_HPP

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "server/journal.hpp"
#include "wire/session.hpp"

namespace redress::server {

using wire::json;

/// The one place the wall clock is read. Manual: time is an input (set()), for tests.
class server_clock {
public:
  explicit server_clock(bool manual, instant start) : manual_(manual), now_(start) {}
  bool manual() const noexcept { return manual_; }
  instant now() const;
  void set(instant t) { now_ = t; }

private:
  bool manual_;
  instant now_;
};

struct reply {
  int status = 200;
  json body;
};

struct service_options {
  std::vector<std::string> policy_files;  // the last is current for new complaints
  bool manual_clock = false;
  std::size_t max_long_polls = 16;        // at most this many feed requests wait at once
  /// Delivers one action (its id and wire JSON) to the webhook; false with the reason when it was
  /// not taken (no 2xx). Empty: no webhook.
  std::function<bool(const std::string& id, const std::string& body, std::string& why)> webhook;
};

class service {
public:
  /// Migrates the journal, loads the policies (the journal's versions too) and rebuilds every
  /// journaled complaint (a shared journal: those of the partitions this server leases at once,
  /// see journal_listener::rebalance; more follow as the other servers give theirs up). Throws: a redress::error for a policy file (located), std::runtime_error
  /// naming what cannot be restored or a policy text changed under the same version.
  service(const service_options& o, std::unique_ptr<journal> j);
  ~service();
  service(const service&) = delete;
  service& operator=(const service&) = delete;

  reply open(const std::string& body);
  reply apply(const std::string& complaint, const std::string& body);
  reply status(const std::string& complaint, const std::optional<std::string>& at);
  reply history(const std::string& complaint);
  /// Actions after `cursor`; waits up to `wait` for one when there is none.
  reply feed(std::int64_t cursor, std::chrono::seconds wait, std::size_t limit);
  reply acknowledge(const std::string& action_id);
  /// Manual clock: {"now": RFC 3339}; advances to it.
  reply set_clock(const std::string& body);
  /// POST /admin/reload: the --policy files read again. Each version whose calendar or holiday
  /// files changed since the journal recorded them is reloaded as at a restart (its open
  /// complaints recomputed; retractions and revisions journaled and in the feed). 200
  /// {"reloaded": [{"version", "changed", "actions"}], "actions": [...]}; a file that does not
  /// load (422 load_error), a changed text or a version the server does not hold, or a changed
  /// file on a shared journal (409 policy_changed) changes nothing.
  reply reload_policies();
  reply health();
  std::string metrics();

  bool manual_clock() const noexcept { return clock_.manual(); }
  std::size_t restored() const noexcept { return restored_; }
  /// What the start found and did that an operator should know (a policy version whose calendar
  /// files changed, and what its reload retracted), one line each, for standard error.
  const std::vector<std::string>& notices() const noexcept { return notices_; }
  /// System clock: starts the scheduler thread, which advances the engine to now whenever an
  /// action falls due. With a webhook: starts its delivery thread, which posts every action not
  /// yet acknowledged, in outbox order, retrying with backoff (0.25 s doubling to 30 s) until a
  /// 2xx, which acknowledges it. A shared journal: starts a thread that listens for the other
  /// servers' commits (journal::listen) and, at most ten times a second, wakes the scheduler, the
  /// webhook delivery and the waiting feed requests, which then read the journal again; the
  /// scheduler then needs no polling. stop() ends them all and every waiting feed request.
  void start();
  void stop();

  /// The reply for the exception being handled (call inside a catch block).
  static reply failure();
  static reply error_reply(int status, std::string_view code, const std::string& message);

private:
  std::vector<outbox_action> outbox(const json& actions) const;
  json advance_to(instant now);  // requires: lock held
  json drain(instant now);       // requires: lock held, a shared journal
  // The engine's copy of a complaint against the journal's (shared journals): behind() when they
  // differ; sync() rebuilds it from the journal (or drops it when the journal has none).
  bool behind(const std::string& id, const std::optional<stored_complaint>& journaled) const;
  void sync(const std::string& id, const std::optional<stored_complaint>& journaled);
  void restore_stored(const stored_complaint& c);
  // A version reloaded with the files it reads now (requires: lock held, or the constructor).
  json reload(policy p, const stored_policy& stored);
  static std::string reload_summary(const std::string& version, const json& actions);
  void rewind(const std::string& complaint);  // requires: lock held
  void schedule();
  void deliver();
  void hear();  // shared journals: the listener thread
  // Shared journals: takes the partitions `now` lists as held (restoring their complaints from
  // the journal) and gives up the others (their complaints leave the engine). Requires: lock.
  void hold(const std::vector<int>& now);
  // Shared journals: a complaint outside the partitions held leaves the engine after the request
  // that needed it (it was rebuilt from the journal for it), however the request ends: a
  // `forgetting` made under the lock does it when it goes. Requires: lock.
  void forget_unless_held(const std::string& id);
  struct forgetting {
    service& s;
    const std::string& id;
    ~forgetting() { s.forget_unless_held(id); }
  };
  void committed();  // requires: lock held

  std::mutex mutex_;
  std::condition_variable feed_cv_, scheduler_cv_, delivery_cv_;
  std::unique_ptr<journal> journal_;
  std::optional<wire::session> session_;
  server_clock clock_;
  std::optional<instant> fired_until_;
  std::int64_t last_cursor_ = 0;
  std::size_t long_polls_ = 0, max_long_polls_;
  std::size_t restored_ = 0;
  std::vector<std::string> notices_;
  std::vector<std::string> policy_files_;  // the --policy files, read again by reload_policies()
  bool stopping_ = false;
  std::thread scheduler_, deliverer_, listener_thread_;
  // Shared journals: word of the other servers' commits (LISTEN/NOTIFY), heard by hear().
  std::unique_ptr<journal_listener> listener_;
  // Shared journals: the partitions this server leases, whose complaints its engine holds.
  std::set<int> partitions_;
  std::function<bool(const std::string&, const std::string&, std::string&)> webhook_;
  // Shared journals: an engine holding the same policies and, between two calls, no complaint:
  // the drain rebuilds each due complaint in it alone, advances it and reads its next wakeup
  // (the engine's next_wakeup() is over all it holds).
  std::optional<wire::session> probe_;
  // Shared journals: the fired_until each complaint session_ holds was rebuilt with; a journal
  // row with another (another server drained it) makes that copy stale.
  std::unordered_map<std::string, std::optional<instant>> held_until_;
};

}  // namespace redress::server

#endif
