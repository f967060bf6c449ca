// The wire format as nlohmann::json values: what the C ABI, `redress serve` and the public
// string functions of redress/wire.hpp share. Internal: never included by a public header.
#ifndef REDRESS_SRC_WIRE_JSON_HPP
#define REDRESS_SRC_WIRE_JSON_HPP

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "redress/calendar.hpp"
#include "redress/engine.hpp"
#include "redress/wire.hpp"

namespace redress::wire {

// Keys in the order written (id first), as docs/wire-format.md shows them.
using json = nlohmann::ordered_json;

/// Parses JSON text. Throws: wire_error(syntax) at "name:line:column" of the problem.
json parse(std::string_view text, const std::string& name);
/// Compact JSON text; invalid UTF-8 in a string is replaced, never thrown.
std::string text_of(const json& j);

json value_of(const complaint_intake& intake, const time_zone& zone);
json value_of(const complaint_event& event, const time_zone& zone);
json value_of(const action& a, const time_zone& zone);
json value_of(const clock_report& clock, const time_zone& zone);
json value_of(const pause_record& pause, const time_zone& zone);
json value_of(const corrective_action_report& action, const time_zone& zone);
json value_of(const complaint_status& status, const time_zone& zone, instant as_of);
json value_of(const complaint_snapshot& snapshot, const time_zone& zone);
json value_of(const engine_error& e);
/// The files a policy read (policy_definition::files): [{"path", "text"}], a file that is not
/// UTF-8 (an iCalendar file in Latin-1) as {"path", "hex"} (its bytes, lower-case hex).
json value_of(const std::vector<source_file>& files);
/// "load_error", or "invalid_json" / "invalid_value" for a wire_error.
std::string_view code_of(const error& e) noexcept;
/// An error value: the code, the message without its location, and the location if known.
json error_value(std::string_view code, const std::string& message, const source_location& where = {});

/// `pointer` names the value in messages ("/intake"); throw wire_error(value).
complaint_intake intake_from(const json& j, const std::string& pointer = "");
complaint_event event_from(const json& j, const std::string& pointer = "");
/// The event named `name` ("register"). Throws: wire_error(value) at `pointer`, listing the names.
lifecycle_event event_named(std::string_view name, const std::string& pointer);
action action_from(const json& j, const std::string& pointer = "");
complaint_snapshot snapshot_from(const json& j, const std::string& pointer = "");
/// The files as value_of() writes them. Throws: wire_error(value) at `pointer`.
std::vector<source_file> files_from(const json& j, const std::string& pointer = "");
/// An RFC 3339 timestamp with an offset. Throws: wire_error(value) naming `pointer`.
instant instant_from(const json& j, const std::string& pointer);
instant instant_from_text(std::string_view text, const std::string& what);

/// An engine call that returned an engine_error (the complaint is unchanged).
struct engine_failure : std::runtime_error {
  explicit engine_failure(engine_error e) : std::runtime_error(e.message), error(std::move(e)) {}
  engine_error error;
};

/// What a host reports for an exception: its wire code ("rejected_event", "invalid_json", ...),
/// the message without its location, and the location when known.
struct failure {
  std::string code;
  std::string message;
  source_location where;
};
/// Requires: called while an exception is being handled (inside a catch block).
/// Returns: the failure it means. `library_code` is the code of a redress::error that is not a
/// wire_error ("load_error" for loaders, "calendar_error" for deadlines). std::bad_alloc is left
/// to each host, which reports it without allocating.
failure current_failure(std::string_view library_code);

/// A duration in the contract's forms. Throws: wire_error(value) "duration: ...".
duration_spec duration_from_text(std::string_view text);
/// Deadline options as {"end": ..., "rollover": ..., "receipt": ...}, each optional.
/// Throws: wire_error(value) naming the key and what was expected.
deadline_options deadline_options_from(const json& j, const std::string& pointer = "");

/// Duration fields: "<name>": "PT6H30M" and "<name>_seconds": 23400.
void put_duration(json& object, const std::string& name, std::chrono::seconds d);

// The time results (schemas/deadline.schema.json, elapsed.schema.json): what `redress due
// --json`, `redress elapsed --json` and the C ABI's redress_calendar_deadline/_elapsed write.
/// {"due", "due_utc", "from", "duration", "calendar", "timezone"}, and for a day period (the
/// only durations they apply to) "end", "rollover", "receipt". Instants in the calendar's offset;
/// "duration" is the duration as written ("15 business days"), not a length of time.
json deadline_value(const business_calendar& calendar, instant from, const duration_spec& duration,
                    const deadline_options& options, instant due);
/// {"from", "to", "calendar", "timezone", "duration", "duration_seconds"}: the working time
/// between two instants (negative when `to` is before `from`).
json elapsed_value(const business_calendar& calendar, instant from, instant to, std::chrono::seconds worked);

}  // namespace redress::wire

#endif
