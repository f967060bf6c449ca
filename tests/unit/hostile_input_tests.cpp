// Hostile input, one rule per case: names that are not what they claim, bytes that hide in
// messages. Each message says what is wrong in words a person can act on.
#include <catch2/catch.hpp>

#include <string>

#include "redress/error.hpp"
#include "redress/time.hpp"
#include "support/error_message.hpp"

using namespace redress;
using namespace std::string_literals;

namespace {

std::string zone_error(const std::string& name) {
  return testing::error_message([&] { (void)time_zone::locate(name); });
}

const std::string expected_zone = "expected an IANA zone name such as \"Europe/London\" or \"UTC\"";

}  // namespace

TEST_CASE("the host's zone 'localtime' is not an IANA zone: deadlines would depend on the machine") {
  CHECK(zone_error("localtime") ==
        "time zone \"localtime\" is the host's own zone (/etc/localtime), not an IANA zone: deadlines "
        "would depend on the machine; " + expected_zone);
}

TEST_CASE("files of the tz database that are not zones are refused") {
  CHECK(zone_error("posixrules") ==
        "time zone \"posixrules\" is a file of the tz database, not an IANA zone; " + expected_zone);
  CHECK(zone_error("Factory") == "time zone \"Factory\" is a file of the tz database, not an IANA zone; " + expected_zone);
}

TEST_CASE("a path is not a zone name") {
  for (const char* path : {"/usr/share/zoneinfo/UTC", "../zoneinfo/UTC", "Europe/../Europe/London",
                           "./UTC", "Europe//London", "Europe/London/"})
    CHECK(zone_error(path) == "time zone \"" + std::string(path) + "\" is a path, not a zone name; " + expected_zone);
}

TEST_CASE("a zone name with a control character says so, and never blames the tz database") {
  CHECK(zone_error("Europe\0London"s) ==
        "time zone \"Europe\\0London\" contains a control character (\\0); " + expected_zone);
  CHECK(zone_error("Europe\nLondon") == "time zone \"Europe\\nLondon\" contains a control character (\\n); " + expected_zone);
  CHECK(zone_error("Europe\x1b[31mLondon") ==
        "time zone \"Europe\\x1b[31mLondon\" contains a control character (\\x1b); " + expected_zone);
  CHECK(zone_error("") == "time zone \"\" is empty; " + expected_zone);
}

TEST_CASE("IANA names and links still work") {
  CHECK(time_zone::locate("Etc/GMT+5").name() == "Etc/GMT+5");
  CHECK(time_zone::locate("US/Eastern").name() == "US/Eastern");
  CHECK(zone_error("Europe/Londn") == "unknown time zone \"Europe/Londn\": " + expected_zone);
}

TEST_CASE("control characters in any message are escaped where errors are made, and a NUL does not cut it short") {
  const error e("unknown role 'a\0b\x1b[2J' in \"x\r\""s, source_location{"f\n.toml", 3, 4});
  CHECK(std::string(e.what()) == "f\\n.toml:3:4: unknown role 'a\\0b\\x1b[2J' in \"x\\r\"");
  CHECK(e.message() == "unknown role 'a\\0b\\x1b[2J' in \"x\\r\"");
}
