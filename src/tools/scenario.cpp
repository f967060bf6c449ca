#include "tools/scenario.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "files/byte_order_mark.hpp"
#include "files/toml_reader.hpp"
#include "policy/policy_rules.hpp"
#include "tools/flat_json.hpp"

namespace redress::tools {

namespace {

using detail::fail_at;
using detail::require_string;

// The keys an event takes, its own and the selector attributes a reclassify changes (the one
// list, selector_dimensions), in either file form; and the same in words for messages.
constexpr std::string_view own_event_keys[] = {"at",   "event",    "actor", "reason", "justified", "satisfied",
                                               "role", "promised", "what",  "owner",  "verifier",  "due",
                                               "logged_at"};

const std::vector<std::string_view>& event_keys() {
  static const std::vector<std::string_view> keys = [] {
    std::vector<std::string_view> out(std::begin(own_event_keys), std::end(own_event_keys));
    for (const selector_dimension& d : selector_dimensions) out.push_back(d.name);
    return out;
  }();
  return keys;
}

const std::string& event_keys_help() {
  static const std::string help = [] {
    std::string own, attributes;
    for (std::string_view k : own_event_keys) own += (own.empty() ? "" : ", ") + std::string(k);
    for (const selector_dimension& d : selector_dimensions)
      attributes += (attributes.empty() ? "" : ", ") + std::string(d.name);
    return own + " (and, for reclassify, the attributes it changes: " + attributes + ")";
  }();
  return help;
}

// A complaint's attribute whose key is a selector dimension written another way: the same
// letters in another case ("Priority"), or, for the longer names, one letter dropped, added,
// changed or two swapped ("priorty", "chanel", "reigon"). Such a key would be kept as a free-form
// attribute and the complaint classified without it. Returns "" for any other key.
std::string attribute_key_problem(std::string_view key, const std::string& complaint) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  if (is_selector_dimension(key)) return {};
  for (const selector_dimension& d : selector_dimensions) {
    const std::string_view name = d.name;
    const bool other_case = key.size() == name.size() &&
                            std::equal(key.begin(), key.end(), name.begin(), [&](char a, char b) { return lower(a) == b; });
    const bool near = name.size() >= 6 && key.size() + 1 >= name.size() && key.size() <= name.size() + 1 &&
                      detail::edit_distance(key, name) == 1;  // lengths first: most free fields are far off
    if (other_case || near)
      return "attribute '" + std::string(key) + "' of complaint " + complaint + ": did you mean '" + std::string(name) +
             "'? (the attributes a policy selects on are " + detail::dimensions_in_words(false) + ")";
  }
  return {};
}

instant read_instant(const toml::node& node, const std::string& what, const time_zone& zone) {
  if (const auto* dt = node.as_date_time()) {
    const toml::date_time& v = dt->get();
    civil_time local{civil_date{v.date.year, v.date.month, v.date.day}, v.time.hour, v.time.minute, v.time.second};
    if (!local.ok()) fail_at(node, what + " is not a valid date and time");
    if (v.time.nanosecond != 0)
      fail_at(node, what + " has a fraction of a second: fractional seconds are not supported (redress works in whole seconds)");
    if (v.offset) return instant::from_unix(local.seconds_since_epoch() - v.offset->minutes * 60);
    return zone.resolve(local);
  }
  const std::string& text = require_string(node, what);
  try {
    return parse_timestamp(text, zone);
  } catch (const error& e) {
    fail_at(node, e.message());
  }
}

lifecycle_event read_event_name(const toml::node& node, const std::string& text) {
  if (auto e = parse_lifecycle_event(text)) return *e;
  std::vector<std::string> names;
  for (int i = 0; i < lifecycle_event_count; ++i) names.emplace_back(to_string(static_cast<lifecycle_event>(i)));
  std::string message = "unknown event '" + text + "'";
  const std::string near = detail::closest_match(text, names);
  message += near.empty() ? "; expected a lifecycle event such as \"acknowledge\" or \"register\"" : "; did you mean '" + near + "'?";
  fail_at(node, message);
}

// Why an event at `at` cannot be the next of complaint `c` (events so far in c.events), or "".
// TOML and JSON Lines scenarios share it, so both refuse the same histories.
// When an event was logged: its logged_at, else its at (the order a simulation applies events).
instant logged(const complaint_event& e) { return e.logged_at ? *e.logged_at : e.at; }

std::string event_order_problem(const scenario_complaint& c, const complaint_event& e) {
  if (e.at < c.intake.received)
    return "an event of complaint " + c.intake.id + " cannot come before it was received (" +
           c.intake.received.to_string() + ")";
  if (e.logged_at && *e.logged_at < e.at)
    return "an event cannot be logged before it happened: its logged_at " + e.logged_at->to_string() +
           " is before its at " + e.at.to_string();
  if (!c.events.empty() && logged(e) < logged(c.events.back().event))
    return "events of complaint " + c.intake.id +
           " must be in the order they were logged: this one is logged before the previous one (a late event "
           "carries logged_at, the instant it was entered)";
  return {};
}

scenario parse_toml_scenario(std::string_view text, const std::string& file, const time_zone& zone) {
  const toml::table doc = detail::parse_toml(text, file);
  detail::check_keys(doc, {"scenario", "complaints"}, "a scenario file");
  scenario out;
  out.file = file;
  if (const toml::node* header = doc.get("scenario")) {
    const toml::table& t = detail::require_table(*header, "[scenario]");
    detail::check_keys(t, {"name", "until", "description"}, "[scenario]");
    if (const toml::node* n = t.get("name")) out.name = require_string(*n, "'name'");
    if (const toml::node* u = t.get("until")) out.until = read_instant(*u, "'until'", zone);
  }
  const toml::node* complaints = doc.get("complaints");
  if (!complaints) throw error("a scenario needs [[complaints]]", source_location{file, 1, 1});
  std::unordered_map<std::string, source_location> opened;  // id -> where
  for (const toml::node& item : detail::require_array(*complaints, "'complaints' (write [[complaints]])")) {
    const toml::table& t = detail::require_table(item, "each complaint (write [[complaints]])");
    scenario_complaint c;
    c.line = detail::location_of(item).line;
    const toml::node* id = t.get("id");
    if (!id) fail_at(item, "a complaint needs an 'id', e.g. id = \"C-17\"");
    c.intake.id = require_string(*id, "'id'");
    if (c.intake.id.empty()) fail_at(*id, "a complaint's id cannot be empty, e.g. id = \"C-17\"");
    if (auto [first, fresh] = opened.emplace(c.intake.id, detail::location_of(*id)); !fresh)
      fail_at(*id, "complaint " + c.intake.id + " is opened twice (first at " + first->second.to_string() +
                       "): each complaint needs its own id");
    const toml::node* received = t.get("received");
    if (!received) fail_at(item, "complaint " + c.intake.id + " needs 'received', e.g. received = \"2026-04-01T14:00:00+01:00\"");
    c.intake.received = read_instant(*received, "'received'", zone);
    // A simulation runs to `until` and prints each complaint's state there: a complaint or an
    // event after it would be shown as if it had happened by then (`--at` is how to look at an
    // earlier instant).
    const auto within_until = [&](const toml::node& where, instant when, const std::string& what) {
      if (out.until && when > *out.until)
        fail_at(where, what + " " + when.to_string() + ", is after the scenario's until (" + out.until->to_string() +
                           "): a simulation stops there; move until later, or use --at to see an earlier instant");
    };
    within_until(*received, c.intake.received, "complaint " + c.intake.id + ", received");
    for (const auto& [key, value] : t) {
      const std::string k(key.str());
      if (k == "id" || k == "received" || k == "events") continue;
      if (const std::string problem = attribute_key_problem(k, c.intake.id); !problem.empty()) fail_at(key, problem);
      if (!value.is_string())
        fail_at(value, "attribute '" + k + "' of complaint " + c.intake.id + " must be a string, not " + detail::type_name(value));
      c.intake.attributes[k] = *value.value<std::string>();
    }
    if (const toml::node* events = t.get("events")) {
      for (const toml::node& ev : detail::require_array(*events, "'events'")) {
        const toml::table& e = detail::require_table(ev, "each event (e.g. { at = \"...\", event = \"acknowledge\" })");
        detail::check_keys(e, event_keys(), "an event of complaint " + c.intake.id);
        scenario_event se;
        se.line = detail::location_of(ev).line;
        const toml::node* at = e.get("at");
        const toml::node* name = e.get("event");
        if (!at || !name) fail_at(ev, "an event needs 'at' and 'event'");
        se.event.at = read_instant(*at, "'at'", zone);
        if (const toml::node* n = e.get("logged_at")) se.event.logged_at = read_instant(*n, "'logged_at'", zone);
        if (const std::string problem = event_order_problem(c, se.event); !problem.empty()) fail_at(*at, problem);
        within_until(se.event.logged_at ? *e.get("logged_at") : *at, logged(se.event),
                     std::string("an event of complaint ") + c.intake.id + (se.event.logged_at ? ", logged at" : ", at"));
        se.event.what = read_event_name(*name, require_string(*name, "'event'"));
        if (const toml::node* n = e.get("actor")) se.event.actor = require_string(*n, "'actor'");
        if (const toml::node* n = e.get("reason")) se.event.reason = require_string(*n, "'reason'");
        if (const toml::node* n = e.get("justified")) se.event.justified = detail::require_bool(*n, "'justified'");
        if (const toml::node* n = e.get("satisfied")) se.event.satisfied = detail::require_bool(*n, "'satisfied'");
        if (const toml::node* n = e.get("role")) se.event.role = require_string(*n, "'role'");
        if (const toml::node* n = e.get("promised")) se.event.promised = read_instant(*n, "'promised'", zone);
        if (const toml::node* n = e.get("what")) se.event.action_what = require_string(*n, "'what'");
        if (const toml::node* n = e.get("owner")) se.event.action_owner = require_string(*n, "'owner'");
        if (const toml::node* n = e.get("verifier")) se.event.action_verifier = require_string(*n, "'verifier'");
        if (const toml::node* n = e.get("due")) se.event.action_due = read_instant(*n, "'due'", zone);
        for (const selector_dimension& dimension : selector_dimensions) {
          const toml::node* n = e.get(dimension.name);
          if (!n) continue;
          const std::string key(dimension.name);
          if (se.event.what != lifecycle_event::reclassify)
            fail_at(*n, "'" + key + "' is the attribute a reclassify changes; '" + std::string(to_string(se.event.what)) +
                            "' takes none (write event = \"reclassify\")");
          se.event.attributes[key] = require_string(*n, "'" + key + "'");
        }
        c.events.push_back(std::move(se));
      }
    }
    out.complaints.push_back(std::move(c));
  }
  return out;
}

// Throws for the first key that `line` (one JSON object) gives twice, at its second place.
template <typename Fail>
void fail_duplicate_key(std::string_view line, Fail fail) {
  std::vector<std::string> keys;
  const nlohmann::json::parser_callback_t collect = [&](int depth, nlohmann::json::parse_event_t event,
                                                       nlohmann::json& parsed) {
    if (event == nlohmann::json::parse_event_t::key && depth == 1) keys.push_back(parsed.get<std::string>());
    return true;
  };
  const nlohmann::json parsed_again = nlohmann::json::parse(line.begin(), line.end(), collect);
  (void)parsed_again;
  for (std::size_t i = 0; i < keys.size(); ++i)
    for (std::size_t k = 0; k < i; ++k)
      if (keys[i] == keys[k]) {
        // The second place the key is written as itself (an escaped spelling is not searched).
        const std::string quoted = nlohmann::json(keys[i]).dump();
        std::size_t at = line.find(quoted);
        if (at != std::string::npos) at = line.find(quoted, at + 1);
        fail("the key " + quoted + " appears twice in one object: which one is meant is unclear",
             at == std::string::npos ? 1 : static_cast<int>(at) + 1);
      }
}

// JSON Lines: one object per line. An opening line has "complaint" and "received" (and the
// attributes); an event line has "complaint", "at" and "event" (and the event's fields).
// `next_line(line)` gives each line (without its '\n') and returns false after the last.
template <typename NextLine>
scenario parse_jsonl_scenario(NextLine next_line, const std::string& file, const time_zone& zone) {
  scenario out;
  out.file = file;
  std::string_view line;
  int number = 0;
  auto fail = [&](const std::string& message, int column = 1) -> void {
    throw error(message, source_location{file, number, column});
  };
  auto time_of = [&](const flat_value& v, const char* key) {
    if (!v.is_string()) fail(std::string("'") + key + "' must be a string");
    try {
      return parse_timestamp(v.text, zone);
    } catch (const error& e) {
      fail(e.message());
    }
    return instant{};
  };
  // A control character (JSON lets "\u001b" write one) would act on the terminal wherever the
  // text is shown, as the TOML reader says of its strings.
  auto refuse_controls = [&](std::string_view text, const std::string& what) {
    if (const std::size_t at = find_control(text); at != std::string_view::npos)
      fail(what + " holds a control character (" + escape_controls(std::string(1, text[at])) +
           "), which a terminal would act on; write names and text without control characters");
  };
  auto text_of = [&](const flat_value& v, const char* key) -> const std::string& {
    if (!v.is_string()) fail(std::string("'") + key + "' must be a string");
    refuse_controls(v.text, std::string("'") + key + "'");
    return v.text;
  };
  // Each complaint by id: an event line finds its complaint in constant time.
  std::unordered_map<std::string, std::size_t> index;
  flat_line j;
  while (next_line(line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      j.read(line);
    } catch (const nlohmann::json::parse_error& e) {
      // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 61:
      // syntax error while parsing ... - unexpected end of input; expected '}'"; keep the part
      // after the position, without the raw bytes it "last read".
      std::string what = e.what();
      const auto column = what.find("column ");
      if (column != std::string::npos) {
        const auto colon = what.find(": ", column);
        if (colon != std::string::npos) what = what.substr(colon + 2);
      }
      const auto last_read = what.find("; last read:");
      if (last_read != std::string::npos) what.erase(last_read);
      fail("invalid JSON: " + what, static_cast<int>(e.byte));
    } catch (const nlohmann::json::exception& e) {
      // Valid syntax it cannot hold, such as a number beyond a double ("6e555"):
      // "[json.exception.out_of_range.406] number overflow parsing '6e555'".
      std::string what = e.what();
      const auto bracket = what.find("] ");
      if (bracket != std::string::npos) what = what.substr(bracket + 2);
      fail("invalid JSON: " + what);
    }
    if (!j.object) fail("expected a JSON object per line");
    if (j.repeated_key) fail_duplicate_key(line, [&](const std::string& m, int col) { fail(m, col); });
    const flat_value* complaint = j.find("complaint");
    if (!complaint) fail("every line needs \"complaint\": the complaint's id");
    const std::string id = text_of(*complaint, "complaint");
    if (id.empty()) fail("a complaint's id cannot be empty, e.g. \"complaint\": \"C-17\"");
    if (const flat_value* received = j.find("received")) {
      if (j.contains("at") || j.contains("event"))
        fail("an opening line (\"complaint\", \"received\") cannot also carry an event (\"at\", \"event\"): "
             "put the event on a line of its own");
      if (auto [first, fresh] = index.emplace(id, out.complaints.size()); !fresh)
        fail("complaint " + id + " is opened twice (first at line " +
             std::to_string(out.complaints[first->second].line) + "): each complaint has one opening line");
      scenario_complaint c;
      c.line = number;
      c.intake.id = id;
      c.intake.received = time_of(*received, "received");
      for (const auto& [key, value] : j.fields) {
        if (key == "complaint" || key == "received") continue;
        refuse_controls(key, "the key '" + key + "'");
        if (const std::string problem = attribute_key_problem(key, id); !problem.empty()) fail(problem);
        c.intake.attributes[key] = text_of(value, key.c_str());
      }
      out.complaints.push_back(std::move(c));
      continue;
    }
    const flat_value* at = j.find("at");
    const flat_value* event = j.find("event");
    if (!at || !event)
      fail("expected an opening line (\"complaint\", \"received\", attributes) or an event line (\"complaint\", \"at\", \"event\")");
    const auto found = index.find(id);
    if (found == index.end()) fail("event for complaint " + id + " before its opening line");
    scenario_complaint* target = &out.complaints[found->second];
    scenario_event se;
    se.line = number;
    se.event.at = time_of(*at, "at");
    const std::string& name = text_of(*event, "event");
    auto e = parse_lifecycle_event(name);
    if (!e) fail("unknown event '" + name + "'");
    se.event.what = *e;
    for (const auto& [k, value] : j.fields) {
      if (k == "complaint" || k == "at" || k == "event") continue;
      if (k == "actor") se.event.actor = text_of(value, "actor");
      else if (k == "reason") se.event.reason = text_of(value, "reason");
      else if (k == "role") se.event.role = text_of(value, "role");
      else if (k == "what") se.event.action_what = text_of(value, "what");
      else if (k == "owner") se.event.action_owner = text_of(value, "owner");
      else if (k == "verifier") se.event.action_verifier = text_of(value, "verifier");
      else if (k == "promised") se.event.promised = time_of(value, "promised");
      else if (k == "due") se.event.action_due = time_of(value, "due");
      else if (k == "logged_at") se.event.logged_at = time_of(value, "logged_at");
      else if (is_selector_dimension(k)) {
        if (se.event.what != lifecycle_event::reclassify)
          fail("'" + k + "' is the attribute a reclassify changes; '" + name + "' takes none");
        se.event.attributes[k] = text_of(value, k.c_str());
      } else if (k == "justified" || k == "satisfied") {
        if (!value.is_boolean()) fail("'" + k + "' must be true or false");
        (k == "justified" ? se.event.justified : se.event.satisfied) = value.flag;
      } else {
        fail("unknown key '" + k + "' in an event line; expected " + event_keys_help());
      }
    }
    if (const std::string problem = event_order_problem(*target, se.event); !problem.empty()) fail(problem);
    target->events.push_back(std::move(se));
  }
  if (out.complaints.empty()) throw error("a scenario needs at least one complaint", source_location{file, 1, 1});
  return out;
}

}  // namespace

namespace {

// Steps by instant, ties in the order given (the file's): the one ordering rule of scenarios.
// Steps already in order (most complaints' are) are left as they are: stable_sort would
// allocate its buffer only to move nothing.
void order_steps(std::vector<scenario::step>& steps) {
  const auto earlier = [](const scenario::step& a, const scenario::step& b) { return a.at < b.at; };
  if (!std::is_sorted(steps.begin(), steps.end(), earlier)) std::stable_sort(steps.begin(), steps.end(), earlier);
}

void add_steps(const scenario_complaint& c, std::size_t index, std::vector<scenario::step>& out) {
  out.push_back({c.intake.received, index, -1});
  const std::vector<scenario_event>& events = c.in_order();
  for (std::size_t e = 0; e < events.size(); ++e) out.push_back({logged(events[e].event), index, static_cast<int>(e)});
}

}  // namespace

std::vector<scenario::step> scenario::steps_of(const scenario_complaint& c, std::size_t index) {
  std::vector<step> out;
  out.reserve(c.events.size() + 1);
  add_steps(c, index, out);
  order_steps(out);
  return out;
}

std::vector<scenario::step> scenario::steps() const {
  std::vector<step> out;
  for (std::size_t c = 0; c < complaints.size(); ++c) add_steps(complaints[c], c, out);
  order_steps(out);
  return out;
}

instant scenario::horizon() const {
  if (until) return *until;
  instant last;
  bool any = false;
  for (const auto& c : complaints) {
    const instant t = c.events.empty() ? c.intake.received : logged(c.events.back().event);
    if (!any || t > last) last = t;
    any = true;
  }
  return last + std::chrono::hours{24 * 30};
}

scenario parse_scenario(const std::string& text_with_bom, const std::string& file_name, const time_zone& zone) {
  // The text after a UTF-8 byte order mark, as a view, not a copy: a history may be hundreds
  // of megabytes.
  std::string_view text = text_with_bom;
  text.remove_prefix(detail::byte_order_mark_length(text));
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const bool jsonl = (file_name.size() > 6 && file_name.compare(file_name.size() - 6, 6, ".jsonl") == 0) ||
                     (first != std::string_view::npos && text[first] == '{');
  if (!jsonl) return parse_toml_scenario(text, file_name, zone);
  std::size_t next = 0;  // where the next line starts; each line is read in place in `text`
  return parse_jsonl_scenario(
      [&](std::string_view& line) {
        if (next >= text.size()) return false;
        const std::size_t end = std::min(text.find('\n', next), text.size());
        line = text.substr(next, end - next);
        next = end + 1;
        return true;
      },
      file_name, zone);
}

scenario load_scenario(const std::string& path, const time_zone& zone) {
  if (path == "-") {  // standard input: TOML, or JSON Lines when it starts with '{'
    std::ostringstream text;
    text << std::cin.rdbuf();
    if (std::cin.bad()) throw error("cannot read the scenario from standard input", source_location{"<stdin>", 0, 0});
    return parse_scenario(text.str(), "<stdin>", zone);
  }
  std::error_code status;
  if (std::filesystem::exists(path, status) && !std::filesystem::is_regular_file(path, status))
    throw error("cannot read scenario \"" + path + "\": not a regular file", source_location{path, 0, 0});
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error("cannot read scenario \"" + path + "\"", source_location{path, 0, 0});
  auto failed = [&path] { return error("cannot read scenario \"" + path + "\"", source_location{path, 0, 0}); };
  // Read in blocks (an ostringstream would copy the whole text once more) until the first
  // non-blank character says which format it is.
  std::string text;
  char block[1 << 16];
  std::size_t first = std::string::npos;
  while (first == std::string::npos && (in.read(block, sizeof block) || in.gcount() > 0)) {
    text.append(block, static_cast<std::size_t>(in.gcount()));
    first = text.find_first_not_of(" \t\r\n", detail::byte_order_mark_length(text));
  }
  if (in.bad()) throw failed();
  const bool jsonl = (path.size() > 6 && path.compare(path.size() - 6, 6, ".jsonl") == 0) ||
                     (first != std::string::npos && text[first] == '{');
  if (!jsonl) {
    while (in.read(block, sizeof block) || in.gcount() > 0) text.append(block, static_cast<std::size_t>(in.gcount()));
    if (in.bad()) throw failed();
    return parse_scenario(text, path, zone);
  }
  // JSON Lines: one line at a time from the file (a regular file: read again from its start),
  // the byte order mark skipped before the first.
  in.clear();
  in.seekg(0);
  if (!in) throw failed();
  std::string buffer;
  bool first_line = true;
  scenario out = parse_jsonl_scenario(
      [&](std::string_view& line) {
        if (!std::getline(in, buffer)) return false;
        line = buffer;
        if (first_line) line.remove_prefix(detail::byte_order_mark_length(line));
        first_line = false;
        return true;
      },
      path, zone);
  if (in.bad()) throw failed();
  return out;
}

}  // namespace redress::tools
