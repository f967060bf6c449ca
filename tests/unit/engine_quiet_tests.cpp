// Quiet hours (docs/spec/clocks.md, "Quiet hours"; rules/README.md, "deliver"): a level fires at
// its exact instant (`at`), and carries `deliver_at`, the next working instant of the calendar its
// `deliver` (or its role's) names. Every instant worked by hand on the shipped calendars:
//   england-wales and scotland: Mon-Fri 09:00-17:00 Europe/London; GMT (+00:00) all winter, so
//   local time is UTC here. Wed 30 Dec 2026, Thu 31 Dec 2026 working days (31 Dec is no bank
//   holiday). Fri 1 Jan 2027: New Year's Day, a bank holiday in both. Sat 2 Jan 2027: Scotland's
//   "2 January" falls on a Saturday, so its substitute day is the next weekday not already a
//   holiday, Mon 4 Jan 2027 (England and Wales has no 2 January holiday).
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

namespace {

const std::string head = R"([policy]
name = "Quiet hours"
version = "1"
calendar = "england-wales"

[calendars]
england-wales = "calendars/england-wales.toml"
scotland = "calendars/scotland.toml"

)";

std::string quiet_policy_text(const std::string& roles, const std::string& escalate) {
  return head + roles + R"(
[[targets]]
name = "reply"
starts = "received"
stops = "responded"
within = "1 business day"
owner = "handler"
escalate = [
)" + escalate + "]\n";
}

const std::string quiet_roles = R"([roles]
handler = { title = "Complaint handler", deliver = "working-hours" }
duty = "Duty manager"
)";

const std::string ladder = R"(  { at = "2 business hours before", notify = "owner" },
  { at = "+1 hours", notify = "duty", deliver = "immediately" },
  { at = "+2 hours", notify = "duty", deliver = "scotland" },
  { at = "+3 hours", assign = "duty" },
)";

policy quiet_policy() { return parse_policy(quiet_policy_text(quiet_roles, ladder), rules("quiet.toml")); }

std::string load_error(const std::string& text) {
  try {
    parse_policy(text, rules("quiet.toml"));
  } catch (const error& e) {
    return e.what();
  }
  return "loaded";
}

// Q-1, received Wed 30 Dec 2026 10:00. "1 business day" (end-of-day): the due is the end of the
// next business day, Thu 31 Dec 2026 23:59:59. The levels and the breach:
//   L1 "2 business hours before" the due: Thu's working time ends 17:00, two hours before is
//      Thu 15:00, working time: deliver_at = at = Thu 31 Dec 15:00.
//   breach at due + 1 s = Fri 1 Jan 2027 00:00:00; who = the owner, handler, whose deliver is
//      "working-hours" (england-wales): Fri 1 Jan bank holiday, Sat 2, Sun 3 weekend -> Mon 4 Jan
//      2027 09:00.
//   L2 "+1 hours" = Fri 00:59:59, deliver = "immediately" under the quiet handler: no deliver_at.
//   L3 "+2 hours" = Fri 01:59:59, deliver = "scotland": Fri 1 Jan holiday, Sat, Sun, Mon 4 Jan
//      (substitute for 2 January) holiday -> Tue 5 Jan 2027 09:00.
//   L4 "+3 hours" = Fri 02:59:59 assigns to duty, who has no deliver: no deliver_at.
std::vector<action> quiet_run(engine& e) {
  auto opened = e.open(complaint_intake{"Q-1", at("2026-12-30T10:00:00Z"), {{"kind", "claim"}}});
  REQUIRE(opened);
  std::vector<action> out;
  for (action& a : e.advance(at("2027-01-06T00:00:00Z")))
    if (a.what == action::kind::escalation || a.what == action::kind::breach) out.push_back(std::move(a));
  return out;
}

}  // namespace

TEST_CASE("a midnight breach after an end-of-day deadline is delivered at 09:00 on the Monday after New Year's Day",
          "[quiet]") {
  engine e(quiet_policy());
  const std::vector<action> fired = quiet_run(e);
  REQUIRE(fired.size() == 5);
  std::vector<std::string> seen;
  for (const action& a : fired) seen.push_back(a.id + " at " + a.at.to_string() + " deliver " + utc(a.deliver_at));
  CHECK(seen == std::vector<std::string>{
                    "Q-1/reply/L1/c1 at 2026-12-31T15:00:00Z deliver 2026-12-31T15:00:00Z",
                    "Q-1/reply/breach/c1 at 2027-01-01T00:00:00Z deliver 2027-01-04T09:00:00Z",
                    "Q-1/reply/L2/c1 at 2027-01-01T00:59:59Z deliver none",
                    "Q-1/reply/L3/c1 at 2027-01-01T01:59:59Z deliver 2027-01-05T09:00:00Z",
                    "Q-1/reply/L4/c1 at 2027-01-01T02:59:59Z deliver none",
                });
}

TEST_CASE("quiet hours do not move when an action falls due: advance() returns it at its instant", "[quiet]") {
  engine e(quiet_policy());
  REQUIRE(e.open(complaint_intake{"Q-2", at("2026-12-30T10:00:00Z"), {{"kind", "claim"}}}));
  (void)e.advance(at("2026-12-31T23:59:59Z"));  // L1 fired; the breach is one second away
  const std::vector<action> breach = e.advance(at("2027-01-01T00:00:00Z"));
  REQUIRE(breach.size() == 1);
  CHECK(breach[0].id == "Q-2/reply/breach/c1");
  CHECK(utc(breach[0].deliver_at) == "2027-01-04T09:00:00Z");
}

TEST_CASE("no quiet hours: no deliver_at on any action", "[quiet]") {
  engine e(parse_policy(quiet_policy_text("[roles]\nhandler = \"Complaint handler\"\nduty = \"Duty manager\"\n",
                                          R"(  { at = "2 business hours before", notify = "owner" },
)"),
                        rules("quiet.toml")));
  REQUIRE(e.open(complaint_intake{"Q-3", at("2026-12-30T10:00:00Z"), {{"kind", "claim"}}}));
  const std::vector<action> fired = e.advance(at("2027-01-06T00:00:00Z"));
  REQUIRE(!fired.empty());
  for (const action& a : fired) CHECK(utc(a.deliver_at) == "none");
}

TEST_CASE("deliver_at is in the wire JSON of an action, null when no quiet hours apply", "[quiet]") {
  engine e(quiet_policy());
  const std::vector<action> fired = quiet_run(e);
  REQUIRE(fired.size() == 5);
  const time_zone zone = time_zone::locate("Europe/London");
  const std::string breach = wire::to_json(fired[1], zone);
  CHECK(breach.find(R"("verifier":"","deliver_at":"2027-01-04T09:00:00+00:00"})") != std::string::npos);
  CHECK(wire::to_json(fired[2], zone).find(R"("deliver_at":null})") != std::string::npos);
  CHECK(utc(wire::action_from_json(breach).deliver_at) == "2027-01-04T09:00:00Z");
  CHECK(utc(wire::action_from_json(wire::to_json(fired[2], zone)).deliver_at) == "none");
}

TEST_CASE("an unknown deliver is a located error naming what is expected", "[quiet]") {
  const std::string file = rules("quiet.toml");
  CHECK(load_error(quiet_policy_text(quiet_roles, "  { at = \"80%\", notify = \"owner\", deliver = \"soon\" },\n")) ==
        file + ":21:45: unknown deliver 'soon' in target 'reply' escalate deliver; expected \"immediately\", "
               "\"working-hours\" or a calendar under [calendars] (declared: 'immediately', 'working-hours', "
               "'england-wales', 'scotland')");
  CHECK(load_error(quiet_policy_text(quiet_roles, "  { at = \"80%\", notify = \"owner\", deliver = \"scotlnd\" },\n")) ==
        file + ":21:45: unknown deliver 'scotlnd' in target 'reply' escalate deliver; did you mean 'scotland'?");
  CHECK(load_error(quiet_policy_text("[roles]\nhandler = { title = \"Complaint handler\", deliver = \"working hours\" }\n",
                                     "  { at = \"80%\", notify = \"owner\" },\n")) ==
        file + ":11:52: unknown deliver 'working hours' in role 'handler' deliver; did you mean 'working-hours'?");
  CHECK(load_error(quiet_policy_text(quiet_roles, "  { at = \"80%\", notify = \"owner\", deliver = 3 },\n")) ==
        file + ":21:45: 'deliver' must be a string, not an integer");
}

TEST_CASE("validate() refuses an unknown deliver in a definition built in code", "[quiet]") {
  policy_definition d = quiet_policy().definition();
  for (role_definition& r : d.roles)
    if (r.id == "handler") r.deliver = "nowhere";
  try {
    validate(d);
    FAIL("validated");
  } catch (const error& e) {
    // At the role's key, handler on line 11 of the text.
    CHECK(std::string(e.what()) == rules("quiet.toml") +
                                       ":11:1: unknown deliver 'nowhere' in role 'handler' deliver; expected "
                                       "\"immediately\", \"working-hours\" or a calendar under [calendars] (declared: "
                                       "'immediately', 'working-hours', 'england-wales', 'scotland')");
  }
}
