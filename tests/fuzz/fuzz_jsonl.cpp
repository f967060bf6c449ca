// JSON Lines scenarios (src/tools/scenario.cpp), as simulate, report and the helpdesk's exports
// use them. Parsing either succeeds or throws redress::error located inside the input; a scenario
// that parses accounts for every non-blank line (one opening line per complaint, one event line
// per event: nothing dropped, nothing merged), has unique complaint ids, keeps each complaint's
// events in time order, and simulates (small ones) with every event in its complaint's timeline.
// Each line reads the same through the reader's direct path as through nlohmann's parser
// (tools::flat_line::read against read_with_parser): the same fields, or the same error.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "redress/policy.hpp"
#include "support/shipped.hpp"
#include "tools/flat_json.hpp"
#include "tools/scenario.hpp"
#include "tools/simulate.hpp"

using namespace redress;

namespace {

using testing::iso10002;
const time_zone& london() { return testing::default_zone(iso10002()); }

// The line as flat_line leaves it, or the error it throws, as one text to compare.
template <class Read>
std::string flat_reading(Read read) {
  tools::flat_line j;
  try {
    read(j);
  } catch (const nlohmann::json::exception& e) {
    return std::string("error: ") + e.what();
  }
  std::string out = j.object ? "object" : "not an object";
  if (j.repeated_key) out += ", repeated key";
  for (const auto& [key, value] : j.fields)
    out += "\n" + key + " " + std::to_string(static_cast<int>(value.type)) + " " + std::to_string(value.flag) + " " +
           value.text;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string file = "fuzz.jsonl";
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line(text.data() + start, end - start);
    const std::string direct = flat_reading([&](tools::flat_line& j) { j.read(line); });
    const std::string parsed = flat_reading([&](tools::flat_line& j) { j.read_with_parser(line); });
    FUZZ_CHECK(direct == parsed, "the line reads as\n" + direct + "\nbut the parser reads\n" + parsed);
    start = end + 1;
  }
  tools::scenario s;
  try {
    s = tools::parse_scenario(text, file, london());
  } catch (const redress::error& e) {
    redress_fuzz::check_located(e, file, text);
    return 0;
  }
  // (A file named .jsonl is always read as JSON Lines; a byte order mark before it is skipped.)
  std::size_t lines = 0;
  std::size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string::npos) ++lines;
    start = end + 1;
  }
  std::size_t events = 0;
  std::set<std::string> ids;
  for (const tools::scenario_complaint& c : s.complaints) {
    FUZZ_CHECK(ids.insert(c.intake.id).second, "complaint " + c.intake.id + " twice");
    events += c.events.size();
    for (std::size_t i = 1; i < c.events.size(); ++i)
      FUZZ_CHECK(!(c.events[i].event.at < c.events[i - 1].event.at), "events of " + c.intake.id + " out of order");
  }
  FUZZ_CHECK(s.complaints.size() + events == lines,
             std::to_string(lines) + " lines, but " + std::to_string(s.complaints.size()) + " complaints and " +
                 std::to_string(events) + " events");
  if (s.complaints.size() > 16) return 0;  // keep one input fast
  const tools::simulation run = tools::simulate(iso10002(), s);
  FUZZ_CHECK(run.complaints.size() == s.complaints.size(), "simulate lost or invented a complaint");
  for (std::size_t i = 0; i < s.complaints.size(); ++i) {
    const tools::complaint_run& c = run.complaints[i];
    if (!c.opened) continue;
    std::size_t seen = 0;
    for (const tools::timeline_entry& entry : c.timeline)
      seen += entry.what == tools::timeline_entry::kind::event || entry.what == tools::timeline_entry::kind::rejected;
    FUZZ_CHECK(seen == s.complaints[i].events.size(), "complaint " + c.id + ": events missing from its timeline");
  }
  return 0;
}
