// The server's core (service.hpp).
#include "server/service.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "redress/policy.hpp"
#include "server/sqlite.hpp"

namespace redress::server {

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read policy \"" + path + "\"");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw std::runtime_error("cannot read policy \"" + path + "\"");
  return text;
}

struct future {
  std::string message;
};

// A request refused for a reason of the server's own (not the engine's): its status and code.
struct refusal {
  int status;
  std::string code, message;
};

int status_of(std::string_view code) {
  if (code == "invalid_json" || code == "invalid_request") return 400;
  if (code == "unknown_complaint" || code == "not_found") return 404;
  if (code == "duplicate_complaint" || code == "rejected_event" || code == "out_of_order" ||
      code == "pause_refused" || code == "clock_backwards")
    return 409;
  if (code == "journal_error") return 503;
  if (code == "internal" || code == "no_memory") return 500;
  return 422;  // invalid_value, invalid_intake, unknown_policy_version, calendar_error, limit
}

// The request body as a JSON object. Throws: wire_error (invalid_json) at body:line:column.
json body_object(const std::string& body, const char* what) {
  json j = wire::parse(body, "body");
  if (!j.is_object())
    throw wire::wire_error(wire::wire_error::kind::value,
                           std::string("expected ") + what + " (a JSON object), got " + j.type_name());
  return j;
}

// Refuses what is dated after the server's now: applying it would emit the actions due before
// it ahead of their instant.
void not_in_future(const json& j, const char* key, instant now, const char* what) {
  const auto it = j.find(key);
  if (it == j.end()) return;  // the session names what is missing
  const instant t = wire::instant_from(*it, std::string("/") + key);
  if (now < t)
    throw future{std::string("the ") + what + " is dated " + t.to_string() + ", after the server's now (" +
                 now.to_string() + "): send it once it has happened"};
}

std::string optional_text(const std::optional<instant>& t) { return t ? t->to_string() : std::string(); }

// A policy's files (policy_definition::files) as the journal keeps them: their wire value.
std::string files_text(const policy& p) { return wire::text_of(wire::value_of(p->files)); }

// The files as files_text() wrote them. Throws: std::runtime_error for anything else (a journal
// edited by hand), naming the version.
std::vector<source_file> files_of(const std::string& text, const std::string& version) {
  try {
    return wire::files_from(wire::parse(text, "policies.files"));
  } catch (const std::exception& e) {
    throw std::runtime_error("the journal's record of the files policy version " + version +
                             " read (policies.files) is not what redress writes: " + e.what() + "; refusing to start");
  }
}

// Why a policy file may not be taken for the version the journal holds: its text is another
// ("" when it is the same). A changed policy needs a new version.
std::string text_changed(const std::string& file, const policy& p, const std::string& text, const stored_policy& stored) {
  if (stored.text == text) return "";
  return "policy \"" + file + "\" says version \"" + p.version() +
         "\", but its text is not the text the journal holds for that version (journaled from \"" + stored.file +
         "\"): a changed policy needs a new version";
}

std::string file_changes(const std::vector<source_file>& was, const std::vector<source_file>& now);

// What changed in the files the version reads since the journal recorded them ("" when nothing
// did, or when the journal recorded none).
std::string files_changed(const policy& p, const stored_policy& stored) {
  if (!stored.files) return "";
  const std::vector<source_file> was = files_of(*stored.files, stored.version);
  return was == p->files ? "" : file_changes(was, p->files);
}

// Why one server of a shared journal does not reload a version alone.
std::string shared_refusal(const std::string& file, const policy& p, const std::string& changes) {
  return "policy \"" + file + "\" (version " + p.version() + ") reads files that changed since the journal recorded them (" +
         changes + "): the other servers of a shared journal still count with the old ones, so a server does not " +
         "reload it alone; give the changed policy a new version, or restart every server with the old files";
}

// What differs between the files a version read and those it reads now, by path, for a person:
// "cal/office.toml changed, cal/closures.ics no longer read".
std::string file_changes(const std::vector<source_file>& was, const std::vector<source_file>& now) {
  std::vector<std::string> changes;
  const auto find = [](const std::vector<source_file>& in, const std::string& path) -> const source_file* {
    for (const source_file& f : in)
      if (f.path == path) return &f;
    return nullptr;
  };
  for (const source_file& f : now) {
    const source_file* before = find(was, f.path);
    if (!before) changes.push_back(f.path + " newly read");
    else if (before->text != f.text) changes.push_back(f.path + " changed");
  }
  for (const source_file& f : was)
    if (!find(now, f.path)) changes.push_back(f.path + " no longer read");
  if (changes.empty()) return "the files it reads were read in another order";
  std::string out;
  for (const std::string& c : changes) out += (out.empty() ? "" : ", ") + c;
  return out;
}

}  // namespace

instant server_clock::now() const {
  if (manual_) return now_;
  return instant::from_sys(std::chrono::system_clock::now());  // the one read of the wall clock
}

reply service::error_reply(int status, std::string_view code, const std::string& message) {
  return {status, {{"error", wire::error_value(code, message)}}};
}

reply service::failure() {
  try {
    throw;
  } catch (const lock_timeout_error& e) {
    return error_reply(503, "complaint_locked",
                       std::string("another server held the complaint's lock longer than the journal's lock timeout: ") +
                           e.what() + " (nothing was changed; send it again)");
  } catch (const duplicate_error& e) {
    return error_reply(409, "duplicate_complaint",
                       std::string("another server journaled a complaint with this id first: ") + e.what() +
                           " (nothing was changed)");
  } catch (const journal_limit_error& e) {
    return error_reply(422, "limit", std::string("the journal cannot hold this request: ") + e.what() +
                                         " (nothing was changed; sending it again will not help)");
  } catch (const database_error& e) {
    return error_reply(503, "journal_error", std::string(e.what()) + " (nothing was changed)");
  } catch (const future& e) {
    return error_reply(409, "future_event", e.message);
  } catch (const refusal& e) {
    return error_reply(e.status, e.code, e.message);
  } catch (const std::bad_alloc&) {
    return error_reply(500, "no_memory", "out of memory");
  } catch (...) {
    const wire::failure f = wire::current_failure("invalid_value");
    return {status_of(f.code), {{"error", wire::error_value(f.code, f.message, f.where)}}};
  }
}

service::service(const service_options& o, std::unique_ptr<journal> j)
    : journal_(std::move(j)),
      clock_(o.manual_clock, instant::from_unix(0)),
      max_long_polls_(o.max_long_polls),
      webhook_(o.webhook) {
  if (o.policy_files.empty()) throw std::invalid_argument("the server needs at least one --policy");
  journal_->migrate();
  std::map<std::string, stored_policy> journaled;
  for (stored_policy& p : journal_->policies()) journaled.emplace(p.version, std::move(p));
  // The command line's versions: each checked against the text the journal holds for it. A
  // version whose calendar or holiday files changed since they were journaled is loaded as it
  // was (from the journal's copy of its files), its complaints restored under it, then reloaded
  // below as it reads now.
  std::vector<policy> given, reloaded;
  std::set<std::string> versions;
  for (const std::string& file : o.policy_files) {
    const std::string text = read_text(file);
    policy p = parse_policy(text, file);  // the text journaled is the text parsed: one read
    if (!versions.insert(p.version()).second)
      throw std::runtime_error("policy \"" + file + "\" says version \"" + p.version() +
                               "\", which another --policy file already gave");
    const std::string files = files_text(p);
    const auto it = journaled.find(p.version());
    if (it == journaled.end()) {
      journal_->add_policy({p.version(), file, text, files});
      given.push_back(std::move(p));
      continue;
    }
    const stored_policy& stored = it->second;
    if (const std::string changed = text_changed(file, p, text, stored); !changed.empty())
      throw std::runtime_error(changed + "; refusing to start");
    if (!stored.files) {  // journaled before files were: what it reads now is all there is to go on
      journal_->commit_reload(p.version(), files, {}, clock_.now());
      notices_.push_back("policy version " + p.version() + " (" + file +
                         "): the journal did not hold the files it reads (journaled by an earlier build); "
                         "recorded them as they are now");
    } else if (const std::string changes = files_changed(p, stored); !changes.empty()) {
      if (journal_->shared()) throw std::runtime_error(shared_refusal(file, p, changes) + "; refusing to start");
      notices_.push_back("policy version " + p.version() + " (" + file + "): " + changes +
                         " since the journal recorded them: its open complaints are recomputed");
      reloaded.push_back(std::move(p));
      given.push_back(parse_policy(text, file, files_of(*stored.files, stored.version)));
      continue;
    }
    given.push_back(std::move(p));
  }
  // Versions only the journal holds: complaints opened under them stay on them, with the files
  // they read then (or, journaled before files were, those on disk now).
  for (const auto& [version, p] : journaled)
    if (!versions.count(version))
      given.insert(given.begin(), p.files ? parse_policy(p.text, p.file, files_of(*p.files, version)) : parse_policy(p.text, p.file));
  const auto with_policies = [&given](std::optional<wire::session>& s) {
    s.emplace(given.back());
    for (std::size_t i = 0; i + 1 < given.size(); ++i) s->add_policy(given[i], false);
  };
  with_policies(session_);
  if (journal_->shared()) with_policies(probe_);

  fired_until_ = journal_->fired_until();
  if (fired_until_) clock_.set(*fired_until_);
  std::vector<std::string> lost;
  std::vector<stored_complaint> stored;
  if (journal_->shared() && (listener_ = journal_->listen())) {
    const std::vector<int> held = listener_->rebalance();
    partitions_.insert(held.begin(), held.end());
    stored = journal_->complaints_in(held);
  } else {
    stored = journal_->complaints();
  }
  for (const stored_complaint& c : stored) {
    try {
      restore_stored(c);
      ++restored_;
    } catch (...) {
      lost.push_back(c.id + " (policy version \"" + c.policy_version + "\"): " + wire::current_failure("load_error").message);
    }
  }
  if (!lost.empty()) {
    std::string message = "cannot restore " + std::to_string(lost.size()) + " journaled complaint(s); refusing to start:";
    for (const std::string& l : lost) message += "\n  " + l;
    throw std::runtime_error(message);
  }
  for (policy& p : reloaded) {
    const std::string version = p.version();
    json actions;
    try {
      actions = reload(std::move(p), journaled.at(version));
    } catch (const refusal& r) {
      throw std::runtime_error(r.message + "; refusing to start");
    }
    notices_.push_back(reload_summary(version, actions));
  }
  last_cursor_ = journal_->last_cursor();
  policy_files_ = o.policy_files;
}

// A version's files changed (a calendar edited, a holiday file replaced): its complaints are
// recomputed (engine::reload_policy), and what changed (retractions, revisions due) is journaled
// with the files it reads now, in one transaction. When the journal cannot be written, the
// engine is put back as it was: each complaint of the version as snapshotted before, under the
// policy as journaled (`stored`). Throws: refusal (422) when a complaint's history is refused
// under the files as they are now (nothing changes), what the journal throws.
json service::reload(policy p, const stored_policy& stored) {
  const std::string version = p.version(), files = files_text(p);
  std::vector<json> before;
  for (const stored_complaint& c : journal_->complaints())
    if (c.policy_version == version && session_->event_count(c.id)) before.push_back(session_->snapshot(c.id));
  json actions;
  try {
    actions = session_->reload_policy(std::move(p));
  } catch (...) {
    const wire::failure f = wire::current_failure("load_error");
    throw refusal{422, f.code, "policy version " + version + " cannot be reloaded with the files it reads now: " + f.message};
  }
  try {
    journal_->in_transaction([&] { journal_->commit_reload(version, files, outbox(actions), clock_.now()); });
  } catch (...) {
    for (const json& snapshot : before) session_->erase(snapshot["intake"]["id"].get<std::string>());
    (void)session_->reload_policy(parse_policy(stored.text, stored.file, files_of(*stored.files, version)));
    for (const json& snapshot : before) (void)session_->restore(snapshot);
    throw;
  }
  return actions;
}

std::string service::reload_summary(const std::string& version, const json& actions) {
  std::size_t retracted = 0;
  for (const json& a : actions) retracted += a["kind"] == "retracted";
  return "policy version " + version + " reloaded: " + std::to_string(retracted) + " action(s) retracted, " +
         std::to_string(actions.size() - retracted) + " due again under a new revision";
}

// POST /admin/reload: the --policy files read again, as at a restart, without one.
reply service::reload_policies() {
  try {
    std::lock_guard<std::mutex> lock(mutex_);
    std::map<std::string, stored_policy> journaled;
    for (stored_policy& p : journal_->policies()) journaled.emplace(p.version, std::move(p));
    // Every file first: a file that does not load, or that says something a reload cannot
    // take, refuses the request before anything changes.
    std::vector<std::pair<policy, std::string>> changed;  // the policy now, what changed
    for (const std::string& file : policy_files_) {
      std::optional<policy> p;
      std::string text;
      try {
        text = read_text(file);
        p.emplace(parse_policy(text, file));
      } catch (const error& e) {
        throw refusal{422, "load_error", e.what()};
      } catch (const std::runtime_error& e) {
        throw refusal{422, "load_error", e.what()};
      }
      const auto it = journaled.find(p->version());
      if (it == journaled.end())
        throw refusal{409, "policy_changed",
                      "policy \"" + file + "\" now says version \"" + p->version() +
                          "\", which this server does not hold: a new version is added by restarting the server with it"};
      if (const std::string problem = text_changed(file, *p, text, it->second); !problem.empty())
        throw refusal{409, "policy_changed", problem};
      if (const std::string changes = files_changed(*p, it->second); !changes.empty()) {
        if (journal_->shared()) throw refusal{409, "policy_changed", shared_refusal(file, *p, changes)};
        changed.emplace_back(std::move(*p), file + ": " + changes);
      }
    }
    json reloaded = json::array(), all = json::array();
    for (auto& [p, changes] : changed) {
      const std::string version = p.version();
      json actions = reload(std::move(p), journaled.at(version));
      std::fprintf(stderr, "redress server: %s: %s\n", changes.c_str(), reload_summary(version, actions).c_str());
      reloaded.push_back({{"version", version}, {"changed", changes}, {"actions", actions.size()}});
      for (json& a : actions) all.push_back(std::move(a));
    }
    committed();
    return {200, {{"reloaded", reloaded}, {"actions", all}}};
  } catch (...) {
    return failure();
  }
}

service::~service() { stop(); }

namespace {

// A journaled complaint as the engine restores it, fired up to `until`: its events in the
// engine's history order (by instant; a late one after those at its instant, which is where
// engine::apply put it: the journal holds them as accepted), and the ids it retracted, from the
// outbox's retractions, so that a level fired again carries the revision it had live.
complaint_snapshot snapshot_of(const stored_complaint& c, const std::optional<instant>& until) {
  complaint_snapshot snapshot{c.policy_version, wire::intake_from(wire::parse(c.intake, "journal")), {}, until, {}};
  for (const std::string& e : c.events) snapshot.events.push_back(wire::event_from(wire::parse(e, "journal")));
  std::stable_sort(snapshot.events.begin(), snapshot.events.end(),
                   [](const complaint_event& x, const complaint_event& y) { return x.at < y.at; });
  for (const std::string& r : c.retractions)
    snapshot.retracted.push_back(wire::action_from(wire::parse(r, "journal"), "").retracts);
  return snapshot;
}

std::optional<instant> wakeup_of(const wire::session& s) {
  const json next = s.next_wakeup()["next_wakeup"];
  if (next.is_null()) return std::nullopt;
  return wire::instant_from_text(next.get<std::string>(), "next_wakeup");
}

}  // namespace

// One server (SQLite): fired up to the clock the journal reached. Shared: up to the complaint's
// own fired_until, which only the drain moves, after journaling every action due up to it.
void service::restore_stored(const stored_complaint& c) {
  const std::optional<instant> until = journal_->shared() ? c.fired_until : fired_until_;
  (void)session_->restore_actions(snapshot_of(c, until));  // its actions are in the outbox (committed with what made them)
  if (journal_->shared()) held_until_[c.id] = c.fired_until;
}

// Every event a server journals it applies under the complaint's lock after this sync, so the
// engine's events are a prefix of the journal's and their count tells whether it is behind. On a
// shared journal a copy is also behind when another server drained the complaint since (its
// fired_until moved).
bool service::behind(const std::string& id, const std::optional<stored_complaint>& journaled) const {
  const std::optional<std::size_t> events = session_->event_count(id);  // nullopt: the engine does not hold it
  if (!journaled) return events.has_value();
  if (events != journaled->events.size()) return true;
  const auto held = held_until_.find(id);
  return journal_->shared() && (held == held_until_.end() || held->second != journaled->fired_until);
}

void service::sync(const std::string& id, const std::optional<stored_complaint>& journaled) {
  if (!behind(id, journaled)) return;
  session_->erase(id);
  held_until_.erase(id);
  if (journaled) restore_stored(*journaled);
}

void service::start() {
  if (listener_ && !listener_thread_.joinable()) listener_thread_ = std::thread([this] { hear(); });
  if (webhook_ && !deliverer_.joinable()) deliverer_ = std::thread([this] { deliver(); });
  if (clock_.manual() || scheduler_.joinable()) return;
  scheduler_ = std::thread([this] { schedule(); });
}

// At least once, in outbox order: an action is acknowledged only after the webhook answered 2xx,
// so one delivered just before a crash (or whose answer was lost) is delivered again, under the
// same id. A shared journal: each server delivers the actions it claimed (journal::deliverable),
// in outbox order among them, and gives up its claims when it stops.
void service::deliver() {
  constexpr std::chrono::milliseconds first_backoff{250}, last_backoff{30000};
  std::chrono::milliseconds backoff = first_backoff;
  std::unique_lock<std::mutex> lock(mutex_);
  const auto retry_later = [&](const std::string& why) {
    std::fprintf(stderr, "redress server: webhook: %s (retried in %lld ms)\n", why.c_str(),
                 static_cast<long long>(backoff.count()));
    delivery_cv_.wait_for(lock, backoff, [&] { return stopping_; });
    backoff = std::min(backoff * 2, last_backoff);
  };
  while (!stopping_) {
    std::vector<fed_action> batch;
    try {
      batch = journal_->deliverable(100, clock_.now());
    } catch (const std::exception& e) {
      retry_later(e.what());
      continue;
    }
    if (batch.empty()) {
      // Until a commit here or elsewhere (hear()), or a lease of a dead server's claims ran out.
      delivery_cv_.wait_for(lock, std::chrono::seconds{delivery_lease_seconds});
      continue;
    }
    for (const fed_action& a : batch) {
      lock.unlock();
      std::string why;
      const bool taken = webhook_(a.id, a.body, why);
      lock.lock();
      if (stopping_) break;
      if (!taken) {
        retry_later(a.id + ": " + why);
        break;
      }
      backoff = first_backoff;
      try {
        (void)journal_->acknowledge(a.id, clock_.now());
      } catch (const std::exception& e) {
        retry_later(e.what());
        break;
      }
    }
  }
  try {
    journal_->release_deliveries();  // what is claimed and not delivered: the other servers' now
  } catch (const std::exception& e) {
    std::fprintf(stderr, "redress server: webhook: releasing the undelivered actions' claims failed (they are "
                         "delivered by another server once their lease ends): %s\n", e.what());
  }
}

// Shared journals: another server committed actions or a changed next wakeup. Its word wakes
// what waits on this server's own commits (committed()), after reading the outbox's last cursor
// again. Word is taken at most ten times a second (what comes meanwhile is heard together), so a
// busy fleet does not make every server read the journal at each of the others' commits. A lost
// connection is reported once and counts as word each second until it is back.
void service::hear() {
  constexpr std::chrono::milliseconds patience{500}, spacing{100}, retry{1000};
  constexpr std::chrono::seconds lease_period{2};
  bool reported = false;
  auto balanced = std::chrono::steady_clock::now();
  for (;;) {
    bool heard = false;
    std::optional<std::vector<int>> held;
    std::vector<std::string> changed;
    try {
      heard = listener_->wait(patience);
      changed = listener_->take_changed();
      // Every two seconds: the partitions' leases balanced between the servers alive now.
      if (std::chrono::steady_clock::now() - balanced >= lease_period) {
        balanced = std::chrono::steady_clock::now();
        held = listener_->rebalance();
      }
      if (reported) std::fprintf(stderr, "redress server: listening to the journal again\n");
      reported = false;
    } catch (const std::exception& e) {
      if (!reported)
        std::fprintf(stderr, "redress server: %s (the scheduler reads the journal each second until it is back)\n",
                     e.what());
      reported = true;
      heard = true;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (stopping_) return;
    if (held) {
      try {
        hold(*held);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "redress server: taking the complaints of a partition failed: %s\n", e.what());
      }
    }
    // Complaints of this server's partitions that another server changed: read back now.
    for (const std::string& id : changed) {
      if (!partitions_.count(partition_of(id))) continue;
      try {
        sync(id, journal_->complaint(id));
      } catch (...) {
        std::fprintf(stderr, "redress server: cannot rebuild the complaint %s another server changed: %s\n", id.c_str(),
                     wire::current_failure("load_error").message.c_str());
      }
    }
    if (heard) {
      try {
        last_cursor_ = journal_->last_cursor();
      } catch (const std::exception&) {
        // the journal is out of reach: the feed keeps the cursor it had
      }
      feed_cv_.notify_all();
      scheduler_cv_.notify_all();
      delivery_cv_.notify_all();
    }
    // Waits the spacing (a lost connection: the retry), unless stopped meanwhile.
    if (heard && feed_cv_.wait_for(lock, reported ? retry : spacing, [&] { return stopping_; })) return;
  }
}

void service::hold(const std::vector<int>& now) {
  const std::set<int> next(now.begin(), now.end());
  if (next == partitions_) return;
  std::vector<std::string> leaving;
  for (const auto& [id, until] : held_until_)
    if (!next.count(partition_of(id))) leaving.push_back(id);
  for (const std::string& id : leaving) {
    session_->erase(id);
    held_until_.erase(id);
  }
  std::vector<int> taken;
  for (const int p : next)
    if (!partitions_.count(p)) taken.push_back(p);
  partitions_ = next;
  for (const stored_complaint& c : journal_->complaints_in(taken)) {
    try {
      sync(c.id, c);
    } catch (...) {
      std::fprintf(stderr, "redress server: cannot restore the journaled complaint %s (partition %d): %s\n", c.id.c_str(),
                   partition_of(c.id), wire::current_failure("load_error").message.c_str());
    }
  }
}

void service::forget_unless_held(const std::string& id) {
  if (!listener_ || partitions_.count(partition_of(id))) return;
  session_->erase(id);
  held_until_.erase(id);
}

void service::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  feed_cv_.notify_all();
  scheduler_cv_.notify_all();
  delivery_cv_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  if (deliverer_.joinable()) deliverer_.join();
  if (listener_thread_.joinable()) listener_thread_.join();
}

// System clock: advance to now, then sleep until the next action falls due (or a minute, or a
// request that may have changed the next wakeup). The wait ends at the due instant itself, not
// after whole seconds counted from a now cut to the second (which woke up to a second late).
void service::schedule() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    const instant now = clock_.now();
    std::chrono::system_clock::time_point wake = now.to_sys() + std::chrono::seconds{60};
    // A shared journal without a listener: another server's intakes and events are seen by
    // polling, each second. With one, its word wakes the scheduler (hear()), and the journal is
    // read again every 10 seconds all the same (the word of a server that died just after its
    // commit is lost).
    if (journal_->shared()) wake = now.to_sys() + std::chrono::seconds{listener_ ? 10 : 1};
    try {
      (void)advance_to(now);
      const std::optional<instant> until = journal_->shared() ? journal_->next_wakeup() : wakeup_of(*session_);
      if (until) {
        // Still due (advance_to did not reach it): try again in a second, else at its instant.
        wake = *until <= now ? now.to_sys() + std::chrono::seconds{1} : std::min(wake, until->to_sys());
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "redress server: advancing the clocks failed (retried in %d s): %s\n",
                   journal_->shared() ? 1 : 60, e.what());
      if (journal_->shared()) wake = now.to_sys() + std::chrono::seconds{1};
    }
    scheduler_cv_.wait_until(lock, wake);
  }
}

std::vector<outbox_action> service::outbox(const json& actions) const {
  std::vector<outbox_action> out;
  for (const json& a : actions)
    out.push_back({a["id"].get<std::string>(), a["complaint"].get<std::string>(),
                   wire::instant_from_text(a["at"].get<std::string>(), "/at"), wire::text_of(a)});
  return out;
}

void service::committed() {
  last_cursor_ = journal_->last_cursor();
  feed_cv_.notify_all();
  scheduler_cv_.notify_all();
  delivery_cv_.notify_all();
}

// Puts a complaint back as the journal holds it (its events, fired up to fired_until_): after a
// commit that failed, the engine is changed back.
void service::rewind(const std::string& complaint) {
  json snapshot = session_->snapshot(complaint);
  snapshot["fired_until"] = fired_until_ ? json(fired_until_->to_string()) : json(nullptr);
  session_->erase(complaint);
  (void)session_->restore(snapshot);
}

json service::advance_to(instant now) {
  if (journal_->shared()) return drain(now);
  json actions = session_->advance(now);
  try {
    journal_->in_transaction([&] {
      if (!actions.empty() || clock_.manual()) journal_->commit_advance(now, outbox(actions));
    });
  } catch (...) {
    std::set<std::string> touched;
    for (const json& a : actions) touched.insert(a["complaint"].get<std::string>());
    for (const std::string& c : touched) rewind(c);
    throw;
  }
  if (!actions.empty() || clock_.manual()) fired_until_ = now;
  committed();
  return actions;
}

// Shared journal: every server drains the journal's due complaints, its own and the others'
// (a dead one's too), in batches: each batch is one transaction that locks the complaints due at
// or before now that no other transaction holds (SKIP LOCKED), rebuilds each from the journal in
// the probe (fired up to its row's fired_until), advances it to now, and journals its actions
// with its new next_wakeup and fired_until = now. A complaint is advanced by one server at a
// time, and a second finds it fired up to now: each action is emitted once across the fleet. The
// server's own engine is not advanced: its copies of the drained complaints are stale (their
// fired_until moved) and are rebuilt when next touched.
json service::drain(instant now) {
  constexpr std::size_t batch = 100;
  json all = json::array();
  for (std::size_t taken = batch; taken == batch;) {
    json actions = json::array();
    std::string in_probe;
    try {
      journal_->in_transaction([&] {
        const std::vector<stored_complaint> due = journal_->lock_due(now, batch);
        taken = due.size();
        for (const stored_complaint& c : due) {
          try {
            (void)probe_->restore_actions(snapshot_of(c, c.fired_until));  // fired before: in the outbox
          } catch (...) {
            throw std::runtime_error("cannot rebuild the due complaint " + c.id + " from the journal: " +
                                     wire::current_failure("load_error").message);
          }
          in_probe = c.id;
          for (json& a : probe_->advance(now)) actions.push_back(std::move(a));
          const std::optional<instant> next = wakeup_of(*probe_);
          probe_->erase(c.id);
          in_probe.clear();
          journal_->set_wakeup(c.id, next, now);
        }
        // In time order across the batch (each complaint's are already).
        std::stable_sort(actions.begin(), actions.end(), [](const json& x, const json& y) {
          return wire::instant_from_text(x["at"].get<std::string>(), "/at") <
                 wire::instant_from_text(y["at"].get<std::string>(), "/at");
        });
        if (!actions.empty() || clock_.manual()) journal_->commit_advance(now, outbox(actions));
      });
    } catch (...) {
      if (!in_probe.empty()) probe_->erase(in_probe);
      throw;
    }
    for (json& a : actions) all.push_back(std::move(a));
  }
  if (!all.empty() || clock_.manual()) fired_until_ = now;
  committed();
  return all;
}

reply service::open(const std::string& body) {
  try {
    const json intake = body_object(body, "an intake");
    std::lock_guard<std::mutex> lock(mutex_);
    not_in_future(intake, "received", clock_.now(), "intake");
    const auto id_at = intake.find("id");
    const std::string id = id_at != intake.end() && id_at->is_string() ? id_at->get<std::string>() : std::string();
    const forgetting guard{*this, id};
    json actions;
    bool opened = false;
    try {
      journal_->in_transaction([&] {
        // Another server may have journaled this id: then the engine refuses it as a duplicate.
        if (journal_->shared() && !id.empty()) sync(id, journal_->lock_complaint(id));
        actions = session_->open(intake);
        opened = true;
        journal_->commit_intake(id, session_->current().version(), wire::text_of(intake), outbox(actions),
                                clock_.now());
        if (journal_->shared()) {
          journal_->set_wakeup(id, session_->next_wakeup_of(id), std::nullopt);
          held_until_[id] = std::nullopt;
        }
      });
    } catch (...) {
      if (opened) {
        session_->erase(id);
        held_until_.erase(id);
      }
      throw;
    }
    committed();
    return {201, {{"complaint", id}, {"actions", actions}}};
  } catch (...) {
    return failure();
  }
}

reply service::apply(const std::string& complaint, const std::string& body) {
  try {
    const json event = body_object(body, "an event");
    std::lock_guard<std::mutex> lock(mutex_);
    const forgetting guard{*this, complaint};
    not_in_future(event, "at", clock_.now(), "event");
    json actions;
    bool applied = false;
    try {
      // Validated and journaled under the complaint's row lock, after reading back what other
      // servers journaled for it: the journal never holds an event its predecessor made illegal.
      journal_->in_transaction([&] {
        if (journal_->shared()) sync(complaint, journal_->lock_complaint(complaint));
        actions = session_->apply(complaint, event);
        applied = true;
        const std::string name = event["event"].get<std::string>();
        journal_->commit_event(complaint, wire::text_of(event), name == "close" || name == "withdraw",
                               outbox(actions), clock_.now());
        if (journal_->shared()) journal_->set_wakeup(complaint, session_->next_wakeup_of(complaint), std::nullopt);
      });
    } catch (...) {
      if (!applied) throw;
      if (journal_->shared()) {  // rebuilt from the journal when next touched
        session_->erase(complaint);
        held_until_.erase(complaint);
        throw;
      }
      // Off the history again: the complaint as it was before the event. The engine put it after
      // the events at or before its instant (engine::apply: a late one too), so it is the last
      // of those; the ids it retracted are the last of the snapshot's.
      json snapshot = session_->snapshot(complaint);
      json& events = snapshot["events"];
      const instant at = wire::instant_from_text(event["at"].get<std::string>(), "/at");
      std::size_t placed = events.size();
      while (placed > 0 && wire::instant_from_text(events[placed - 1]["at"].get<std::string>(), "/at") > at) --placed;
      if (placed > 0) events.erase(placed - 1);
      if (snapshot.contains("retracted")) {
        json& retracted = snapshot["retracted"];
        for (const json& a : actions)
          if (a["kind"] == "retracted" && !retracted.empty()) retracted.erase(retracted.size() - 1);
        if (retracted.empty()) snapshot.erase("retracted");
      }
      snapshot["fired_until"] = fired_until_ ? json(fired_until_->to_string()) : json(nullptr);
      session_->erase(complaint);
      (void)session_->restore(snapshot);
      throw;
    }
    committed();
    return {200, {{"complaint", complaint}, {"actions", actions}}};
  } catch (...) {
    return failure();
  }
}

reply service::status(const std::string& complaint, const std::optional<std::string>& at) {
  try {
    std::lock_guard<std::mutex> lock(mutex_);
    const instant t = at ? wire::instant_from_text(*at, "?at") : clock_.now();
    const forgetting guard{*this, complaint};
    if (journal_->shared()) sync(complaint, journal_->complaint(complaint));
    return {200, session_->status(complaint, t)};
  } catch (...) {
    return failure();
  }
}

reply service::history(const std::string& complaint) {
  try {
    std::lock_guard<std::mutex> lock(mutex_);
    const forgetting guard{*this, complaint};
    if (journal_->shared()) sync(complaint, journal_->complaint(complaint));
    return {200, session_->history(complaint)};
  } catch (...) {
    return failure();
  }
}

reply service::feed(std::int64_t cursor, std::chrono::seconds wait, std::size_t limit) {
  try {
    std::unique_lock<std::mutex> lock(mutex_);
    if (last_cursor_ <= cursor && wait.count() > 0 && long_polls_ < max_long_polls_ && !stopping_) {
      ++long_polls_;
      feed_cv_.wait_for(lock, wait, [&] { return stopping_ || last_cursor_ > cursor; });
      --long_polls_;
    }
    json list = json::array();
    std::int64_t next = cursor;
    for (const fed_action& a : journal_->actions_after(cursor, limit)) {
      list.push_back({{"cursor", a.cursor}, {"action", json::parse(a.body)},
                      {"emitted", a.emitted.to_string()},
                      {"acknowledged", a.acknowledged ? json(a.acknowledged->to_string()) : json(nullptr)}});
      next = a.cursor;
    }
    return {200, {{"actions", list}, {"next", next}}};
  } catch (...) {
    return failure();
  }
}

reply service::acknowledge(const std::string& action_id) {
  try {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto a = journal_->acknowledge(action_id, clock_.now());
    if (!a) return error_reply(404, "unknown_action", "no action " + action_id + " in the outbox");
    return {200, {{"id", a->id}, {"cursor", a->cursor}, {"acknowledged", optional_text(a->acknowledged)}}};
  } catch (...) {
    return failure();
  }
}

reply service::set_clock(const std::string& body) {
  try {
    const json j = body_object(body, "{\"now\": an RFC 3339 timestamp}");
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key() != "now")
        throw wire::wire_error(wire::wire_error::kind::value, "/" + it.key() + ": unknown key \"" + it.key() +
                                                                   "\"; expected now");
    if (!j.contains("now")) throw wire::wire_error(wire::wire_error::kind::value, "expected \"now\": an RFC 3339 timestamp");
    const instant now = wire::instant_from(j["now"], "/now");
    std::lock_guard<std::mutex> lock(mutex_);
    if (now < clock_.now())
      return error_reply(409, "clock_backwards",
                         "the clock is at " + clock_.now().to_string() + "; it does not go back to " + now.to_string());
    clock_.set(now);
    const json actions = advance_to(now);
    return {200, {{"now", now.to_string()}, {"actions", actions}}};
  } catch (...) {
    return failure();
  }
}

reply service::health() {
  std::lock_guard<std::mutex> lock(mutex_);
  json body = {{"ok", true}, {"complaints", session_->size()}, {"now", clock_.now().to_string()}, {"feeds_waiting", long_polls_}};
  if (listener_) body["partitions"] = partitions_;  // the leases held: the complaints its engine holds
  return {200, body};
}

std::string service::metrics() {
  std::lock_guard<std::mutex> lock(mutex_);
  const journal_counts c = journal_->counts();
  const instant now = clock_.now();
  std::int64_t overdue = 0;
  const std::optional<instant> next = journal_->shared() ? journal_->next_wakeup() : wakeup_of(*session_);
  if (next) overdue = std::max<std::int64_t>(0, now.unix_seconds() - next->unix_seconds());
  std::ostringstream out;
  const auto metric = [&out](const char* name, const char* type, const char* help, std::int64_t value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n' << name << ' ' << value << '\n';
  };
  metric("redress_complaints_open", "gauge", "Journaled complaints not closed or withdrawn.", c.open_complaints);
  metric("redress_complaints_total", "counter", "Complaints journaled.", c.complaints);
  metric("redress_events_total", "counter", "Events accepted and journaled.", c.events);
  metric("redress_actions_emitted_total", "counter", "Actions put in the outbox.", c.actions);
  metric("redress_actions_unacknowledged", "gauge", "Due backlog: actions emitted and not yet acknowledged.",
         c.unacknowledged);
  metric("redress_due_overdue_seconds", "gauge",
         "How long the earliest due action has waited for the clock to reach it (0 when none is due).", overdue);
  metric("redress_feed_requests_waiting", "gauge", "GET /actions requests waiting for an action (long-polls).",
         static_cast<std::int64_t>(long_polls_));
  if (listener_)
    metric("redress_partitions_held", "gauge", "Partitions of the shared journal this server leases.",
           static_cast<std::int64_t>(partitions_.size()));
  out << "# HELP redress_action_emission_lag_seconds Time from an action's due instant to its emission.\n"
         "# TYPE redress_action_emission_lag_seconds summary\n"
      << "redress_action_emission_lag_seconds_sum " << c.lag_seconds_sum << '\n'
      << "redress_action_emission_lag_seconds_count " << c.actions << '\n';
  metric("redress_action_emission_lag_seconds_max", "gauge", "The largest lag from due instant to emission.",
         c.lag_seconds_max);
  return out.str();
}

}  // namespace redress::server
