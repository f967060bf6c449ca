// Scenario files (TOML or JSON Lines) and policy test files, as rules/README.md describes them.
// The first byte chooses what the rest is:
//   0: a TOML scenario, parsed as examples/scenarios/fuzz.toml and, when it parses, simulated
//      under rules/iso10002.toml;
//   1: a JSON Lines scenario (fuzz.jsonl), likewise;
//   2: a policy test file, run as rules/tests/fuzz.toml of a private copy of the tree (links to
//      the shipped policies, calendars and scenarios), then written as JUnit XML.
// Parsing either succeeds or throws redress::error located inside the input (or in a file it
// names); simulate() never throws, and every event of an opened complaint shows up in its
// timeline, applied or rejected; every expectation of a test gets a result and a <testcase>.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "fuzz_support.hpp"
#include "redress/policy.hpp"
#include "tools/policy_test.hpp"
#include "support/shipped.hpp"
#include "tools/scenario.hpp"
#include "tools/simulate.hpp"

using namespace redress;
namespace fs = std::filesystem;

namespace {

using testing::iso10002;
const time_zone& london() { return testing::default_zone(iso10002()); }

/// A private tree: TMP/rules/{*.toml,calendars}, TMP/examples/scenarios, TMP/rules/tests/.
const fs::path& private_tree() {
  static const fs::path root = [] {
    std::string pattern = (fs::temp_directory_path() / "redress-fuzz-XXXXXX").string();
    const char* made = mkdtemp(pattern.data());
    if (!made) std::abort();
    const fs::path dir(made);
    const fs::path source(REDRESS_SOURCE_DIR);
    fs::create_directories(dir / "rules" / "tests");
    fs::create_directories(dir / "examples");
    for (const auto& entry : fs::directory_iterator(source / "rules"))
      if (entry.path().extension() == ".toml" || entry.path().filename() == "calendars")
        fs::create_symlink(entry.path(), dir / "rules" / entry.path().filename());
    fs::create_symlink(source / "examples" / "scenarios", dir / "examples" / "scenarios");
    std::atexit([] { std::error_code ignored; fs::remove_all(private_tree(), ignored); });
    return dir;
  }();
  return root;
}

/// Test files name a policy and a scenario; keep those inside the private tree.
bool names_only_the_tree(const std::string& text) {
  static const std::regex allowed(
      R"(^(\.\./|\.\./\.\./examples/scenarios/)?[A-Za-z0-9_-]+(\.[A-Za-z0-9]+)?$)");
  toml::table document;
  try {
    document = toml::parse(text);
  } catch (const toml::parse_error&) {
    return true;
  }
  const toml::table* test = document["test"].as_table();
  if (!test) return true;
  for (const char* key : {"policy", "scenario"})
    if (const auto* value = test->get_as<std::string>(key))
      if (!std::regex_match(value->get(), allowed)) return false;
  return true;
}

void run_scenario(const std::string& text, const std::string& file) {
  tools::scenario s;
  try {
    s = tools::parse_scenario(text, file, london());
  } catch (const redress::error& e) {
    redress_fuzz::check_located(e, file, text);
    return;
  }
  if (s.complaints.size() > 16) return;  // keep one input fast
  const tools::simulation run = tools::simulate(iso10002(), s);
  FUZZ_CHECK(run.complaints.size() == s.complaints.size(), "simulate lost or invented a complaint");
  for (std::size_t i = 0; i < s.complaints.size(); ++i) {
    const tools::complaint_run& c = run.complaints[i];
    if (!c.opened) continue;
    std::size_t seen = 0;
    for (const tools::timeline_entry& entry : c.timeline)
      seen += entry.what == tools::timeline_entry::kind::event || entry.what == tools::timeline_entry::kind::rejected;
    FUZZ_CHECK(seen == s.complaints[i].events.size(),
               "complaint " + c.id + ": " + std::to_string(s.complaints[i].events.size()) + " events, " +
                   std::to_string(seen) + " in its timeline");
  }
}

void run_test_file(const std::string& text) {
  if (!names_only_the_tree(text)) return;
  const fs::path file = private_tree() / "rules" / "tests" / "fuzz.toml";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
  }
  tools::test_file_result result;
  try {
    result = tools::run_policy_test(file.string());
  } catch (const redress::error& e) {
    redress_fuzz::check_located(e, file.string(), text);
    return;
  }
  for (const tools::expectation_result& r : result.results) FUZZ_CHECK(!r.name.empty(), "an unnamed result");
  const std::string xml = tools::junit_xml({result});
  std::size_t cases = 0;
  for (std::size_t at = xml.find("<testcase"); at != std::string::npos; at = xml.find("<testcase", at + 1)) ++cases;
  FUZZ_CHECK(cases == result.results.size(), "JUnit XML has " + std::to_string(cases) + " test cases for " +
                                                 std::to_string(result.results.size()) + " results");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string scenarios = std::string(REDRESS_SOURCE_DIR) + "/examples/scenarios/";
  switch (data[0] % 3) {
    case 0: run_scenario(text, scenarios + "fuzz.toml"); break;
    case 1: run_scenario(text, scenarios + "fuzz.jsonl"); break;
    default: run_test_file(text); break;
  }
  return 0;
}
