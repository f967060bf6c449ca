// Sequences of engine calls decoded from bytes: open, apply and advance on up to four complaints
// under one of the shipped policies (rules/*.toml), with random events, instants (now and then
// going back), reasons, roles, promises and intake attributes (sometimes outside the policy's
// vocabulary, sometimes missing a required field). Invariants:
//   - nothing throws: every refusal is an engine_error value;
//   - a rejected event leaves the complaint exactly as it was (its whole status, and the
//     engine's next wake-up);
//   - due instants never move without a cause: advance() alone changes no clock's due instant;
//   - no clock is both met and breached; a target's due instant is not before its start;
//   - replay equals live: replaying each complaint's history to the end instant gives the same
//     status and the same actions (by id) as live processing did, once the actions a late event
//     retracted are taken out and revision suffixes ("/r2") are set aside.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "redress/engine.hpp"

using namespace redress;

namespace {

const std::vector<policy>& policies() {
  static const std::vector<policy> all = [] {
    std::vector<policy> loaded;
    for (const char* name : {"iso10002", "fca-disp", "psd2", "asic-rg271", "gdpr-dsar", "seven-steps"})
      loaded.push_back(load_policy(std::string(REDRESS_SOURCE_DIR) + "/rules/" + name + ".toml"));
    return loaded;
  }();
  return all;
}

std::string describe(const complaint_status& s) {
  std::ostringstream out;
  out << to_string(s.state.main) << "/" << to_string(s.state.plan) << " owner=" << s.owner
      << " level=" << s.escalation_level << " events=" << s.events << " calendar=" << s.calendar << "\n";
  for (const clock_report& c : s.clocks) {
    out << c.target << "#" << c.cycle << " " << to_string(c.state) << (c.breached ? " breached" : "")
        << (c.extended ? " extended" : "") << " start=" << c.started.unix_seconds()
        << " due=" << c.due.unix_seconds() << " stopped=" << (c.stopped ? c.stopped->unix_seconds() : -1)
        << " consumed=" << c.consumed.count() << " remaining=" << c.remaining.count() << " owner=" << c.owner;
    for (const level_report& l : c.levels)
      out << " [" << l.label << " " << l.fired << " " << (l.at ? l.at->unix_seconds() : -1) << "]";
    out << "\n";
  }
  for (const pause_record& p : s.pauses)
    out << "pause " << p.from.unix_seconds() << " " << (p.to ? p.to->unix_seconds() : -1) << " "
        << p.reason << " " << p.working.count() << "\n";
  for (const corrective_action_report& a : s.corrective_actions)
    out << "action " << a.what << " " << a.owner << " " << a.verifier << " " << a.due.unix_seconds() << " "
        << to_string(a.state) << " " << (a.done ? a.done->unix_seconds() : -1) << " "
        << (a.verified ? a.verified->unix_seconds() : -1) << "\n";
  for (const auto& [role, seconds] : s.ledger) out << "ledger " << role << " " << seconds.count() << "\n";
  return out.str();
}

/// The due instant of every clock, by target and cycle, read from describe()'s lines.
std::map<std::string, std::string> due_instants(const std::string& described) {
  std::map<std::string, std::string> due;
  std::istringstream lines(described);
  std::string line;
  while (std::getline(lines, line)) {
    const auto at = line.find(" due=");
    if (at == std::string::npos) continue;
    due[line.substr(0, line.find(' '))] = line.substr(at + 5, line.find(' ', at + 5) - at - 5);
  }
  return due;
}

/// The actions live processing still stands by: every fired id but those a late event retracted
/// (and the retractions themselves), each without its revision suffix ("/r2"), since a replay of
/// the history alone has no earlier revision to count from.
std::multiset<std::string> standing(const std::multiset<std::string>& fired) {
  static const std::string retracted = "/retracted";
  std::multiset<std::string> kept = fired;
  for (const std::string& id : fired) {
    if (id.size() <= retracted.size() || id.compare(id.size() - retracted.size(), retracted.size(), retracted) != 0)
      continue;
    kept.erase(kept.find(id));
    const auto original = kept.find(id.substr(0, id.size() - retracted.size()));
    if (original != kept.end()) kept.erase(original);
  }
  std::multiset<std::string> unrevised;
  for (const std::string& id : kept) {
    const auto slash = id.rfind("/r");
    const bool revision = slash != std::string::npos && slash + 2 < id.size() &&
                          id.find_first_not_of("0123456789", slash + 2) == std::string::npos;
    unrevised.insert(revision ? id.substr(0, slash) : id);
  }
  return unrevised;
}

struct reader {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t at = 0;
  bool more() const { return at < size; }
  std::uint8_t byte() { return at < size ? data[at++] : 0; }
  std::uint32_t u16() { return static_cast<std::uint32_t>(byte()) << 8 | byte(); }
  template <typename T>
  const T& pick(const std::vector<T>& from) { return from[byte() % from.size()]; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reader in{data, size};
  const policy& p = policies()[in.byte() % policies().size()];
  const policy_definition& def = p.definition();
  engine live(p);

  // Values the input draws from: the policy's own, plus some it does not know.
  std::map<std::string, std::vector<std::string>> values;
  for (const auto& [dimension, allowed] : def.vocabulary) {
    values[dimension] = allowed;
    values[dimension].push_back("nonsense");
  }
  std::vector<std::string> roles{"nobody", ""};
  for (const role_definition& r : def.roles) roles.push_back(r.id);
  std::vector<std::string> fields = def.required_fields;
  for (const auto& [channel, required] : def.required_by_channel)
    fields.insert(fields.end(), required.begin(), required.end());
  const std::vector<std::string> reasons{"", "information requested", "documents", "customer asked", "x"};

  std::int64_t now = instant::parse("2026-01-05T08:00:00Z").unix_seconds() +
                     static_cast<std::int64_t>(in.u16() % 800) * 86400 / 2;
  std::int64_t latest = now;
  std::map<std::string, complaint_intake> opened;
  std::map<std::string, std::multiset<std::string>> fired;  // action ids live processing returned
  const auto record = [&fired](const std::vector<action>& actions) {
    for (const action& a : actions) fired[a.complaint].insert(a.id);
  };
  const auto probe = [&latest] { return instant::from_unix(latest + 400 * 86400); };

  for (int step = 0; step < 64 && in.more(); ++step) {
    const std::uint8_t op = in.byte() % 8;
    const std::string id = "F-" + std::to_string(in.byte() % 4);
    // Time mostly moves forward, by minutes to weeks; now and then it goes back.
    const std::uint8_t scale = in.byte();
    const std::int64_t delta = static_cast<std::int64_t>(in.u16()) * (scale % 3 == 0 ? 1 : scale % 3 == 1 ? 60 : 600);
    now += (scale % 8 == 7) ? -delta : delta;
    latest = std::max(latest, now);

    if (op == 0) {
      complaint_intake intake{id, instant::from_unix(now), {}};
      for (const auto& [dimension, choices] : values)
        if (!choices.empty() && in.byte() % 4 != 0) intake.attributes[dimension] = in.pick(choices);
      for (const std::string& field : fields)
        if (in.byte() % 4 != 0) intake.attributes[field] = "Fuzz";
      const bool known = opened.count(id) != 0;
      auto result = live.open(intake);
      if (result) {
        FUZZ_CHECK(!known, "a second complaint " + id + " was opened");
        opened.emplace(id, intake);
        record(*result);
      } else if (!known) {
        FUZZ_CHECK(!live.status(id, probe()), "a refused intake left complaint " + id + " behind");
      }
    } else if (op == 1) {
      std::map<std::string, std::string> before;
      for (const auto& [cid, intake] : opened) before[cid] = describe(*live.status(cid, probe()));
      const std::vector<action> fired_now = live.advance(instant::from_unix(now));
      record(fired_now);
      for (const auto& [cid, intake] : opened) {
        const std::string after = describe(*live.status(cid, probe()));
        std::string actions;
        for (const action& a : fired_now) actions += a.id + " at " + a.at.to_string() + "\n";
        // The one cause advance() may bring: a pause budget running out resumes the clocks.
        const bool pause_ended = std::any_of(fired_now.begin(), fired_now.end(), [&cid = cid](const action& a) {
          return a.complaint == cid && a.what == action::kind::pause_ended;
        });
        FUZZ_CHECK(pause_ended || due_instants(after) == due_instants(before[cid]),
                   "advance() to " + instant::from_unix(now).to_string() + " alone moved a due instant of " + cid +
                       "\nbefore:\n" + before[cid] + "after:\n" + after + "fired:\n" + actions);
      }
    } else {
      if (!opened.count(id)) continue;
      complaint_event e;
      e.what = static_cast<lifecycle_event>(in.byte() % lifecycle_event_count);
      e.at = instant::from_unix(now);
      e.actor = "fuzz";
      e.reason = in.pick(reasons);
      e.justified = in.byte() % 2;
      e.satisfied = in.byte() % 2;
      e.role = in.pick(roles);
      if (in.byte() % 2) e.promised = instant::from_unix(now + static_cast<std::int64_t>(in.u16()) * 60 - 3600);
      if (in.byte() % 4 == 0) {
        e.action_what = "fix";
        e.action_owner = in.pick(roles);
        e.action_verifier = in.pick(roles);
        if (in.byte() % 2) e.action_due = instant::from_unix(now + static_cast<std::int64_t>(in.u16()) * 600 - 86400);
      }
      const std::string before = describe(*live.status(id, probe()));
      const auto history_before = live.history(id)->size();
      const auto wake_before = live.next_wakeup();
      auto result = live.apply(id, e);
      if (result) {
        record(*result);
        FUZZ_CHECK(live.history(id)->size() == history_before + 1, "an applied event is not in the history");
      } else {
        FUZZ_CHECK(describe(*live.status(id, probe())) == before,
                   "rejected '" + std::string(to_string(e.what)) + "' changed " + id + ": " + result.error().message +
                       "\nbefore:\n" + before + "after:\n" + describe(*live.status(id, probe())));
        FUZZ_CHECK(live.history(id)->size() == history_before, "a rejected event entered the history");
        FUZZ_CHECK(live.next_wakeup() == wake_before, "a rejected event moved the engine's next wake-up");
      }
    }
  }

  const instant until = instant::from_unix(latest + 90 * 86400);
  record(live.advance(until));
  for (const auto& [id, intake] : opened) {
    auto status = live.status(id, until);
    FUZZ_CHECK(static_cast<bool>(status), "no status for an open complaint " + id);
    for (const clock_report& c : status->clocks) {
      FUZZ_CHECK(!(c.state == clock_state::met && c.breached), id + ": " + c.target + " is both met and breached");
      FUZZ_CHECK(c.due >= c.started || c.target == "promise", id + ": " + c.target + " is due before it started");
    }
    auto history = live.history(id);
    std::vector<action> replayed_actions;
    auto replayed = replay(p, intake, *history, until, &replayed_actions);
    FUZZ_CHECK(static_cast<bool>(replayed), "replay of " + id + " failed: " + (replayed ? "" : replayed.error().message));
    FUZZ_CHECK(describe(*replayed) == describe(*status),
               "replay differs from live for " + id + ":\nlive:\n" + describe(*status) + "replay:\n" + describe(*replayed));
    std::multiset<std::string> replay_ids;
    for (const action& a : replayed_actions) replay_ids.insert(a.id);
    const std::multiset<std::string> live_ids = standing(fired[id]);
    std::string live_list, replay_list;
    for (const std::string& a : fired[id]) live_list += a + "\n";
    for (const std::string& a : replay_ids) replay_list += a + "\n";
    FUZZ_CHECK(replay_ids == live_ids, "replay fired other actions than live for " + id + ":\nlive:\n" + live_list +
                                           "replay:\n" + replay_list);
  }
  return 0;
}
