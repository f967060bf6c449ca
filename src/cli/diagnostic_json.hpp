// A lint or load diagnostic as JSON, for `redress check --json` and the `check` of `redress serve`.
#ifndef REDRESS_CLI_DIAGNOSTIC_JSON_HPP
#define REDRESS_CLI_DIAGNOSTIC_JSON_HPP

#include <string>

#include "redress/policy.hpp"

namespace redress::cli {

/// {"file", "line", "column", "severity", "message"}; `file` names a diagnostic without one.
/// `Json` is nlohmann::json (keys sorted) or nlohmann::ordered_json (keys in this order).
template <class Json>
Json diagnostic_value(const diagnostic& d, const std::string& file) {
  return Json{{"file", d.where.file.empty() ? file : d.where.file},
              {"line", d.where.line},
              {"column", d.where.column},
              {"severity", d.level == diagnostic::severity::error ? "error" : "warning"},
              {"message", d.message}};
}

}  // namespace redress::cli

#endif
