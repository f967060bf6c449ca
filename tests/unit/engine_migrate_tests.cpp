// Recalculation after a change (docs/spec/clocks.md, "Recalculation after a change"): migrate()
// and reload_policy() rebuild a complaint from its history under the other policy, keeping its
// paused time, and return what changed: actions newly due, and a `retracted` action for each
// emitted action the new policy does not produce as it was; a changed level fires again under
// its next revision ("/r2"). Every instant worked by hand:
//   england-wales calendar, Mon-Fri 09:00-17:00 Europe/London; December is GMT, so local time is
//   UTC. Mon 7 Dec 2026 and Tue 8 Dec 2026 are working days.
//   Version 1, target "contact": within 4 business hours, L1 at 50% notifies the owner, L2 at
//   "+1 hours" after the due reassigns to duty. Received Mon 7 Dec 09:00: L1 11:00 (2 working
//   hours), due 13:00, breach 13:00:01, L2 14:00.
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

// The policy at `version`, its contact target within `within` and its L1 at `first_level`.
policy contact_policy(const std::string& version, const std::string& within, const std::string& first_level,
                      const std::string& calendar = "calendars/england-wales.toml") {
  const std::string text = R"([policy]
name = "Contact"
version = ")" + version + R"("
calendar = "england-wales"

[calendars]
england-wales = ")" + calendar + R"("

[roles]
handler = "Complaint handler"
duty = "Duty manager"

[[targets]]
name = "contact"
starts = "received"
stops = "contact_customer"
within = ")" + within + R"("
owner = "handler"
pauses = ["awaiting_customer"]
escalate = [
  { at = ")" + first_level + R"(", notify = "owner" },
  { at = "+1 hours", assign = "duty" },
]
)";
  return parse_policy(text, rules("contact.toml"));
}

constexpr auto intake = redress::testing::bare_intake;
constexpr auto lines = redress::testing::retraction_lines;

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("a policy migration that moves a level later retracts its old action", "[migrate]") {
  engine e(contact_policy("1", "4 business hours", "50%"));
  ok(e.add_policy(contact_policy("2", "4 business hours", "75%"), false));
  ok(e.open(intake("M-1", "2026-12-07T09:00:00Z")));
  CHECK(lines(e.advance(at("2026-12-07T12:00:00Z"))) == strings{"M-1/contact/L1/c1 at 2026-12-07T11:00:00Z"});
  // Version 2 puts L1 at 75% of 4 working hours, 3 hours from 09:00: 12:00, after the 11:00 the
  // complaint had fired up to. L1 as it fired is taken back at 11:00; nothing new is due yet.
  const auto changed = ok(e.migrate("M-1", "2"));
  CHECK(lines(changed) == strings{"M-1/contact/L1/c1/retracted retracts M-1/contact/L1/c1 at 2026-12-07T11:00:00Z"});
  CHECK(changed[0].target == "contact");
  CHECK(changed[0].level == 1);
  CHECK(changed[0].summary ==
        "retracted M-1/contact/L1/c1 (contact at 50% (due 2026-12-07T13:00:00+00:00): notify handler): the "
        "complaint moved from policy version 1 to 2, which changed it");
  // The level fires again at its new instant under revision 2; the breach and L2 did not move.
  CHECK(lines(e.advance(at("2026-12-07T15:00:00Z"))) ==
        strings{"M-1/contact/L1/c1/r2 at 2026-12-07T12:00:00Z", "M-1/contact/breach/c1 at 2026-12-07T13:00:01Z",
                "M-1/contact/L2/c1 at 2026-12-07T14:00:00Z"});
  CHECK(ok(e.status("M-1", at("2026-12-07T15:00:00Z"))).policy_version == "2");
  // The snapshot keeps what was retracted: restored elsewhere, the same ids.
  const auto snap = ok(e.snapshot("M-1"));
  CHECK(snap.retracted == strings{"M-1/contact/L1/c1"});
  engine other(contact_policy("2", "4 business hours", "75%"));
  CHECK(lines(ok(other.restore(snap))) ==
        strings{"M-1/contact/L1/c1/r2 at 2026-12-07T12:00:00Z", "M-1/contact/breach/c1 at 2026-12-07T13:00:01Z",
                "M-1/contact/L2/c1 at 2026-12-07T14:00:00Z"});
}

TEST_CASE("a policy migration that moves a level earlier fires its revision in the past", "[migrate]") {
  engine e(contact_policy("1", "4 business hours", "50%"));
  ok(e.add_policy(contact_policy("2", "4 business hours", "25%"), false));
  ok(e.open(intake("M-2", "2026-12-07T09:00:00Z")));
  CHECK(lines(e.advance(at("2026-12-07T12:30:00Z"))) == strings{"M-2/contact/L1/c1 at 2026-12-07T11:00:00Z"});
  // 25% of 4 working hours: 1 hour, 10:00, before the 11:00 fired: revision 2 is due at 10:00
  // (returned now), and the old L1 is retracted at 11:00.
  CHECK(lines(ok(e.migrate("M-2", "2"))) ==
        strings{"M-2/contact/L1/c1/r2 at 2026-12-07T10:00:00Z",
                "M-2/contact/L1/c1/retracted retracts M-2/contact/L1/c1 at 2026-12-07T11:00:00Z"});
  CHECK(lines(e.advance(at("2026-12-07T13:30:00Z"))) == strings{"M-2/contact/breach/c1 at 2026-12-07T13:00:01Z"});
}

TEST_CASE("a migration that changes only a fired level's text fires it again; one that changes nothing, nothing",
          "[migrate]") {
  engine e(contact_policy("1", "4 business hours", "50%"));
  ok(e.add_policy(contact_policy("2", "6 business hours", "4 business hours before"), false));
  ok(e.open(intake("M-3", "2026-12-07T09:00:00Z")));
  CHECK(lines(e.advance(at("2026-12-07T12:00:00Z"))) == strings{"M-3/contact/L1/c1 at 2026-12-07T11:00:00Z"});
  // L1 is at 11:00 in both versions (6 working hours end 15:00; 4 before is 11:00), but its text
  // names the due, which moved from 13:00 to 15:00: a changed action, retracted, and due again
  // at once as revision 2.
  CHECK(lines(ok(e.migrate("M-3", "2"))) ==
        strings{"M-3/contact/L1/c1/r2 at 2026-12-07T11:00:00Z",
                "M-3/contact/L1/c1/retracted retracts M-3/contact/L1/c1 at 2026-12-07T11:00:00Z"});
  // Another version with the same target and ladder: every action the same, nothing returned.
  engine quiet(contact_policy("1", "4 business hours", "50%"));
  ok(quiet.add_policy(contact_policy("2", "4 business hours", "50%"), false));
  ok(quiet.open(intake("M-4", "2026-12-07T09:00:00Z")));
  CHECK(lines(quiet.advance(at("2026-12-07T12:00:00Z"))) == strings{"M-4/contact/L1/c1 at 2026-12-07T11:00:00Z"});
  CHECK(ok(quiet.migrate("M-4", "2")).empty());  // the same ladder under another version
}

TEST_CASE("a migration keeps the paused time and counts the rest under the new duration", "[migrate]") {
  engine e(contact_policy("1", "4 business hours", "50%"));
  ok(e.add_policy(contact_policy("2", "6 business hours", "50%"), false));
  ok(e.open(intake("M-5", "2026-12-07T09:00:00Z")));
  for (lifecycle_event what : {lifecycle_event::acknowledge, lifecycle_event::register_complaint,
                               lifecycle_event::start_investigation})
    ok(e.apply("M-5", event(what, "2026-12-07T09:00:00Z")));
  ok(e.apply("M-5", event(lifecycle_event::request_information, "2026-12-07T10:00:00Z")));
  // Paused from 10:00 with 1 working hour consumed; nothing has fired. Migrated mid-pause.
  CHECK(ok(e.migrate("M-5", "2")).empty());
  const auto paused = ok(e.status("M-5", at("2026-12-07T12:00:00Z")));
  REQUIRE(paused.clocks.size() == 1);
  CHECK(paused.clocks[0].state == clock_state::paused);
  CHECK(paused.clocks[0].consumed == std::chrono::hours(1));
  // Resumed at 14:00: 5 working hours left of 6: 14:00-17:00, then Tue 8 Dec 09:00-11:00. L1
  // at 3 hours consumed: 2 more, 16:00. (Under version 1 the due would be 17:00.)
  ok(e.apply("M-5", event(lifecycle_event::customer_replied, "2026-12-07T14:00:00Z")));
  CHECK(utc(ok(e.status("M-5", at("2026-12-07T14:00:00Z"))).clocks[0].due) == "2026-12-08T11:00:00Z");
  CHECK(lines(e.advance(at("2026-12-08T12:30:00Z"))) ==
        strings{"M-5/contact/L1/c1 at 2026-12-07T16:00:00Z", "M-5/contact/breach/c1 at 2026-12-08T11:00:01Z",
                "M-5/contact/L2/c1 at 2026-12-08T12:00:00Z"});
}

TEST_CASE("a complaint whose history is illegal under the other version stays as it was", "[migrate]") {
  engine e(contact_policy("1", "4 business hours", "50%"));
  ok(e.open(intake("M-6", "2026-12-07T09:00:00Z")));
  auto unknown = e.migrate("M-6", "9");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().what == engine_error::kind::unknown_policy_version);
  CHECK(unknown.error().message == "no policy version \"9\" in this engine");
  auto missing = e.migrate("M-99", "1");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().what == engine_error::kind::unknown_complaint);
}

TEST_CASE("a reloaded calendar recomputes the open complaints under its version", "[migrate]") {
  // The same version reloaded after its calendar file changed: office.toml (Mon-Fri
  // 09:00-17:00, London) with Mon 7 Dec 2026 declared a holiday
  // (tests/data/calendars/office-7-dec-2026-closed.toml). Both complaints' working hours then
  // start Tue 8 Dec 09:00: L1 11:00 and the due 13:00 on Tuesday.
  const std::string office = "../tests/data/calendars/office.toml";
  engine e(contact_policy("1", "4 business hours", "50%", office));
  ok(e.open(intake("M-7", "2026-12-07T09:00:00Z")));
  ok(e.open(intake("M-8", "2026-12-07T10:00:00Z")));
  CHECK(lines(e.advance(at("2026-12-07T11:30:00Z"))) == strings{"M-7/contact/L1/c1 at 2026-12-07T11:00:00Z"});
  const policy reloaded =
      contact_policy("1", "4 business hours", "50%", "../tests/data/calendars/office-7-dec-2026-closed.toml");
  CHECK(lines(ok(e.reload_policy(reloaded))) ==
        strings{"M-7/contact/L1/c1/retracted retracts M-7/contact/L1/c1 at 2026-12-07T11:00:00Z"});
  CHECK(utc(ok(e.status("M-8", at("2026-12-07T12:00:00Z"))).clocks[0].due) == "2026-12-08T13:00:00Z");
  CHECK(lines(e.advance(at("2026-12-08T12:00:00Z"))) ==
        strings{"M-7/contact/L1/c1/r2 at 2026-12-08T11:00:00Z", "M-8/contact/L1/c1 at 2026-12-08T11:00:00Z"});
  // A version the engine does not hold is not reloaded.
  auto other = e.reload_policy(contact_policy("7", "4 business hours", "50%"));
  REQUIRE_FALSE(other);
  CHECK(other.error().what == engine_error::kind::unknown_policy_version);
}
