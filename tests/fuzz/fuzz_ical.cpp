// iCalendar holiday files, as calendar files' holiday_files read them (src/calendar/ical_holidays.cpp).
// The first byte chooses the last year expanded (2030 or 9999); the rest is the file.
// Reading either succeeds or throws redress::error located inside the input; every day it gives
// is a real date no later than a year past the last year (a multi-day event may run over); and
// the same file with LF line ends instead of CRLF reads the same (or fails the same way).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "calendar/ical_holidays.hpp"
#include "fuzz_support.hpp"

using namespace redress;
namespace fs = std::filesystem;

namespace {

// (Leaked on purpose: the exit handler that removes the directory runs after statics die.)
const std::string& input_path() {
  static const std::string* path = [] {
    std::string pattern = (fs::temp_directory_path() / "redress-fuzz-ics-XXXXXX").string();
    const char* made = mkdtemp(pattern.data());
    if (!made) std::abort();
    static const std::string* directory = new std::string(made);
    std::atexit([] { std::error_code ignored; fs::remove_all(*directory, ignored); });
    return new std::string((fs::path(made) / "fuzz.ics").string());
  }();
  return *path;
}

// The days read, or the error's full message.
struct outcome {
  bool ok = false;
  std::vector<detail::ical_holiday> days;
  std::string message;
};

outcome read(const std::string& text, int last_year) {
  {
    std::ofstream out(input_path(), std::ios::binary | std::ios::trunc);
    out << text;
  }
  outcome o;
  try {
    o.days = detail::read_ical_holidays(input_path(), {}, last_year);
    o.ok = true;
  } catch (const redress::error& e) {
    redress_fuzz::check_located(e, input_path(), text);
    o.message = e.what();
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int last_year = data[0] % 2 == 0 ? 2030 : 9999;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const outcome first = read(text, last_year);
  if (first.ok)
    for (const detail::ical_holiday& h : first.days)
      FUZZ_CHECK(h.date.ok() && h.date.year <= last_year + 1,
                 "a holiday on " + h.date.to_string() + " (last year " + std::to_string(last_year) + ")");
  // Only where every CR ends a line: "\r\r\n" would become "\r\n", which means something else.
  std::size_t carriage_returns = 0, line_ends = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\r') {
      ++carriage_returns;
      line_ends += i + 1 < text.size() && text[i + 1] == '\n';
    }
  if (line_ends > 0 && carriage_returns == line_ends) {
    std::string lf;
    for (std::size_t i = 0; i < text.size(); ++i)
      if (!(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) lf += text[i];
    const outcome second = read(lf, last_year);
    FUZZ_CHECK(first.ok == second.ok && first.message == second.message,
               "CRLF and LF read differently: \"" + first.message + "\" / \"" + second.message + "\"");
    if (first.ok) {
      FUZZ_CHECK(first.days.size() == second.days.size(), "CRLF and LF give different days");
      for (std::size_t i = 0; i < first.days.size(); ++i)
        FUZZ_CHECK(first.days[i].date == second.days[i].date && first.days[i].name == second.days[i].name,
                   "CRLF and LF give different days");
    }
  }
  return 0;
}
