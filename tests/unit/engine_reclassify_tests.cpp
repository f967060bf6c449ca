// Reclassification (docs/spec/clocks.md, "Reclassification"): a `reclassify` event changes a
// complaint's selector attributes mid-life. Every expected instant was worked by hand on the
// England & Wales calendar (Mon-Fri 09:00-17:00 Europe/London, BST (+01:00) from 29 March 2026;
// bank holidays Fri 3 and Mon 6 April, Mon 31 August) and the Scotland calendar (the same hours;
// its summer bank holiday is Mon 3 August). Tue 14 April 2026 is a Tuesday.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "redress/engine.hpp"
#include "redress/wire.hpp"
#include "support/engine_steps.hpp"
#include "support/shipped.hpp"

using namespace redress;
using redress::testing::rules;
using redress::testing::at;
using redress::testing::utc;
using redress::testing::ok;
using redress::testing::event;

namespace {

// "id at UTC" for each action, in order: what a person checks against the worked instants.
std::vector<std::string> fired(const std::vector<action>& actions) {
  std::vector<std::string> out;
  for (const action& a : actions) out.push_back(a.id + " " + a.at.to_string());
  return out;
}
std::string line(const char* id, const char* when) { return std::string(id) + " " + utc(when); }

complaint_event reclassify(const char* when, complaint_attributes changed) {
  complaint_event e = event(lifecycle_event::reclassify, when);
  e.attributes = std::move(changed);
  return e;
}

// resolution: 40 business hours when normal, 8 when urgent (same start, a new ladder);
// courtesy: normal only; urgent-call: urgent only, 4 elapsed hours; review: restarts.
const policy& reclass_policy() {
  static const policy p = parse_policy(R"([policy]
name = "Reclassification"
version = "1"
calendar = "calendars/england-wales.toml"

[calendars]
scotland = "calendars/scotland.toml"

[regions.england]
description = "England"

[regions.scotland]
calendar = "scotland"

[roles]
handler = "Complaint handler"
team-lead = "Team leader"
urgent-desk = "Urgent desk"

[kinds.claim]
owner = "handler"

[kinds.staff]
owner = "team-lead"

[[targets]]
name = "resolution"
starts = "received"
stops = "responded"
within = "40 business hours"
when = { priority = ["low", "normal", "high"] }
pauses = ["awaiting_customer"]
escalate = [{ at = "50%", notify = "team-lead" }, { at = "100%", notify = "team-lead" }]

[[targets]]
name = "resolution"
starts = "received"
stops = "responded"
within = "8 business hours"
when = { priority = ["urgent"] }
pauses = ["awaiting_customer"]
escalate = [
  { at = "50%", notify = "urgent-desk" },
  { at = "100%", notify = "urgent-desk" },
  { at = "+2 business hours", record = "urgent complaint late" },
]

[[targets]]
name = "courtesy"
starts = "received"
stops = "responded"
within = "5 business days"
when = { priority = ["low", "normal", "high"] }

[[targets]]
name = "urgent-call"
starts = "received"
stops = "responded"
within = "4 hours"
when = { priority = ["urgent"] }

[[targets]]
name = "review"
starts = "registered"
stops = "responded"
within = "16 business hours"
when = { priority = ["low", "normal", "high"] }

[[targets]]
name = "review"
starts = "registered"
stops = "responded"
within = "8 business hours"
when = { priority = ["urgent"] }
on_reclassify = "restart"
)",
                                       rules("reclassify-tests.toml"));
  return p;
}

void open_normal(engine& e, const char* id, const char* received, const char* region = "england") {
  ok(e.open(complaint_intake{id, at(received), {{"kind", "claim"}, {"priority", "normal"}, {"region", region}}}));
}

clock_report clock(const engine& e, const char* id, const char* now, const std::string& target, int cycle = 1) {
  const auto s = e.status(id, at(now));
  REQUIRE(s);
  for (const clock_report& c : s->clocks)
    if (c.target == target && c.cycle == cycle) return c;
  FAIL("no clock " << target << " cycle " << cycle);
  return {};
}

}  // namespace

// R-1, received Tue 14 April 10:00, normal: resolution due after 40 working hours (Tue 7, Wed 8,
// Thu 8, Fri 8, Mon 8 = 39, Tue 21 April 1) at Tue 21 April 10:00; its 50% (20 h) Thu 16 April
// 14:00. Urgent at Wed 15 April 11:00, 9 working hours consumed (Tue 7, Wed 2): 8 working hours
// from the original start end Wed 10:00, already past. So the urgent ladder's 50% (Tue 14:00)
// and 100% (Wed 10:00) fire once, at 11:00, with the breach; +2 business hours after the due,
// Wed 12:00, is still to come. courtesy (normal only) is cancelled; urgent-call starts at 11:00,
// due 4 elapsed hours later, 15:00.
TEST_CASE("reclassify: normal to urgent recomputes the due from the original start", "[engine][reclassify]") {
  engine e(reclass_policy());
  open_normal(e, "R-1", "2026-04-14T10:00:00+01:00");
  CHECK(utc(clock(e, "R-1", "2026-04-15T11:00:00+01:00", "resolution").due) == utc("2026-04-21T10:00:00+01:00"));

  const auto out = ok(e.apply("R-1", reclassify("2026-04-15T11:00:00+01:00", {{"priority", "urgent"}})));
  CHECK(fired(out) == std::vector<std::string>{line("R-1/resolution/L1/c1", "2026-04-15T11:00:00+01:00"),
                                               line("R-1/resolution/L2/c1", "2026-04-15T11:00:00+01:00"),
                                               line("R-1/resolution/breach/c1", "2026-04-15T11:00:00+01:00")});
  CHECK(out[0].notify == std::vector<std::string>{"urgent-desk"});

  const clock_report r = clock(e, "R-1", "2026-04-15T11:00:00+01:00", "resolution");
  CHECK(utc(r.started) == utc("2026-04-14T10:00:00+01:00"));
  CHECK(utc(r.due) == utc("2026-04-15T10:00:00+01:00"));
  CHECK(r.consumed == std::chrono::hours(9));
  CHECK(r.breached);
  CHECK(clock(e, "R-1", "2026-04-15T11:00:00+01:00", "courtesy").state == clock_state::cancelled);
  const clock_report call = clock(e, "R-1", "2026-04-15T11:00:00+01:00", "urgent-call");
  CHECK(utc(call.started) == utc("2026-04-15T11:00:00+01:00"));
  CHECK(utc(call.due) == utc("2026-04-15T15:00:00+01:00"));

  CHECK(fired(e.advance(at("2026-04-15T12:00:00+01:00"))) ==
        std::vector<std::string>{line("R-1/resolution/L3/c1", "2026-04-15T12:00:00+01:00")});
  // Nothing fires twice.
  for (const action& a : e.advance(at("2026-04-30T12:00:00+01:00"))) CHECK(a.target != "resolution");
}

// R-2: the normal 50% (L1) fired at Thu 16 April 14:00. Urgent at 15:00: L1 keeps its firing
// (and its id) and does not fire again; L2, the breach and L3 (Wed 12:00) have passed: all fire at 15:00.
TEST_CASE("reclassify: a level already fired keeps its id and does not fire again", "[engine][reclassify]") {
  engine e(reclass_policy());
  open_normal(e, "R-2", "2026-04-14T10:00:00+01:00");
  CHECK(fired(e.advance(at("2026-04-16T14:30:00+01:00"))) ==
        std::vector<std::string>{line("R-2/resolution/L1/c1", "2026-04-16T14:00:00+01:00")});
  const auto out = ok(e.apply("R-2", reclassify("2026-04-16T15:00:00+01:00", {{"priority", "urgent"}})));
  CHECK(fired(out) == std::vector<std::string>{line("R-2/resolution/L2/c1", "2026-04-16T15:00:00+01:00"),
                                               line("R-2/resolution/L3/c1", "2026-04-16T15:00:00+01:00"),
                                               line("R-2/resolution/breach/c1", "2026-04-16T15:00:00+01:00")});
  const clock_report r = clock(e, "R-2", "2026-04-16T15:00:00+01:00", "resolution");
  REQUIRE(r.levels.size() == 3);
  CHECK(utc(r.levels[0].at) == utc("2026-04-16T14:00:00+01:00"));
  CHECK(utc(r.levels[1].at) == utc("2026-04-16T15:00:00+01:00"));
}

// R-3, received Tue 14 April 10:00, normal; information requested Tue 14:00 (4 working hours
// consumed), urgent at Wed 15 April 12:00, midway through the pause. Urgent from the original
// start: due Wed 10:00, after the pause began, so no breach yet; its 50% (4 h) was reached as
// the pause began: it fires at 12:00. The customer replies Thu 16 April 10:00: the pause covered
// 12 working hours (Tue 3, Wed 8, Thu 1), so the due moves to Thu 14:00 (Wed 10:00 + 12 h: Wed
// 7, Thu 5), the 4 hours left from 10:00. 100% fires then, the breach at 14:00:01, +2 business
// hours at 16:00.
TEST_CASE("reclassify: normal to urgent midway through a pause", "[engine][reclassify]") {
  engine e(reclass_policy());
  open_normal(e, "R-3", "2026-04-14T10:00:00+01:00");
  ok(e.apply("R-3", event(lifecycle_event::acknowledge, "2026-04-14T10:15:00+01:00")));
  ok(e.apply("R-3", event(lifecycle_event::register_complaint, "2026-04-14T10:30:00+01:00")));
  ok(e.apply("R-3", event(lifecycle_event::start_investigation, "2026-04-14T10:45:00+01:00")));
  ok(e.apply("R-3", event(lifecycle_event::request_information, "2026-04-14T14:00:00+01:00")));

  const auto out = ok(e.apply("R-3", reclassify("2026-04-15T12:00:00+01:00", {{"priority", "urgent"}})));
  CHECK(fired(out) == std::vector<std::string>{line("R-3/resolution/L1/c1", "2026-04-15T12:00:00+01:00")});
  const clock_report paused = clock(e, "R-3", "2026-04-15T12:00:00+01:00", "resolution");
  CHECK(paused.state == clock_state::paused);
  CHECK(paused.consumed == std::chrono::hours(4));
  CHECK(utc(paused.due) == utc("2026-04-15T10:00:00+01:00"));
  // (No breach action above: the due passed during the pause, which will move it on resumption.)
  // review restarts: cycle 1 (normal, from registration) cancelled, cycle 2 from 12:00 (paused? no:
  // review does not pause), 8 working hours: Wed 5, Thu 3 -> Thu 16 April 12:00.
  CHECK(clock(e, "R-3", "2026-04-15T12:00:00+01:00", "review", 1).state == clock_state::cancelled);
  const clock_report review = clock(e, "R-3", "2026-04-15T12:00:00+01:00", "review", 2);
  CHECK(utc(review.started) == utc("2026-04-15T12:00:00+01:00"));
  CHECK(utc(review.due) == utc("2026-04-16T12:00:00+01:00"));

  ok(e.apply("R-3", event(lifecycle_event::customer_replied, "2026-04-16T10:00:00+01:00")));
  CHECK(utc(clock(e, "R-3", "2026-04-16T10:00:00+01:00", "resolution").due) == utc("2026-04-16T14:00:00+01:00"));
  std::vector<std::string> resolution;
  for (const action& a : e.advance(at("2026-04-16T16:00:00+01:00")))
    if (a.target == "resolution") resolution.push_back(a.id + " " + a.at.to_string());
  CHECK(resolution == std::vector<std::string>{line("R-3/resolution/L2/c1", "2026-04-16T14:00:00+01:00"),
                                               line("R-3/resolution/breach/c1", "2026-04-16T14:00:01+01:00"),
                                               line("R-3/resolution/L3/c1", "2026-04-16T16:00:00+01:00")});
}

// R-4: the restart rule in a running clock. review (registered Tue 14 April 10:30) is a new
// cycle from the reclassification at Wed 15 April 11:00: 8 working hours, Wed 6, Thu 2 -> Thu 11:00.
TEST_CASE("reclassify: on_reclassify = restart starts a new cycle at the reclassification", "[engine][reclassify]") {
  engine e(reclass_policy());
  open_normal(e, "R-4", "2026-04-14T10:00:00+01:00");
  ok(e.apply("R-4", event(lifecycle_event::acknowledge, "2026-04-14T10:15:00+01:00")));
  ok(e.apply("R-4", event(lifecycle_event::register_complaint, "2026-04-14T10:30:00+01:00")));
  ok(e.apply("R-4", reclassify("2026-04-15T11:00:00+01:00", {{"priority", "urgent"}})));
  const clock_report old_cycle = clock(e, "R-4", "2026-04-15T11:00:00+01:00", "review", 1);
  CHECK(old_cycle.state == clock_state::cancelled);
  CHECK(utc(old_cycle.stopped) == utc("2026-04-15T11:00:00+01:00"));
  const clock_report cycle2 = clock(e, "R-4", "2026-04-15T11:00:00+01:00", "review", 2);
  CHECK(utc(cycle2.due) == utc("2026-04-16T11:00:00+01:00"));
  CHECK(cycle2.consumed == std::chrono::seconds(0));
}

// R-5, received Fri 31 July 09:00 in England: 40 working hours (Fri 8, Mon 3 Aug 8, Tue, Wed,
// Thu) end Thu 6 August 17:00. Moved to Scotland at Fri 13:00, 4 hours consumed: the other 36
// count in Scotland, where Mon 3 August is a bank holiday: Fri 4, Tue 8, Wed 8, Thu 8, Fri 8 ->
// Fri 7 August 17:00.
TEST_CASE("reclassify: a region that switches calendar keeps the working time consumed", "[engine][reclassify]") {
  engine e(reclass_policy());
  open_normal(e, "R-5", "2026-07-31T09:00:00+01:00");
  CHECK(utc(clock(e, "R-5", "2026-07-31T10:00:00+01:00", "resolution").due) == utc("2026-08-06T17:00:00+01:00"));
  ok(e.apply("R-5", reclassify("2026-07-31T13:00:00+01:00", {{"region", "scotland"}})));
  const clock_report r = clock(e, "R-5", "2026-07-31T13:00:00+01:00", "resolution");
  CHECK(utc(r.started) == utc("2026-07-31T09:00:00+01:00"));
  CHECK(r.consumed == std::chrono::hours(4));
  CHECK(utc(r.due) == utc("2026-08-07T17:00:00+01:00"));
  CHECK(e.calendar("R-5") == &reclass_policy().calendar("scotland"));
  // Mon 3 August counts nothing in Scotland: Fri 4 + Tue 2 = 10 hours by Tue 11:00.
  CHECK(clock(e, "R-5", "2026-08-04T11:00:00+01:00", "resolution").consumed == std::chrono::hours(10));
}

TEST_CASE("reclassify: the owner follows the new kind's owner unless assigned by hand", "[engine][reclassify]") {
  engine e(reclass_policy());
  open_normal(e, "O-1", "2026-04-14T10:00:00+01:00");
  ok(e.apply("O-1", event(lifecycle_event::acknowledge, "2026-04-14T10:15:00+01:00")));
  ok(e.apply("O-1", event(lifecycle_event::register_complaint, "2026-04-14T10:30:00+01:00")));
  CHECK(e.owner("O-1") == std::optional<std::string>("handler"));
  const auto out = ok(e.apply("O-1", reclassify("2026-04-14T11:00:00+01:00", {{"kind", "staff"}})));
  CHECK(fired(out) == std::vector<std::string>{line("O-1/owner/team-lead/e3", "2026-04-14T11:00:00+01:00")});
  CHECK(e.owner("O-1") == std::optional<std::string>("team-lead"));
  const auto s = e.status("O-1", at("2026-04-14T12:00:00+01:00"));
  REQUIRE(s);
  CHECK(s->ledger.at("handler") == std::chrono::minutes(30));
  CHECK(s->ledger.at("team-lead") == std::chrono::hours(1));

  open_normal(e, "O-2", "2026-04-14T10:00:00+01:00");
  ok(e.apply("O-2", event(lifecycle_event::acknowledge, "2026-04-14T10:15:00+01:00")));
  ok(e.apply("O-2", event(lifecycle_event::register_complaint, "2026-04-14T10:30:00+01:00")));
  complaint_event by_hand = event(lifecycle_event::assign, "2026-04-14T10:40:00+01:00");
  by_hand.role = "handler";
  ok(e.apply("O-2", by_hand));
  CHECK(ok(e.apply("O-2", reclassify("2026-04-14T11:00:00+01:00", {{"kind", "staff"}}))).empty());
  CHECK(e.owner("O-2") == std::optional<std::string>("handler"));
}

TEST_CASE("reclassify: a refused reclassification leaves the complaint as it was", "[engine][reclassify]") {
  engine e(reclass_policy());
  open_normal(e, "X-1", "2026-04-14T10:00:00+01:00");
  const auto before = e.status("X-1", at("2026-04-14T12:00:00+01:00"));
  REQUIRE(before);
  const auto refused = [&](complaint_attributes changed, const std::string& message) {
    const auto r = e.apply("X-1", reclassify("2026-04-14T11:00:00+01:00", std::move(changed)));
    REQUIRE_FALSE(r);
    CHECK(r.error().what == engine_error::kind::rejected_event);
    CHECK(r.error().message == message);
    CHECK(ok(e.history("X-1")).empty());
    const auto after = e.status("X-1", at("2026-04-14T12:00:00+01:00"));
    REQUIRE(after);
    REQUIRE(after->clocks.size() == before->clocks.size());
    for (std::size_t i = 0; i < after->clocks.size(); ++i) {
      CHECK(after->clocks[i].target == before->clocks[i].target);
      CHECK(utc(after->clocks[i].due) == utc(before->clocks[i].due));
    }
  };
  refused({{"priority", "critical"}},
          "'reclassify' refused: complaint X-1: priority 'critical' is not declared by policy \"Reclassification\" "
          "(declared: low, normal, high, urgent)");
  refused({{"customer_name", "Ada"}},
          "complaint X-1: 'reclassify' refused: 'customer_name' is not a selector attribute (expected one of kind, "
          "priority, channel, tier, region or site)");
  refused({}, "complaint X-1: 'reclassify' refused: it changes no attribute (expected one or more of kind, priority, "
              "channel, tier, region or site)");

  engine closed(reclass_policy());
  open_normal(closed, "X-2", "2026-04-14T10:00:00+01:00");
  for (lifecycle_event step : {lifecycle_event::acknowledge, lifecycle_event::register_complaint,
                               lifecycle_event::start_investigation, lifecycle_event::send_response,
                               lifecycle_event::close}) {
    complaint_event ev = event(step, "2026-04-14T10:30:00+01:00");
    ok(closed.apply("X-2", ev));
  }
  const auto r = closed.apply("X-2", reclassify("2026-04-14T11:00:00+01:00", {{"priority", "urgent"}}));
  REQUIRE_FALSE(r);
  CHECK(r.error().what == engine_error::kind::rejected_event);
  CHECK(r.error().message.find("'reclassify'") != std::string::npos);
  CHECK(ok(closed.history("X-2")).size() == 5);
}

// The event is in the history with the attributes it changed, survives a snapshot and the wire,
// and replaying the history gives the live state.
TEST_CASE("reclassify: history, snapshot, wire and replay", "[engine][reclassify]") {
  engine e(reclass_policy());
  const complaint_intake intake{"H-1", at("2026-04-14T10:00:00+01:00"), {{"kind", "claim"}, {"priority", "normal"}}};
  ok(e.open(intake));
  complaint_event ev = reclassify("2026-04-15T11:00:00+01:00", {{"priority", "urgent"}, {"kind", "staff"}});
  ev.actor = "supervisor-7";
  ev.reason = "customer is vulnerable";
  ok(e.apply("H-1", ev));
  const auto history = ok(e.history("H-1"));
  REQUIRE(history.size() == 1);
  CHECK(history[0].what == lifecycle_event::reclassify);
  CHECK(history[0].attributes == complaint_attributes{{"kind", "staff"}, {"priority", "urgent"}});
  CHECK(history[0].actor == "supervisor-7");

  const std::string json = wire::to_json(history[0], reclass_policy().calendar("england-wales").zone());
  CHECK(json.find("\"attributes\":{\"kind\":\"staff\",\"priority\":\"urgent\"}") != std::string::npos);
  CHECK(wire::event_from_json(json).attributes == history[0].attributes);

  const auto snap = e.snapshot("H-1");
  REQUIRE(snap);
  engine other(reclass_policy());
  ok(other.restore(*snap));
  const auto live = e.status("H-1", at("2026-04-20T09:00:00+01:00"));
  const auto restored = other.status("H-1", at("2026-04-20T09:00:00+01:00"));
  const auto replayed = replay(reclass_policy(), intake, history, at("2026-04-20T09:00:00+01:00"));
  REQUIRE(live);
  REQUIRE(restored);
  REQUIRE(replayed);
  REQUIRE(live->clocks.size() == restored->clocks.size());
  REQUIRE(live->clocks.size() == replayed->clocks.size());
  for (std::size_t i = 0; i < live->clocks.size(); ++i) {
    CHECK(utc(live->clocks[i].due) == utc(restored->clocks[i].due));
    CHECK(utc(live->clocks[i].due) == utc(replayed->clocks[i].due));
    CHECK(live->clocks[i].state == replayed->clocks[i].state);
  }
  // A second reclassification starts from the attributes the first left.
  ok(e.apply("H-1", reclassify("2026-04-16T11:00:00+01:00", {{"priority", "normal"}})));
  CHECK(utc(clock(e, "H-1", "2026-04-16T11:00:00+01:00", "resolution").due) == utc("2026-04-21T10:00:00+01:00"));
}
