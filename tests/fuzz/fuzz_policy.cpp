// Policy files as compliance teams write them (rules/README.md): parse_policy must either build a
// policy or throw redress::error whose location is inside the input (or names a file it read), and
// a policy it builds must lint, run in an engine (open a complaint of each kind, advance a year)
// and answer calendar_for() and owner_for() without throwing.
//
// The input is read as rules/fuzz.toml, so `calendar = "calendars/england-wales.toml"` finds the
// shipped calendars. Inputs naming a file anywhere else (any string with '/' that is not
// "calendars/NAME") are skipped: the fuzzer never reads outside rules/.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "fuzz_support.hpp"
#include "redress/engine.hpp"
#include "redress/policy.hpp"

using namespace redress;

namespace {

bool safe_string(std::string_view s) {
  if (s.find('/') == std::string_view::npos && s.find('\\') == std::string_view::npos) return true;
  constexpr std::string_view prefix = "calendars/";
  return s.substr(0, prefix.size()) == prefix && redress_fuzz::plain_file_name(s.substr(prefix.size()));
}

bool stays_in_rules(const toml::node& node) {
  if (const auto* s = node.as_string()) return safe_string(s->get());
  if (const auto* t = node.as_table()) {
    for (const auto& [key, value] : *t)
      if (!stays_in_rules(value)) return false;
    return true;
  }
  if (const auto* a = node.as_array()) {
    for (const toml::node& value : *a)
      if (!stays_in_rules(value)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const toml::table document = toml::parse(text);
    if (!stays_in_rules(document)) return 0;
  } catch (const toml::parse_error&) {
    // Not TOML: it names no file; parse_policy must say where it stops being TOML.
  }
  const std::string file = std::string(REDRESS_SOURCE_DIR) + "/rules/fuzz.toml";
  std::optional<policy> loaded;
  try {
    loaded = parse_policy(text, file);
  } catch (const redress::error& e) {
    redress_fuzz::check_located(e, file, text);
    return 0;
  }
  const policy& p = *loaded;
  const policy_definition& def = p.definition();
  FUZZ_CHECK(!def.calendars.empty() && def.calendars.count(def.default_calendar) == 1,
             "a policy without its default calendar '" + def.default_calendar + "'");
  for (const diagnostic& d : lint_policy(p)) FUZZ_CHECK(!d.to_string().empty(), "an empty lint diagnostic");

  engine e(p);
  const instant received = instant::parse("2026-03-02T09:30:00Z");
  int n = 0;
  for (const kind_definition& kind : def.kinds) {
    complaint_intake intake{"P-" + std::to_string(++n), received, {{"kind", kind.name}}};
    for (const auto& [dimension, values] : def.vocabulary)
      if (dimension != "kind" && !values.empty()) intake.attributes[dimension] = values.front();
    for (const std::string& field : def.required_fields) intake.attributes[field] = "Fuzz";
    for (const auto& [channel, fields] : def.required_by_channel)
      for (const std::string& field : fields) intake.attributes[field] = "Fuzz";
    (void)p.calendar_for(intake.attributes);
    (void)p.owner_for(intake.attributes);
    auto opened = e.open(intake);
    if (!opened) continue;
    complaint_event ack;
    ack.what = lifecycle_event::acknowledge;
    ack.at = instant::parse("2026-03-02T10:00:00Z");
    (void)e.apply(intake.id, ack);
    if (n >= 8) break;
  }
  (void)e.advance(instant::parse("2027-03-02T00:00:00Z"));
  return 0;
}
