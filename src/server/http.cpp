// The server's HTTP face (http.hpp).
#include "server/http.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <thread>

namespace redress::server {

namespace {

constexpr const char* json_type = "application/json";

void send(httplib::Response& res, const reply& r) {
  res.status = r.status;
  res.set_content(wire::text_of(r.body) + "\n", json_type);
}

void send_error(httplib::Response& res, int status, std::string_view code, const std::string& message) {
  send(res, service::error_reply(status, code, message));
}

// A non-negative integer query parameter, or `fallback`; nullopt (and a 400 sent) when malformed.
std::optional<long long> number_param(const httplib::Request& req, httplib::Response& res, const char* name,
                                      long long fallback, long long max) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  long long v = 0;
  bool ok = !text.empty() && text.size() <= 18;
  for (const char ch : text) {
    if (ch < '0' || ch > '9') ok = false;
    else v = v * 10 + (ch - '0');
  }
  if (!ok || v > max) {
    send_error(res, 400, "invalid_request",
               std::string("?") + name + "=" + text + ": expected a whole number from 0 to " + std::to_string(max));
    return std::nullopt;
  }
  return v;
}

const char* routes =
    "POST /complaints, POST /complaints/{id}/events, GET /complaints/{id}[?at=], GET /complaints/{id}/history, "
    "GET /actions[?after=&wait=&limit=], POST /actions/{id}/ack, GET /healthz, GET /metrics";

}  // namespace

std::function<bool(const std::string&, const std::string&, std::string&)> webhook_sender(const std::string& url,
                                                                                        std::chrono::seconds timeout) {
  const auto scheme = url.find("://");
  const std::string kind = scheme == std::string::npos ? "" : url.substr(0, scheme);
  if ((kind != "http" && kind != "https") || url.size() == scheme + 3)
    throw std::invalid_argument("--webhook \"" + url + "\": expected http://HOST[:PORT][/PATH] or https://...");
  const auto slash = url.find('/', scheme + 3);
  const std::string origin = url.substr(0, slash);
  const std::string path = slash == std::string::npos ? "/" : url.substr(slash);
  auto client = std::make_shared<httplib::Client>(origin);
  if (!client->is_valid()) throw std::invalid_argument("--webhook \"" + url + "\": not a URL this server can post to");
  client->set_connection_timeout(timeout);
  client->set_read_timeout(timeout);
  client->set_write_timeout(timeout);
  return [client, path](const std::string& id, const std::string& body, std::string& why) {
    const httplib::Headers headers = {{"Redress-Action-Id", id}};
    const httplib::Result r = client->Post(path.c_str(), headers, body, json_type);
    if (!r) {
      why = "no answer: " + httplib::to_string(r.error());
      return false;
    }
    if (r->status < 200 || r->status > 299) {
      why = "HTTP " + std::to_string(r->status);
      return false;
    }
    return true;
  };
}

int serve_http(service& s, const http_options& o, const std::function<void(int)>& listening) {
  httplib::Server svr;
  const std::size_t threads = o.threads;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_payload_max_length(o.max_body);
  svr.set_keep_alive_max_count(1000);
  // Replies go out at once: with Nagle on, every request after the first on a keep-alive
  // connection waited about 44 ms for the client's delayed ACK (bench/README.md, HTTP section).
  svr.set_tcp_nodelay(true);

  svr.set_pre_routing_handler([&o](const httplib::Request& req, httplib::Response& res) {
    if (!o.token || req.path == "/healthz") return httplib::Server::HandlerResponse::Unhandled;
    const std::string given = req.get_header_value("Authorization");
    if (given == "Bearer " + *o.token) return httplib::Server::HandlerResponse::Unhandled;
    res.set_header("WWW-Authenticate", "Bearer");
    send_error(res, 401, "unauthorized",
               given.empty() ? "this server needs \"Authorization: Bearer TOKEN\" (the token of --token-file)"
                             : "the bearer token is not this server's (--token-file)");
    return httplib::Server::HandlerResponse::Handled;
  });
  // What httplib refuses itself (an unknown route, a body over the cap) gets a JSON error too.
  svr.set_error_handler([&o](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 413)
      send_error(res, 413, "too_large",
                 "the request body is larger than " + std::to_string(o.max_body) + " bytes (--max-body)");
    else if (res.status == 404 && res.body.empty())
      send_error(res, 404, "not_found", "no route " + req.method + " " + req.path + "; routes: " + routes);
    else if (res.status == 400 && res.body.empty() && req.method == "POST" && !req.has_header("Content-Length"))
      send_error(res, 400, "invalid_request",
                 "a POST needs a Content-Length header, 0 for no body (curl: -d '')");
    else if (res.body.empty())
      send_error(res, res.status, "invalid_request", "HTTP " + std::to_string(res.status) + " for " + req.method +
                                                         " " + req.path);
  });

  svr.Post("/complaints", [&s](const httplib::Request& req, httplib::Response& res) { send(res, s.open(req.body)); });
  svr.Post(R"(/complaints/(.+)/events)", [&s](const httplib::Request& req, httplib::Response& res) {
    send(res, s.apply(req.matches[1], req.body));
  });
  svr.Get(R"(/complaints/(.+)/history)", [&s](const httplib::Request& req, httplib::Response& res) {
    send(res, s.history(req.matches[1]));
  });
  svr.Get(R"(/complaints/(.+))", [&s](const httplib::Request& req, httplib::Response& res) {
    std::optional<std::string> at;
    if (req.has_param("at")) at = req.get_param_value("at");
    send(res, s.status(req.matches[1], at));
  });
  svr.Get("/actions", [&s, &o](const httplib::Request& req, httplib::Response& res) {
    const auto after = number_param(req, res, "after", 0, 999999999999999999LL);
    if (!after) return;
    const auto wait = number_param(req, res, "wait", 0, o.max_wait);
    if (!wait) return;
    const auto limit = number_param(req, res, "limit", 100, 10000);
    if (!limit) return;
    send(res, s.feed(*after, std::chrono::seconds{*wait}, static_cast<std::size_t>(*limit)));
  });
  svr.Post(R"(/actions/(.+)/ack)", [&s](const httplib::Request& req, httplib::Response& res) {
    send(res, s.acknowledge(req.matches[1]));
  });
  svr.Get("/healthz", [&s](const httplib::Request&, httplib::Response& res) { send(res, s.health()); });
  svr.Get("/metrics", [&s](const httplib::Request&, httplib::Response& res) {
    res.set_content(s.metrics(), "text/plain; version=0.0.4");
  });
  svr.Post("/admin/reload", [&s](const httplib::Request&, httplib::Response& res) { send(res, s.reload_policies()); });
  if (s.manual_clock())
    svr.Post("/admin/clock", [&s](const httplib::Request& req, httplib::Response& res) { send(res, s.set_clock(req.body)); });

  // SIGINT and SIGTERM end the server: blocked in every thread, taken by one that stops it.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  int port = o.port;
  if (port == 0) {
    port = svr.bind_to_any_port(o.host);
    if (port < 0) port = 0;
  } else if (!svr.bind_to_port(o.host, port)) {
    port = 0;
  }
  if (port == 0) {
    std::fprintf(stderr, "redress server: cannot listen on %s:%d\n", o.host.c_str(), o.port);
    return 2;
  }
  std::atomic<bool> signalled{false};
  std::thread waiter([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    signalled = true;
    s.stop();  // wakes the long-polls, so the pool can end
    svr.stop();
  });
  s.start();
  listening(port);
  const bool ok = svr.listen_after_bind();
  if (!ok && svr.is_running()) svr.stop();
  // The waiter ends on a signal only: send ourselves one if the listener ended another way.
  if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  s.stop();
  return 0;
}

}  // namespace redress::server
