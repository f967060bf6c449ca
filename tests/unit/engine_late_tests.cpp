// Late (back-dated) events (docs/spec/clocks.md, "Late events"; rules/README.md, "[events]"): an
// event earlier than the complaint's last event or fired action is put in its place in the
// history, the complaint is rebuilt, and apply() returns what changed: actions newly due, and a
// `retracted` action for each emitted action the new history no longer produces; a changed action
// fires again under its next revision ("/r2"). Every instant worked by hand:
//   england-wales calendar, Mon-Fri 09:00-17:00 Europe/London; December is GMT, so local time is
//   UTC. Mon 7 Dec 2026 and Tue 8 Dec 2026 are working days.
//   Target "contact": starts on receipt, stops on contact_customer, within 4 business hours,
//   pauses while awaiting the customer; L1 at 50% (2 working hours consumed) notifies the owner,
//   L2 at "+1 hours" after the due reassigns to duty. Received Mon 7 Dec 09:00: due 13:00, L1
//   11:00, breach 13:00:01 (the first second past the due), L2 14:00.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "redress/engine.hpp"
#include "support/engine_steps.hpp"
#include "support/shipped.hpp"

using namespace redress;
using redress::testing::at;
using redress::testing::event;
using redress::testing::ok;
using redress::testing::rules;
using redress::testing::utc;

namespace {

const std::string late_policy_text = R"([policy]
name = "Late events"
version = "1"
calendar = "england-wales"

[calendars]
england-wales = "calendars/england-wales.toml"

[roles]
handler = "Complaint handler"
duty = "Duty manager"

[events]
backdate_limit = "2 business days"

[[targets]]
name = "contact"
starts = "received"
stops = "contact_customer"
within = "4 business hours"
owner = "handler"
pauses = ["awaiting_customer"]
escalate = [
  { at = "50%", notify = "owner" },
  { at = "+1 hours", assign = "duty" },
]
)";

policy late_policy() { return parse_policy(late_policy_text, rules("late.toml")); }

constexpr auto intake = redress::testing::bare_intake;
constexpr auto lines = redress::testing::retraction_lines;

using strings = std::vector<std::string>;

// L-2 up to its first late pause: acknowledged, registered and under investigation at 09:00,
// L1 fired at 11:00; then request_information at 10:00, logged at 12:00, pauses it from 10:00.
void pause_l2_late(engine& e) {
  ok(e.open(intake("L-2", "2026-12-07T09:00:00Z")));
  for (lifecycle_event what : {lifecycle_event::acknowledge, lifecycle_event::register_complaint,
                               lifecycle_event::start_investigation})
    ok(e.apply("L-2", event(what, "2026-12-07T09:00:00Z")));
  CHECK(lines(e.advance(at("2026-12-07T12:00:00Z"))) == strings{"L-2/contact/L1/c1 at 2026-12-07T11:00:00Z"});
  complaint_event pause = event(lifecycle_event::request_information, "2026-12-07T10:00:00Z");
  pause.logged_at = at("2026-12-07T12:00:00Z");
  // Paused at 10:00 with 1 working hour consumed, L1 (2 hours) has not been reached: retracted.
  CHECK(lines(ok(e.apply("L-2", pause))) ==
        strings{"L-2/contact/L1/c1/retracted retracts L-2/contact/L1/c1 at 2026-12-07T12:00:00Z"});
}

}  // namespace

TEST_CASE("a back-dated contact retracts the breach and the levels it prevents", "[late]") {
  engine e(late_policy());
  ok(e.open(intake("L-1", "2026-12-07T09:00:00Z")));
  CHECK(lines(e.advance(at("2026-12-07T15:00:00Z"))) ==
        strings{"L-1/contact/L1/c1 at 2026-12-07T11:00:00Z", "L-1/contact/breach/c1 at 2026-12-07T13:00:01Z",
                "L-1/contact/L2/c1 at 2026-12-07T14:00:00Z"});
  // The handler called the customer at 10:00 and logs it at 15:00: the clock stopped at 10:00,
  // met, with 1 working hour consumed, before L1 (11:00) and the due (13:00).
  complaint_event call = event(lifecycle_event::contact_customer, "2026-12-07T10:00:00Z");
  call.logged_at = at("2026-12-07T15:00:00Z");
  const auto changed = ok(e.apply("L-1", call));
  CHECK(lines(changed) ==
        strings{"L-1/contact/L1/c1/retracted retracts L-1/contact/L1/c1 at 2026-12-07T15:00:00Z",
                "L-1/contact/breach/c1/retracted retracts L-1/contact/breach/c1 at 2026-12-07T15:00:00Z",
                "L-1/contact/L2/c1/retracted retracts L-1/contact/L2/c1 at 2026-12-07T15:00:00Z"});
  // A retraction names what it takes back, and does not itself reassign.
  CHECK(changed[2].target == "contact");
  CHECK(changed[2].level == 2);
  CHECK(changed[2].assign.empty());
  CHECK(changed[2].summary ==
        "retracted L-1/contact/L2/c1 (contact at +1 hours (due 2026-12-07T13:00:00+00:00): reassign to duty): "
        "the 'contact_customer' at 2026-12-07T10:00:00Z, logged late, changed the complaint's history");
  const auto status = ok(e.status("L-1", at("2026-12-07T16:00:00Z")));
  REQUIRE(status.clocks.size() == 1);
  CHECK(status.clocks[0].state == clock_state::met);
  CHECK_FALSE(status.clocks[0].breached);
  CHECK(status.clocks[0].consumed == std::chrono::hours(1));
  CHECK(status.owner.empty());  // L2's reassignment to duty never happened
  const auto history = ok(e.history("L-1"));
  REQUIRE(history.size() == 1);
  CHECK(utc(history[0].logged_at) == "2026-12-07T15:00:00Z");
  // Replay equals live for the final history, and the snapshot keeps what was retracted.
  const auto snap = ok(e.snapshot("L-1"));
  CHECK(snap.retracted == strings{"L-1/contact/L1/c1", "L-1/contact/breach/c1", "L-1/contact/L2/c1"});
  engine other(late_policy());
  CHECK(ok(other.restore(snap)).empty());
  CHECK(ok(other.status("L-1", at("2026-12-07T16:00:00Z"))).clocks[0].state == clock_state::met);
}

TEST_CASE("a back-dated contact after the first level keeps it and retracts the rest", "[late]") {
  engine e(late_policy());
  ok(e.open(intake("L-4", "2026-12-07T09:00:00Z")));
  (void)e.advance(at("2026-12-07T15:00:00Z"));
  // Contact at 12:00: after L1 (11:00), which the new history fires as it was, before the due.
  // Logged with no logged_at: at the complaint's latest fired action, L2 at 14:00.
  CHECK(lines(ok(e.apply("L-4", event(lifecycle_event::contact_customer, "2026-12-07T12:00:00Z")))) ==
        strings{"L-4/contact/breach/c1/retracted retracts L-4/contact/breach/c1 at 2026-12-07T14:00:00Z",
                "L-4/contact/L2/c1/retracted retracts L-4/contact/L2/c1 at 2026-12-07T14:00:00Z"});
  CHECK(utc(ok(e.history("L-4"))[0].logged_at) == "2026-12-07T14:00:00Z");
}

TEST_CASE("a level moved by a back-dated pause fires again under its next revision", "[late]") {
  engine e(late_policy());
  pause_l2_late(e);
  // The reply at 12:30 resumes it: 1 more working hour reaches L1 at 13:30; the due is 3 hours
  // on, 15:30. L1 fires under revision 2, the breach and L2 (never emitted) under their own ids.
  ok(e.apply("L-2", event(lifecycle_event::customer_replied, "2026-12-07T12:30:00Z")));
  CHECK(lines(e.advance(at("2026-12-07T17:00:00Z"))) ==
        strings{"L-2/contact/L1/c1/r2 at 2026-12-07T13:30:00Z", "L-2/contact/breach/c1 at 2026-12-07T15:30:01Z",
                "L-2/contact/L2/c1 at 2026-12-07T16:30:00Z"});
}

TEST_CASE("after a restore, a retraction names the revision that was emitted", "[late]") {
  engine e(late_policy());
  pause_l2_late(e);
  ok(e.apply("L-2", event(lifecycle_event::customer_replied, "2026-12-07T12:30:00Z")));
  CHECK(lines(e.advance(at("2026-12-07T14:00:00Z"))) == strings{"L-2/contact/L1/c1/r2 at 2026-12-07T13:30:00Z"});
  // The host stores the complaint and restores it elsewhere: the same actions, by the same ids.
  engine other(late_policy());
  CHECK(lines(ok(other.restore(ok(e.snapshot("L-2"))))) == strings{"L-2/contact/L1/c1/r2 at 2026-12-07T13:30:00Z"});
  // A second late pause, from 13:00 (1.5 hours consumed: 09:00-10:00, 12:30-13:00), logged at
  // 14:30, takes back L1's revision 2 by its id.
  complaint_event pause = event(lifecycle_event::request_information, "2026-12-07T13:00:00Z");
  pause.logged_at = at("2026-12-07T14:30:00Z");
  CHECK(lines(ok(other.apply("L-2", pause))) ==
        strings{"L-2/contact/L1/c1/r2/retracted retracts L-2/contact/L1/c1/r2 at 2026-12-07T14:30:00Z"});
  // Resumed at 15:00: L1 after half an hour more, 15:30, as revision 3; the 2.5 hours left end
  // Tue 8 Dec 09:30 (15:00-17:00, then 09:00-09:30).
  ok(other.apply("L-2", event(lifecycle_event::customer_replied, "2026-12-07T15:00:00Z")));
  CHECK(lines(other.advance(at("2026-12-08T17:00:00Z"))) ==
        strings{"L-2/contact/L1/c1/r3 at 2026-12-07T15:30:00Z", "L-2/contact/breach/c1 at 2026-12-08T09:30:01Z",
                "L-2/contact/L2/c1 at 2026-12-08T10:30:00Z"});
}

TEST_CASE("a back-dated event that makes a later one illegal is refused whole", "[late]") {
  engine e(late_policy());
  ok(e.open(intake("L-3", "2026-12-07T09:00:00Z")));
  ok(e.apply("L-3", event(lifecycle_event::contact_customer, "2026-12-07T11:00:00Z")));
  const auto before = ok(e.snapshot("L-3"));
  const auto state_before = e.state("L-3");
  auto refused = e.apply("L-3", event(lifecycle_event::withdraw, "2026-12-07T10:00:00Z"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().what == engine_error::kind::rejected_event);
  CHECK(refused.error().message ==
        "complaint L-3: the 'withdraw' at 2026-12-07T10:00:00Z is refused: it would make the later "
        "'contact_customer' at 2026-12-07T11:00:00Z illegal (complaint L-3: a withdrawn complaint accepts no "
        "further events: 'contact_customer' is not allowed in state 'withdrawn')");
  const auto after = ok(e.snapshot("L-3"));
  CHECK(after.events.size() == before.events.size());
  CHECK(e.state("L-3") == state_before);
  CHECK(ok(e.status("L-3", at("2026-12-07T12:00:00Z"))).clocks[0].state == clock_state::met);
}

TEST_CASE("an event is not dated before the receipt, nor logged before it happened", "[late]") {
  engine e(late_policy());
  ok(e.open(intake("L-5", "2026-12-07T09:00:00Z")));
  auto early = e.apply("L-5", event(lifecycle_event::acknowledge, "2026-12-07T08:00:00Z"));
  REQUIRE_FALSE(early);
  CHECK(early.error().what == engine_error::kind::out_of_order);
  CHECK(early.error().message ==
        "complaint L-5: 'acknowledge' at 2026-12-07T08:00:00Z is earlier than its receipt at 2026-12-07T09:00:00Z");
  complaint_event ack = event(lifecycle_event::acknowledge, "2026-12-07T10:00:00Z");
  ack.logged_at = at("2026-12-07T09:30:00Z");
  auto backwards = e.apply("L-5", ack);
  REQUIRE_FALSE(backwards);
  CHECK(backwards.error().what == engine_error::kind::out_of_order);
  CHECK(backwards.error().message ==
        "complaint L-5: 'acknowledge' at 2026-12-07T10:00:00Z is logged at 2026-12-07T09:30:00Z, before it happened");
  CHECK(ok(e.history("L-5")).empty());
}

TEST_CASE("[events] backdate_limit bounds how far back an event is dated", "[late]") {
  engine e(late_policy());
  ok(e.open(intake("L-6", "2026-12-07T09:00:00Z")));
  // "2 business days" from Mon 7 Dec 10:00 is the end of Wed 9 Dec (the contract's day
  // periods end at the end of the day): logged Thu 10 Dec 10:00 is too late.
  complaint_event ack = event(lifecycle_event::acknowledge, "2026-12-07T10:00:00Z");
  ack.logged_at = at("2026-12-10T10:00:00Z");
  auto refused = e.apply("L-6", ack);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().what == engine_error::kind::rejected_event);
  CHECK(refused.error().message ==
        "complaint L-6: 'acknowledge' at 2026-12-07T10:00:00Z is logged at 2026-12-10T10:00:00Z, further back than "
        "policy \"Late events\" allows ([events] backdate_limit = \"2 business days\": an event at that instant "
        "may be logged until 2026-12-09T23:59:59Z)");
  CHECK(ok(e.history("L-6")).empty());
  ack.logged_at = at("2026-12-09T23:59:59Z");
  ok(e.apply("L-6", ack));
  CHECK(ok(e.history("L-6")).size() == 1);
}

TEST_CASE("a policy's backdate_limit is read and checked at load", "[late]") {
  CHECK(late_policy()->events.backdate_limit->to_string() == "2 business days");
  std::string bad = late_policy_text;
  bad.replace(bad.find("\"2 business days\""), 17, "\"two days\"");
  try {
    (void)parse_policy(bad, rules("late.toml"));
    FAIL("loaded");
  } catch (const error& err) {
    CHECK(std::string(err.what()).rfind(rules("late.toml") + ":14:18: ", 0) == 0);
  }
}

TEST_CASE("next_wakeup(id) is one complaint's own next instant", "[wakeup]") {
  engine e(late_policy());
  ok(e.open(intake("W-1", "2026-12-07T09:00:00Z")));  // L1 11:00, breach 13:00:01, L2 14:00
  ok(e.open(intake("W-2", "2026-12-07T10:00:00Z")));  // L1 12:00, breach 14:00:01, L2 15:00
  CHECK(utc(e.next_wakeup("W-1")) == "2026-12-07T11:00:00Z");
  CHECK(utc(e.next_wakeup("W-2")) == "2026-12-07T12:00:00Z");
  (void)e.advance(at("2026-12-07T12:30:00Z"));
  CHECK(utc(e.next_wakeup("W-1")) == "2026-12-07T13:00:01Z");
  CHECK(utc(e.next_wakeup("W-2")) == "2026-12-07T14:00:01Z");
  CHECK(utc(e.next_wakeup()) == "2026-12-07T13:00:01Z");
  ok(e.apply("W-1", event(lifecycle_event::contact_customer, "2026-12-07T12:45:00Z")));  // met: nothing more
  CHECK(utc(e.next_wakeup("W-1")) == "none");
  CHECK(utc(e.next_wakeup("W-404")) == "none");
}
