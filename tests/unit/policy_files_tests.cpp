// The files a policy read (policy_definition::files): recorded at load, each once, relative to
// the policy's directory, and loaded again from the record whatever the disk says now (what
// `redress server` journals to tell a changed calendar from the one its complaints ran on).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "redress/policy.hpp"
#include "wire/json.hpp"

using namespace redress;
namespace fs = std::filesystem;

namespace {

const std::string policy_text = R"([policy]
name = "Files"
version = "1"
calendar = "office"

[calendars]
office = "cal/office.toml"

[roles]
handler = "Complaint handler"

[[targets]]
name = "contact"
starts = "received"
stops = "contact_customer"
within = "4 business hours"
owner = "handler"
)";

// Mon-Fri 09:00-17:00 in London, with one holiday file (Tue 29 Dec 2026, a staff day).
const std::string office_text = R"([calendar]
name = "office"
timezone = "Europe/London"
holiday_files = ["closures.ics"]

[calendar.hours]
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00"]
)";

const std::string closures_text =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//redress tests//EN\r\nBEGIN:VEVENT\r\n"
    "UID:staffday2026@redress.test\r\nDTSTAMP:20261201T000000Z\r\nDTSTART;VALUE=DATE:20261229\r\n"
    "DTEND;VALUE=DATE:20261230\r\nSUMMARY:Staff day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

void write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

// A fresh directory holding p.toml, cal/office.toml and cal/closures.ics.
fs::path policy_directory(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("redress-policy-files-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "cal");
  write(dir / "p.toml", policy_text);
  write(dir / "cal" / "office.toml", office_text);
  write(dir / "cal" / "closures.ics", closures_text);
  return dir;
}

civil_date day(const char* text) { return civil_date::parse(text); }

}  // namespace

TEST_CASE("a policy records the calendar and holiday files it read, relative to itself", "[policy][files]") {
  const fs::path dir = policy_directory("record");
  const policy p = load_policy((dir / "p.toml").string());
  const std::vector<source_file>& files = p->files;
  REQUIRE(files.size() == 2);
  CHECK(files[0].path == "cal/office.toml");
  CHECK(files[0].text == office_text);
  CHECK(files[1].path == "cal/closures.ics");
  CHECK(files[1].text == closures_text);
  // parse_policy of the same text reads the same files; a definition built in code has none.
  CHECK(parse_policy(policy_text, (dir / "p.toml").string())->files.size() == 2);
  fs::remove_all(dir);
}

TEST_CASE("a policy loads again from its recorded files, whatever the disk says now", "[policy][files]") {
  const fs::path dir = policy_directory("replay");
  const std::string file = (dir / "p.toml").string();
  const policy before = load_policy(file);
  CHECK_FALSE(before.calendar("office").is_business_day(day("2026-12-29")));
  CHECK(before.calendar("office").is_business_day(day("2026-12-07")));

  // The compliance team closes the office on Mon 7 Dec and drops the holiday file.
  std::string closed = office_text;
  closed.replace(closed.find("holiday_files = [\"closures.ics\"]"), std::string("holiday_files = [\"closures.ics\"]").size(),
                 "holidays = [{ date = \"2026-12-07\", name = \"Office closed\" }]");
  write(dir / "cal" / "office.toml", closed);
  fs::remove(dir / "cal" / "closures.ics");

  // From the record: the calendar as it was (29 Dec closed, 7 Dec open), files as recorded.
  const policy again = parse_policy(policy_text, file, before->files);
  CHECK_FALSE(again.calendar("office").is_business_day(day("2026-12-29")));
  CHECK(again.calendar("office").is_business_day(day("2026-12-07")));
  REQUIRE(again->files.size() == 2);
  CHECK(again->files[0].text == office_text);
  CHECK(again->files[1].path == "cal/closures.ics");

  // From the disk: the new calendar, which reads one file.
  const policy now = load_policy(file);
  CHECK_FALSE(now.calendar("office").is_business_day(day("2026-12-07")));
  CHECK(now.calendar("office").is_business_day(day("2026-12-29")));
  REQUIRE(now->files.size() == 1);
  CHECK(now->files[0].text == closed);

  // A record that lacks a file the text reads: a located error, not a read of the disk.
  const std::vector<source_file> only_office{before->files[0]};
  try {
    (void)parse_policy(policy_text, file, only_office);
    FAIL("a file missing from the record was not refused");
  } catch (const error& e) {
    CHECK(e.where().file == (dir / "cal" / "office.toml").string());
    CHECK(e.where().line == 4);
    CHECK(e.message() == "cannot read holiday file \"" + (dir / "cal" / "closures.ics").string() +
                             "\": it is not among the files recorded when the policy was loaded");
  }
  fs::remove_all(dir);
}

TEST_CASE("the files a policy read as a wire value, and back", "[policy][files][wire]") {
  // UTF-8 text as it is; a Latin-1 byte (0xEA, "ê") makes the file hex.
  const std::vector<source_file> files{{"cal/office.toml", "name = \"office\"\n"}, {"cal/f.ics", "F\xeate"}};
  const wire::json value = wire::value_of(files);
  CHECK(wire::text_of(value) ==
        R"([{"path":"cal/office.toml","text":"name = \"office\"\n"},{"path":"cal/f.ics","hex":"46ea7465"}])");
  CHECK(wire::files_from(value) == files);
  const auto refused = [](const char* text) {
    try {
      (void)wire::files_from(wire::parse(text, "t"), "/files");
    } catch (const error& e) {
      return e.message();
    }
    return std::string("accepted");
  };
  CHECK(refused(R"([{"path":"a","hex":"4"}])") == "/files/0/hex: expected lower-case hexadecimal digits in pairs");
  CHECK(refused(R"([{"path":"a","hex":"4G"}])") == "/files/0/hex: expected lower-case hexadecimal digits in pairs");
  CHECK(refused(R"([{"path":"a"}])") == "/files/0: expected one of \"text\" and \"hex\"");
  CHECK(refused(R"([{"path":"a","text":"x","hex":"41"}])") == "/files/0: expected one of \"text\" and \"hex\"");
  CHECK(refused(R"({"path":"a"})") ==
        "/files: expected an array of {\"path\", \"text\"} or {\"path\", \"hex\"}, got object");
}
