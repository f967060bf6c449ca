// `redress serve --policy FILE...`: the engine as a long-running process for any language with
// a pipe. One JSON request a line on standard input, one JSON reply a line on standard output
// (flushed per line), in the wire format (docs/wire-format.md); the protocol is docs/serve.md.
// A malformed line gets an error reply naming its line and what was expected, and the service
// goes on; end of input ends it with status 0.
#include <algorithm>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "diagnostic_json.hpp"
#include "output.hpp"
#include "redress/policy.hpp"
#include "wire/session.hpp"

namespace redress::cli {

namespace {

using wire::json;

struct serve_options {
  std::vector<std::string> policies;
};

constexpr const char* operations =
    "open, apply, advance, next_wakeup, status, history, snapshot, restore, migrate, reload_policy, erase, check";

// A request that is JSON but not a request: its line, and what was expected.
struct bad_request {
  std::string message;
};

// A policy file a request names that does not load: its error, at its file:line:col.
struct load_failure {
  error e;
};

const json& field(const json& request, const char* key, const char* what) {
  const auto it = request.find(key);
  if (it == request.end()) throw bad_request{std::string("expected \"") + key + "\": " + what};
  return *it;
}

std::string text_field(const json& request, const char* key, const char* what) {
  const json& v = field(request, key, what);
  if (!v.is_string()) throw bad_request{std::string("\"") + key + "\" must be a string: " + what};
  return v.get<std::string>();
}

instant instant_field(const json& request, const char* key) {
  return wire::instant_from_text(text_field(request, key, "an RFC 3339 timestamp with an offset"), std::string("/") + key);
}

json check_policy(const std::string& file) {
  json diagnostics = json::array();
  bool loaded = true;
  std::vector<diagnostic> found;
  try {
    found = lint_policy(load_policy(file));
  } catch (const error& e) {
    loaded = false;
    found.push_back(diagnostic{diagnostic::severity::error, e.where(), e.message()});
  }
  bool clean = loaded;
  for (const diagnostic& d : found) {
    if (d.level == diagnostic::severity::error) clean = false;
    diagnostics.push_back(diagnostic_value<json>(d, file));
  }
  return {{"file", file}, {"loaded", loaded}, {"ok", clean}, {"diagnostics", diagnostics}};
}

json perform(wire::session& s, const json& request) {
  const std::string op = text_field(request, "op", std::string("one of ").append(operations).c_str());
  // The keys `op` takes besides "id" and "op": any other is refused, as the wire format refuses
  // an unknown key (docs/wire-format.md), so a misspelt or stray field is never ignored.
  const auto takes = [&](std::initializer_list<const char*> keys) {
    for (auto it = request.begin(); it != request.end(); ++it) {
      const std::string& key = it.key();
      if (key == "id" || key == "op" ||
          std::any_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; }))
        continue;
      std::string expected = "id, op";
      for (const char* k : keys) expected.append(", ").append(k);
      throw bad_request{"unknown key " + json(key).dump() + " in an \"" + op + "\" request; expected one of " + expected};
    }
  };
  if (op == "open") {
    takes({"intake"});
    return s.open(field(request, "intake", "the complaint's intake"));
  }
  if (op == "apply") {
    takes({"complaint", "event"});
    return s.apply(text_field(request, "complaint", "the complaint's id"), field(request, "event", "the event"));
  }
  if (op == "advance") {
    takes({"now"});
    return s.advance(instant_field(request, "now"));
  }
  if (op == "next_wakeup") {
    takes({});
    return s.next_wakeup();
  }
  if (op == "status") {
    takes({"complaint", "now"});
    return s.status(text_field(request, "complaint", "the complaint's id"), instant_field(request, "now"));
  }
  if (op == "history") {
    takes({"complaint"});
    return s.history(text_field(request, "complaint", "the complaint's id"));
  }
  if (op == "snapshot") {
    takes({"complaint"});
    return s.snapshot(text_field(request, "complaint", "the complaint's id"));
  }
  if (op == "restore") {
    takes({"snapshot"});
    return s.restore(field(request, "snapshot", "a snapshot"));
  }
  if (op == "migrate") {
    takes({"complaint", "version"});
    return s.migrate(text_field(request, "complaint", "the complaint's id"),
                     text_field(request, "version", "a policy version given with --policy"));
  }
  if (op == "reload_policy") {
    takes({"policy"});
    // A policy file of a version the service holds, read again (its text or a calendar file it
    // reads changed): a load error is the error reply, and nothing changes.
    const std::string file = text_field(request, "policy", "the path of a policy file of a version given with --policy");
    std::optional<policy> p;
    try {
      p.emplace(load_policy(file));
    } catch (const error& e) {
      throw load_failure{e};
    }
    return s.reload_policy(std::move(*p));
  }
  if (op == "erase") {
    takes({"complaint"});
    const std::string id = text_field(request, "complaint", "the complaint's id");
    if (!s.erase(id)) throw wire::engine_failure({engine_error::kind::unknown_complaint, "no open complaint " + id});
    return {{"erased", id}};
  }
  if (op == "check") {
    takes({"policy"});
    return check_policy(text_field(request, "policy", "the path of a policy file to load and lint"));
  }
  throw bad_request{"unknown op \"" + op + "\"; expected one of " + operations};
}

// One reply for one line. Never throws for what the line holds.
json reply_to(wire::session& s, const std::string& line, int number) {
  json reply = {{"id", nullptr}, {"ok", false}};
  auto failed = [&](std::string_view code, const std::string& message, source_location where) {
    reply["ok"] = false;
    reply.erase("result");
    reply["error"] = wire::error_value(code, message, where);
  };
  const source_location here{"<stdin>", number, 0};
  json request;
  try {
    request = wire::parse(line, "<stdin>");
  } catch (const wire::wire_error& e) {
    source_location where = e.where();
    where.line = number;  // the text is one line: its line is the request's
    failed("invalid_json", e.message() + " (each line is one request: {\"id\": ..., \"op\": ...})", where);
    return reply;
  }
  if (!request.is_object()) {
    failed("invalid_request", std::string("expected a JSON object {\"id\": ..., \"op\": ...}, got ") + request.type_name(),
           here);
    return reply;
  }
  if (const auto id = request.find("id"); id != request.end()) reply["id"] = *id;
  try {
    reply["ok"] = true;
    reply["result"] = perform(s, request);
  } catch (const bad_request& e) {
    failed("invalid_request", e.message, here);
  } catch (const load_failure& f) {
    failed("load_error", f.e.message(), f.e.where());
  } catch (const std::bad_alloc&) {
    failed("no_memory", "out of memory", here);
  } catch (...) {
    const wire::failure f = wire::current_failure("invalid_value");
    failed(f.code, f.message, here);
  }
  return reply;
}

int run_serve(const serve_options& o) {
  std::optional<wire::session> s;
  for (const std::string& file : o.policies) {
    policy p = load_policy(file);  // a redress::error: exit 2 at file:line:col (main.cpp)
    if (!s) {
      s.emplace(std::move(p));
      continue;
    }
    try {
      s->add_policy(std::move(p), true);
    } catch (const wire::engine_failure& e) {  // a version given twice: exit 2 at the second file
      throw redress::error(e.error.message + "; give each version once", {file});
    }
  }
  std::string line;
  int number = 0;
  while (std::getline(std::cin, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::cout << wire::text_of(reply_to(*s, line, number)) << '\n' << std::flush;
    if (!std::cout) return stop_at_failed_write("the reply to request line " + std::to_string(number));
  }
  if (std::cin.bad()) {
    std::cerr << "redress serve: cannot read standard input after line " << number << "\n";
    return exit_bad_input;
  }
  return exit_ok;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<serve_options>();
  CLI::App* serve = app.add_subcommand(
      "serve", "Run the engine as a service: one JSON request a line on stdin, one JSON reply a line on stdout");
  serve->add_option("--policy", options->policies,
                    "Policy files (TOML): every version is registered, the last one is current for new complaints")
      ->required()
      ->expected(1, -1);
  serve->footer(std::string("Operations: ") + operations +
                ". Protocol and transcript: docs/serve.md; values: docs/wire-format.md.\n\nExample:\n"
                "  redress serve --policy rules/iso10002.toml <<< '{\"id\": 1, \"op\": \"next_wakeup\"}'\n"
                "  {\"id\":1,\"ok\":true,\"result\":{\"next_wakeup\":null}}");
  serve->callback([options, &exit_status] { exit_status = run_serve(*options); });
}

}  // namespace redress::cli
