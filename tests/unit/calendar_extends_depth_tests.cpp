// An `extends` chain is bounded (detail::max_extends_depth, 32): a chain 7,000 files deep used
// to overflow the stack; now the file that goes one too deep is a located error.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "redress/calendar.hpp"

using namespace redress;
namespace fs = std::filesystem;

namespace {

// c0.toml extends c1.toml ... extends cN.toml, which has hours and no parent.
fs::path make_chain(const std::string& name, int depth) {
  const fs::path dir = fs::temp_directory_path() / ("redress-extends-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (int i = 0; i < depth; ++i)
    std::ofstream(dir / ("c" + std::to_string(i) + ".toml"))
        << "[calendar]\nname = \"c" << i << "\"\nextends = \"c" << i + 1 << ".toml\"\n";
  std::ofstream(dir / ("c" + std::to_string(depth) + ".toml"))
      << "[calendar]\nname = \"base\"\ntimezone = \"UTC\"\n[calendar.hours]\nmon = [\"09:00-17:00\"]\n";
  return dir;
}

}  // namespace

TEST_CASE("a calendar 32 extends deep loads; 33 deep, or 7,000, is a located error") {
  const fs::path ok = make_chain("32", 32);
  const business_calendar c = load_calendar((ok / "c0.toml").string());
  CHECK(c.name() == "c0");
  CHECK(c.zone().name() == "UTC");
  fs::remove_all(ok);

  for (int depth : {33, 7000}) {
    const fs::path deep = make_chain(std::to_string(depth), depth);
    try {
      (void)load_calendar((deep / "c0.toml").string());
      FAIL("a chain " << depth << " deep loaded");
    } catch (const error& e) {
      CHECK(e.where().file == (deep / "c32.toml").string());
      CHECK(e.where().line == 3);
      CHECK(e.message() == "'extends' may go at most 32 calendars deep, and \"" + (deep / "c33.toml").string() +
                               "\" would be one deeper");
    }
    fs::remove_all(deep);
  }
}
