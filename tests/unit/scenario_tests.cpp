// Scenario files: TOML and JSON Lines say the same thing; malformed ones are located.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "redress/engine.hpp"
#include "tools/policy_test.hpp"
#include "tools/scenario.hpp"
#include "tools/simulate.hpp"
#include "tools/timeline_picture.hpp"

using namespace redress;

namespace {
std::string path(const std::string& p) { return std::string(REDRESS_SOURCE_DIR) + "/" + p; }

std::string scenario_error(const std::string& text, const std::string& name) {
  try {
    (void)tools::parse_scenario(text, name, time_zone::locate("Europe/London"));
  } catch (const error& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("the helpdesk's JSON Lines week is the same week as the TOML scenario") {
  const policy p = load_policy(path("rules/iso10002.toml"));
  const time_zone zone = p.calendar(p->default_calendar).zone();
  tools::scenario toml = tools::load_scenario(path("examples/scenarios/retail-week.toml"), zone);
  tools::scenario jsonl = tools::load_scenario(path("examples/helpdesk/retail-week.jsonl"), zone);
  jsonl.until = toml.until;
  REQUIRE(toml.complaints.size() == jsonl.complaints.size());
  const auto a = tools::simulate(p, toml);
  const auto b = tools::simulate(p, jsonl);
  for (const auto& run : a.complaints) {
    const auto other = std::find_if(b.complaints.begin(), b.complaints.end(), [&](const auto& r) { return r.id == run.id; });
    REQUIRE(other != b.complaints.end());
    INFO(run.id);
    CHECK(other->timeline.size() == run.timeline.size());
    REQUIRE(other->final_status.clocks.size() == run.final_status.clocks.size());
    for (std::size_t i = 0; i < run.final_status.clocks.size(); ++i) {
      CHECK(other->final_status.clocks[i].due == run.final_status.clocks[i].due);
      CHECK(other->final_status.clocks[i].state == run.final_status.clocks[i].state);
    }
    CHECK(other->final_status.owner == run.final_status.owner);
  }
}

// The pause's band in the timeline picture says who paused it, as simulate and explain do.
TEST_CASE("the timeline picture's pause names who paused it") {
  const policy p = load_policy(path("rules/iso10002.toml"));
  const tools::scenario s =
      tools::load_scenario(path("tests/data/paused-by.toml"), p.calendar(p->default_calendar).zone());
  const std::string svg = tools::timeline_svg(p, tools::simulate(p, s));
  CHECK(svg.find("<title>paused 2026-03-24 10:00 +00:00 to 2026-03-26 15:00 +00:00 by agent-7: photo of the batch "
                 "label</title>") != std::string::npos);
}

TEST_CASE("malformed scenarios say where") {
  CHECK(scenario_error("[[complaints]]\nid = \"C-1\"\n", "s.toml") ==
        "s.toml:1:1: complaint C-1 needs 'received', e.g. received = \"2026-04-01T14:00:00+01:00\"");
  CHECK(scenario_error("[[complaints]]\nid = \"C-1\"\nreceived = \"2026-04-01T10:00:00Z\"\nevents = [{ at = \"2026-04-01T11:00:00Z\", event = \"acknowledged\" }]\n",
                       "s.toml") == "s.toml:4:50: unknown event 'acknowledged'; did you mean 'acknowledge'?");
  CHECK(scenario_error("[[complaints]]\nid = \"C-1\"\nreceived = \"2026-04-01T10:00:00Z\"\nevents = [\n"
                       "  { at = \"2026-04-01T11:00:00Z\", event = \"acknowledge\" },\n"
                       "  { at = \"2026-04-01T10:30:00Z\", event = \"register\" },\n]\n",
                       "s.toml") ==
        "s.toml:6:10: events of complaint C-1 must be in the order they were logged: this one is logged before the "
        "previous one (a late event carries logged_at, the instant it was entered)");
  CHECK(scenario_error("{\"complaint\": \"C-1\", \"received\": \"2026-04-01T10:00:00Z\"}\n{\"complaint\": \"C-2\", \"at\": \"2026-04-01T11:00:00Z\", \"event\": \"acknowledge\"}\n",
                       "s.jsonl") == "s.jsonl:2:1: event for complaint C-2 before its opening line");
  CHECK(scenario_error("{\"complaint\": \"C-1\", \"received\": \"2026-04-01T10:00:00Z\"\n", "s.jsonl")
            .rfind("s.jsonl:1:", 0) == 0);
  CHECK(scenario_error("{\"complaint\": \"C-1\", \"received\": \"2026-04-01T10:00:00Z\"}\n{\"complaint\": \"C-1\", \"at\": \"2026-04-01T11:00:00Z\", \"event\": \"acknowledge\", \"colour\": \"red\"}\n",
                       "s.jsonl") ==
        "s.jsonl:2:1: unknown key 'colour' in an event line; expected at, event, actor, reason, justified, satisfied, role, promised, what, owner, verifier, due, logged_at "
        "(and, for reclassify, the attributes it changes: kind, priority, channel, tier, region, site)");
}

TEST_CASE("the local reading of an instant in a zone's local mean time is whole") {
  // Before 1847 London kept local mean time, -00:01:15: RFC 3339 cannot say that offset, so
  // format_rfc3339 writes the instant in UTC ("...Z") and the local reading says UTC. The
  // reading cut that text at fixed places and printed "1840-06-01  12:00Z".
  const time_zone london = time_zone::locate("Europe/London");
  CHECK(tools::local_reading(instant::parse("1840-06-01T12:00:00Z"), london) == "1840-06-01 12:00 UTC");
  CHECK(tools::local_reading(instant::parse("1840-06-01T12:00:30Z"), london) == "1840-06-01 12:00:30 UTC");
  CHECK(tools::local_reading(instant::parse("2026-04-01T13:00:00Z"), london) == "2026-04-01 14:00 +01:00");
  CHECK(tools::local_reading(instant::parse("2026-04-01T13:00:30Z"), london) == "2026-04-01 14:00:30 +01:00");
  CHECK(tools::local_reading(instant::parse("2026-01-05T09:00:00Z"), time_zone::locate("UTC")) ==
        "2026-01-05 09:00 +00:00");
  CHECK(tools::local_reading(instant::parse("2026-01-05T09:00:00Z"), time_zone::locate("America/New_York")) ==
        "2026-01-05 04:00 -05:00");
}

TEST_CASE("test --update writes each value at toml++'s line and column, which count code points") {
  // "a = { b = \"é\", c = 0 }": the 0 is at column 20 (é is one column, two bytes); a byte
  // count would put the edit one byte early. A byte order mark is not a column of line 1.
  tools::test_file_result r;
  r.file = "t.toml";
  tools::expectation_result e;
  e.passed = false;
  e.update.push_back(tools::value_edit{2, 20, 2, 21, "1"});
  e.update.push_back(tools::value_edit{1, 5, 1, 8, "\"yes\""});
  r.results.push_back(e);
  CHECK(tools::update_expectations("\xEF\xBB\xBFx = 'n'\na = { b = \"\xC3\xA9\", c = 0 } # \xC3\xA9\n", r) ==
        "\xEF\xBB\xBFx = \"yes\"\na = { b = \"\xC3\xA9\", c = 1 } # \xC3\xA9\n");
  // A passed expectation's values are never written.
  r.results.front().passed = true;
  CHECK(tools::update_expectations("x = 'n'\n", r) == "x = 'n'\n");
}

namespace {
// Writes `text` to a file of its own under the temporary directory; removed when destroyed.
struct temporary_file {
  std::string path;
  temporary_file(const std::string& name, const std::string& text)
      : path((std::filesystem::temp_directory_path() / ("redress-scenario-test-" + std::to_string(::getpid()) + "-" + name)).string()) {
    std::ofstream(path, std::ios::binary) << text;
  }
  ~temporary_file() { std::filesystem::remove(path); }
};

std::string load_error(const std::string& file) {
  try {
    (void)tools::load_scenario(file, time_zone::locate("Europe/London"));
  } catch (const error& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("a JSON Lines file is read a line at a time, the same as its text") {
  // A byte order mark (first file), CRLF ends, a blank line, a last line without its end; 70,000
  // blank lines first in the second file (past the reader's first 64 KiB block), which has no
  // .jsonl name: its first character says what it is.
  const std::string lines =
      "{\"complaint\": \"C-1\", \"received\": \"2026-04-01T10:00:00Z\", \"kind\": \"staff\"}\r\n"
      "{\"complaint\": \"C-2\", \"received\": \"2026-04-01T10:05:00+01:00\"}\r\n"
      "\r\n"
      "{\"complaint\": \"C-1\", \"at\": \"2026-04-01T11:00:00Z\", \"event\": \"acknowledge\", \"actor\": \"ann\"}\r\n"
      "{\"complaint\": \"C-2\", \"at\": \"2026-04-01T11:00:00Z\", \"event\": \"acknowledge\"}\r\n"
      "{\"complaint\": \"C-1\", \"at\": \"2026-04-02T09:00:00Z\", \"event\": \"register\"}";
  const time_zone zone = time_zone::locate("Europe/London");
  for (const auto& [name, text] : {std::pair<std::string, std::string>{"h.jsonl", "\xEF\xBB\xBF" + lines},
                                   std::pair<std::string, std::string>{"h.txt", std::string(70000, '\n') + lines}}) {
    INFO(name);
    const temporary_file file(name, text);
    const tools::scenario streamed = tools::load_scenario(file.path, zone);
    const tools::scenario whole = tools::parse_scenario(text, file.path, zone);
    const int skip = name == "h.txt" ? 70000 : 0;
    REQUIRE(streamed.complaints.size() == 2);
    REQUIRE(whole.complaints.size() == 2);
    CHECK(streamed.complaints[0].intake.id == "C-1");
    CHECK(streamed.complaints[0].intake.attributes.at("kind") == "staff");
    CHECK(streamed.complaints[1].intake.received == instant::parse("2026-04-01T09:05:00Z"));
    CHECK(streamed.complaints[0].line == skip + 1);
    for (std::size_t c = 0; c < 2; ++c) {
      const auto& a = streamed.complaints[c];
      const auto& b = whole.complaints[c];
      CHECK(a.intake.id == b.intake.id);
      CHECK(a.intake.received == b.intake.received);
      CHECK(a.intake.attributes == b.intake.attributes);
      CHECK(a.line == b.line);
      REQUIRE(a.events.size() == b.events.size());
      for (std::size_t e = 0; e < a.events.size(); ++e) {
        CHECK(a.events[e].event.at == b.events[e].event.at);
        CHECK(a.events[e].event.what == b.events[e].event.what);
        CHECK(a.events[e].event.actor == b.events[e].event.actor);
        CHECK(a.events[e].line == b.events[e].line);
      }
    }
    REQUIRE(streamed.complaints[0].events.size() == 2);
    CHECK(streamed.complaints[0].events[0].line == skip + 4);
    CHECK(streamed.complaints[0].events[1].line == skip + 6);
    CHECK(streamed.complaints[0].events[0].event.actor == "ann");
  }
  // An error is located at the same line and column as in the text.
  const std::string bad = "{\"complaint\": \"C-1\", \"received\": \"2026-04-01T10:00:00Z\"}\n\n"
                          "{\"complaint\": \"C-1\", \"at\": \"2026-04-01T09:00:00Z\", \"event\": \"acknowledge\"}\n";
  const temporary_file file("bad.jsonl", bad);
  CHECK(load_error(file.path) == file.path + ":3:1: an event of complaint C-1 cannot come before it was received (2026-04-01T10:00:00Z)");
  CHECK(load_error(file.path) == scenario_error(bad, file.path));
}

TEST_CASE("a complaint simulated alone has the timeline it has among others") {
  // simulate() runs each complaint on an engine of its own (the engine is deterministic per
  // complaint); two complaints whose openings and events interleave, at shared instants too,
  // give each the timeline it gets in a scenario of its own.
  const policy p = load_policy(path("rules/iso10002.toml"));
  const time_zone zone = p.calendar(p->default_calendar).zone();
  const std::string c1 =
      "{\"complaint\": \"C-1\", \"received\": \"2026-04-01T09:00:00Z\", \"kind\": \"staff\", \"channel\": \"phone\", \"customer_name\": \"A\"}\n";
  const std::string c2 =
      "{\"complaint\": \"C-2\", \"received\": \"2026-04-01T10:00:00Z\", \"kind\": \"staff\", \"channel\": \"phone\", \"customer_name\": \"B\"}\n";
  const std::string e1 = "{\"complaint\": \"C-1\", \"at\": \"2026-04-01T10:00:00Z\", \"event\": \"acknowledge\"}\n"
                         "{\"complaint\": \"C-1\", \"at\": \"2026-04-02T10:00:00Z\", \"event\": \"register\"}\n";
  const std::string e2 = "{\"complaint\": \"C-2\", \"at\": \"2026-04-01T10:00:00Z\", \"event\": \"acknowledge\"}\n"
                         "{\"complaint\": \"C-2\", \"at\": \"2026-04-01T10:00:00Z\", \"event\": \"acknowledge\"}\n";
  const std::string until = "2026-06-01T00:00:00Z";
  tools::scenario both = tools::parse_scenario(c1 + c2 + e2 + e1, "both.jsonl", zone);
  tools::scenario alone = tools::parse_scenario(c1 + e1, "alone.jsonl", zone);
  both.until = alone.until = instant::parse(until);
  const tools::simulation a = tools::simulate(p, both);
  const tools::simulation b = tools::simulate(p, alone);
  REQUIRE(a.complaints.size() == 2);
  REQUIRE(b.complaints.size() == 1);
  CHECK(a.rejected == 1);  // C-2's second acknowledge
  CHECK(b.rejected == 0);
  const tools::complaint_run& x = a.complaints[0];
  const tools::complaint_run& y = b.complaints[0];
  REQUIRE(x.id == "C-1");
  REQUIRE(x.timeline.size() == y.timeline.size());
  REQUIRE(x.timeline.size() >= 3);
  // Its opening and its two events, in time order.
  CHECK(x.timeline[0].label == "received");
  CHECK(x.timeline[0].at == instant::parse("2026-04-01T09:00:00Z"));
  for (std::size_t i = 0; i < x.timeline.size(); ++i) {
    INFO(i);
    CHECK(x.timeline[i].what == y.timeline[i].what);
    CHECK(x.timeline[i].at == y.timeline[i].at);
    CHECK(x.timeline[i].label == y.timeline[i].label);
    CHECK(x.detail(x.timeline[i]) == y.detail(y.timeline[i]));
  }
  CHECK(x.final_status.owner == y.final_status.owner);
  CHECK(x.final_status.clocks.size() == y.final_status.clocks.size());
  // simulate_complaint() is simulate()'s run of that one complaint.
  const tools::complaint_run z = tools::simulate_complaint(p, both.complaints[0], a.horizon);
  CHECK(z.timeline.size() == x.timeline.size());
  CHECK(z.actions.size() == x.actions.size());
  // C-2: received, acknowledge, the second acknowledge rejected, all at 10:00.
  const tools::complaint_run& w = a.complaints[1];
  REQUIRE(w.timeline.size() >= 3);
  CHECK(w.timeline[0].label == "received");
  CHECK(w.timeline[1].label == "acknowledge");
  CHECK(w.timeline[1].what == tools::timeline_entry::kind::event);
  CHECK(w.timeline[2].what == tools::timeline_entry::kind::rejected);
  CHECK(w.rejected == 1);
}
