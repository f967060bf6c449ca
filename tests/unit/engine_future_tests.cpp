// Status that tells the future (docs/spec/clocks.md, "Status while paused"): for a paused clock,
// status(id, now) reports the due instant it would have if the pause ended now, and each level
// not yet fired at the instant it would fire then. Every expected instant was worked by hand on
// the England & Wales calendar (Mon-Fri 09:00-17:00 Europe/London, BST (+01:00) from 29 March
// 2026). Tue 14 April 2026 is a Tuesday.
#include <catch2/catch.hpp>

#include <optional>
#include <string>

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

// resolution: 8 business hours, paused while awaiting the customer; 50%, 100% and +2 business
// hours after the due.
const policy& future_policy() {
  static const policy p = parse_policy(R"([policy]
name = "Future"
version = "1"
calendar = "calendars/england-wales.toml"

[roles]
handler = "Complaint handler"
team-lead = "Team leader"

[kinds.claim]
owner = "handler"

[[targets]]
name = "resolution"
starts = "received"
stops = "responded"
within = "8 business hours"
pauses = ["awaiting_customer"]
escalate = [
  { at = "50%", notify = "team-lead" },
  { at = "100%", notify = "team-lead" },
  { at = "+2 business hours", record = "complaint late" },
]
)",
                                       rules("future-tests.toml"));
  return p;
}

clock_report resolution(const engine& e, const char* now) {
  const auto s = e.status("F-1", at(now));
  REQUIRE(s);
  REQUIRE(s->clocks.size() == 1);
  return s->clocks[0];
}

// F-1, received Tue 14 April 10:00: due after 8 working hours (Tue 7, Wed 1) at Wed 15 April
// 10:00. Information requested Tue 13:00, 3 working hours consumed, 5 left; nothing fired.
void open_paused(engine& e) {
  ok(e.open(complaint_intake{"F-1", at("2026-04-14T10:00:00+01:00"), {{"kind", "claim"}, {"priority", "normal"}}}));
  ok(e.apply("F-1", event(lifecycle_event::acknowledge, "2026-04-14T10:15:00+01:00")));
  ok(e.apply("F-1", event(lifecycle_event::register_complaint, "2026-04-14T10:30:00+01:00")));
  ok(e.apply("F-1", event(lifecycle_event::start_investigation, "2026-04-14T10:45:00+01:00")));
  ok(e.apply("F-1", event(lifecycle_event::request_information, "2026-04-14T13:00:00+01:00")));
}

}  // namespace

// At Wed 12:00 the pause has covered 7 working hours (Tue 4, Wed 3): resumed then, the due is
// Wed 10:00 + 7 h = Wed 17:00 (Wed 7); 50% (4 h, 1 h to go) at Wed 13:00; 100% at the due, Wed
// 17:00; +2 business hours at Thu 16 April 11:00 (Thu 09:00 + 2 h).
TEST_CASE("status of a paused clock: the due and each unfired level if the pause ended now", "[future]") {
  engine e(future_policy());
  open_paused(e);
  const clock_report r = resolution(e, "2026-04-15T12:00:00+01:00");
  CHECK(r.state == clock_state::paused);
  CHECK(utc(r.due) == utc("2026-04-15T10:00:00+01:00"));
  CHECK(utc(r.due_if_resumed_now) == utc("2026-04-15T17:00:00+01:00"));
  REQUIRE(r.levels.size() == 3);
  CHECK_FALSE(r.levels[0].fired);
  CHECK(utc(r.levels[0].at) == utc("2026-04-15T13:00:00+01:00"));
  CHECK(utc(r.levels[1].at) == utc("2026-04-15T17:00:00+01:00"));
  CHECK(utc(r.levels[2].at) == utc("2026-04-16T11:00:00+01:00"));

  // At the moment it paused (Tue 13:00) nothing has moved: the due is the stored one, 50% is
  // 1 h later (Tue 14:00), +2 business hours Wed 12:00.
  const clock_report now = resolution(e, "2026-04-14T13:00:00+01:00");
  CHECK(utc(now.due_if_resumed_now) == utc("2026-04-15T10:00:00+01:00"));
  CHECK(utc(now.levels[0].at) == utc("2026-04-14T14:00:00+01:00"));
  CHECK(utc(now.levels[2].at) == utc("2026-04-15T12:00:00+01:00"));

  // The customer replies Wed 12:00: the clock runs with the due status() predicted.
  ok(e.apply("F-1", event(lifecycle_event::customer_replied, "2026-04-15T12:00:00+01:00")));
  const clock_report running = resolution(e, "2026-04-15T12:00:00+01:00");
  CHECK(utc(running.due) == utc("2026-04-15T17:00:00+01:00"));
  CHECK_FALSE(running.due_if_resumed_now);
  CHECK(utc(running.levels[0].at) == utc("2026-04-15T13:00:00+01:00"));
  CHECK(utc(running.levels[2].at) == utc("2026-04-16T11:00:00+01:00"));
}

// The defect: at Wed 12:00 `now` is past the stored due (Wed 10:00), but the clock is paused,
// the breach never fired and the due moves on resumption (to Wed 17:00): not breached.
TEST_CASE("status of a paused clock past its stored due is not breached", "[future]") {
  engine e(future_policy());
  open_paused(e);
  CHECK(e.advance(at("2026-04-15T12:00:00+01:00")).empty());
  const clock_report r = resolution(e, "2026-04-15T12:00:00+01:00");
  CHECK(r.state == clock_state::paused);
  CHECK_FALSE(r.breached);
}

// The wire form of the same paused clock at Wed 12:00 (docs/wire-format.md, clock-report): the
// stored due (Wed 10:00), due_if_resumed_now (Wed 17:00) and each unfired level's instant if the
// pause ended then; 3 of 8 working hours consumed (10,800 s, 37.5%), 5 left (18,000 s).
TEST_CASE("wire: a paused clock's status carries due_if_resumed_now and each level's instant", "[future]") {
  engine e(future_policy());
  open_paused(e);
  const auto s = e.status("F-1", at("2026-04-15T12:00:00+01:00"));
  REQUIRE(s);
  const time_zone& zone = future_policy().calendar(s->calendar).zone();
  CHECK(wire::to_json(s->clocks.at(0), zone) ==
        R"({"target":"resolution","cycle":1,"state":"paused","breached":false,)"
        R"("started":"2026-04-14T10:00:00+01:00","due":"2026-04-15T10:00:00+01:00","stopped":null,)"
        R"("extended":false,"consumed":"PT3H","consumed_seconds":10800,"remaining":"PT5H",)"
        R"("remaining_seconds":18000,"percent_consumed":37.5,"owner":"handler","levels":[)"
        R"({"label":"50%","at":"2026-04-15T13:00:00+01:00","fired":false},)"
        R"({"label":"100%","at":"2026-04-15T17:00:00+01:00","fired":false},)"
        R"({"label":"+2 business hours","at":"2026-04-16T11:00:00+01:00","fired":false}],)"
        R"("due_if_resumed_now":"2026-04-15T17:00:00+01:00"})");

  // Running again (the customer replied Wed 12:00): due_if_resumed_now is null.
  ok(e.apply("F-1", event(lifecycle_event::customer_replied, "2026-04-15T12:00:00+01:00")));
  const auto running = e.status("F-1", at("2026-04-15T12:00:00+01:00"));
  REQUIRE(running);
  CHECK(wire::to_json(running->clocks.at(0), zone).find(R"(,"due_if_resumed_now":null})") != std::string::npos);
}

// A stopped clock's unfired levels show where they would have fired had it run on (docs/spec/
// clocks.md, "Status after a stop"). F-1 met Tue 13:00 (3 of 8 working hours consumed, due Wed
// 10:00): 50% (4 h) 1 h on, Tue 14:00; 100% at the due, Wed 10:00; +2 business hours Wed 12:00.
TEST_CASE("status of a met clock: each unfired level at the instant it would have fired", "[future]") {
  engine e(future_policy());
  ok(e.open(complaint_intake{"F-1", at("2026-04-14T10:00:00+01:00"), {{"kind", "claim"}, {"priority", "normal"}}}));
  ok(e.apply("F-1", event(lifecycle_event::acknowledge, "2026-04-14T10:15:00+01:00")));
  ok(e.apply("F-1", event(lifecycle_event::register_complaint, "2026-04-14T10:30:00+01:00")));
  ok(e.apply("F-1", event(lifecycle_event::start_investigation, "2026-04-14T10:45:00+01:00")));
  ok(e.apply("F-1", event(lifecycle_event::send_response, "2026-04-14T13:00:00+01:00")));
  const clock_report r = resolution(e, "2026-04-20T00:00:00+01:00");
  CHECK(r.state == clock_state::met);
  CHECK_FALSE(r.due_if_resumed_now);
  REQUIRE(r.levels.size() == 3);
  for (const level_report& l : r.levels) CHECK_FALSE(l.fired);
  CHECK(utc(r.levels[0].at) == utc("2026-04-14T14:00:00+01:00"));
  CHECK(utc(r.levels[1].at) == utc("2026-04-15T10:00:00+01:00"));
  CHECK(utc(r.levels[2].at) == utc("2026-04-15T12:00:00+01:00"));
}
