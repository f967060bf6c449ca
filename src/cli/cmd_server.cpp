// `redress server --policy FILE... --journal sqlite:PATH|postgresql://... [--listen HOST:PORT]`: the engine behind
// an HTTP API with a journal (issue 20; docs/server.md). The work is in src/server; this file
// reads the options.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "files/toml_reader.hpp"
#include "redress/error.hpp"
#include "server/http.hpp"
#include "server/service.hpp"

namespace redress::cli {

namespace {

struct server_options {
  std::vector<std::string> policies;
  std::string journal, listen = "127.0.0.1:8080", clock = "system", token_file;
  std::size_t max_body = 1024 * 1024;
  std::string webhook;
  int webhook_timeout = 10;
  bool migrate = false;
};

// HOST:PORT, PORT 0 to 65535 (0: any free port). Throws: CLI::ValidationError saying what was expected.
void parse_listen(const std::string& text, server::http_options& h) {
  const auto colon = text.rfind(':');
  const std::string expected = "expected HOST:PORT (e.g. 127.0.0.1:8080; port 0 picks a free one), got \"" + text + "\"";
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size() || text.size() - colon > 6)
    throw CLI::ValidationError("--listen", expected);
  int port = 0;
  for (std::size_t i = colon + 1; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') throw CLI::ValidationError("--listen", expected);
    port = port * 10 + (text[i] - '0');
  }
  if (port > 65535) throw CLI::ValidationError("--listen", "port " + std::to_string(port) + " is above 65535");
  h.host = text.substr(0, colon);
  if (h.host.size() > 2 && h.host.front() == '[' && h.host.back() == ']') h.host = h.host.substr(1, h.host.size() - 2);
  h.port = port;
}

std::string read_token(const std::string& path) {
  // "--token-file: cannot read the token file \"PATH\": No such file or directory" (or "it is a
  // directory", "not a regular file"), as for every file the tools read.
  std::string token;
  try {
    token = detail::read_text_file(path, "the token file");
  } catch (const error& e) {
    throw std::runtime_error("--token-file: " + e.message());
  }
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.empty()) throw std::runtime_error("--token-file: \"" + path + "\" holds no token");
  if (token.find_first_of(" \t\r\n") != std::string::npos)
    throw std::runtime_error("--token-file: \"" + path + "\" holds more than one line or a space: one token expected");
  return token;
}

int run_server(const server_options& o) {
  server::http_options h;
  parse_listen(o.listen, h);
  h.max_body = o.max_body;
  if (!o.token_file.empty()) h.token = read_token(o.token_file);
  std::unique_ptr<server::journal> journal = server::open_journal(o.journal);
  if (o.migrate) {
    const int before = journal->schema_version();
    journal->migrate();
    const int after = journal->schema_version();
    std::cout << "journal " << o.journal << ": schema version " << after
              << (before == after ? " (unchanged)" : " (was " + std::to_string(before) + ")")
              << "\n";
    return exit_ok;
  }
  if (o.policies.empty()) throw CLI::RequiredError("--policy");
  server::service_options so;
  so.policy_files = o.policies;
  so.manual_clock = o.clock == "manual";
  so.max_long_polls = h.threads / 2;
  if (!o.webhook.empty()) so.webhook = server::webhook_sender(o.webhook, std::chrono::seconds{o.webhook_timeout});
  server::service s(so, std::move(journal));
  for (const std::string& notice : s.notices()) std::cerr << "redress server: " << notice << "\n";
  return server::serve_http(s, h, [&](int port) {
    std::cout << "redress server: listening on http://" << h.host << ":" << port << " (journal " << o.journal << ", "
              << s.restored() << " complaints restored, clock " << o.clock << ")\n"
              << std::flush;
  });
}

}  // namespace

void add_server_command(CLI::App& app, int& exit_status) {
  auto o = std::make_shared<server_options>();
  CLI::App* cmd = app.add_subcommand("server", "Serve the engine over HTTP with a journal (SQLite): docs/server.md");
  cmd->add_option("--policy", o->policies,
                  "Policy files (TOML): every version is registered, the last one is current for new complaints")
      ->expected(1, -1);
  cmd->add_option("--journal", o->journal, "The journal: sqlite:PATH (created and migrated when missing) or postgresql://USER@HOST:PORT/DB (the schema is created or migrated on start, as with --migrate)")->required();
  cmd->add_option("--listen", o->listen, "HOST:PORT to listen on (port 0: any free port, reported on stdout)")
      ->capture_default_str();
  cmd->add_option("--clock", o->clock, "system: the wall clock; manual: time is set by POST /admin/clock (tests)")
      ->check(CLI::IsMember({"system", "manual"}))
      ->capture_default_str();
  cmd->add_option("--token-file", o->token_file,
                  "A regular file holding a bearer token every route but /healthz requires (Authorization: Bearer TOKEN)")
      ->check(file_name);
  cmd->add_option("--max-body", o->max_body, "Largest request body in bytes (larger: 413)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64} * 1024 * 1024))
      ->capture_default_str();
  cmd->add_option("--webhook", o->webhook,
                  "POST every action to URL, retried with backoff until a 2xx (at least once; de-duplicate by id)");
  cmd->add_option("--webhook-timeout", o->webhook_timeout, "Seconds a webhook delivery may take")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_flag("--migrate", o->migrate, "Create or upgrade the journal's schema, print its version, and stop");
  cmd->footer(
      "Routes: POST /complaints, POST /complaints/{id}/events, GET /complaints/{id}[?at=], GET /complaints/{id}/history,\n"
      "GET /actions?after=CURSOR[&wait=SECONDS], POST /actions/{id}/ack, POST /admin/reload, GET /healthz, GET /metrics\n"
      "(docs/server.md).\n"
      "Run: redress server --policy rules/iso10002.toml --journal sqlite:redress.db, then curl -s localhost:8080/healthz\n\n"
      "Example (create the journal's schema and stop):\n"
      "  redress server --journal sqlite:redress.db --migrate\n"
      "  journal sqlite:redress.db: schema version 2 (was 0)");
  cmd->callback([o, &exit_status] { exit_status = run_server(*o); });
}

}  // namespace redress::cli
