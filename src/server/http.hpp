// The server's HTTP face (cpp-httplib): routes onto a service (service.hpp).
#ifndef REDRESS_SRC_SERVER_HTTP_HPP
#define REDRESS_SRC_SERVER_HTTP_HPP

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "server/service.hpp"

namespace redress::server {

struct http_options {
  std::string host = "127.0.0.1";
  int port = 8080;                      // 0: any free port (the one chosen is reported)
  std::optional<std::string> token;     // bearer token required on every route but /healthz
  std::size_t max_body = 1024 * 1024;   // bytes; a larger body is refused with 413
  int max_wait = 60;                    // seconds a feed request may wait (?wait=)
  std::size_t threads = 32;             // the request pool; long-polls hold at most half of it
};

/// The webhook delivery of service_options: POSTs the action's JSON to `url` (http:// or
/// https://), with the header Redress-Action-Id; taken on a 2xx within `timeout`.
/// Throws: std::invalid_argument for a URL that is not http(s)://HOST[:PORT][/PATH].
std::function<bool(const std::string&, const std::string&, std::string&)> webhook_sender(const std::string& url,
                                                                                        std::chrono::seconds timeout);

/// Serves until SIGINT or SIGTERM. `listening(port)` is called once bound. Returns: 0 after a
/// signal, 2 when the address cannot be bound (said on stderr).
int serve_http(service& s, const http_options& o, const std::function<void(int)>& listening);

}  // namespace redress::server

#endif
