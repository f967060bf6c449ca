// The wire format: the one JSON form of every value that crosses a language boundary (the C ABI
// in redress.h, `redress serve`, the Python package). docs/wire-format.md is the reference and
// schemas/*.schema.json (draft-07) the contract; this header gives C++ hosts the same text.
//
// Instants are written in RFC 3339 in the offset of the complaint's calendar (the `zone`
// argument) and read with any offset; durations are ISO 8601 strings ("PT6H30M") with an integer
// `<name>_seconds` beside them. Like every public header, this one includes only the standard
// library (the JSON library stays inside the compiled part).
#ifndef REDRESS_WIRE_HPP
#define REDRESS_WIRE_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "redress/engine.hpp"
#include "redress/error.hpp"
#include "redress/time.hpp"

namespace redress::wire {

/// The version of the snapshot format this library writes ("format_version"). A snapshot of
/// this or an earlier version restores; a later one is refused with a clear error.
inline constexpr int snapshot_format_version = 1;

/// Thrown by the *_from_json functions: the text is not JSON (`syntax`, located at the line
/// and column of the text), or a value does not follow the wire format (`value`, the message
/// names the value's JSON pointer, e.g. "/events/2/at", and what was expected).
class wire_error : public error {
public:
  enum class kind : std::uint8_t { syntax, value };
  wire_error(kind what, std::string message, source_location where = {})
      : error(std::move(message), std::move(where)), type_(what) {}
  kind type() const noexcept { return type_; }

private:
  kind type_;
};

std::string to_json(const complaint_intake& intake, const time_zone& zone);
std::string to_json(const complaint_event& event, const time_zone& zone);
std::string to_json(const action& a, const time_zone& zone);
std::string to_json(const clock_report& clock, const time_zone& zone);
std::string to_json(const pause_record& pause, const time_zone& zone);
std::string to_json(const corrective_action_report& action, const time_zone& zone);
/// `as_of`: the instant at which the clocks were measured (written as "as_of").
std::string to_json(const complaint_status& status, const time_zone& zone, instant as_of);
/// With "format": "redress-snapshot" and "format_version".
std::string to_json(const complaint_snapshot& snapshot, const time_zone& zone);
/// {"code": "rejected_event", "message": ...}.
std::string to_json(const engine_error& e);
/// {"code": "load_error", "message": ..., "file": ..., "line": ..., "column": ...}; a wire_error
/// has the code "invalid_json" (syntax) or "invalid_value".
std::string to_json(const error& e);

/// Throw: wire_error.
complaint_intake intake_from_json(std::string_view text);
complaint_event event_from_json(std::string_view text);
action action_from_json(std::string_view text);
complaint_snapshot snapshot_from_json(std::string_view text);

/// "rejected_event", "unknown_complaint", ...: the error codes of the wire format.
std::string_view to_string(engine_error::kind) noexcept;
/// "escalation", "breach", "promise_breach", "corrective_action", "assignment", "pause_ended", "retracted".
std::string_view to_string(action::kind) noexcept;

}  // namespace redress::wire

#endif
