// Calendar files as people write them (TOML, ../../docs/spec/time.md): parse_calendar must
// either build a calendar or throw redress::error, and a calendar it builds must keep the
// contract's basic promises from a few fixed starts.
//
// The input is read as sandbox/fuzz.toml. A calendar may name other files (`extends`,
// `holiday_files`); inputs that name anything but a plain file name are skipped, so every path
// resolves inside sandbox/ and the fuzzer never reads /dev/zero, a FIFO or a large file.
#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "fuzz_support.hpp"
#include "redress/calendar.hpp"

using redress::business_calendar;
using redress::duration_spec;
using redress::instant;
using redress_fuzz::plain_file_name;
using redress_fuzz::succeeds;

namespace {

using std::chrono::seconds;

// Whether every file the input names stays inside the sandbox. Input that is not TOML, or has
// no [calendar] table, names no file.
bool stays_in_sandbox(std::string_view text) {
  toml::table document;
  try {
    document = toml::parse(text);
  } catch (const toml::parse_error&) {
    return true;
  }
  const toml::table* calendar = document["calendar"].as_table();
  if (!calendar) return true;
  if (const toml::node* extends = calendar->get("extends"))
    if (const auto* name = extends->as_string(); name && !plain_file_name(name->get())) return false;
  if (const toml::array* files = calendar->get_as<toml::array>("holiday_files"))
    for (const toml::node& file : *files)
      if (const auto* name = file.as_string(); name && !plain_file_name(name->get())) return false;
  return true;
}

std::string show(instant t) { return t.to_string(); }

std::vector<instant> starts_for(const business_calendar& cal) {
  std::vector<instant> starts;
  for (const char* text : {"2026-03-27T16:00:00Z", "2026-03-29T00:30:00Z", "2026-10-25T01:30:00Z",
                           "2025-12-31T23:59:59Z", "2027-01-04T09:00:00+01:00"})
    starts.push_back(instant::parse(text));
  // Inside the calendar's own range, whatever it is.
  const redress::calendar_definition& def = cal.definition();
  if (def.valid_from)
    (void)succeeds([&] { starts.push_back(cal.start_of_day(*def.valid_from) + seconds{43200}); });
  if (def.valid_until)
    (void)succeeds([&] { starts.push_back(cal.end_of_day(*def.valid_until) - seconds{43200}); });
  return starts;
}

// A computation walks the local years it needs, and outside 1900-2299 resolves each again:
// 0.03-0.06 ms a year in a RelWithDebInfo build, about 0.2 ms under the sanitizers. A
// calendar made only of exceptions spread over centuries (1634 and 4054, say) walks them all
// from every start, and this target makes about a hundred computations per input: those are
// kept to starts within a few decades of their exceptions, and skipped when the exceptions
// themselves span more.
constexpr int max_walk_years = 40;

bool within_walk(const business_calendar& cal, instant t) {
  const redress::calendar_definition& def = cal.definition();
  for (const auto& day : def.week)
    if (!day.empty()) return true;
  if (def.exceptions.empty()) return false;
  const int first = def.exceptions.begin()->first.year, last = def.exceptions.rbegin()->first.year;
  if (last - first > max_walk_years) return false;
  redress::civil_date date;
  if (!succeeds([&] { date = cal.local_date(t); })) return true;  // fails at once
  return date.year >= first - max_walk_years && date.year <= last + max_walk_years;
}

void check_calendar(const business_calendar& cal) {
  std::vector<instant> starts = starts_for(cal);
  starts.erase(std::remove_if(starts.begin(), starts.end(),
                              [&](instant t) { return !within_walk(cal, t); }),
               starts.end());
  static const duration_spec working[] = {
      duration_spec::parse("0 business hours"), duration_spec::parse("1 business second"),
      duration_spec::parse("90 business minutes"), duration_spec::parse("8 business hours"),
      duration_spec::parse("-3 business hours"), duration_spec::parse("-1 business second")};
  static const duration_spec periods[] = {
      duration_spec::parse("0 business days"), duration_spec::parse("15 business days"),
      duration_spec::parse("2 weeks"), duration_spec::parse("1 month"),
      duration_spec::parse("36 hours")};

  for (const instant start : starts) {
    const std::string from = "from " + show(start);
    instant open;
    if (succeeds([&] { open = cal.next_open(start); })) {
      FUZZ_CHECK(open >= start, from + ": next_open went back to " + show(open));
      bool is_open = false;
      if (succeeds([&] { is_open = cal.is_open(open); }))
        FUZZ_CHECK(is_open, from + ": next_open gave " + show(open) + ", which is not open");
    }
    for (const duration_spec& d : working) {
      instant due;
      if (!succeeds([&] { due = redress::deadline(cal, start, d); })) continue;
      const std::string context = from + " + " + d.to_string() + " = " + show(due);
      if (d.count >= 0) FUZZ_CHECK(due >= start, context + ": a working-time deadline went back");
      if (d.count <= 0) FUZZ_CHECK(due <= start, context + ": counting back went forward");
      std::chrono::seconds worked{};
      if (succeeds([&] { worked = redress::elapsed_working_time(cal, start, due); }))
        FUZZ_CHECK(worked.count() == d.seconds(),
                   context + ": elapsed working time is " + std::to_string(worked.count()) + " s");
    }
    for (const duration_spec& d : periods) {
      for (const auto end : {redress::day_end::end_of_day, redress::day_end::close_of_business,
                             redress::day_end::same_time}) {
        redress::deadline_options options;
        options.end = end;
        options.rollover = redress::rollover_rule::next_business_day;
        instant due;
        if (!succeeds([&] { due = redress::deadline(cal, start, d, options); })) continue;
        if (end != redress::day_end::end_of_day || d.is_elapsed()) continue;
        const std::string context = from + " + " + d.to_string() + " = " + show(due);
        redress::civil_date last, next;
        if (succeeds([&] {
              last = cal.local_date(due);
              next = cal.local_date(due + seconds{1});
            }))
          FUZZ_CHECK(next != last, context + ": the end of a day is followed by the same day");
      }
    }
    for (const instant other : starts) {
      // Spans of a few decades only (a calendar's `valid` may start in 0001).
      if (std::max(start, other) - std::min(start, other) > seconds{max_walk_years * 366LL * 86400})
        continue;
      std::chrono::seconds there{}, back{};
      if (succeeds([&] {
            there = redress::elapsed_working_time(cal, start, other);
            back = redress::elapsed_working_time(cal, other, start);
          }))
        FUZZ_CHECK(there == -back, from + " to " + show(other) + ": elapsed is " +
                                       std::to_string(there.count()) + " s one way, " +
                                       std::to_string(back.count()) + " s the other");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string file = std::string(REDRESS_FUZZ_SANDBOX) + "/fuzz.toml";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!stays_in_sandbox(text)) return 0;
  std::optional<business_calendar> cal;
  if (!succeeds([&] { cal = redress::parse_calendar(text, file); })) return 0;
  // What a loaded calendar says about itself builds again.
  FUZZ_CHECK(succeeds([&] { (void)business_calendar::build(cal->definition()); }),
             "the definition of a loaded calendar does not build again");
  check_calendar(*cal);
  return 0;
}
