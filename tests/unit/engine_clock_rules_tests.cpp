// The clock contract (docs/spec/clocks.md) at run time: pauses in working and elapsed time,
// the pause budget, levels moved by a pause, periodic re-arming, rounding of percentage levels,
// clocks started on reopening, and the pause record. Every expected instant was worked by hand on
// the England & Wales calendar: Mon-Fri 09:00-17:00 Europe/London, BST (+01:00) all of April and
// May 2026; bank holidays Fri 3 April, Mon 6 April, Mon 4 May. Wed 1 April 2026 is a Wednesday.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "redress/engine.hpp"
#include "support/shipped.hpp"

using namespace redress;
using redress::testing::rules;
using std::chrono::hours;

namespace {

instant at(const char* text) { return instant::parse(text); }

// Instants compared as UTC text, so that a failure prints both sides.
std::string utc(const std::optional<instant>& i) { return i ? i->to_string() : "none"; }
std::string utc(const char* text) { return at(text).to_string(); }

complaint_event event(lifecycle_event what, const char* when, const char* reason = "") {
  complaint_event e;
  e.what = what;
  e.at = at(when);
  e.reason = reason;
  return e;
}

std::vector<action> of_kind(const std::vector<action>& actions, action::kind what) {
  std::vector<action> out;
  for (const action& a : actions)
    if (a.what == what) out.push_back(a);
  return out;
}

std::vector<action> ok(outcome<std::vector<action>> result) {
  INFO((result ? std::string() : result.error().message));
  REQUIRE(result);
  return std::move(result).value();
}

// Four clocks: working time, elapsed time, a day period, a periodic update; and one that
// starts when the complaint is reopened. `pauses` is the policy's [pauses] table.
std::string clock_policy_text(const std::string& pauses) {
  return R"([policy]
name = "Clock rules"
version = "1"
calendar = "calendars/england-wales.toml"

[roles]
handler = "Complaint handler"
team-lead = "Team leader"

)" + pauses + R"(

[[targets]]
name = "investigation"
starts = "received"
stops = "responded"
within = "16 business hours"
pauses = ["awaiting_customer"]
escalate = [
  { at = "50%", notify = "team-lead" },
  { at = "90%", notify = "team-lead" },
  { at = "+1 business hours", record = "investigation late" },
]

[[targets]]
name = "call-back"
starts = "received"
stops = "responded"
within = "48 hours"
pauses = ["awaiting_customer"]
escalate = [{ at = "25%", notify = "handler" }, { at = "2 hours before", notify = "team-lead" }]

[[targets]]
name = "written-reply"
starts = "received"
stops = "responded"
within = "1 business day"
escalate = [{ at = "33%", notify = "handler" }]

[[targets]]
name = "keep-informed"
starts = "registered"
stops = "responded"
every = "3 business days"
rearm_on = ["contact_customer"]

[[targets]]
name = "reopened-review"
starts = "reopen"
stops = "responded"
within = "5 business days"
)";
}

policy clock_policy(const std::string& pauses) { return parse_policy(clock_policy_text(pauses), rules("clock-rules.toml")); }

const char* const no_budget = "[pauses]\nreason_required = true\n";

// Opens a claim at `received` and takes it to investigating 15, 30 and 45 minutes later.
void open_and_investigate(engine& e, const std::string& id, const char* received) {
  const instant r = at(received);
  ok(e.open(complaint_intake{id, r, {{"kind", "claim"}}}));
  const lifecycle_event steps[] = {lifecycle_event::acknowledge, lifecycle_event::register_complaint,
                                   lifecycle_event::start_investigation};
  for (int i = 0; i < 3; ++i) {
    complaint_event step;
    step.what = steps[i];
    step.at = instant::from_unix(r.unix_seconds() + 900 * (i + 1));
    ok(e.apply(id, step));
  }
}

clock_report clock(const engine& e, const std::string& id, const char* now, const std::string& target,
                   int cycle = 1) {
  const auto s = e.status(id, at(now));
  REQUIRE(s);
  for (const clock_report& c : s->clocks)
    if (c.target == target && c.cycle == cycle) return c;
  FAIL("no clock " << target << " cycle " << cycle);
  return {};
}

// Levels of the complaint L-1 before any pause. investigation (16 working hours from Tue 10:00):
//   50% = 8h: Tue 7h + Wed 1h -> Wed 15 April 10:00;
//   90% = 14.4h = 14h24m: Tue 7h + Wed 7h24m -> Wed 16:24;
//   +1 business hours after the due Thu 10:00 -> Thu 11:00.
// call-back (48 elapsed hours): 25% = 12h -> Tue 22:00; 2 hours before Thu 10:00 -> Thu 08:00.
// Then a pause Wed 15:30 to Thu 09:30 (2 working hours, 18 elapsed hours), when investigation's
// 50% and call-back's 25% have fired and the other levels have not.
void pause_after_first_levels(engine& e) {
  open_and_investigate(e, "L-1", "2026-04-14T10:00:00+01:00");
  clock_report inv = clock(e, "L-1", "2026-04-14T11:00:00+01:00", "investigation");
  REQUIRE(inv.levels.size() == 3);
  CHECK(utc(inv.levels[0].at) == utc("2026-04-15T10:00:00+01:00"));
  CHECK(utc(inv.levels[1].at) == utc("2026-04-15T16:24:00+01:00"));
  CHECK(utc(inv.levels[2].at) == utc("2026-04-16T11:00:00+01:00"));
  clock_report cb = clock(e, "L-1", "2026-04-14T11:00:00+01:00", "call-back");
  REQUIRE(cb.levels.size() == 2);
  CHECK(utc(cb.levels[0].at) == utc("2026-04-14T22:00:00+01:00"));
  CHECK(utc(cb.levels[1].at) == utc("2026-04-16T08:00:00+01:00"));

  // Fired in the catch-up before the pause, at their instants (BST = Z + 1h). written-reply's
  // 33% of 15 working hours (Tue 7h + Wed 8h) = 4h57m -> Tue 14:57.
  std::vector<std::string> fired;
  for (const action& a : ok(e.apply("L-1", event(lifecycle_event::request_information,
                                                 "2026-04-15T15:30:00+01:00", "receipt"))))
    if (a.what == action::kind::escalation) fired.push_back(a.at.to_string() + " " + a.id);
  CHECK(fired == std::vector<std::string>{"2026-04-14T13:57:00Z L-1/written-reply/L1/c1",
                                          "2026-04-14T21:00:00Z L-1/call-back/L1/c1",
                                          "2026-04-15T09:00:00Z L-1/investigation/L1/c1"});
  ok(e.apply("L-1", event(lifecycle_event::customer_replied, "2026-04-16T09:30:00+01:00")));
}

}  // namespace

TEST_CASE("a pause moves a working-time deadline by the working hours paused, and records who and why") {
  engine e(clock_policy(no_budget));
  open_and_investigate(e, "W-1", "2026-04-14T10:00:00+01:00");
  // 16 business hours from Tue 14 April 10:00: Tue 10-17 (7h) + Wed 15 (8h) + Thu 16 09-10 (1h).
  CHECK(utc(clock(e, "W-1", "2026-04-14T11:00:00+01:00", "investigation").due) == utc("2026-04-16T10:00:00+01:00"));

  complaint_event ask = event(lifecycle_event::request_information, "2026-04-15T15:30:00+01:00",
                              "photos of the damaged parcel");
  ask.actor = "agent-7";
  ok(e.apply("W-1", ask));
  CHECK(clock(e, "W-1", "2026-04-15T20:00:00+01:00", "investigation").state == clock_state::paused);
  ok(e.apply("W-1", event(lifecycle_event::customer_replied, "2026-04-16T09:30:00+01:00")));

  // Paused Wed 15:30 to Thu 09:30: 18 elapsed hours, but only Wed 15:30-17:00 (1.5h) and
  // Thu 09:00-09:30 (0.5h) of working time, so the due moves 2 working hours: Thu 10:00 -> 12:00.
  // (Consumed before the pause: Tue 7h + Wed 6.5h = 13.5h; 2.5h left from Thu 09:30 is 12:00.)
  const clock_report inv = clock(e, "W-1", "2026-04-16T09:30:00+01:00", "investigation");
  CHECK(inv.state == clock_state::running);
  CHECK(utc(inv.due) == utc("2026-04-16T12:00:00+01:00"));

  const auto s = e.status("W-1", at("2026-04-16T09:30:00+01:00"));
  REQUIRE(s->pauses.size() == 1);
  CHECK(s->pauses[0].actor == "agent-7");
  CHECK(s->pauses[0].reason == "photos of the damaged parcel");
  CHECK(utc(s->pauses[0].from) == utc("2026-04-15T15:30:00+01:00"));
  CHECK(utc(s->pauses[0].to) == utc("2026-04-16T09:30:00+01:00"));
  CHECK(s->pauses[0].working == hours{2});
}

TEST_CASE("a pause moves an elapsed-time deadline by the elapsed length of the pause") {
  engine e(clock_policy(no_budget));
  open_and_investigate(e, "E-1", "2026-04-14T10:00:00+01:00");
  // 48 hours from Tue 14 April 10:00 is Thu 16 April 10:00, nights and all.
  CHECK(utc(clock(e, "E-1", "2026-04-14T11:00:00+01:00", "call-back").due) == utc("2026-04-16T10:00:00+01:00"));
  ok(e.apply("E-1", event(lifecycle_event::request_information, "2026-04-15T15:30:00+01:00", "receipt")));
  ok(e.apply("E-1", event(lifecycle_event::customer_replied, "2026-04-16T09:30:00+01:00")));
  // Paused Wed 15:30 to Thu 09:30 = 18 elapsed hours: Thu 10:00 + 18h = Fri 17 April 04:00.
  CHECK(utc(clock(e, "E-1", "2026-04-16T09:30:00+01:00", "call-back").due) == utc("2026-04-17T04:00:00+01:00"));
}

TEST_CASE("a pause moves the escalation levels not yet fired, and fired ones do not fire again") {
  engine e(clock_policy(no_budget));
  pause_after_first_levels(e);

  const clock_report inv = clock(e, "L-1", "2026-04-16T09:30:00+01:00", "investigation");
  CHECK(inv.levels[0].fired);
  CHECK_FALSE(inv.levels[1].fired);
  // 90% moves 2 working hours: Wed 16:24 -> (Wed 16:24-17:00 36m, Thu 09:00-10:24 84m) Thu 10:24.
  // Same by consumption: 13.5h consumed before the pause, 0.9h = 54m after Thu 09:30.
  CHECK(utc(inv.levels[1].at) == utc("2026-04-16T10:24:00+01:00"));
  // +1 business hours after the moved due (Thu 12:00): Thu 13:00.
  CHECK(utc(inv.levels[2].at) == utc("2026-04-16T13:00:00+01:00"));

  const clock_report cb = clock(e, "L-1", "2026-04-16T09:30:00+01:00", "call-back");
  CHECK(cb.levels[0].fired);
  // 2 hours before the moved due (Fri 17 April 04:00): Fri 02:00.
  CHECK_FALSE(cb.levels[1].fired);
  CHECK(utc(cb.levels[1].at) == utc("2026-04-17T02:00:00+01:00"));

  // They fire there, in time order, and the levels fired before the pause do not fire again.
  std::vector<std::string> fired;
  for (const action& a : e.advance(at("2026-04-17T03:00:00+01:00")))
    if (a.what == action::kind::escalation) fired.push_back(a.at.to_string() + " " + a.id);
  CHECK(fired == std::vector<std::string>{"2026-04-16T09:24:00Z L-1/investigation/L2/c1",
                                          "2026-04-16T12:00:00Z L-1/investigation/L3/c1",
                                          "2026-04-17T01:00:00Z L-1/call-back/L2/c1"});
}

// Contract: "a pause moves the instants of the levels not yet fired", so a level that fired
// keeps its instant; engine.hpp: level_report::at is "when it fires (or fired)".
TEST_CASE("levels fired before a pause still report the instant they fired at") {
  engine e(clock_policy(no_budget));
  pause_after_first_levels(e);
  CHECK(utc(clock(e, "L-1", "2026-04-16T09:30:00+01:00", "investigation").levels[0].at) ==
        utc("2026-04-15T10:00:00+01:00"));
  CHECK(utc(clock(e, "L-1", "2026-04-16T09:30:00+01:00", "call-back").levels[0].at) ==
        utc("2026-04-14T22:00:00+01:00"));
}

TEST_CASE("a level fired before its clock stops still reports the instant it fired at") {
  engine e(clock_policy(no_budget));
  pause_after_first_levels(e);
  // written-reply's 33% level fired Tue 14 April 14:57; the response on Thu 16 April stops the
  // clock, which no longer runs a ladder, and the level still says when it fired.
  ok(e.apply("L-1", event(lifecycle_event::propose_resolution, "2026-04-16T10:00:00+01:00")));
  ok(e.apply("L-1", event(lifecycle_event::customer_accepts, "2026-04-16T10:10:00+01:00")));
  ok(e.apply("L-1", event(lifecycle_event::send_response, "2026-04-16T10:20:00+01:00")));
  const clock_report reply = clock(e, "L-1", "2026-04-16T11:00:00+01:00", "written-reply");
  CHECK(reply.state != clock_state::running);
  CHECK(reply.levels[0].fired);
  CHECK(utc(reply.levels[0].at) == utc("2026-04-14T14:57:00+01:00"));
}

TEST_CASE("a refused pause: once the budget is spent the pause ends, and a new pause is refused") {
  engine e(clock_policy("[pauses]\nbudget = \"4 business hours\"\nwhen_exceeded = \"refuse\"\n"));
  open_and_investigate(e, "B-1", "2026-04-14T10:00:00+01:00");
  ok(e.apply("B-1", event(lifecycle_event::request_information, "2026-04-14T15:00:00+01:00", "photos")));
  // 4 working hours of pause from Tue 15:00: Tue 15-17 (2h) + Wed 09-11 (2h) -> Wed 15 April 11:00.
  const std::vector<action> ended = of_kind(e.advance(at("2026-04-15T12:00:00+01:00")), action::kind::pause_ended);
  REQUIRE(ended.size() == 1);
  CHECK(utc(ended[0].at) == utc("2026-04-15T11:00:00+01:00"));
  CHECK(ended[0].id == "B-1/pause/budget/c1");

  auto s = e.status("B-1", at("2026-04-15T12:00:00+01:00"));
  CHECK(s->state.main == complaint_state::awaiting_customer);  // still waiting, but clocks run
  REQUIRE(s->pauses.size() == 1);
  CHECK(utc(s->pauses[0].to) == utc("2026-04-15T11:00:00+01:00"));
  CHECK(s->pauses[0].working == hours{4});
  // investigation: Thu 16 10:00 + 4 working hours (Thu 10-14) = Thu 14:00.
  CHECK(clock(e, "B-1", "2026-04-15T12:00:00+01:00", "investigation").state == clock_state::running);
  CHECK(utc(clock(e, "B-1", "2026-04-15T12:00:00+01:00", "investigation").due) == utc("2026-04-16T14:00:00+01:00"));
  // call-back: paused Tue 15:00 to Wed 11:00 = 20 elapsed hours: Thu 10:00 + 20h = Fri 17 06:00.
  CHECK(utc(clock(e, "B-1", "2026-04-15T12:00:00+01:00", "call-back").due) == utc("2026-04-17T06:00:00+01:00"));

  ok(e.apply("B-1", event(lifecycle_event::customer_replied, "2026-04-15T14:00:00+01:00")));
  e.advance(at("2026-04-15T15:00:00+01:00"));
  const auto before = e.status("B-1", at("2026-04-15T15:00:00+01:00"));
  const auto history_before = e.history("B-1");
  auto refused =
      e.apply("B-1", event(lifecycle_event::request_information, "2026-04-15T15:00:00+01:00", "more photos"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().what == engine_error::kind::pause_refused);
  CHECK(refused.error().message ==
        "complaint B-1: its pause budget of 4 business hours is spent; the clocks cannot pause again");

  const auto after = e.status("B-1", at("2026-04-15T15:00:00+01:00"));
  CHECK(after->state == before->state);
  CHECK(after->state.main == complaint_state::investigating);
  CHECK(after->events == before->events);
  CHECK(after->pauses.size() == before->pauses.size());
  REQUIRE(after->clocks.size() == before->clocks.size());
  for (std::size_t i = 0; i < after->clocks.size(); ++i) {
    CHECK(after->clocks[i].state == before->clocks[i].state);
    CHECK(after->clocks[i].due == before->clocks[i].due);
  }
  CHECK(e.history("B-1")->size() == history_before->size());
}

// The budget spent exactly when the customer replies is spent as much as one that runs out
// mid-pause: the next pause is refused, not accepted as a zero-length pause ending at once.
TEST_CASE("a refuse budget spent exactly at the customer's reply refuses the next pause") {
  engine e(clock_policy("[pauses]\nbudget = \"4 business hours\"\nwhen_exceeded = \"refuse\"\n"));
  open_and_investigate(e, "B-3", "2026-04-14T10:00:00+01:00");
  ok(e.apply("B-3", event(lifecycle_event::request_information, "2026-04-14T15:00:00+01:00", "photos")));
  // The reply at Wed 15 April 11:00: Tue 15-17 (2h) + Wed 09-11 (2h) = the whole 4 hours.
  ok(e.apply("B-3", event(lifecycle_event::customer_replied, "2026-04-15T11:00:00+01:00")));
  auto s = e.status("B-3", at("2026-04-15T11:00:00+01:00"));
  REQUIRE(s->pauses.size() == 1);
  CHECK(s->pauses[0].working == hours{4});

  auto refused =
      e.apply("B-3", event(lifecycle_event::request_information, "2026-04-15T14:00:00+01:00", "more photos"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().what == engine_error::kind::pause_refused);
  CHECK(refused.error().message ==
        "complaint B-3: its pause budget of 4 business hours is spent; the clocks cannot pause again");
  CHECK(of_kind(e.advance(at("2026-04-15T16:00:00+01:00")), action::kind::pause_ended).empty());
  s = e.status("B-3", at("2026-04-15T16:00:00+01:00"));
  CHECK(s->state.main == complaint_state::investigating);
  CHECK(s->pauses.size() == 1);
}

// The same in end-pause mode: the next pause is accepted but stops no clock, with no action.
TEST_CASE("an end-pause budget spent exactly at the customer's reply: the next pause stops no clock") {
  engine e(clock_policy("[pauses]\nbudget = \"4 business hours\"\nwhen_exceeded = \"end-pause\"\n"));
  open_and_investigate(e, "B-4", "2026-04-14T10:00:00+01:00");
  ok(e.apply("B-4", event(lifecycle_event::request_information, "2026-04-14T15:00:00+01:00", "photos")));
  ok(e.apply("B-4", event(lifecycle_event::customer_replied, "2026-04-15T11:00:00+01:00")));
  const std::vector<action> second =
      ok(e.apply("B-4", event(lifecycle_event::request_information, "2026-04-15T14:00:00+01:00", "more photos")));
  CHECK(of_kind(second, action::kind::pause_ended).empty());
  CHECK(of_kind(e.advance(at("2026-04-15T16:00:00+01:00")), action::kind::pause_ended).empty());
  const auto s = e.status("B-4", at("2026-04-15T16:00:00+01:00"));
  CHECK(s->state.main == complaint_state::awaiting_customer);
  CHECK(s->pauses.size() == 1);
  // investigation: Thu 16 10:00 + the 4 working hours paused (Thu 10-14) = Thu 14:00.
  const clock_report inv = clock(e, "B-4", "2026-04-15T16:00:00+01:00", "investigation");
  CHECK(inv.state == clock_state::running);
  CHECK(utc(inv.due) == utc("2026-04-16T14:00:00+01:00"));
}

TEST_CASE("an end-pause budget: the pause ends when the budget is spent, later pauses do not stop the clocks") {
  engine e(clock_policy("[pauses]\nbudget = \"4 business hours\"\nwhen_exceeded = \"end-pause\"\n"));
  open_and_investigate(e, "B-2", "2026-04-14T10:00:00+01:00");
  // First pause Tue 15:00-16:00: 1 working hour of the 4 spent.
  ok(e.apply("B-2", event(lifecycle_event::request_information, "2026-04-14T15:00:00+01:00", "photos")));
  ok(e.apply("B-2", event(lifecycle_event::customer_replied, "2026-04-14T16:00:00+01:00")));
  // Second pause from Wed 15 April 09:00: the 3 hours left run out at Wed 12:00.
  ok(e.apply("B-2", event(lifecycle_event::request_information, "2026-04-15T09:00:00+01:00", "receipt")));
  const std::vector<action> ended = of_kind(e.advance(at("2026-04-15T13:00:00+01:00")), action::kind::pause_ended);
  REQUIRE(ended.size() == 1);
  CHECK(utc(ended[0].at) == utc("2026-04-15T12:00:00+01:00"));
  CHECK(ended[0].id == "B-2/pause/budget/c2");

  const auto s = e.status("B-2", at("2026-04-15T13:00:00+01:00"));
  REQUIRE(s->pauses.size() == 2);
  CHECK(utc(s->pauses[1].to) == utc("2026-04-15T12:00:00+01:00"));
  CHECK(s->pauses[1].working == hours{3});
  // investigation: Thu 16 10:00 + 1h + 3h of working time = Thu 14:00.
  CHECK(utc(clock(e, "B-2", "2026-04-15T13:00:00+01:00", "investigation").due) == utc("2026-04-16T14:00:00+01:00"));

  // A third pause is accepted (the complaint waits for the customer) but stops no clock.
  ok(e.apply("B-2", event(lifecycle_event::customer_replied, "2026-04-15T14:00:00+01:00")));
  ok(e.apply("B-2", event(lifecycle_event::request_information, "2026-04-15T15:00:00+01:00", "more photos")));
  const clock_report inv = clock(e, "B-2", "2026-04-15T16:00:00+01:00", "investigation");
  CHECK(e.status("B-2", at("2026-04-15T16:00:00+01:00"))->state.main == complaint_state::awaiting_customer);
  CHECK(inv.state == clock_state::running);
  CHECK(utc(inv.due) == utc("2026-04-16T14:00:00+01:00"));
}

// An escalation level names who verifies it was acted on (`verifier`), as a corrective action
// does: the action carries it and its summary says so. A level without one names nobody.
TEST_CASE("an escalation action names the level's verifier") {
  std::string text = clock_policy_text(no_budget);
  const std::string level = "{ at = \"50%\", notify = \"team-lead\" },";
  REQUIRE(text.find(level) != std::string::npos);
  text.replace(text.find(level), level.size(), "{ at = \"50%\", notify = \"team-lead\", verifier = \"team-lead\" },");
  engine e(parse_policy(text, rules("clock-rules.toml")));
  open_and_investigate(e, "V-1", "2026-04-14T10:00:00+01:00");
  // investigation's 50% (8 of 16 working hours from Tue 10:00) is Wed 15 April 10:00; its 90%
  // is Wed 16:24.
  const std::vector<action> fired = of_kind(e.advance(at("2026-04-15T17:00:00+01:00")), action::kind::escalation);
  std::vector<action> inv;
  for (const action& a : fired)
    if (a.target == "investigation") inv.push_back(a);
  REQUIRE(inv.size() == 2);
  CHECK(inv[0].id == "V-1/investigation/L1/c1");
  CHECK(inv[0].verifier == "team-lead");
  CHECK(inv[0].summary == "investigation at 50% (due 2026-04-16T10:00:00+01:00): notify team-lead; verified by team-lead");
  CHECK(inv[1].id == "V-1/investigation/L2/c1");
  CHECK(inv[1].verifier.empty());
  CHECK(inv[1].summary == "investigation at 90% (due 2026-04-16T10:00:00+01:00): notify team-lead");
}

TEST_CASE("an escalation level's verifier must be a role of the policy") {
  std::string text = clock_policy_text(no_budget);
  const std::string level = "{ at = \"50%\", notify = \"team-lead\" },";
  text.replace(text.find(level), level.size(), "{ at = \"50%\", notify = \"team-lead\", verifier = \"auditor\" },");
  try {
    (void)parse_policy(text, rules("clock-rules.toml"));
    FAIL("an unknown verifier role was accepted");
  } catch (const error& x) {
    CHECK(std::string(x.what()).find("auditor") != std::string::npos);
    INFO(x.what());
    CHECK(std::string(x.what()).find("clock-rules.toml:") != std::string::npos);
  }
}

TEST_CASE("a periodic update target re-arms from the update, not from the previous deadline") {
  engine e(clock_policy(no_budget));
  // Registered Wed 1 April 10:30. Cycle 1, 3 business days after Wed 1: Thu 2, (Good Friday 3,
  // weekend, Easter Monday 6 skipped) Tue 7, Wed 8 -> Wed 8 April 23:59:59.
  open_and_investigate(e, "P-1", "2026-04-01T10:00:00+01:00");
  CHECK(utc(clock(e, "P-1", "2026-04-01T11:00:00+01:00", "keep-informed").due) == utc("2026-04-08T23:59:59+01:00"));
  ok(e.apply("P-1", event(lifecycle_event::contact_customer, "2026-04-02T15:00:00+01:00")));
  const clock_report c1 = clock(e, "P-1", "2026-04-02T15:00:00+01:00", "keep-informed", 1);
  CHECK(c1.state == clock_state::met);
  // Cycle 2 counts from the update on Thu 2 April: Tue 7, Wed 8, Thu 9 -> Thu 9 April 23:59:59
  // (from the old due it would have been Thu 9, Fri 10, Mon 13).
  const clock_report c2 = clock(e, "P-1", "2026-04-02T15:00:00+01:00", "keep-informed", 2);
  CHECK(utc(c2.started) == utc("2026-04-02T15:00:00+01:00"));
  CHECK(utc(c2.due) == utc("2026-04-09T23:59:59+01:00"));
}

TEST_CASE("a percentage level is rounded up to the whole second, and levels on an elapsed clock count elapsed time") {
  engine e(clock_policy(no_budget));
  ok(e.open(complaint_intake{"R-1", at("2026-04-14T10:07:00+01:00"), {{"kind", "claim"}}}));
  // written-reply, 1 business day from Tue 14 April 10:07: due Wed 15 April 23:59:59. Working
  // time between: Tue 10:07-17:00 (6h53m = 24780 s) + Wed 8h (28800 s) = 53580 s.
  // 33% is 17681.4 s, rounded up to 17682 s = 4h54m42s: Tue 10:07:00 + 4:54:42 = Tue 15:01:42.
  const clock_report wr = clock(e, "R-1", "2026-04-14T10:07:00+01:00", "written-reply");
  CHECK(utc(wr.due) == utc("2026-04-15T23:59:59+01:00"));
  REQUIRE(wr.levels.size() == 1);
  CHECK(utc(wr.levels[0].at) == utc("2026-04-14T15:01:42+01:00"));
  CHECK(e.advance(at("2026-04-14T15:01:41+01:00")).empty());
  const auto fired = e.advance(at("2026-04-14T15:01:42+01:00"));
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].id == "R-1/written-reply/L1/c1");
  CHECK(utc(fired[0].at) == utc("2026-04-14T15:01:42+01:00"));

  // call-back, 48 elapsed hours: due Thu 16 April 10:07. 25% = 12 elapsed hours: Tue 22:07
  // (after hours: elapsed, not working time); 2 hours before the due: Thu 08:07 (before opening).
  const clock_report cb = clock(e, "R-1", "2026-04-14T15:01:42+01:00", "call-back");
  CHECK(utc(cb.due) == utc("2026-04-16T10:07:00+01:00"));
  REQUIRE(cb.levels.size() == 2);
  CHECK(utc(cb.levels[0].at) == utc("2026-04-14T22:07:00+01:00"));
  CHECK(utc(cb.levels[1].at) == utc("2026-04-16T08:07:00+01:00"));
}

TEST_CASE("reopening starts a new clock and does not revive met ones") {
  engine e(clock_policy(no_budget));
  open_and_investigate(e, "O-1", "2026-04-20T10:00:00+01:00");
  // investigation: 16 business hours from Mon 20 April 10:00 -> Mon 7h + Tue 8h + Wed 1h = Wed 22 10:00.
  ok(e.apply("O-1", event(lifecycle_event::send_response, "2026-04-21T11:00:00+01:00")));
  ok(e.apply("O-1", event(lifecycle_event::close, "2026-04-21T12:00:00+01:00")));
  CHECK(clock(e, "O-1", "2026-04-21T12:00:00+01:00", "investigation").state == clock_state::met);

  ok(e.apply("O-1", event(lifecycle_event::reopen, "2026-04-29T11:00:00+01:00")));
  // Reopened Wed 29 April: 5 business days Thu 30, Fri 1 May, (bank holiday Mon 4 skipped)
  // Tue 5, Wed 6, Thu 7 May -> Thu 7 May 23:59:59.
  const clock_report review = clock(e, "O-1", "2026-04-29T11:00:00+01:00", "reopened-review");
  CHECK(review.state == clock_state::running);
  CHECK(utc(review.started) == utc("2026-04-29T11:00:00+01:00"));
  CHECK(utc(review.due) == utc("2026-05-07T23:59:59+01:00"));
  // The met investigation clock is still the only one, still met, and nothing breaches.
  const auto s = e.status("O-1", at("2026-04-29T11:00:00+01:00"));
  CHECK(std::count_if(s->clocks.begin(), s->clocks.end(),
                      [](const clock_report& c) { return c.target == "investigation"; }) == 1);
  CHECK(clock(e, "O-1", "2026-04-29T11:00:00+01:00", "investigation").state == clock_state::met);
  for (const action& a : e.advance(at("2026-05-06T12:00:00+01:00"))) CHECK(a.what != action::kind::breach);
}
