// The engine's limits on a policy (policy_limits, rules/README.md "Limits"): a policy at each
// limit loads and works; one past it is a located error when it loads (so `redress check`
// reports it), and when a host builds the definition in code. The big policies are made here.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "redress/engine.hpp"
#include "support/error_message.hpp"

using namespace redress;

namespace {

instant at(const char* text) { return instant::parse(text); }

const char* const header = R"([policy]
name = "Limits"
version = "1"
calendar = "office"

[calendars.office]
timezone = "UTC"
[calendars.office.hours]
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00"]
)";

std::string role_id(std::size_t i) {
  std::string digits = std::to_string(i);
  return "r" + std::string(3 - digits.size(), '0') + digits;
}

int lines_of(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

// A policy with `roles` roles r001..rN, each on its own line (a table's keys are in the order of
// their names, which these keep the order of the file), and one target.
std::string with_roles(std::size_t roles, int& line_of_last) {
  std::string text = std::string(header) + "\n[roles]\n";
  const int first = lines_of(text) + 1;
  for (std::size_t i = 1; i <= roles; ++i) {
    line_of_last = first + static_cast<int>(i - 1);
    text += role_id(i) + " = \"Role " + std::to_string(i) + "\"\n";
  }
  text += "\n[[targets]]\nname = \"response\"\nstarts = \"received\"\nstops = \"responded\"\nwithin = \"5 business days\"\n";
  return text;
}

// A target whose ladder has `levels` levels at 1%, 2%, ... of 100 elapsed hours, each on its own line.
std::string with_levels(std::size_t levels, int& line_of_last) {
  std::string text = std::string(header) +
                     "\n[[targets]]\nname = \"response\"\nstarts = \"received\"\nstops = \"responded\"\n"
                     "within = \"100 hours\"\nescalate = [\n";
  const int first = lines_of(text) + 1;
  for (std::size_t i = 1; i <= levels; ++i) {
    line_of_last = first + static_cast<int>(i - 1);
    text += "  { at = \"" + std::to_string(i) + "%\", record = \"level " + std::to_string(i) + "\" },\n";
  }
  return text + "]\n";
}

// `targets` targets t1..tN: every one but the last only for letters, so a phone complaint
// gets only the last.
std::string with_targets(std::size_t targets, int& line_of_last) {
  std::string text = std::string(header) + "\n";
  const int first = lines_of(text) + 1;
  for (std::size_t i = 1; i <= targets; ++i) {
    line_of_last = first + 6 * static_cast<int>(i - 1);  // six lines a target but the last
    text += "[[targets]]\nname = \"t" + std::to_string(i) + "\"\nstarts = \"received\"\nstops = \"responded\"\n";
    text += i == targets ? "within = \"16 business hours\"\n" : "within = \"1 business day\"\nwhen = { channel = \"letter\" }\n";
  }
  return text;
}

std::string with_corrective_actions(std::size_t actions, int& line_of_last) {
  std::string text = std::string(header) + "\n[roles]\nqa = \"Quality\"\n\n";
  const int first = lines_of(text) + 1;
  for (std::size_t i = 1; i <= actions; ++i) {
    line_of_last = first + 5 * static_cast<int>(i - 1);
    text += "[[corrective-actions]]\nwhat = \"fix " + std::to_string(i) +
            "\"\nowner = \"qa\"\nwithin = \"5 business days\"\nverifier = \"qa\"\n";
  }
  return text;
}

std::string load_error(const std::string& text) {
  return testing::error_message([&] { (void)parse_policy(text, "limits.toml"); }, "(loaded)");
}

complaint_intake phone_complaint(const char* received) {
  return complaint_intake{"L-1", at(received), {{"kind", "claim"}, {"channel", "phone"}}};
}

}  // namespace

TEST_CASE("a ladder of 32 levels fires its 32nd at its exact instant; 33 levels is a located error") {
  int line = 0;
  engine e(parse_policy(with_levels(32, line), "limits.toml"));
  REQUIRE(e.open(phone_complaint("2026-04-01T00:00:00Z")));
  // Level k is at k% of 100 hours: k hours after receipt; the 32nd at 08:00 the next day.
  const auto before = e.advance(at("2026-04-02T07:59:59Z"));
  CHECK(before.size() == 31);
  const auto last = e.advance(at("2026-04-02T08:00:00Z"));
  REQUIRE(last.size() == 1);
  CHECK(last[0].id == "L-1/response/L32/c1");
  CHECK(last[0].at == at("2026-04-02T08:00:00Z"));

  const std::string text = with_levels(33, line);
  CHECK(load_error(text) == "limits.toml:" + std::to_string(line) +
                                ":3: target 'response' may have at most 32 escalation levels (this is the 33rd)");
}

TEST_CASE("a promise ladder of 33 levels is a located error") {
  std::string text = std::string(header) + "\n[promises]\nescalate = [\n";
  int line = 0;
  for (int i = 1; i <= 33; ++i) {
    line = lines_of(text) + 1;
    text += "  { at = \"" + std::to_string(i) + "%\", notify = \"owner\" },\n";
  }
  text += "]\n";
  CHECK(line == 49);
  CHECK(load_error(text) == "limits.toml:49:3: [promises] may have at most 32 escalation levels (this is the 33rd)");
}

TEST_CASE("255 roles: the 255th can own a complaint; a 256th role is a located error") {
  int line = 0;
  engine e(parse_policy(with_roles(255, line), "limits.toml"));
  REQUIRE(e.open(phone_complaint("2026-04-01T10:00:00Z")));
  complaint_event assign;
  assign.what = lifecycle_event::acknowledge;
  assign.at = at("2026-04-01T10:05:00Z");
  REQUIRE(e.apply("L-1", assign));
  assign.what = lifecycle_event::assign;
  assign.role = role_id(255);
  assign.at = at("2026-04-01T10:10:00Z");
  const auto assigned = e.apply("L-1", assign);
  INFO((assigned ? std::string() : assigned.error().message));
  REQUIRE(assigned);
  CHECK(e.status("L-1", at("2026-04-01T10:10:00Z"))->owner == role_id(255));
  // Each of the 255 found by its id (the file's order is the definition's), none that is not one.
  const policy p = parse_policy(with_roles(255, line), "limits.toml");
  CHECK(p.role_index(role_id(1)) == 0);
  CHECK(p.role_index(role_id(128)) == 127);
  CHECK(p.role_index(role_id(255)) == 254);
  CHECK(p.role_index(role_id(256)) == -1);
  CHECK(p.role_index("") == -1);
  CHECK(p.role_title(role_id(200)) == "Role 200");
  CHECK(p.role_title("nobody-here") == "(nobody)");

  const std::string text = with_roles(256, line);
  CHECK(load_error(text) == "limits.toml:" + std::to_string(line) +
                                ":1: a policy may have at most 255 roles (this is the 256th)");
}

TEST_CASE("65535 targets: the last one runs; a 65536th target is a located error") {
  int line = 0;
  engine e(parse_policy(with_targets(65535, line), "limits.toml"));
  // Received Wed 1 April 10:00 UTC; 16 business hours of 09:00-17:00 (7 on Wednesday, 8 on
  // Thursday, 1 on Friday): Fri 3 April 10:00.
  REQUIRE(e.open(phone_complaint("2026-04-01T10:00:00Z")));
  const auto s = e.status("L-1", at("2026-04-01T10:00:00Z"));
  REQUIRE(s->clocks.size() == 1);
  CHECK(s->clocks[0].target == "t65535");
  CHECK(s->clocks[0].due == at("2026-04-03T10:00:00Z"));

  const std::string text = with_targets(65536, line);
  CHECK(load_error(text) == "limits.toml:" + std::to_string(line) +
                                ":1: a policy may have at most 65535 targets (this is the 65536th)");
}

TEST_CASE("65535 corrective-action templates load; a 65536th is a located error") {
  int line = 0;
  const policy p = parse_policy(with_corrective_actions(65535, line), "limits.toml");
  CHECK(p->corrective_actions.size() == 65535);
  CHECK(p->corrective_actions.back().what == "fix 65535");
  const std::string text = with_corrective_actions(65536, line);
  CHECK(load_error(text) == "limits.toml:" + std::to_string(line) +
                                ":1: a policy may have at most 65535 corrective actions (this is the 65536th)");
}

TEST_CASE("a policy_definition built in code is held to the same limits") {
  auto definition = std::make_shared<policy_definition>(parse_policy(std::string(header), "code.toml").definition());
  for (int i = 1; i <= 255; ++i) definition->roles.push_back({"r" + std::to_string(i), "", "", {"code.cpp", i, 1}, ""});
  CHECK_NOTHROW(policy(definition));
  definition->roles.push_back({"r256", "", "", {"code.cpp", 256, 1}, ""});
  try {
    policy refused(definition);
    FAIL("a policy with 256 roles was made");
  } catch (const error& e) {
    CHECK(std::string(e.what()) == "code.cpp:256:1: a policy may have at most 255 roles (this is the 256th)");
  }
}

TEST_CASE("a duration may count 10,000 years (of 366 days): one more is a located error, not a wrap-around") {
  const auto target = [](const std::string& within, const std::string& level) {
    return std::string(header) + "\n[[targets]]\nname = \"response\"\nstarts = \"received\"\nstops = \"responded\"\n" +
           "within = \"" + within + "\"\nescalate = [{ at = \"" + level + "\", record = \"late\" }]\n";
  };
  // At the limit: 10,000 x 366 x 24 hours loads.
  CHECK(load_error(target("87840000 hours", "+87840000 hours")) == "(loaded)");
  CHECK(load_error(target("87840001 hours", "+1 hour")) ==
        "limits.toml:15:1: target 'response' within \"87840001 hours\" is longer than the 10000 years a policy may count");
  // INT64_MAX business days used to wrap round to a due instant before the complaint was received.
  CHECK(load_error(target("9223372036854775807 business days", "+1 hour")) ==
        "limits.toml:15:1: target 'response' within \"9223372036854775807 business days\" is longer than the 10000 "
        "years a policy may count");
  // An offset whose seconds are near INT64_MAX overflowed when added to the due instant.
  CHECK(load_error(target("1 hour", "+2562047788015215 hours")) ==
        "limits.toml:20:13: target 'response' escalation at \"2562047788015215 hours\" is longer than the 10000 "
        "years a policy may count");
}
