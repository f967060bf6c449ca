// The wire format (docs/wire-format.md) through the public C++ functions of redress/wire.hpp:
// round trips, instants in the calendar's offset, a committed snapshot that still restores,
// and located errors for bad input. Expected values are worked by hand from
// rules/iso10002.toml and the England and Wales calendar (Mon-Fri 09:00-17:00 Europe/London;
// 3 and 6 April 2026 are bank holidays).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "redress/engine.hpp"
#include "redress/wire.hpp"
#include "support/shipped.hpp"

using namespace redress;

namespace {

instant at(const char* text) { return instant::parse(text); }
const time_zone& london() { return testing::iso10002().calendar("england-wales").zone(); }

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string wire_error_of(std::string_view text, wire::wire_error::kind expected_kind) {
  try {
    (void)wire::snapshot_from_json(text);
  } catch (const wire::wire_error& e) {
    CHECK(e.type() == expected_kind);
    return e.what();
  }
  FAIL("expected a wire_error");
  return {};
}

}  // namespace

TEST_CASE("wire: an event round-trips with every field, in the calendar's offset") {
  complaint_event e;
  e.what = lifecycle_event::plan_action;
  e.at = at("2026-01-15T10:00:00Z");  // winter: London is at +00:00
  e.actor = "ann";
  e.reason = "root cause";
  e.justified = true;
  e.satisfied = false;
  e.role = "quality";
  e.promised = at("2026-04-01T13:00:00Z");  // summer: +01:00
  e.action_what = "Replace the batch";
  e.action_owner = "store-manager";
  e.action_verifier = "quality";
  e.action_due = at("2026-04-20T16:00:00Z");
  const std::string text = wire::to_json(e, london());
  CHECK(text ==
        R"({"event":"plan_action","at":"2026-01-15T10:00:00+00:00","actor":"ann","reason":"root cause",)"
        R"("justified":true,"satisfied":false,"role":"quality","promised":"2026-04-01T14:00:00+01:00",)"
        R"("what":"Replace the batch","owner":"store-manager","verifier":"quality","due":"2026-04-20T17:00:00+01:00"})");
  const complaint_event back = wire::event_from_json(text);
  CHECK(back.what == e.what);
  CHECK(back.at == e.at);
  CHECK(back.actor == e.actor);
  CHECK(back.reason == e.reason);
  CHECK(back.justified);
  CHECK_FALSE(back.satisfied);
  CHECK(back.role == e.role);
  CHECK(back.promised == e.promised);
  CHECK(back.action_what == e.action_what);
  CHECK(back.action_owner == e.action_owner);
  CHECK(back.action_verifier == e.action_verifier);
  CHECK(back.action_due == e.action_due);
  // Defaults are not written.
  complaint_event plain;
  plain.what = lifecycle_event::acknowledge;
  plain.at = at("2026-04-01T13:30:00Z");
  CHECK(wire::to_json(plain, london()) == R"({"event":"acknowledge","at":"2026-04-01T14:30:00+01:00"})");
}

TEST_CASE("wire: instants are read with any offset") {
  const complaint_event e = wire::event_from_json(R"({"event": "acknowledge", "at": "2026-04-01T09:30:00-04:00"})");
  CHECK(e.at == at("2026-04-01T13:30:00Z"));
  CHECK(wire::to_json(e, london()) == R"({"event":"acknowledge","at":"2026-04-01T14:30:00+01:00"})");
}

TEST_CASE("wire: an intake and an action round-trip") {
  complaint_intake intake{"C-17", at("2026-04-01T13:00:00Z"), {{"kind", "claim"}, {"customer_name", "Zoë"}}};
  const std::string text = wire::to_json(intake, london());
  CHECK(text ==
        R"({"id":"C-17","received":"2026-04-01T14:00:00+01:00","attributes":{"customer_name":"Zoë","kind":"claim"}})");
  const complaint_intake back = wire::intake_from_json(text);
  CHECK(back.id == "C-17");
  CHECK(back.received == intake.received);
  CHECK(back.attributes == intake.attributes);

  action a;
  a.id = "C-17/final-response/L3/c1";
  a.what = action::kind::escalation;
  a.complaint = "C-17";
  a.target = "final-response";
  a.level = 3;
  a.at = at("2026-04-15T22:59:59Z");
  a.who = "team-lead";
  a.notify = {"head-of-service"};
  a.assign = "team-lead";
  a.summary = "final-response at 100%";
  a.by_when = at("2026-04-15T22:59:59Z");
  const action b = wire::action_from_json(wire::to_json(a, london()));
  CHECK(b.id == a.id);
  CHECK(b.what == a.what);
  CHECK(b.level == 3);
  CHECK(b.cycle == 1);
  CHECK(b.at == a.at);
  CHECK(b.notify == a.notify);
  CHECK(b.assign == a.assign);
  CHECK(b.by_when == a.by_when);
  CHECK(wire::to_json(a, london()).find(R"("at":"2026-04-15T23:59:59+01:00")") != std::string::npos);
}

TEST_CASE("wire: the snapshot committed in tests/data/wire restores and continues exactly") {
  const std::string text = read(std::string(REDRESS_SOURCE_DIR) + "/tests/data/wire/snapshot-v1.json");
  REQUIRE_FALSE(text.empty());
  const complaint_snapshot s = wire::snapshot_from_json(text);
  CHECK(s.policy_version == "2026.1");
  CHECK(s.intake.id == "C-17");
  REQUIRE(s.events.size() == 8);
  CHECK(s.events[3].what == lifecycle_event::request_information);
  CHECK(s.events[3].reason == "receipt needed");
  CHECK(s.fired_until == at("2026-04-23T23:00:00Z"));

  engine e{testing::iso10002()};
  const auto restored = e.restore(s);
  REQUIRE(restored);
  std::vector<std::string> ids;
  for (const action& a : *restored) ids.push_back(a.id);
  CHECK(ids == std::vector<std::string>{
                   "C-17/owner/quality/e2", "C-17/promise/L1/c1", "C-17/promise/L2/c1", "C-17/promise/breach/c1",
                   "C-17/corrective-action/planned/c1", "C-17/keep-customer-informed/breach/c1",
                   "C-17/final-response/L1/c1", "C-17/final-response/L2/c1", "C-17/final-response/L3/c1",
                   "C-17/final-response/breach/c1", "C-17/final-response/L4/c1",
                   "C-17/corrective-action/breach/c1"});
  // Working time 1 April 14:00 to 20 April 12:00: 3 h + 10 days of 8 h + 3 h = 86 h, less the
  // 7 h paused (2 April 11:00-17:00 and 7 April 09:00-10:00): 79 h.
  const auto status = e.status("C-17", at("2026-04-20T11:00:00Z"));
  REQUIRE(status);
  CHECK(status->state.main == complaint_state::resolution_proposed);
  const clock_report* final_response = nullptr;
  for (const clock_report& k : status->clocks)
    if (k.target == "final-response") final_response = &k;
  REQUIRE(final_response);
  CHECK(final_response->due == at("2026-04-15T22:59:59Z"));
  CHECK(final_response->consumed == std::chrono::hours{79});
  REQUIRE(status->pauses.size() == 1);
  CHECK(status->pauses[0].working == std::chrono::hours{7});
  // Nothing fires twice, and the snapshot written now is the file's, value for value.
  CHECK(e.advance(at("2026-04-24T00:00:00Z")).empty());
  const auto again = e.snapshot("C-17");
  REQUIRE(again);
  CHECK(wire::to_json(*again, london()) == wire::to_json(s, london()));
}

TEST_CASE("wire: bad input is refused with the place and what was expected") {
  // Syntax: the line and column of the text.
  const std::string syntax = wire_error_of("{\n  \"format\": \"redress-snapshot\",\n  \"format_version\": 1,,\n}",
                                           wire::wire_error::kind::syntax);
  CHECK(syntax.rfind("snapshot:3:23: invalid JSON: ", 0) == 0);
  // Values: the JSON pointer of the value.
  CHECK(wire_error_of(R"({"format": "redress-snapshot", "format_version": 2})", wire::wire_error::kind::value) ==
        std::string("/format_version: this snapshot has format version 2; this library (") + version() +
            ") reads versions 1 to 1: upgrade redress to restore it");
  CHECK(wire_error_of(R"({"format": "redress-snapshot", "format_version": 1, "policy_version": "2026.1",
        "intake": {"id": "C-1", "received": "2026-04-01T14:00:00"}, "events": [], "fired_until": null})",
                      wire::wire_error::kind::value)
            .rfind("/intake/received: ", 0) == 0);
  CHECK(wire_error_of(R"({"format": "redress-snapshot", "format_version": 1, "policy_version": "2026.1",
        "intake": {"id": "C-1", "received": "2026-04-01T14:00:00Z"},
        "events": [{"event": "acknowledge"}], "fired_until": null})",
                      wire::wire_error::kind::value) == "/events/0: missing \"at\"");
  CHECK(wire_error_of(R"({"format": "redress-snapshot", "format_version": 1, "policy": "x"})",
                      wire::wire_error::kind::value)
            .rfind("/policy: unknown key \"policy\"; expected one of format, ", 0) == 0);
  CHECK_THROWS_WITH(wire::event_from_json(R"({"event": "acknowledge", "at": "2026-04-01T14:00:00Z", "justified": 1})"),
                    "/justified: expected true or false, got number");
  CHECK_THROWS_WITH(wire::action_from_json(R"([])"), "/: expected an action (a JSON object), got array");
  // Integers are held to both bounds: cycles count from 1, snapshot formats from 1 (the schemas'
  // minimum), and a number beyond int64 is no cycle either.
  const std::string action_with_cycle =
      R"({"id": "C-17/final-response/L3/c1", "kind": "escalation", "complaint": "C-17",
          "target": "final-response", "level": 3, "cycle": CYCLE, "at": "2026-04-15T23:59:59+01:00",
          "who": "team-lead", "notify": [], "assign": "", "record": "", "summary": "",
          "by_when": "2026-04-15T23:59:59+01:00", "verifier": ""})";
  const auto with_cycle = [&](const std::string& cycle) {
    std::string text = action_with_cycle;
    return text.replace(text.find("CYCLE"), 5, cycle);
  };
  CHECK(wire::action_from_json(with_cycle("1")).cycle == 1);
  CHECK_THROWS_WITH(wire::action_from_json(with_cycle("0")),
                    "/cycle: expected an integer from 1 to 2147483647, got 0");
  CHECK_THROWS_WITH(wire::action_from_json(with_cycle("18446744073709551615")),
                    "/cycle: expected an integer from 1 to 2147483647, got 18446744073709551615");
  CHECK(wire_error_of(R"({"format": "redress-snapshot", "format_version": 0})", wire::wire_error::kind::value) ==
        "/format_version: expected an integer from 1 to 2147483647, got 0");
}

TEST_CASE("wire: errors have a code and keep their place apart") {
  const engine_error e{engine_error::kind::rejected_event, "complaint C-17: 'close' is not allowed"};
  CHECK(wire::to_json(e) == R"({"code":"rejected_event","message":"complaint C-17: 'close' is not allowed"})");
  const error located("expected a duration", source_location{"p.toml", 14, 9});
  CHECK(wire::to_json(located) ==
        R"({"code":"load_error","message":"expected a duration","file":"p.toml","line":14,"column":9})");
}
