// The wire format (docs/wire-format.md, schemas/*.schema.json): every value's JSON form, written
// and read in this one place.
#include <algorithm>
#include <limits>
#include <map>
#include <vector>

#include "redress/calendar.hpp"
#include "redress/policy.hpp"
#include "policy/policy_rules.hpp"
#include "wire/json.hpp"
#include "time/rfc3339.hpp"
#include "wire/pretty_text.hpp"

namespace redress::wire {

namespace {

[[noreturn]] void bad(const std::string& pointer, const std::string& expected) {
  throw wire_error(wire_error::kind::value, (pointer.empty() ? std::string("/") : pointer) + ": " + expected);
}

std::string type_name(const json& j) { return j.type_name(); }

const json& object_at(const json& j, const std::string& pointer, const char* what) {
  if (!j.is_object()) bad(pointer, std::string("expected ") + what + " (a JSON object), got " + type_name(j));
  return j;
}

// Every key of `j` must be one of `known`: a misspelt key is an error, never silently ignored.
void only_keys(const json& j, const std::string& pointer, std::initializer_list<const char*> known) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool ok = false;
    for (const char* k : known) ok = ok || it.key() == k;
    if (!ok) {
      std::string list;
      for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      bad(pointer + "/" + it.key(), "unknown key \"" + it.key() + "\"; expected one of " + list);
    }
  }
}

const json* member(const json& j, const char* key) {
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

const json& required(const json& j, const std::string& pointer, const char* key) {
  const json* v = member(j, key);
  if (!v) bad(pointer, std::string("missing \"") + key + "\"");
  return *v;
}

std::string text_from(const json& j, const std::string& pointer) {
  if (!j.is_string()) bad(pointer, "expected a string, got " + type_name(j));
  return j.get<std::string>();
}

bool bool_from(const json& j, const std::string& pointer) {
  if (!j.is_boolean()) bad(pointer, "expected true or false, got " + type_name(j));
  return j.get<bool>();
}

int int_from(const json& j, const std::string& pointer, int low, int high) {
  if (!j.is_number_integer()) bad(pointer, "expected an integer, got " + type_name(j));
  // An unsigned value beyond int64 is out of range whatever the bounds; everything else fits in
  // int64 and is compared with both bounds.
  const bool huge = j.is_number_unsigned() &&
                    j.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const std::int64_t v = huge ? 0 : j.get<std::int64_t>();
  if (huge || v < low || v > high)
    bad(pointer, "expected an integer from " + std::to_string(low) + " to " + std::to_string(high) + ", got " + j.dump());
  return static_cast<int>(v);
}

std::optional<instant> optional_instant(const json& j, const char* key, const std::string& pointer) {
  const json* v = member(j, key);
  if (!v || v->is_null()) return std::nullopt;
  return instant_from(*v, pointer + "/" + key);
}

json time_or_null(const std::optional<instant>& t, const time_zone& zone) {
  return t ? json(format_rfc3339(*t, zone)) : json(nullptr);
}

}  // namespace

std::string text_of(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string_view to_string(engine_error::kind k) noexcept {
  switch (k) {
    case engine_error::kind::unknown_complaint: return "unknown_complaint";
    case engine_error::kind::duplicate_complaint: return "duplicate_complaint";
    case engine_error::kind::rejected_event: return "rejected_event";
    case engine_error::kind::out_of_order: return "out_of_order";
    case engine_error::kind::invalid_intake: return "invalid_intake";
    case engine_error::kind::pause_refused: return "pause_refused";
    case engine_error::kind::unknown_policy_version: return "unknown_policy_version";
    case engine_error::kind::calendar_error: return "calendar_error";
    case engine_error::kind::duplicate_policy_version: return "duplicate_policy_version";
  }
  return "internal";
}

std::string_view to_string(action::kind k) noexcept {
  switch (k) {
    case action::kind::escalation: return "escalation";
    case action::kind::breach: return "breach";
    case action::kind::promise_breach: return "promise_breach";
    case action::kind::corrective_action: return "corrective_action";
    case action::kind::assignment: return "assignment";
    case action::kind::pause_ended: return "pause_ended";
    case action::kind::retracted: return "retracted";
  }
  return "escalation";
}

namespace {

// The line and column of byte `at` of `text` (both from 1).
source_location location_in(std::string_view text, std::size_t at, const std::string& name) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < std::min(at, text.size()); ++i) {
    if (text[i] == '\n') ++line, column = 1;
    else ++column;
  }
  return source_location{name, line, column};
}

// Where the `nth` (from 1) key `key` is written in `text`: its quoted spelling followed by a
// colon. The text's start when it is written with escapes (then it is not searched for).
std::size_t key_written_at(std::string_view text, const std::string& key, int nth) {
  const std::string quoted = json(key).dump();
  for (std::size_t at = text.find(quoted); at != std::string_view::npos; at = text.find(quoted, at + 1)) {
    std::size_t after = at + quoted.size();
    while (after < text.size() && (text[after] == ' ' || text[after] == '\t' || text[after] == '\n' || text[after] == '\r'))
      ++after;
    if (after < text.size() && text[after] == ':' && --nth == 0) return at;
  }
  return 0;
}

struct duplicate_key {
  std::string key;
  int nth = 0;  // the how-many-th time this key is written in the text
};

}  // namespace

json parse(std::string_view text, const std::string& name) {
  // A key given twice in one object is refused: the parser would keep the last, and a request
  // {"op": "status", ..., "op": "erase"} would erase.
  std::vector<std::vector<std::string>> open_objects;  // the keys seen in each object being read
  std::map<std::string, int> times_written;
  const json::parser_callback_t refuse_duplicates = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    else if (event == json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
    else if (event == json::parse_event_t::key && !open_objects.empty()) {
      std::string key = parsed.get<std::string>();
      const int nth = ++times_written[key];
      std::vector<std::string>& seen = open_objects.back();
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) throw duplicate_key{std::move(key), nth};
      seen.push_back(std::move(key));
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), refuse_duplicates);
  } catch (const duplicate_key& d) {
    throw wire_error(wire_error::kind::syntax,
                     "the key " + json(d.key).dump() + " appears twice in one object: which one is meant is unclear",
                     location_in(text, key_written_at(text, d.key, d.nth), name));
  } catch (const json::parse_error& e) {
    // Locate the byte nlohmann stopped at as line:column of the text, and keep its explanation
    // ("syntax error while parsing object - unexpected end of input; expected '}'") without the
    // "[json.exception...] parse error at line 1, column 61:" prefix and the raw bytes it read.
    const std::size_t at = e.byte == 0 ? 0 : std::min<std::size_t>(e.byte - 1, text.size());
    std::string what = e.what();
    if (const auto colon = what.find(": ", what.find("parse error")); colon != std::string::npos)
      what = what.substr(colon + 2);
    if (const auto last_read = what.find("; last read:"); last_read != std::string::npos) what.erase(last_read);
    throw wire_error(wire_error::kind::syntax, "invalid JSON: " + what, location_in(text, at, name));
  } catch (const json::exception& e) {
    std::string what = e.what();
    if (const auto bracket = what.find("] "); bracket != std::string::npos) what = what.substr(bracket + 2);
    throw wire_error(wire_error::kind::syntax, "invalid JSON: " + what, source_location{name, 0, 0});
  }
}

instant instant_from_text(std::string_view text, const std::string& what) {
  try {
    return instant::parse(text);
  } catch (const error& e) {
    bad(what, e.message());
  }
}

instant instant_from(const json& j, const std::string& pointer) {
  if (!j.is_string())
    bad(pointer, "expected an RFC 3339 timestamp such as \"2026-04-01T14:00:00+01:00\", got " + type_name(j));
  return instant_from_text(j.get<std::string>(), pointer);
}

void put_duration(json& object, const std::string& name, std::chrono::seconds d) {
  object[name] = format_iso8601_duration(d);
  object[name + "_seconds"] = d.count();
}

// --- time results ------------------------------------------------------------------------------

json deadline_value(const business_calendar& calendar, instant from, const duration_spec& duration,
                    const deadline_options& options, instant due) {
  const time_zone& zone = calendar.zone();
  json j = {{"due", format_rfc3339(due, zone)},
            {"due_utc", due.to_string()},
            {"from", format_rfc3339(from, zone)},
            {"duration", duration.to_string()},
            {"calendar", calendar.name()},
            {"timezone", zone.name()}};
  if (duration.is_day_period()) {
    j["end"] = std::string(to_string(options.end));
    j["rollover"] = std::string(to_string(options.rollover));
    j["receipt"] = std::string(to_string(options.receipt));
  }
  return j;
}

json elapsed_value(const business_calendar& calendar, instant from, instant to, std::chrono::seconds worked) {
  const time_zone& zone = calendar.zone();
  json j = {{"from", format_rfc3339(from, zone)},
            {"to", format_rfc3339(to, zone)},
            {"calendar", calendar.name()},
            {"timezone", zone.name()}};
  put_duration(j, "duration", worked);
  return j;
}

// --- intake -------------------------------------------------------------------------------------

json value_of(const complaint_intake& intake, const time_zone& zone) {
  json attributes = json::object();
  for (const auto& [key, value] : intake.attributes) attributes[key] = value;
  return {{"id", intake.id}, {"received", format_rfc3339(intake.received, zone)}, {"attributes", attributes}};
}

complaint_intake intake_from(const json& j, const std::string& pointer) {
  object_at(j, pointer, "an intake");
  only_keys(j, pointer, {"id", "received", "attributes"});
  complaint_intake out;
  out.id = text_from(required(j, pointer, "id"), pointer + "/id");
  if (out.id.empty()) bad(pointer + "/id", "expected the complaint's id, got an empty string");
  out.received = instant_from(required(j, pointer, "received"), pointer + "/received");
  if (const json* a = member(j, "attributes")) {
    object_at(*a, pointer + "/attributes", "the attributes");
    for (auto it = a->begin(); it != a->end(); ++it)
      out.attributes[it.key()] = text_from(it.value(), pointer + "/attributes/" + it.key());
  }
  return out;
}

// --- event --------------------------------------------------------------------------------------

json value_of(const complaint_event& e, const time_zone& zone) {
  json j = {{"event", std::string(to_string(e.what))}, {"at", format_rfc3339(e.at, zone)}};
  auto text = [&j](const char* key, const std::string& value) {
    if (!value.empty()) j[key] = value;
  };
  text("actor", e.actor);
  text("reason", e.reason);
  if (e.justified) j["justified"] = true;
  if (!e.satisfied) j["satisfied"] = false;
  text("role", e.role);
  if (e.promised) j["promised"] = format_rfc3339(*e.promised, zone);
  text("what", e.action_what);
  text("owner", e.action_owner);
  text("verifier", e.action_verifier);
  if (e.action_due) j["due"] = format_rfc3339(*e.action_due, zone);
  if (!e.attributes.empty()) j["attributes"] = e.attributes;
  if (e.logged_at) j["logged_at"] = format_rfc3339(*e.logged_at, zone);
  return j;
}

lifecycle_event event_named(std::string_view name, const std::string& pointer) {
  const auto what = parse_lifecycle_event(name);
  if (!what) {
    std::string list;
    for (int i = 0; i < lifecycle_event_count; ++i)
      list += (i ? ", " : "") + std::string(to_string(static_cast<lifecycle_event>(i)));
    bad(pointer, "unknown event \"" + std::string(name) + "\"; expected one of " + list);
  }
  return *what;
}

complaint_event event_from(const json& j, const std::string& pointer) {
  object_at(j, pointer, "an event");
  only_keys(j, pointer,
            {"event", "at", "actor", "reason", "justified", "satisfied", "role", "promised", "what", "owner",
             "verifier", "due", "attributes", "logged_at"});
  complaint_event e;
  e.what = event_named(text_from(required(j, pointer, "event"), pointer + "/event"), pointer + "/event");
  e.at = instant_from(required(j, pointer, "at"), pointer + "/at");
  auto text = [&](const char* key, std::string& into) {
    if (const json* v = member(j, key)) into = text_from(*v, pointer + "/" + key);
  };
  text("actor", e.actor);
  text("reason", e.reason);
  if (const json* v = member(j, "justified")) e.justified = bool_from(*v, pointer + "/justified");
  if (const json* v = member(j, "satisfied")) e.satisfied = bool_from(*v, pointer + "/satisfied");
  text("role", e.role);
  e.promised = optional_instant(j, "promised", pointer);
  text("what", e.action_what);
  text("owner", e.action_owner);
  text("verifier", e.action_verifier);
  e.action_due = optional_instant(j, "due", pointer);
  e.logged_at = optional_instant(j, "logged_at", pointer);
  if (const json* a = member(j, "attributes")) {
    object_at(*a, pointer + "/attributes", "the attributes a reclassify changes");
    for (auto it = a->begin(); it != a->end(); ++it) {
      if (!is_selector_dimension(it.key()))
        bad(pointer + "/attributes/" + it.key(),
            "unknown attribute \"" + it.key() + "\"; a reclassify changes one of " + detail::dimensions_in_words(false));
      e.attributes[it.key()] = text_from(it.value(), pointer + "/attributes/" + it.key());
    }
  }
  return e;
}

// --- action -------------------------------------------------------------------------------------

json value_of(const action& a, const time_zone& zone) {
  json j = {{"id", a.id},
          {"kind", std::string(to_string(a.what))},
          {"complaint", a.complaint},
          {"target", a.target},
          {"level", a.level},
          {"cycle", a.cycle},
          {"at", format_rfc3339(a.at, zone)},
          {"who", a.who},
          {"notify", a.notify},
          {"assign", a.assign},
          {"record", a.record},
          {"summary", a.summary},
          {"by_when", time_or_null(a.by_when, zone)},
          {"verifier", a.verifier},
          {"deliver_at", time_or_null(a.deliver_at, zone)}};
  if (!a.retracts.empty()) j["retracts"] = a.retracts;  // a retraction only
  return j;
}

action action_from(const json& j, const std::string& pointer) {
  object_at(j, pointer, "an action");
  only_keys(j, pointer,
            {"id", "kind", "complaint", "target", "level", "cycle", "at", "who", "notify", "assign", "record",
             "summary", "by_when", "verifier", "deliver_at", "retracts"});
  action a;
  a.id = text_from(required(j, pointer, "id"), pointer + "/id");
  const std::string kind = text_from(required(j, pointer, "kind"), pointer + "/kind");
  bool known = false;
  for (auto k : {action::kind::escalation, action::kind::breach, action::kind::promise_breach,
                 action::kind::corrective_action, action::kind::assignment, action::kind::pause_ended,
                 action::kind::retracted})
    if (to_string(k) == kind) a.what = k, known = true;
  if (!known)
    bad(pointer + "/kind",
        "unknown action kind \"" + kind +
            "\"; expected escalation, breach, promise_breach, corrective_action, assignment, pause_ended or "
            "retracted");
  a.complaint = text_from(required(j, pointer, "complaint"), pointer + "/complaint");
  a.target = text_from(required(j, pointer, "target"), pointer + "/target");
  a.level = int_from(required(j, pointer, "level"), pointer + "/level", 0, std::numeric_limits<int>::max());
  a.cycle = int_from(required(j, pointer, "cycle"), pointer + "/cycle", 1, std::numeric_limits<int>::max());
  a.at = instant_from(required(j, pointer, "at"), pointer + "/at");
  a.who = text_from(required(j, pointer, "who"), pointer + "/who");
  const json& notify = required(j, pointer, "notify");
  if (!notify.is_array()) bad(pointer + "/notify", "expected an array of role ids, got " + type_name(notify));
  for (std::size_t i = 0; i < notify.size(); ++i)
    a.notify.push_back(text_from(notify[i], pointer + "/notify/" + std::to_string(i)));
  a.assign = text_from(required(j, pointer, "assign"), pointer + "/assign");
  a.record = text_from(required(j, pointer, "record"), pointer + "/record");
  a.summary = text_from(required(j, pointer, "summary"), pointer + "/summary");
  a.by_when = optional_instant(j, "by_when", pointer);
  a.verifier = text_from(required(j, pointer, "verifier"), pointer + "/verifier");
  a.deliver_at = optional_instant(j, "deliver_at", pointer);  // absent (older hosts): none
  if (const json* v = member(j, "retracts")) a.retracts = text_from(*v, pointer + "/retracts");
  if ((a.what == action::kind::retracted) != !a.retracts.empty())
    bad(pointer + "/retracts", a.retracts.empty() ? "a retracted action names the id it retracts in \"retracts\""
                                                  : "only a retracted action has \"retracts\"");
  return a;
}

// --- status and its parts -------------------------------------------------------------------------

namespace {

// A clock's and a pause's fields in the wire format's order (docs/wire-format.md), handed to a
// sink: value_fields builds value_of()'s value, text_fields prints them (write()). One list of
// fields for both forms.
template <class Sink>
void fields_of(const clock_report& k, Sink& o) {
  o.text("target", k.target);
  o.number("cycle", k.cycle);
  o.text("state", to_string(k.state));
  o.boolean("breached", k.breached);
  o.time("started", k.started);
  o.time("due", k.due);
  o.time("stopped", k.stopped);
  o.boolean("extended", k.extended);
  o.duration("consumed", k.consumed);
  o.duration("remaining", k.remaining);
  o.real("percent_consumed", k.percent_consumed);
  o.text("owner", k.owner);
  o.list("levels", k.levels, [](auto& l, const level_report& level) {
    l.text("label", level.label);
    l.time("at", level.at);
    l.boolean("fired", level.fired);
  });
  o.time("due_if_resumed_now", k.due_if_resumed_now);
}

template <class Sink>
void fields_of(const pause_record& p, Sink& o) {
  o.time("from", p.from);
  o.time("to", p.to);
  o.text("reason", p.reason);
  o.text("actor", p.actor);
  o.duration("working", p.working);
}

struct value_fields {
  const time_zone& zone;
  json j = json::object();

  void text(const char* key, std::string_view v) { j[key] = std::string(v); }
  void number(const char* key, long long n) { j[key] = n; }
  void real(const char* key, double v) { j[key] = v; }
  void boolean(const char* key, bool b) { j[key] = b; }
  void time(const char* key, instant t) { j[key] = format_rfc3339(t, zone); }
  void time(const char* key, const std::optional<instant>& t) { j[key] = time_or_null(t, zone); }
  void duration(const char* key, std::chrono::seconds d) { put_duration(j, key, d); }
  template <class List, class Fields>
  void list(const char* key, const List& items, Fields fields) {
    json a = json::array();
    for (const auto& item : items) {
      value_fields e{zone};
      fields(e, item);
      a.push_back(std::move(e.j));
    }
    j[key] = std::move(a);
  }
};

struct text_fields {
  pretty_text& w;
  const time_zone& zone;
  int at;  // the fields' indent
  bool first = true;

  void key(const char* k, std::string_view suffix = {}) {
    w.field(at, k, first, suffix);
    first = false;
  }
  void text(const char* k, std::string_view v) { key(k), w.text(v); }
  void number(const char* k, long long n) { key(k), w.number(n); }
  void real(const char* k, double v) { key(k), w.real(v); }
  void boolean(const char* k, bool b) { key(k), w.boolean(b); }
  void time(const char* k, instant t) { key(k), w.time(t, zone); }
  void time(const char* k, const std::optional<instant>& t) {
    key(k);
    if (t) w.time(*t, zone);
    else w.null();
  }
  void duration(const char* k, std::chrono::seconds d) {
    key(k), w.text(format_iso8601_duration(d));
    key(k, "_seconds"), w.number(d.count());
  }
  template <class List, class Fields>
  void list(const char* k, const List& items, Fields fields) {
    key(k);
    w.list(items, at + 2, [&](const auto& item) { object(w, zone, at + 4, [&](text_fields& e) { fields(e, item); }); });
  }

  // An object whose fields `fields` writes at the indent `at`: "{}" when it writes none.
  template <class Fields>
  static void object(pretty_text& w, const time_zone& zone, int at, Fields fields) {
    w.out() += '{';
    text_fields o{w, zone, at};
    const std::size_t mark = w.out().size();
    w.out() += '\n';
    fields(o);
    if (o.first) {
      w.out().resize(mark);
      w.out() += '}';
      return;
    }
    w.out() += '\n';
    w.indent(at - 2);
    w.out() += '}';
  }
};

template <class T>
json value_from_fields(const T& v, const time_zone& zone) {
  value_fields f{zone};
  fields_of(v, f);
  return std::move(f.j);
}

}  // namespace

json value_of(const clock_report& k, const time_zone& zone) { return value_from_fields(k, zone); }
json value_of(const pause_record& p, const time_zone& zone) { return value_from_fields(p, zone); }

void write(pretty_text& w, const clock_report& k, const time_zone& zone, int at) {
  text_fields::object(w, zone, at, [&](text_fields& o) { fields_of(k, o); });
}
void write(pretty_text& w, const pause_record& p, const time_zone& zone, int at) {
  text_fields::object(w, zone, at, [&](text_fields& o) { fields_of(p, o); });
}

void pretty_text::text(std::string_view v) {
  const bool plain = std::all_of(v.begin(), v.end(), [](char ch) {
    const auto b = static_cast<unsigned char>(ch);
    return b >= 0x20 && b < 0x7f && b != '"' && b != '\\';
  });
  if (!plain) {
    serializer_.dump(json(std::string(v)), true, false, 2, 0);
    return;
  }
  out_ += '"';
  out_ += v;
  out_ += '"';
}

void pretty_text::time(instant t, const time_zone& zone) {
  char text[detail::rfc3339_capacity];
  const std::size_t size = detail::write_rfc3339(text, t, zone);
  out_ += '"';
  out_.append(text, size);
  out_ += '"';
}

json value_of(const corrective_action_report& c, const time_zone& zone) {
  return {{"what", c.what},
          {"owner", c.owner},
          {"verifier", c.verifier},
          {"planned", format_rfc3339(c.planned, zone)},
          {"due", format_rfc3339(c.due, zone)},
          {"done", time_or_null(c.done, zone)},
          {"verified", time_or_null(c.verified, zone)},
          {"state", std::string(to_string(c.state))}};
}

json value_of(const complaint_status& s, const time_zone& zone, instant as_of) {
  json j = {{"id", s.id},
            {"policy_name", s.policy_name},
            {"policy_version", s.policy_version},
            {"calendar", s.calendar},
            {"as_of", format_rfc3339(as_of, zone)},
            {"received", format_rfc3339(s.received, zone)},
            {"state", std::string(to_string(s.state.main))},
            {"action_plan", std::string(to_string(s.state.plan))},
            {"justified", s.state.justified},
            {"satisfied", s.state.satisfied},
            {"holding_response_sent", s.state.holding_response_sent},
            {"first_contact", s.state.first_contact},
            {"owner", s.owner},
            {"escalation_level", s.escalation_level},
            {"clocks", json::array()},
            {"pauses", json::array()},
            {"corrective_actions", json::array()}};
  for (const clock_report& k : s.clocks) j["clocks"].push_back(value_of(k, zone));
  for (const pause_record& p : s.pauses) j["pauses"].push_back(value_of(p, zone));
  for (const corrective_action_report& c : s.corrective_actions) j["corrective_actions"].push_back(value_of(c, zone));
  auto ledger = [&j](const char* name, const auto& per) {
    json text = json::object();
    json seconds = json::object();
    for (const auto& [who, d] : per) {
      text[who] = format_iso8601_duration(d);
      seconds[who] = d.count();
    }
    j[name] = text;
    j[std::string(name) + "_seconds"] = seconds;
  };
  ledger("ledger", s.ledger);
  ledger("team_ledger", s.team_ledger);
  j["events"] = s.events;
  return j;
}

// --- snapshot -----------------------------------------------------------------------------------

json value_of(const complaint_snapshot& s, const time_zone& zone) {
  json events = json::array();
  for (const complaint_event& e : s.events) events.push_back(value_of(e, zone));
  json j = {{"format", "redress-snapshot"},
          {"format_version", snapshot_format_version},
          {"policy_version", s.policy_version},
          {"intake", value_of(s.intake, zone)},
          {"events", events},
          {"fired_until", time_or_null(s.fired_until, zone)}};
  if (!s.retracted.empty()) j["retracted"] = s.retracted;
  return j;
}

complaint_snapshot snapshot_from(const json& j, const std::string& pointer) {
  object_at(j, pointer, "a snapshot");
  const json& format = required(j, pointer, "format");
  if (!format.is_string() || format.get<std::string>() != "redress-snapshot")
    bad(pointer + "/format", "expected \"redress-snapshot\", got " + format.dump());
  const int version = int_from(required(j, pointer, "format_version"), pointer + "/format_version", 1,
                               std::numeric_limits<int>::max());
  if (version > snapshot_format_version)
    bad(pointer + "/format_version",
        "this snapshot has format version " + std::to_string(version) + "; this library (" + redress::version() +
            ") reads versions 1 to " + std::to_string(snapshot_format_version) + ": upgrade redress to restore it");
  only_keys(j, pointer, {"format", "format_version", "policy_version", "intake", "events", "fired_until", "retracted"});
  complaint_snapshot s;
  s.policy_version = text_from(required(j, pointer, "policy_version"), pointer + "/policy_version");
  s.intake = intake_from(required(j, pointer, "intake"), pointer + "/intake");
  const json& events = required(j, pointer, "events");
  if (!events.is_array()) bad(pointer + "/events", "expected an array of events, got " + type_name(events));
  for (std::size_t i = 0; i < events.size(); ++i)
    s.events.push_back(event_from(events[i], pointer + "/events/" + std::to_string(i)));
  s.fired_until = optional_instant(j, "fired_until", pointer);
  if (const json* r = member(j, "retracted")) {
    if (!r->is_array()) bad(pointer + "/retracted", "expected an array of action ids, got " + type_name(*r));
    for (std::size_t i = 0; i < r->size(); ++i)
      s.retracted.push_back(text_from((*r)[i], pointer + "/retracted/" + std::to_string(i)));
  }
  return s;
}

// --- errors -------------------------------------------------------------------------------------

json error_value(std::string_view code, const std::string& message, const source_location& where) {
  json j = {{"code", std::string(code)}, {"message", message}};
  if (!where.file.empty()) j["file"] = where.file;
  if (where.line > 0) j["line"] = where.line;
  if (where.column > 0) j["column"] = where.column;
  return j;
}

json value_of(const engine_error& e) { return error_value(to_string(e.what), e.message); }

json value_of(const std::vector<source_file>& files) {
  json out = json::array();
  for (const source_file& f : files) {
    try {
      (void)json(f.text).dump();
      out.push_back({{"path", f.path}, {"text", f.text}});
    } catch (const json::type_error&) {  // not UTF-8
      static const char digits[] = "0123456789abcdef";
      std::string hex;
      hex.reserve(f.text.size() * 2);
      for (const char c : f.text) {
        const auto byte = static_cast<unsigned char>(c);
        hex += digits[byte >> 4];
        hex += digits[byte & 15];
      }
      out.push_back({{"path", f.path}, {"hex", hex}});
    }
  }
  return out;
}

std::vector<source_file> files_from(const json& j, const std::string& pointer) {
  if (!j.is_array()) bad(pointer, "expected an array of {\"path\", \"text\"} or {\"path\", \"hex\"}, got " + type_name(j));
  std::vector<source_file> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string at = pointer + "/" + std::to_string(i);
    const json& f = j[i];
    if (!f.is_object()) bad(at, "expected {\"path\", \"text\"} or {\"path\", \"hex\"}, got " + type_name(f));
    only_keys(f, at, {"path", "text", "hex"});
    const json* path = member(f, "path");
    if (!path) bad(at, "expected \"path\"");
    source_file file{text_from(*path, at + "/path"), {}};
    const json* text = member(f, "text");
    const json* hex = member(f, "hex");
    if ((text == nullptr) == (hex == nullptr)) bad(at, "expected one of \"text\" and \"hex\"");
    if (text) {
      file.text = text_from(*text, at + "/text");
    } else {
      const std::string digits = text_from(*hex, at + "/hex");
      if (digits.size() % 2 != 0 || digits.find_first_not_of("0123456789abcdef") != std::string::npos)
        bad(at + "/hex", "expected lower-case hexadecimal digits in pairs");
      for (std::size_t k = 0; k < digits.size(); k += 2)
        file.text += static_cast<char>(std::stoi(digits.substr(k, 2), nullptr, 16));
    }
    out.push_back(std::move(file));
  }
  return out;
}

// --- the string API of redress/wire.hpp -----------------------------------------------------------

std::string to_json(const complaint_intake& v, const time_zone& zone) { return text_of(value_of(v, zone)); }
std::string to_json(const complaint_event& v, const time_zone& zone) { return text_of(value_of(v, zone)); }
std::string to_json(const action& v, const time_zone& zone) { return text_of(value_of(v, zone)); }
std::string to_json(const clock_report& v, const time_zone& zone) { return text_of(value_of(v, zone)); }
std::string to_json(const pause_record& v, const time_zone& zone) { return text_of(value_of(v, zone)); }
std::string to_json(const corrective_action_report& v, const time_zone& zone) { return text_of(value_of(v, zone)); }
std::string to_json(const complaint_status& v, const time_zone& zone, instant as_of) {
  return text_of(value_of(v, zone, as_of));
}
std::string to_json(const complaint_snapshot& v, const time_zone& zone) { return text_of(value_of(v, zone)); }
std::string to_json(const engine_error& e) { return text_of(value_of(e)); }
std::string_view code_of(const error& e) noexcept {
  const auto* w = dynamic_cast<const wire_error*>(&e);
  if (!w) return "load_error";
  return w->type() == wire_error::kind::syntax ? "invalid_json" : "invalid_value";
}
std::string to_json(const error& e) { return text_of(error_value(code_of(e), e.message(), e.where())); }

failure current_failure(std::string_view library_code) {
  try {
    throw;
  } catch (const engine_failure& e) {
    return {std::string(to_string(e.error.what)), e.error.message, {}};
  } catch (const wire_error& e) {
    return {std::string(code_of(e)), e.message(), e.where()};
  } catch (const error& e) {
    return {std::string(library_code), e.message(), e.where()};
  } catch (const std::length_error& e) {
    return {"limit", e.what(), {}};
  } catch (const std::exception& e) {
    return {"internal", std::string("internal error: ") + e.what(), {}};
  } catch (...) {
    return {"internal", "internal error: an unknown exception", {}};
  }
}

duration_spec duration_from_text(std::string_view text) {
  try {
    return duration_spec::parse(text);
  } catch (const error& e) {
    throw wire_error(wire_error::kind::value, "duration: " + e.message());
  }
}

deadline_options deadline_options_from(const json& j, const std::string& pointer) {
  if (!j.is_object())
    bad(pointer, "expected a JSON object with \"end\", \"rollover\" or \"receipt\", got " + type_name(j));
  deadline_options o;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string at = pointer + "/" + it.key();
    const std::string value = it.value().is_string() ? it.value().get<std::string>() : std::string();
    if (it.key() == "end") {
      const auto v = parse_day_end(value);
      if (!v) bad(at, "expected \"end-of-day\", \"close-of-business\" or \"same-time\", got " + it.value().dump());
      o.end = *v;
    } else if (it.key() == "rollover") {
      const auto v = parse_rollover_rule(value);
      if (!v) bad(at, "expected \"none\" or \"next-business-day\", got " + it.value().dump());
      o.rollover = *v;
    } else if (it.key() == "receipt") {
      const auto v = parse_receipt_rule(value);
      if (!v) bad(at, "expected \"as-received\" or \"next-business-day-if-closed\", got " + it.value().dump());
      o.receipt = *v;
    } else {
      bad(at, "unknown key \"" + it.key() + "\"; expected one of end, rollover, receipt");
    }
  }
  return o;
}

complaint_intake intake_from_json(std::string_view text) { return intake_from(parse(text, "intake")); }
complaint_event event_from_json(std::string_view text) { return event_from(parse(text, "event")); }
action action_from_json(std::string_view text) { return action_from(parse(text, "action")); }
complaint_snapshot snapshot_from_json(std::string_view text) { return snapshot_from(parse(text, "snapshot")); }

}  // namespace redress::wire
