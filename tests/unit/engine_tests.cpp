// Whole complaints walked through the shipped policies, with due instants, escalations and
// owners worked by hand on the England & Wales calendar (bank holidays 2026: Fri 3 April Good
// Friday, Mon 6 April Easter Monday, Mon 4 May, Mon 25 May; BST from Sun 29 March).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "redress/engine.hpp"
#include "support/shipped.hpp"

using namespace redress;
using redress::testing::fca;
using redress::testing::iso10002;

namespace {

instant at(const char* text) { return instant::parse(text); }

complaint_intake intake(const std::string& id, const char* received, complaint_attributes attributes) {
  return complaint_intake{id, at(received), std::move(attributes)};
}

complaint_event event(lifecycle_event what, const char* when) {
  complaint_event e;
  e.what = what;
  e.at = at(when);
  return e;
}

std::vector<action> ok(outcome<std::vector<action>> result) {
  INFO((result ? std::string() : result.error().message));
  REQUIRE(result);
  return std::move(result).value();
}

const clock_report* find_clock(const complaint_status& s, const std::string& target, int cycle = 1) {
  for (const clock_report& c : s.clocks)
    if (c.target == target && c.cycle == cycle) return &c;
  return nullptr;
}

std::string line(const action& a) {
  std::string out = a.at.to_string() + " " + a.id;
  if (!a.assign.empty()) out += " assign=" + a.assign;
  for (const std::string& n : a.notify) out += " notify=" + n;
  if (!a.record.empty()) out += " record=" + a.record;
  return out;
}

std::vector<std::string> lines(const std::vector<action>& actions) {
  std::vector<std::string> out;
  for (const action& a : actions) out.push_back(line(a));
  return out;
}

const complaint_attributes product_email = {{"kind", "product-quality"},
                                            {"channel", "email"},
                                            {"priority", "normal"},
                                            {"customer_name", "Ann Example"},
                                            {"return_address", "ann@example.org"}};

}  // namespace

TEST_CASE("a retail complaint under ISO 10002: deadlines, escalations and owners") {
  engine e(iso10002());
  // Wednesday 1 April 2026, 10:00 BST.
  ok(e.open(intake("C-1", "2026-04-01T10:00:00+01:00", product_email)));
  auto s = e.status("C-1", at("2026-04-01T10:00:00+01:00"));
  REQUIRE(s);
  // Primary response the same business day, by close of business.
  CHECK(find_clock(*s, "primary-response")->due == at("2026-04-01T17:00:00+01:00"));
  // Registration by close of business of the next business day.
  CHECK(find_clock(*s, "registration")->due == at("2026-04-02T17:00:00+01:00"));
  // 8 business days: Thu 2, Tue 7, Wed 8, Thu 9, Fri 10, Mon 13, Tue 14, Wed 15 April.
  CHECK(find_clock(*s, "final-response")->due == at("2026-04-15T23:59:59+01:00"));

  ok(e.apply("C-1", event(lifecycle_event::acknowledge, "2026-04-01T11:00:00+01:00")));
  auto registered = ok(e.apply("C-1", event(lifecycle_event::register_complaint, "2026-04-02T09:30:00+01:00")));
  REQUIRE(registered.size() == 1);
  CHECK(registered[0].what == action::kind::assignment);
  CHECK(registered[0].who == "quality");  // product-quality complaints belong to the quality manager

  s = e.status("C-1", at("2026-04-02T09:30:00+01:00"));
  CHECK(find_clock(*s, "primary-response")->state == clock_state::met);
  CHECK(find_clock(*s, "registration")->state == clock_state::met);
  // Customer updates every 3 business days from registration: Tue 7, Wed 8, Thu 9.
  CHECK(find_clock(*s, "keep-customer-informed")->due == at("2026-04-09T23:59:59+01:00"));

  ok(e.apply("C-1", event(lifecycle_event::start_investigation, "2026-04-02T10:00:00+01:00")));
  CHECK(e.next_wakeup() == at("2026-04-09T13:30:00+01:00"));

  // Nothing more happens: the ladder fires at its exact instants.
  // 50%: 35.5 of 71 working hours (Wed 7h + 8 days x 8h) -> Thu 9 April 13:30.
  // 75%: 53.25 hours -> Mon 13 April 15:15. 100%: the due instant. +2 business days: Fri 17.
  const auto fired = e.advance(at("2026-04-20T12:00:00+01:00"));
  CHECK(lines(fired) == std::vector<std::string>{
            "2026-04-09T12:30:00Z C-1/final-response/L1/c1 notify=quality",
            "2026-04-09T23:00:00Z C-1/keep-customer-informed/breach/c1",
            "2026-04-13T14:15:00Z C-1/final-response/L2/c1 notify=team-lead",
            "2026-04-15T22:59:59Z C-1/final-response/L3/c1 assign=team-lead notify=head-of-service",
            "2026-04-15T23:00:00Z C-1/final-response/breach/c1",
            "2026-04-17T22:59:59Z C-1/final-response/L4/c1 notify=head-of-service record=final response overdue",
        });
  s = e.status("C-1", at("2026-04-20T12:00:00+01:00"));
  CHECK(s->owner == "team-lead");
  CHECK(s->escalation_level == 1);
  CHECK(find_clock(*s, "final-response")->breached);
  // Working time per owner: quality from Thu 2 April 09:30 to the reassignment (7.5h + 7 x 8h),
  // team-lead since then to Monday 20 April 12:00 (Thu 16, Fri 17, and 3h on Monday).
  CHECK(s->ledger.at("quality") == std::chrono::seconds{228600});
  CHECK(s->ledger.at("team-lead") == std::chrono::seconds{68400});
  // Per team (rules/iso10002.toml: quality in quality-assurance, team-lead in customer-service).
  CHECK(s->team_ledger == std::map<std::string, std::chrono::seconds, std::less<>>{
                              {"customer-service", std::chrono::seconds{68400}},
                              {"quality-assurance", std::chrono::seconds{228600}}});
}

TEST_CASE("a pause across a weekend and a DST change moves a day-period deadline by whole days") {
  engine e(iso10002());
  // Thursday 26 March 2026 10:00 GMT; 8 business days: Fri 27, Mon 30, Tue 31, Wed 1, Thu 2,
  // Tue 7, Wed 8, Thu 9 April.
  ok(e.open(intake("C-2", "2026-03-26T10:00:00Z", product_email)));
  ok(e.apply("C-2", event(lifecycle_event::acknowledge, "2026-03-26T10:30:00Z")));
  ok(e.apply("C-2", event(lifecycle_event::register_complaint, "2026-03-26T11:00:00Z")));
  ok(e.apply("C-2", event(lifecycle_event::start_investigation, "2026-03-26T11:30:00Z")));
  CHECK(find_clock(*e.status("C-2", at("2026-03-26T12:00:00Z")), "final-response")->due ==
        at("2026-04-09T23:59:59+01:00"));

  // The policy requires a reason for every pause.
  auto refused = e.apply("C-2", event(lifecycle_event::request_information, "2026-03-27T15:00:00Z"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().what == engine_error::kind::pause_refused);

  complaint_event ask = event(lifecycle_event::request_information, "2026-03-27T15:00:00Z");
  ask.reason = "receipt number needed";
  ok(e.apply("C-2", ask));
  CHECK(find_clock(*e.status("C-2", at("2026-03-30T12:00:00+01:00")), "final-response")->state ==
        clock_state::paused);
  // Paused Friday 15:00 GMT to Tuesday 11:00 BST: only Monday 30 March is paused for the whole
  // of its working time, so the last day moves one business day: Friday 10 April.
  ok(e.apply("C-2", event(lifecycle_event::customer_replied, "2026-03-31T11:00:00+01:00")));
  const auto s = e.status("C-2", at("2026-03-31T11:00:00+01:00"));
  CHECK(find_clock(*s, "final-response")->due == at("2026-04-10T23:59:59+01:00"));
  REQUIRE(s->pauses.size() == 1);
  CHECK(s->pauses[0].reason == "receipt number needed");
  CHECK(s->pauses[0].to == at("2026-03-31T11:00:00+01:00"));
  // Working time inside the pause: Fri 2h + Mon 8h + Tue 2h.
  CHECK(s->pauses[0].working == std::chrono::hours{12});
}

TEST_CASE("a holding response extends a payment-services deadline to 35 business days from receipt") {
  engine e(fca());
  const complaint_attributes payment = {{"kind", "payment-service"}, {"channel", "email"},
                                        {"priority", "normal"}, {"customer_name", "Bo Example"}};
  ok(e.open(intake("C-17", "2026-04-01T14:00:00+01:00", payment)));
  auto s = e.status("C-17", at("2026-04-01T14:00:00+01:00"));
  CHECK(find_clock(*s, "final-response")->due == at("2026-04-24T23:59:59+01:00"));
  CHECK(find_clock(*s, "summary-resolution") == nullptr);  // email: no summary resolution

  ok(e.apply("C-17", event(lifecycle_event::acknowledge, "2026-04-01T15:00:00+01:00")));
  ok(e.apply("C-17", event(lifecycle_event::register_complaint, "2026-04-02T09:00:00+01:00")));
  // 50% of 123 working hours (Wed 3h + 15 x 8h): Wed 15 April 11:30.
  auto fired = e.advance(at("2026-04-20T09:00:00+01:00"));
  CHECK(lines(fired) == std::vector<std::string>{
            // Updates every 5 business days from Thu 2 April: Tue 7 ... Mon 13; breached at midnight.
            "2026-04-13T23:00:00Z C-17/keep-customer-informed/breach/c1",
            "2026-04-15T10:30:00Z C-17/final-response/L1/c1 notify=team-lead",
        });
  ok(e.apply("C-17", event(lifecycle_event::send_holding_response, "2026-04-20T10:00:00+01:00")));
  s = e.status("C-17", at("2026-04-20T10:00:00+01:00"));
  // 35 business days after Wed 1 April, skipping 3, 6 April, 4 and 25 May: Tue 26 May.
  CHECK(find_clock(*s, "final-response")->due == at("2026-05-26T23:59:59+01:00"));
  CHECK(find_clock(*s, "final-response")->extended);
  // 80% of 283 hours is 226.4 hours: 7h24m into the 28th business day, Thu 14 May: 16:24.
  fired = e.advance(at("2026-05-15T09:00:00+01:00"));
  REQUIRE_FALSE(fired.empty());
  const auto level2 = std::find_if(fired.begin(), fired.end(), [](const action& a) { return a.level == 2; });
  REQUIRE(level2 != fired.end());
  CHECK(line(*level2) == "2026-05-14T15:24:00Z C-17/final-response/L2/c1 assign=team-lead notify=compliance");
  ok(e.apply("C-17", event(lifecycle_event::start_investigation, "2026-05-15T10:00:00+01:00")));
  ok(e.apply("C-17", event(lifecycle_event::send_response, "2026-05-20T10:00:00+01:00")));
  s = e.status("C-17", at("2026-05-20T10:00:00+01:00"));
  CHECK(find_clock(*s, "final-response")->state == clock_state::met);
}

TEST_CASE("a holding response after the deadline does not extend it") {
  engine e(fca());
  const complaint_attributes payment = {{"kind", "payment-service"}, {"channel", "letter"},
                                        {"customer_name", "Cy Example"}, {"return_address", "1 High St"}};
  ok(e.open(intake("C-18", "2026-04-01T14:00:00+01:00", payment)));
  e.advance(at("2026-04-27T09:00:00+01:00"));
  ok(e.apply("C-18", event(lifecycle_event::send_holding_response, "2026-04-27T10:00:00+01:00")));
  const auto s = e.status("C-18", at("2026-04-27T10:00:00+01:00"));
  CHECK(find_clock(*s, "final-response")->due == at("2026-04-24T23:59:59+01:00"));
  CHECK_FALSE(find_clock(*s, "final-response")->extended);
  CHECK(find_clock(*s, "final-response")->breached);
}

TEST_CASE("a promise kept is met; a promise broken warns, escalates and breaches") {
  engine e(iso10002());
  ok(e.open(intake("C-3", "2026-04-01T10:00:00+01:00", product_email)));
  ok(e.apply("C-3", event(lifecycle_event::acknowledge, "2026-04-01T10:05:00+01:00")));
  complaint_event promise = event(lifecycle_event::promise, "2026-04-01T10:06:00+01:00");
  promise.promised = at("2026-04-02T12:00:00+01:00");
  ok(e.apply("C-3", promise));
  ok(e.apply("C-3", event(lifecycle_event::contact_customer, "2026-04-02T11:00:00+01:00")));
  auto s = e.status("C-3", at("2026-04-02T11:00:00+01:00"));
  CHECK(find_clock(*s, "promise", 1)->state == clock_state::met);

  promise = event(lifecycle_event::promise, "2026-04-02T11:30:00+01:00");
  promise.promised = at("2026-04-07T12:00:00+01:00");  // across the Easter weekend
  ok(e.apply("C-3", promise));
  ok(e.apply("C-3", event(lifecycle_event::register_complaint, "2026-04-02T12:00:00+01:00")));
  // Warned 2 business hours before (10:00 on Tuesday 7 April), escalated at the promised instant.
  const auto fired = e.advance(at("2026-04-07T13:00:00+01:00"));
  CHECK(lines(fired) == std::vector<std::string>{
            "2026-04-07T09:00:00Z C-3/promise/L1/c2 notify=quality",
            "2026-04-07T11:00:00Z C-3/promise/L2/c2 notify=team-lead",
            "2026-04-07T11:00:01Z C-3/promise/breach/c2",
        });
  CHECK(fired.back().what == action::kind::promise_breach);
}

TEST_CASE("a stop exactly at the due instant is met") {
  engine e(iso10002());
  ok(e.open(intake("C-4", "2026-04-01T10:00:00+01:00", product_email)));
  // Primary response due at close of business, 17:00: acknowledged at 17:00 exactly.
  ok(e.apply("C-4", event(lifecycle_event::acknowledge, "2026-04-01T17:00:00+01:00")));
  CHECK(find_clock(*e.status("C-4", at("2026-04-01T17:00:00+01:00")), "primary-response")->state ==
        clock_state::met);
}

TEST_CASE("a rejected event leaves the complaint exactly as it was") {
  engine e(iso10002());
  ok(e.open(intake("C-5", "2026-04-01T10:00:00+01:00", product_email)));
  const auto before = e.status("C-5", at("2026-04-03T10:00:00+01:00"));
  auto rejected = e.apply("C-5", event(lifecycle_event::close, "2026-04-02T10:00:00+01:00"));
  REQUIRE_FALSE(rejected);
  CHECK(rejected.error().what == engine_error::kind::rejected_event);
  const auto after = e.status("C-5", at("2026-04-03T10:00:00+01:00"));
  CHECK(after->events == before->events);
  CHECK(after->state == before->state);
  CHECK(find_clock(*after, "final-response")->due == find_clock(*before, "final-response")->due);
  // Nothing fired on its behalf either: the registration clock is still running.
  CHECK(find_clock(*after, "registration")->state == clock_state::running);
}

TEST_CASE("events out of order, unknown complaints and incomplete intake are errors") {
  engine e(iso10002());
  ok(e.open(intake("C-6", "2026-04-01T10:00:00+01:00", product_email)));
  ok(e.apply("C-6", event(lifecycle_event::acknowledge, "2026-04-01T11:00:00+01:00")));
  // Earlier than the last event is a late event, put in its place (engine_late_tests.cpp);
  // earlier than the receipt is out of order.
  auto early = e.apply("C-6", event(lifecycle_event::register_complaint, "2026-04-01T09:30:00+01:00"));
  REQUIRE_FALSE(early);
  CHECK(early.error().what == engine_error::kind::out_of_order);
  CHECK(early.error().message ==
        "complaint C-6: 'register' at 2026-04-01T08:30:00Z is earlier than its receipt at "
        "2026-04-01T09:00:00Z");
  auto unknown = e.apply("C-404", event(lifecycle_event::acknowledge, "2026-04-01T11:00:00+01:00"));
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message == "no open complaint C-404");
  complaint_attributes letter = product_email;
  letter["channel"] = "letter";
  letter.erase("return_address");
  auto missing = e.open(intake("C-7", "2026-04-01T10:00:00+01:00", letter));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message ==
        "complaint C-7 lacks 'return_address', which policy \"Retail complaints (ISO 10002)\" "
        "requires for letter complaints");
  complaint_attributes fax = product_email;
  fax["channel"] = "fax";
  auto undeclared = e.open(intake("C-8", "2026-04-01T10:00:00+01:00", fax));
  REQUIRE_FALSE(undeclared);
  CHECK(undeclared.error().message ==
        "complaint C-8: channel 'fax' is not declared by policy \"Retail complaints (ISO 10002)\" "
        "(declared: phone, chat, email, web, letter, in-person)");
}

TEST_CASE("an event whose clocks would run past the calendar's range is refused and changes nothing") {
  // A calendar whose data ends on 30 April 2026; a final response of 10 business days started
  // on 24 April would end in May.
  const policy p = parse_policy(R"(
[policy]
name = "Short range"
version = "1"
calendar = "office"

[calendars.office]
timezone = "Europe/London"
valid = ["2026-01-01", "2026-04-30"]
[calendars.office.hours]
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00"]

[[targets]]
name = "acknowledgement"
starts = "received"
stops = "acknowledged"
within = "1 business day"
escalate = [{ at = "50%", record = "half way" }]

[[targets]]
name = "final-response"
starts = "acknowledged"
stops = "responded"
within = "10 business days"
)", "short.toml");
  engine e(p);
  ok(e.open(intake("R-1", "2026-04-23T10:00:00+01:00", {{"kind", "claim"}})));
  const auto before = e.status("R-1", at("2026-04-23T10:00:00+01:00"));
  // The acknowledgement's 50% level (7.5 of 15 working hours: Fri 24 April 09:30) fires in the
  // catch-up before the event at 10:00; when the event is refused it must not stay fired.
  auto refused = e.apply("R-1", event(lifecycle_event::acknowledge, "2026-04-24T10:00:00+01:00"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().what == engine_error::kind::calendar_error);
  CHECK(refused.error().message ==
        "complaint R-1: calendar \"office\" covers 2026-01-01 to 2026-04-30: the last day of the "
        "period, 2026-05-08 is outside it");
  const auto after = e.status("R-1", at("2026-04-23T10:00:00+01:00"));
  REQUIRE(after->clocks.size() == before->clocks.size());
  CHECK(after->state == before->state);
  CHECK(after->events == 0);
  CHECK_FALSE(after->clocks[0].levels[0].fired);
  CHECK(e.next_wakeup() == at("2026-04-24T09:30:00+01:00"));
}

TEST_CASE("a level that would fire beyond the calendar's range is not scheduled, and advance goes on") {
  const policy p = parse_policy(R"(
[policy]
name = "Short range"
version = "1"
calendar = "office"

[calendars.office]
timezone = "UTC"
valid = ["2026-01-01", "2026-04-30"]
[calendars.office.hours]
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00"]

[[targets]]
name = "final-response"
starts = "received"
stops = "responded"
within = "3 business days"
escalate = [{ at = "50%", notify = "owner" }, { at = "+5 business days", record = "late" }]
)", "short.toml");
  engine e(p);
  // Received Mon 27 April: due Thu 30 April (50% of 32 working hours: Tue 17:00); five business
  // days after the due are in May, beyond the calendar's data.
  ok(e.open(intake("R-2", "2026-04-27T09:00:00Z", {{"kind", "claim"}})));
  const auto fired = e.advance(at("2026-05-20T00:00:00Z"));
  CHECK(lines(fired) == std::vector<std::string>{
            "2026-04-28T17:00:00Z R-2/final-response/L1/c1",
            "2026-05-01T00:00:00Z R-2/final-response/breach/c1",
        });
  const auto s = e.status("R-2", at("2026-05-20T00:00:00Z"));
  REQUIRE(s);
  CHECK_FALSE(s->clocks[0].levels[1].at.has_value());
  CHECK_FALSE(e.next_wakeup().has_value());
}

TEST_CASE("a breach before anyone owns the complaint falls to the owner of its kind") {
  engine e(iso10002());
  ok(e.open(intake("C-40", "2026-04-01T10:00:00+01:00", product_email)));
  // Never acknowledged: the primary response (close of business, 17:00) breaches one second
  // after its due instant, while nobody owns the complaint yet; product-quality complaints
  // are the quality manager's.
  std::vector<action> breaches;
  for (const action& a : e.advance(at("2026-04-01T18:00:00+01:00")))
    if (a.what == action::kind::breach) breaches.push_back(a);
  REQUIRE(breaches.size() == 1);
  CHECK(breaches[0].id == "C-40/primary-response/breach/c1");
  CHECK(breaches[0].at == at("2026-04-01T17:00:01+01:00"));
  CHECK(breaches[0].who == "quality");
  CHECK(e.status("C-40", at("2026-04-01T18:00:00+01:00"))->owner.empty());
}

TEST_CASE("owner(), state() and calendar() answer without measuring the clocks, and agree with status()") {
  engine e(iso10002());
  CHECK_FALSE(e.owner("C-9"));
  CHECK_FALSE(e.state("C-9"));
  CHECK(e.calendar("C-9") == nullptr);
  ok(e.open(intake("C-9", "2026-04-01T10:00:00+01:00", product_email)));
  CHECK(e.owner("C-9") == "");  // nobody before registration
  CHECK(e.state("C-9")->main == complaint_state::received);
  REQUIRE(e.calendar("C-9") != nullptr);
  CHECK(e.calendar("C-9")->name() == "england-wales");
  CHECK(e.calendar("C-9")->zone().name() == "Europe/London");
  ok(e.apply("C-9", event(lifecycle_event::acknowledge, "2026-04-01T11:00:00+01:00")));
  ok(e.apply("C-9", event(lifecycle_event::register_complaint, "2026-04-02T09:30:00+01:00")));
  CHECK(e.owner("C-9") == "quality");
  CHECK(e.state("C-9")->main == complaint_state::registered);
  const auto s = e.status("C-9", at("2026-04-02T09:30:00+01:00"));
  CHECK(e.state("C-9") == s->state);
  CHECK(e.calendar("C-9")->name() == s->calendar);
  CHECK(e.erase("C-9"));
  CHECK_FALSE(e.state("C-9"));
  CHECK(e.calendar("C-9") == nullptr);
}
