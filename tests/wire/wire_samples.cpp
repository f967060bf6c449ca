// Prints one JSON line per wire value that a real engine run produces, as
// {"schema": "action", "value": {...}}: validate.py checks every one against schemas/.
// The run: a product-quality complaint under rules/iso10002.toml with a pause, a promise,
// a justified resolution (a corrective action), escalations, a snapshot, and errors.
#include <iostream>

#include "redress/redress.hpp"
#include "wire/session.hpp"

namespace {

using redress::wire::json;

void emit(const char* schema, const json& value) {
  std::cout << redress::wire::text_of(json{{"schema", schema}, {"value", value}}) << '\n';
}

void emit_all(const json& actions) {
  emit("actions", actions);
  for (const json& a : actions) emit("action", a);
}

json error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const redress::wire::engine_failure& e) {
    return redress::wire::value_of(e.error);
  } catch (const redress::error& e) {
    return redress::wire::error_value(redress::wire::code_of(e), e.message(), e.where());
  }
  throw std::runtime_error("expected an error");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return std::cerr << "usage: wire_samples SOURCE_DIR\n", 2;
  const std::string dir = argv[1];
  redress::wire::session s(redress::load_policy(dir + "/rules/iso10002.toml"));
  const json intake = json::parse(R"({"id": "C-17", "received": "2026-04-01T14:00:00+01:00",
      "attributes": {"kind": "product-quality", "channel": "email", "customer_name": "Ann Example",
                     "return_address": "ann@example.org"}})");
  emit("intake", intake);
  emit_all(s.open(intake));
  const char* events[] = {
      R"({"event": "acknowledge", "at": "2026-04-01T14:30:00+01:00", "actor": "agent-ben"})",
      R"({"event": "register", "at": "2026-04-02T09:00:00+01:00"})",
      R"({"event": "start_investigation", "at": "2026-04-02T10:00:00+01:00"})",
      R"({"event": "request_information", "at": "2026-04-02T11:00:00+01:00", "reason": "receipt needed"})",
      R"({"event": "customer_replied", "at": "2026-04-07T10:00:00+01:00"})",
      R"({"event": "promise", "at": "2026-04-07T10:05:00+01:00", "promised": "2026-04-08T12:00:00+01:00"})",
      R"({"event": "propose_resolution", "at": "2026-04-09T10:00:00+01:00", "justified": true})",
      R"({"event": "plan_action", "at": "2026-04-09T10:30:00+01:00"})",
  };
  for (const char* e : events) {
    const json event = json::parse(e);
    emit("event", event);
    emit_all(s.apply("C-17", event));
  }
  emit_all(s.advance(redress::instant::parse("2026-04-30T00:00:00Z")));
  const json status = s.status("C-17", redress::instant::parse("2026-04-20T12:00:00+01:00"));
  emit("status", status);
  for (const json& k : status["clocks"]) emit("clock-report", k);
  for (const json& p : status["pauses"]) emit("pause-record", p);
  for (const json& c : status["corrective_actions"]) emit("corrective-action", c);
  emit("history", s.history("C-17"));
  const json snapshot = s.snapshot("C-17");
  emit("snapshot", snapshot);
  redress::wire::session other(s.current());
  emit_all(other.restore(snapshot));
  emit("error", error_of([&] { s.apply("C-99", json::parse(events[0])); }));
  emit("error", error_of([&] { redress::wire::parse("{\"id\": ", "intake"); }));
  emit("error", error_of([&] { s.open(json::parse(R"({"id": "C-18"})")); }));
  emit("error", error_of([&] { redress::load_policy(dir + "/rules/no-such.toml"); }));
  // The time results, as `redress due --json`, `elapsed --json` and the C ABI write them: a day
  // period (with its options) and a working-hours duration (without), and a negative elapsed.
  const redress::business_calendar& calendar = s.current().calendar("england-wales");
  const redress::instant start = redress::instant::parse("2026-04-01T14:00:00+01:00");
  for (const char* text : {"15 business days", "36 business hours"}) {
    const redress::duration_spec d = redress::duration_spec::parse(text);
    const redress::deadline_options o;
    emit("deadline", redress::wire::deadline_value(calendar, start, d, o, redress::deadline(calendar, start, d, o)));
  }
  const redress::instant later = redress::instant::parse("2026-04-07T10:00:00+01:00");
  emit("elapsed", redress::wire::elapsed_value(calendar, start, later, redress::elapsed_working_time(calendar, start, later)));
  emit("elapsed", redress::wire::elapsed_value(calendar, later, start, redress::elapsed_working_time(calendar, later, start)));
  return 0;
}
