// [lifecycle] corrective_action_within (rules/README.md): the due of a corrective action that no
// [[corrective-actions]] template matches and whose plan_action event names no due, counted from
// the plan. Default 10 business days. Instants worked by hand on the England & Wales calendar
// (Mon-Fri 09:00-17:00 Europe/London, BST (+01:00) from 29 March 2026; Good Friday 3 April and
// Easter Monday 6 April 2026 are bank holidays); a day period ends at 23:59:59 of its last day.
#include <catch2/catch.hpp>

#include <string>

#include "redress/engine.hpp"
#include "support/engine_steps.hpp"
#include "support/error_message.hpp"
#include "support/shipped.hpp"

using namespace redress;
using redress::testing::at;
using redress::testing::error_message;
using redress::testing::event;
using redress::testing::ok;
using redress::testing::rules;
using redress::testing::utc;

namespace {

// A policy with no corrective-action template; `lifecycle` is its [lifecycle] table's body.
std::string policy_text(const std::string& lifecycle) {
  return R"([policy]
name = "Corrective default"
version = "1"
calendar = "calendars/england-wales.toml"

[roles]
handler = "Complaint handler"

[kinds.claim]
owner = "handler"

[lifecycle]
)" + lifecycle + R"(

[[targets]]
name = "resolution"
starts = "received"
stops = "responded"
within = "8 business days"
)";
}

// C-1 received Wed 1 April 2026 09:00, found justified and agreed; the action planned Wed 1 April
// 14:00 with no due of its own. Returns: the corrective action's due.
std::string planned_due(const policy& p) {
  engine e(p);
  ok(e.open(complaint_intake{"C-1", at("2026-04-01T09:00:00+01:00"), {{"kind", "claim"}, {"priority", "normal"}}}));
  ok(e.apply("C-1", event(lifecycle_event::acknowledge, "2026-04-01T09:10:00+01:00")));
  ok(e.apply("C-1", event(lifecycle_event::register_complaint, "2026-04-01T09:20:00+01:00")));
  ok(e.apply("C-1", event(lifecycle_event::start_investigation, "2026-04-01T09:30:00+01:00")));
  complaint_event proposed = event(lifecycle_event::propose_resolution, "2026-04-01T11:00:00+01:00");
  proposed.justified = true;
  ok(e.apply("C-1", proposed));
  ok(e.apply("C-1", event(lifecycle_event::customer_accepts, "2026-04-01T12:00:00+01:00")));
  ok(e.apply("C-1", event(lifecycle_event::plan_action, "2026-04-01T14:00:00+01:00")));
  const auto s = e.status("C-1", at("2026-04-01T14:00:00+01:00"));
  REQUIRE(s);
  REQUIRE(s->corrective_actions.size() == 1);
  CHECK(s->corrective_actions[0].owner == "handler");  // no template: the complaint's owner
  return utc(s->corrective_actions[0].due);
}

}  // namespace

// 10 business days after Wed 1 April: Thu 2, (Good Friday, weekend, Easter Monday), Tue 7 - Fri 10,
// Mon 13 - Fri 17 April: the end of Fri 17 April.
TEST_CASE("a corrective action with no template is due 10 business days after its plan by default", "[corrective]") {
  const policy p = parse_policy(policy_text(""), rules("corrective-default.toml"));
  CHECK(p->corrective_action_within.to_string() == duration_spec{10, duration_spec::unit::business_days}.to_string());
  CHECK(planned_due(p) == utc("2026-04-17T23:59:59+01:00"));
}

// 3 business days after Wed 1 April: Thu 2, Tue 7, Wed 8 April. 16 business hours from Wed 14:00:
// Wed 14-17 (3 h), Thu 2 April 09-17 (8 h, 11), Tue 7 April 09:00 + 5 h = 14:00.
TEST_CASE("[lifecycle] corrective_action_within sets that due", "[corrective]") {
  CHECK(planned_due(parse_policy(policy_text(R"(corrective_action_within = "3 business days")"),
                                 rules("corrective-default.toml"))) == utc("2026-04-08T23:59:59+01:00"));
  CHECK(planned_due(parse_policy(policy_text(R"(corrective_action_within = "16 business hours")"),
                                 rules("corrective-default.toml"))) == utc("2026-04-07T14:00:00+01:00"));
}

// Line 13 of the file is the [lifecycle] table's first line; the value starts at column 28.
TEST_CASE("a bad corrective_action_within is refused where it is written", "[corrective]") {
  const std::string file = rules("corrective-default.toml");
  const auto load = [&](const char* line) {
    return error_message([&] { (void)parse_policy(policy_text(line), file); });
  };
  CHECK(load(R"(corrective_action_within = "0 business days")") ==
        file + ":13:28: [lifecycle] 'corrective_action_within' must be positive, e.g. \"10 business days\"");
  CHECK(load(R"(corrective_action_within = "-2 hours")") ==
        file + ":13:28: [lifecycle] 'corrective_action_within' must be positive, e.g. \"10 business days\"");
  CHECK(load(R"(corrective_action_within = "ten days")").rfind(file + ":13:28: ", 0) == 0);
  CHECK(load(R"(corrective_action_within = 10)").rfind(file + ":13:28: ", 0) == 0);
}
