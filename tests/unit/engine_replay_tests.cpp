// Determinism: a complaint's state is a pure function of its policy version and its events.
// Live processing (with advance() called at arbitrary times), replay, and snapshot + restore at
// every point of long random histories must agree exactly.
#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

#include "redress/engine.hpp"
#include "support/shipped.hpp"

using namespace redress;
using redress::testing::iso10002;
using redress::testing::rules;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Everything observable about a complaint, as text: equal text, equal state.
std::string describe(const complaint_status& s) {
  std::ostringstream out;
  out << s.id << " " << to_string(s.state.main) << "/" << to_string(s.state.plan) << " owner=" << s.owner
      << " level=" << s.escalation_level << " events=" << s.events << "\n";
  for (const clock_report& c : s.clocks) {
    out << "  " << c.target << "#" << c.cycle << " " << to_string(c.state) << (c.breached ? " breached" : "")
        << (c.extended ? " extended" : "") << " start=" << c.started.to_string() << " due=" << c.due.to_string()
        << " stopped=" << (c.stopped ? c.stopped->to_string() : "-") << " consumed=" << c.consumed.count()
        << " owner=" << c.owner;
    for (const level_report& l : c.levels)
      out << " [" << l.label << (l.fired ? " fired" : "") << " " << (l.at ? l.at->to_string() : "-") << "]";
    out << "\n";
  }
  for (const pause_record& p : s.pauses)
    out << "  pause " << p.from.to_string() << ".." << (p.to ? p.to->to_string() : "-") << " " << p.reason << " "
        << p.working.count() << "\n";
  for (const auto& [role, seconds] : s.ledger) out << "  ledger " << role << "=" << seconds.count() << "\n";
  for (const corrective_action_report& a : s.corrective_actions)
    out << "  action " << a.owner << " " << a.due.to_string() << " " << to_string(a.state) << "\n";
  return out.str();
}

struct history {
  complaint_intake intake;
  std::vector<complaint_event> events;
  std::vector<instant> advances;  // advance() calls interleaved before each event (live only)
};

// A random but legal history: events the lifecycle accepts, at increasing instants.
history random_history(std::mt19937_64& random, int id) {
  history h;
  static const char* kinds[] = {"staff", "organisation", "product-quality", "claim", "suggestion"};
  static const char* channels[] = {"phone", "chat", "email", "web", "letter", "in-person"};
  static const char* roles[] = {"agent", "handler", "team-lead", "store-manager", "quality"};
  h.intake.id = "R-" + std::to_string(id);
  std::int64_t t = instant::parse("2026-01-05T08:00:00Z").unix_seconds() +
                   static_cast<std::int64_t>(random() % (300 * 86400));
  h.intake.received = instant::from_unix(t);
  h.intake.attributes = {{"kind", kinds[random() % 5]},
                         {"channel", channels[random() % 6]},
                         {"priority", random() % 4 == 0 ? "urgent" : "normal"},
                         {"customer_name", "Customer " + std::to_string(id)},
                         {"return_address", "customer" + std::to_string(id) + "@example.org"}};
  lifecycle_state state;
  lifecycle_rules lifecycle_rules = iso10002().definition().lifecycle;
  const int length = 5 + static_cast<int>(random() % 25);
  for (int n = 0; n < length; ++n) {
    t += 60 + static_cast<std::int64_t>(random() % (2 * 86400));
    for (int attempt = 0; attempt < 40; ++attempt) {
      complaint_event e;
      e.what = static_cast<lifecycle_event>(random() % lifecycle_event_count);
      e.at = instant::from_unix(t);
      e.reason = "waiting for documents";
      e.justified = random() % 2 == 0;
      e.satisfied = random() % 3 != 0;
      e.role = roles[random() % 5];
      e.promised = instant::from_unix(t + 3600 + static_cast<std::int64_t>(random() % (5 * 86400)));
      if (e.what == lifecycle_event::reclassify)  // normal to urgent and back, or another channel
        e.attributes = {random() % 2 == 0 ? std::pair<const std::string, std::string>{"priority", random() % 2 == 0 ? "urgent" : "normal"}
                                          : std::pair<const std::string, std::string>{"channel", channels[random() % 6]}};
      lifecycle_context context;
      context.justified = e.justified;
      context.owner = 1;
      const auto o = step(state, e.what, context, lifecycle_rules);
      if (!o.accepted) continue;
      state = o.state;
      h.events.push_back(e);
      const std::int64_t previous = h.events.size() > 1 ? h.events[h.events.size() - 2].at.unix_seconds()
                                                        : h.intake.received.unix_seconds();
      // Sometimes the host advanced in between (never past the next event).
      h.advances.push_back(instant::from_unix(previous + static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(t - previous))));
      break;
    }
  }
  return h;
}

}  // namespace

TEST_CASE("replay equals live processing, over random histories") {
  std::mt19937_64 random(42);
  for (int i = 0; i < 200; ++i) {
    const history h = random_history(random, i);
    engine live(iso10002());
    std::vector<std::string> live_ids;
    auto opened = live.open(h.intake);
    REQUIRE(opened);
    for (std::size_t k = 0; k < h.events.size(); ++k) {
      for (const action& a : live.advance(h.advances[k])) live_ids.push_back(a.id);
      auto applied = live.apply(h.intake.id, h.events[k]);
      INFO(h.intake.id << " event " << k << ": " << (applied ? "" : applied.error().message));
      if (!applied) {
        // The engine may refuse what the bare lifecycle accepts (e.g. the pause budget); then
        // the history stops there for both.
        CHECK(applied.error().what == engine_error::kind::pause_refused);
        break;
      }
      for (const action& a : *applied) live_ids.push_back(a.id);
    }
    auto applied_events = live.history(h.intake.id);
    const instant until = instant::from_unix(
        (applied_events->empty() ? h.intake.received : applied_events->back().at).unix_seconds() + 30 * 86400);
    for (const action& a : live.advance(until)) live_ids.push_back(a.id);

    std::vector<action> replayed_actions;
    auto replayed = replay(iso10002(), h.intake, *applied_events, until, &replayed_actions);
    REQUIRE(replayed);
    CHECK(describe(*replayed) == describe(*live.status(h.intake.id, until)));
    std::vector<std::string> replay_ids;
    for (const action& a : replayed_actions) replay_ids.push_back(a.id);
    std::sort(live_ids.begin(), live_ids.end());
    std::sort(replay_ids.begin(), replay_ids.end());
    CHECK(replay_ids == live_ids);
  }
}

TEST_CASE("a snapshot taken at any point and restored continues identically") {
  std::mt19937_64 random(7);
  for (int i = 0; i < 30; ++i) {
    const history h = random_history(random, 100 + i);
    engine live(iso10002());
    REQUIRE(live.open(h.intake));
    std::vector<complaint_event> applied;
    for (const complaint_event& e : h.events) {
      if (!live.apply(h.intake.id, e)) break;
      applied.push_back(e);
    }
    const instant until = instant::from_unix(
        (applied.empty() ? h.intake.received : applied.back().at).unix_seconds() + 20 * 86400);
    live.advance(until);
    const std::string expected = describe(*live.status(h.intake.id, until));

    for (std::size_t cut = 0; cut <= applied.size(); ++cut) {
      engine first(iso10002());
      REQUIRE(first.open(h.intake));
      for (std::size_t k = 0; k < cut; ++k) REQUIRE(first.apply(h.intake.id, applied[k]));
      auto snap = first.snapshot(h.intake.id);
      REQUIRE(snap);
      engine second(iso10002());
      REQUIRE(second.restore(*snap));
      for (std::size_t k = cut; k < applied.size(); ++k) REQUIRE(second.apply(h.intake.id, applied[k]));
      second.advance(until);
      INFO(h.intake.id << " cut at " << cut);
      CHECK(describe(*second.status(h.intake.id, until)) == expected);
    }
  }
}

TEST_CASE("reopening a complaint does not revive clocks that were met or breached") {
  engine e(iso10002());
  const complaint_attributes a = {{"kind", "claim"}, {"channel", "phone"}, {"customer_name", "Di"}};
  REQUIRE(e.open({"C-9", instant::parse("2026-04-01T10:00:00+01:00"), a}));
  auto at = [](const char* t) { return instant::parse(t); };
  auto ev = [&](lifecycle_event what, const char* t) {
    complaint_event x;
    x.what = what;
    x.at = at(t);
    REQUIRE(e.apply("C-9", x));
  };
  ev(lifecycle_event::acknowledge, "2026-04-01T10:05:00+01:00");
  ev(lifecycle_event::send_response, "2026-04-01T10:30:00+01:00");  // solved at first contact
  ev(lifecycle_event::close, "2026-04-01T10:35:00+01:00");
  auto s = e.status("C-9", at("2026-04-01T10:35:00+01:00"));
  const std::size_t clocks = s->clocks.size();
  // final-response met; registration and verify-satisfaction ended with the closing.
  CHECK(s->clocks[2].target == "final-response");
  CHECK(s->clocks[2].state == clock_state::met);
  CHECK(s->clocks[1].state == clock_state::cancelled);
  ev(lifecycle_event::reopen, "2026-04-02T09:00:00+01:00");
  s = e.status("C-9", at("2026-04-02T09:00:00+01:00"));
  CHECK(s->state.main == complaint_state::investigating);
  CHECK(s->clocks.size() == clocks);
  CHECK(s->clocks[2].state == clock_state::met);
  CHECK(e.advance(at("2026-05-01T00:00:00Z")).empty());
}

TEST_CASE("an engine refuses a second policy with a version it holds, and stays as it was") {
  // The same version with other rules: before, add_policy took it, new complaints opened under
  // it (10 business days) and restore() found it, not the first, by that version.
  std::string text = read(rules("iso10002.toml"));
  const std::string eight = "within = \"8 business days\"";
  const auto at = text.find(eight);
  REQUIRE(at != std::string::npos);
  text.replace(at, eight.size(), "within = \"10 business days\"");
  const policy same_version = parse_policy(text, rules("iso10002.toml"));
  REQUIRE(same_version.version() == "2026.1");

  engine e(iso10002());
  const auto added = e.add_policy(same_version, true);
  REQUIRE_FALSE(added);
  CHECK(added.error().what == engine_error::kind::duplicate_policy_version);
  CHECK(added.error().message ==
        "policy version \"2026.1\" is already in this engine (\"Retail complaints (ISO 10002)\"): a changed "
        "policy needs a new version");

  // Still the first policy, current: 8 business days after Wed 1 April (Good Friday and Easter
  // Monday skipped) end on Wed 15 April, 23:59:59.
  const complaint_attributes a = {{"kind", "staff"}, {"channel", "phone"}, {"customer_name", "Ed"}};
  REQUIRE(e.open({"C-12", instant::parse("2026-04-01T10:00:00+01:00"), a}));
  const auto status = e.status("C-12", instant::parse("2026-04-01T12:00:00+01:00"));
  REQUIRE(status);
  bool found = false;
  for (const auto& c : status->clocks)
    if (c.target == "final-response") {
      found = true;
      CHECK(c.due == instant::parse("2026-04-15T23:59:59+01:00"));
    }
  CHECK(found);
  const auto v2 = [&] {
    std::string t = read(rules("iso10002.toml"));
    t.replace(t.find("version = \"2026.1\""), 18, "version = \"2026.2\"");
    return parse_policy(t, rules("iso10002.toml"));
  }();
  const auto second = e.add_policy(v2, false);
  REQUIRE(second);
  CHECK(*second == 2);  // the versions it now holds
}

TEST_CASE("an engine holds at most 65,536 policy versions: the next is std::length_error") {
  // Distinct versions from one definition (parsing 65,535 texts would take minutes).
  const policy first = iso10002();
  engine e(first);
  std::size_t held = 1;
  for (int n = 2; n <= 65536; ++n) {
    auto d = std::make_shared<policy_definition>(first.definition());
    d->version = "n" + std::to_string(n);
    const auto added = e.add_policy(policy(std::move(d)), false);
    REQUIRE(added);
    held = *added;
  }
  CHECK(held == 65536);
  auto d = std::make_shared<policy_definition>(first.definition());
  d->version = "n65537";
  CHECK_THROWS_AS((void)e.add_policy(policy(std::move(d)), false), std::length_error);
}

TEST_CASE("a complaint keeps its policy version until the host migrates it") {
  std::string text = read(rules("iso10002.toml"));
  const auto replace = [&](const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
  replace("version = \"2026.1\"", "version = \"2026.2\"");
  replace("within = \"8 business days\"", "within = \"10 business days\"");
  const policy v2 = parse_policy(text, rules("iso10002.toml"));

  engine e(iso10002());
  const complaint_attributes a = {{"kind", "staff"}, {"channel", "phone"}, {"customer_name", "Ed"}};
  REQUIRE(e.open({"C-10", instant::parse("2026-04-01T10:00:00+01:00"), a}));
  complaint_event ack;
  ack.what = lifecycle_event::acknowledge;
  ack.at = instant::parse("2026-04-01T11:00:00+01:00");
  REQUIRE(e.apply("C-10", ack));
  REQUIRE(e.add_policy(v2));
  REQUIRE(e.open({"C-11", instant::parse("2026-04-01T10:00:00+01:00"), a}));

  const instant now = instant::parse("2026-04-01T12:00:00+01:00");
  auto due_of = [&](const char* id) {
    const auto status = e.status(id, now);
    for (const auto& c : status->clocks)
      if (c.target == "final-response") return c.due;
    return instant{};
  };
  // 8 business days after Wed 1 April: Wed 15 April; 10: Fri 17 April.
  CHECK(e.status("C-10", now)->policy_version == "2026.1");
  CHECK(due_of("C-10") == instant::parse("2026-04-15T23:59:59+01:00"));
  CHECK(due_of("C-11") == instant::parse("2026-04-17T23:59:59+01:00"));

  REQUIRE(e.migrate("C-10", "2026.2"));
  CHECK(e.status("C-10", now)->policy_version == "2026.2");
  CHECK(due_of("C-10") == instant::parse("2026-04-17T23:59:59+01:00"));
  CHECK(e.status("C-10", now)->events == 1);  // its history came along
  auto unknown = e.migrate("C-10", "1999.1");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message == "no policy version \"1999.1\" in this engine");
}

TEST_CASE("a rejected event leaves the engine's complaint exactly as it was, over random events") {
  // Random events, most of them illegal where they land; after every rejection everything
  // observable about the complaint (clocks, owner, pauses, ledger, history) is unchanged, and so
  // are the engine's next wake-up and the actions it has yet to fire.
  std::mt19937_64 random(99);
  std::size_t rejections = 0;
  for (int sequence = 0; sequence < 2000; ++sequence) {
    engine e(iso10002());
    const std::string id = "P-" + std::to_string(sequence);
    const std::int64_t start = instant::parse("2026-03-02T08:00:00Z").unix_seconds() +
                               static_cast<std::int64_t>(random() % (200 * 86400));
    REQUIRE(e.open({id, instant::from_unix(start),
                    {{"kind", "claim"}, {"channel", "phone"}, {"customer_name", "P"}}}));
    std::int64_t t = start;
    for (int step = 0; step < 15; ++step) {
      complaint_event ev;
      ev.what = static_cast<lifecycle_event>(random() % lifecycle_event_count);
      t += static_cast<std::int64_t>(random() % (3 * 86400));
      // Sometimes out of order, sometimes without a reason or a promised instant.
      ev.at = instant::from_unix(random() % 10 == 0 ? t - 7 * 86400 : t);
      if (random() % 2) ev.reason = "documents";
      if (random() % 2) ev.promised = instant::from_unix(t + 86400);
      ev.role = random() % 2 ? "team-lead" : "nobody-declared";
      const instant probe = instant::from_unix(t + 30 * 86400);
      const std::string before = describe(*e.status(id, probe));
      const auto wake_before = e.next_wakeup();
      auto applied = e.apply(id, ev);
      if (applied) continue;
      ++rejections;
      REQUIRE(describe(*e.status(id, probe)) == before);
      REQUIRE(e.next_wakeup() == wake_before);
    }
  }
  CHECK(rejections > 10000);
}
