// The engine's per-complaint counters do not wrap: a complaint driven through more cycles than a
// 16-bit counter holds (re-arms of a periodic target, promises, corrective actions) keeps giving
// each action an id of its own, with the cycle counted on. (Before, the cycle was 16 bits: the
// 65,536th cycle came out as cycle 0 and the next as cycle 1 again, reusing ids the host had
// already de-duplicated.) The loops are fast because an event costs the same in a complaint's
// 65,537th cycle as in its first.
#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "redress/engine.hpp"
#include "support/shipped.hpp"

using namespace redress;
using redress::testing::rules;

namespace {

constexpr int cycles = 65537;  // two past what 16 bits count (65,535)

// A periodic update every elapsed hour, re-armed by contacting the customer; promises kept by a
// response only (so that contacting does not keep them).
policy counter_policy() {
  return parse_policy(R"([policy]
name = "Counters"
version = "1"
calendar = "calendars/england-wales.toml"

[roles]
handler = "Complaint handler"

[promises]
kept_by = ["send_response"]

[[targets]]
name = "update"
starts = "received"
stops = "closed"
every = "1 hours"
rearm_on = ["contact_customer"]
)",
                      rules("counters.toml"));
}

const std::int64_t start = instant::parse("2026-04-01T10:00:00Z").unix_seconds();

complaint_event event_at(lifecycle_event what, std::int64_t at) {
  complaint_event e;
  e.what = what;
  e.at = instant::from_unix(at);
  return e;
}

std::vector<action> ok(outcome<std::vector<action>> result) {
  INFO((result ? std::string() : result.error().message));
  REQUIRE(result);
  return std::move(result).value();
}

}  // namespace

TEST_CASE("a periodic target re-armed 65,537 times gives every cycle's breach an id of its own") {
  engine e(counter_policy());
  ok(e.open({"U-1", instant::from_unix(start), {{"kind", "claim"}}}));
  // Contacts two hours apart: each cycle (1 hour) breaches at 1 hour and 1 second, and the
  // breach fires before the next contact, which re-arms the target.
  std::set<std::string> ids;
  std::vector<std::string> breaches;
  for (int i = 1; i <= cycles; ++i) {
    for (const action& a : ok(e.apply("U-1", event_at(lifecycle_event::contact_customer, start + 7200 * i))))
      if (a.what == action::kind::breach) {
        breaches.push_back(a.id);
        ids.insert(a.id);
      }
  }
  REQUIRE(breaches.size() == static_cast<std::size_t>(cycles));
  CHECK(ids.size() == breaches.size());
  CHECK(breaches[65534] == "U-1/update/breach/c65535");
  CHECK(breaches[65535] == "U-1/update/breach/c65536");
  CHECK(breaches[65536] == "U-1/update/breach/c65537");
  const auto s = e.status("U-1", instant::from_unix(start + 7200 * cycles));
  REQUIRE(s);
  REQUIRE(s->clocks.size() == static_cast<std::size_t>(cycles + 1));
  CHECK(s->clocks.back().cycle == cycles + 1);
  CHECK(s->clocks.back().state == clock_state::running);
  CHECK(s->clocks[65535].cycle == 65536);
}

TEST_CASE("65,537 promises, each broken, are broken promises of their own") {
  engine e(counter_policy());
  ok(e.open({"P-1", instant::from_unix(start), {{"kind", "claim"}}}));
  // A promise every two hours for an hour later: each is broken before the next one is made.
  std::vector<std::string> broken;
  for (int i = 1; i <= cycles + 1; ++i) {
    complaint_event promise = event_at(lifecycle_event::promise, start + 7200 * i);
    promise.promised = instant::from_unix(start + 7200 * i + 3600);
    for (const action& a : ok(e.apply("P-1", promise)))
      if (a.what == action::kind::promise_breach) broken.push_back(a.id);
  }
  REQUIRE(broken.size() == static_cast<std::size_t>(cycles));
  CHECK(std::set<std::string>(broken.begin(), broken.end()).size() == broken.size());
  CHECK(broken[65535] == "P-1/promise/breach/c65536");
  CHECK(broken[65536] == "P-1/promise/breach/c65537");
}

TEST_CASE("65,537 corrective actions are planned under ids of their own") {
  engine e(counter_policy());
  ok(e.open({"A-1", instant::from_unix(start), {{"kind", "claim"}}}));
  std::vector<std::string> planned;
  std::int64_t t = start;
  for (int i = 1; i <= cycles; ++i) {
    complaint_event plan = event_at(lifecycle_event::plan_action, t += 60);
    plan.action_due = instant::from_unix(t + 86400);
    for (const action& a : ok(e.apply("A-1", plan)))
      if (a.what == action::kind::corrective_action) planned.push_back(a.id);
    ok(e.apply("A-1", event_at(lifecycle_event::complete_action, t += 60)));
    ok(e.apply("A-1", event_at(lifecycle_event::verify_action, t += 60)));
  }
  REQUIRE(planned.size() == static_cast<std::size_t>(cycles));
  CHECK(std::set<std::string>(planned.begin(), planned.end()).size() == planned.size());
  CHECK(planned[65535] == "A-1/corrective-action/planned/c65536");
  CHECK(planned[65536] == "A-1/corrective-action/planned/c65537");
  const auto s = e.status("A-1", instant::from_unix(t));
  REQUIRE(s);
  REQUIRE(s->corrective_actions.size() == static_cast<std::size_t>(cycles));
  CHECK(s->corrective_actions.back().verified == instant::from_unix(t));
  CHECK(s->corrective_actions.back().state == clock_state::met);
}

namespace {

// A periodic check every elapsed hour whose 50% level reassigns the complaint (raising its
// escalation level by one each cycle).
policy reassigning_policy() {
  return parse_policy(R"([policy]
name = "Reassigning"
version = "1"
calendar = "calendars/england-wales.toml"

[roles]
handler = "Complaint handler"
lead = "Team lead"

[[targets]]
name = "check"
starts = "received"
stops = "closed"
every = "1 hours"
rearm_on = ["contact_customer"]
escalate = [{ at = "50%", assign = "lead" }]
)",
                      rules("reassigning.toml"));
}

}  // namespace

TEST_CASE("the escalation level reaches 255 and the event that would take it to 256 is refused, changing nothing") {
  engine e(reassigning_policy());
  ok(e.open({"L-1", instant::from_unix(start), {{"kind", "claim"}}}));
  // Contact i (two hours apart) fires cycle i's level (level i) and re-arms: cycle i + 1 can
  // still reassign once, so level i + 1 is to come. Contacts 1 to 254 are accepted.
  for (int i = 1; i <= 254; ++i) ok(e.apply("L-1", event_at(lifecycle_event::contact_customer, start + 7200 * i)));
  CHECK(e.status("L-1", instant::from_unix(start + 7200 * 254))->escalation_level == 254);
  // Cycle 255's level fires half an hour into it: level 255, the limit.
  const auto fired = e.advance(instant::from_unix(start + 7200 * 254 + 1800));
  REQUIRE(fired.size() == 1);
  CHECK(fired[0].id == "L-1/check/L1/c255");
  const std::int64_t now = start + 7200 * 255;
  const auto at_255 = e.status("L-1", instant::from_unix(now));
  REQUIRE(at_255);
  CHECK(at_255->escalation_level == 255);
  CHECK(at_255->state.escalation_level == 255);
  // Contact 255 would start cycle 256, whose level would raise it to 256.
  const auto refused = e.apply("L-1", event_at(lifecycle_event::contact_customer, now));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().what == engine_error::kind::rejected_event);
  CHECK(refused.error().message ==
        "complaint L-1: 'contact_customer' refused: its escalation level would be 255 with 1 reassigning level(s) "
        "still to come on its clocks, past the limit of 255");
  const auto after = e.status("L-1", instant::from_unix(now));
  REQUIRE(after);
  CHECK(after->escalation_level == 255);
  CHECK(after->events == 254);
  CHECK(after->clocks.size() == 255);
  CHECK(after->clocks.back().state == clock_state::running);
  CHECK(e.next_wakeup() == instant::from_unix(start + 7200 * 254 + 3601));  // cycle 255's breach
  // The escalate event is refused at the limit too.
  const auto escalate = e.apply("L-1", event_at(lifecycle_event::escalate, now));
  REQUIRE_FALSE(escalate);
  CHECK(escalate.error().message ==
        "complaint L-1: 'escalate' refused in state 'received': the escalation level is at its limit of 255");
}
