// `redress due` and `redress elapsed`: deadline arithmetic on a calendar file
// (docs/spec/time.md, "Command line"). --json writes the wire format's deadline and elapsed
// values (src/wire, schemas/deadline.schema.json and elapsed.schema.json), as the C ABI does.
#include <fcntl.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "files/byte_order_mark.hpp"
#include "input.hpp"
#include "wire/json.hpp"
#include "redress/calendar.hpp"
#include "redress/error.hpp"
#include "time/rfc3339.hpp"

namespace redress::cli {

namespace {

struct due_options {
  std::string calendar;
  std::string from;
  std::string add;
  std::string batch;
  std::string end = "end-of-day";
  std::string rollover = "none";
  std::string receipt = "as-received";
  bool json = false;
};

struct elapsed_options {
  std::string calendar;
  std::string from;
  std::string to;
  bool json = false;
};

deadline_options read_deadline_options(const due_options& o) {
  deadline_options out;
  // CLI11's IsMember check has already refused other values.
  out.end = *parse_day_end(o.end);
  out.rollover = *parse_rollover_rule(o.rollover);
  out.receipt = *parse_receipt_rule(o.receipt);
  return out;
}

instant read_time(const std::string& text, const business_calendar& calendar, const char* option) {
  try {
    return parse_timestamp(text, calendar.zone());
  } catch (const error& e) {
    throw error(std::string(option) + ": " + e.message());
  }
}

duration_spec read_duration(const std::string& text) {
  try {
    return duration_spec::parse(text);
  } catch (const error& e) {
    throw error(std::string("--add: ") + e.message());
  }
}

// --- --batch input: a file or standard input of TIME<TAB>DURATION lines ------------------------

// A directory reads as an empty file and a closed standard input as an empty one: both would
// exit 0 having done nothing. Refuse them before reading.
void open_batch_input(const std::string& batch, std::ifstream& file, std::istream*& in) {
  if (batch == "-") {
    if (::fcntl(0, F_GETFD) == -1) throw error("cannot read <stdin>: standard input is closed");
    return;
  }
  std::error_code status;
  if (std::filesystem::is_directory(batch, status))
    throw error("cannot read batch file \"" + batch + "\": it is a directory");
  file.open(batch, std::ios::binary);
  if (!file) throw error("cannot read batch file \"" + batch + "\": " + std::strerror(errno));
  in = &file;
}

// Lines of at most 64 KiB (an endless line, such as /dev/zero's, is refused, not held in
// memory), LF or CRLF ends, a byte order mark before the first; a NUL or a CR inside a line is
// named as such. Throws: redress::error at source:line:column.
class batch_line_reader {
public:
  static constexpr std::size_t max_line = 65536;

  batch_line_reader(std::istream& in, std::string source) : in_(in), source_(std::move(source)) {}

  bool next(std::string& line) {
    line.clear();
    ++number_;
    for (;;) {
      if (pos_ == end_ && !refill()) {
        if (line.empty()) return false;
        break;
      }
      // The rest of the line in the buffer, up to its LF or the buffer's end.
      const char* start = buffer_.data() + pos_;
      const std::size_t available = end_ - pos_;
      const void* lf = std::memchr(start, '\n', available);
      const std::size_t length =
          lf ? static_cast<std::size_t>(static_cast<const char*>(lf) - start) : available;
      if (const void* nul = std::memchr(start, '\0', length)) {
        // The first NUL unless the line was already too long before it.
        const std::size_t column = line.size() + static_cast<std::size_t>(static_cast<const char*>(nul) - start);
        if (column <= max_line)
          throw error("a NUL byte: batch input is text (TIME<TAB>DURATION lines)",
                      source_location{source_, number_, static_cast<int>(column) + 1});
      }
      if (line.size() + length > max_line)
        throw error("the line is longer than " + std::to_string(max_line) +
                        " bytes (a batch line is TIME<TAB>DURATION)",
                    source_location{source_, number_, 1});
      line.append(start, length);
      pos_ += length;
      if (lf) {
        ++pos_;
        break;
      }
    }
    if (number_ == 1) line.erase(0, detail::byte_order_mark_length(line));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (const auto cr = line.find('\r'); cr != std::string::npos)
      throw error("a carriage return (CR) inside the line: lines end with LF or CRLF (a file with CR "
                  "alone, as old Mac files have, must be converted)",
                  source_location{source_, number_, static_cast<int>(cr) + 1});
    return true;
  }

  /// The number of the line `next` read last (from 1).
  int line_number() const noexcept { return number_; }

private:
  // Reads the next block of input; false at its end.
  bool refill() {
    pos_ = 0;
    end_ = static_cast<std::size_t>(
        in_.rdbuf()->sgetn(buffer_.data(), static_cast<std::streamsize>(buffer_.size())));
    return end_ != 0;
  }

  std::istream& in_;
  std::string source_;
  int number_ = 0;
  std::vector<char> buffer_ = std::vector<char>(1 << 16);
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
};

// A batch has a few distinct durations: each text is parsed once (a text that does not parse
// is never kept, so its error is reported on its every line, where it is).
class recent_durations {
public:
  duration_spec parse(std::string_view text, const source_location& where) {
    for (std::size_t i = 0; i < size_; ++i)
      if (entries_[i].text == text) return entries_[i].spec;
    const duration_spec spec = duration_spec::parse(text, where);
    entry& slot = entries_[size_ < entries_.size() ? size_++ : next_++ % entries_.size()];
    slot.text.assign(text.data(), text.size());
    slot.spec = spec;
    return spec;
  }

private:
  struct entry {
    std::string text;
    duration_spec spec;
  };
  std::array<entry, 16> entries_;
  std::size_t size_ = 0;
  std::size_t next_ = 0;
};

int run_due_batch(const due_options& o, const business_calendar& calendar,
                  const deadline_options& options) {
  std::ifstream file;
  std::istream* in = &std::cin;
  const std::string source = o.batch == "-" ? standard_input_name : o.batch;
  open_batch_input(o.batch, file, in);
  std::string line;
  std::string out;
  out.reserve(1 << 16);
  // Deadlines computed before a malformed line are still printed, then the error stops the run.
  struct flush_on_exit {
    std::string& pending;
    ~flush_on_exit() {
      std::cout.write(pending.data(), static_cast<std::streamsize>(pending.size()));
      std::cout.flush();
    }
  } flush{out};
  batch_line_reader lines(*in, source);
  recent_durations durations;
  while (lines.next(line)) {
    const int number = lines.line_number();
    const auto tab = line.find('\t');
    if (tab == std::string::npos)
      throw error("expected TIME<TAB>DURATION, e.g. \"2026-04-01T14:00:00+01:00\\t15 business days\"",
                  source_location{source, number, 1});
    const std::string_view time_text(line.data(), tab);
    const std::string_view duration_text(line.data() + tab + 1, line.size() - tab - 1);
    instant start;
    try {
      start = parse_timestamp(time_text, calendar.zone());
    } catch (const error& e) {
      throw error(e.message(), source_location{source, number, 1});
    }
    const duration_spec duration = durations.parse(
        duration_text, source_location{source, number, static_cast<int>(tab) + 2});
    instant due;
    try {
      due = deadline(calendar, start, duration, options);
    } catch (const error& e) {
      throw error(e.message(), source_location{source, number, 1});
    }
    if (o.json) {
      out += wire::text_of(wire::deadline_value(calendar, start, duration, options, due));
    } else {
      char text[detail::rfc3339_capacity];
      out.append(text, detail::write_rfc3339(text, due, calendar.zone()));
    }
    out += '\n';
    if (out.size() > (1 << 16) - 256) {
      std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
      out.clear();
    }
  }
  return exit_ok;
}

int run_due(const due_options& o) {
  require_standard_input_once({o.calendar, o.batch});
  const business_calendar calendar = load_calendar_argument(o.calendar);
  const deadline_options options = read_deadline_options(o);
  if (!o.batch.empty()) {
    if (!o.from.empty() || !o.add.empty())
      throw error("--batch reads TIME<TAB>DURATION lines: do not give --from or --add with it");
    return run_due_batch(o, calendar, options);
  }
  if (o.from.empty() || o.add.empty())
    throw error("give --from TIME and --add DURATION (or --batch FILE)");
  const instant start = read_time(o.from, calendar, "--from");
  const duration_spec duration = read_duration(o.add);
  const instant due = deadline(calendar, start, duration, options);
  if (o.json) {
    std::cout << wire::text_of(wire::deadline_value(calendar, start, duration, options, due)) << '\n';
  } else {
    std::cout << format_rfc3339(due, calendar.zone()) << '\n';
  }
  return exit_ok;
}

int run_elapsed(const elapsed_options& o) {
  const business_calendar calendar = load_calendar_argument(o.calendar);
  const instant from = read_time(o.from, calendar, "--from");
  const instant to = read_time(o.to, calendar, "--to");
  const std::chrono::seconds worked = elapsed_working_time(calendar, from, to);
  if (o.json) {
    std::cout << wire::text_of(wire::elapsed_value(calendar, from, to, worked)) << '\n';
  } else {
    std::cout << format_iso8601_duration(worked) << '\n';
  }
  return exit_ok;
}

}  // namespace

void add_time_commands(CLI::App& app, int& exit_status) {
  auto due = std::make_shared<due_options>();
  CLI::App* due_command = app.add_subcommand(
      "due", "Print the deadline for a duration counted from an instant on a business calendar");
  due_command->add_option("--calendar", due->calendar, "Calendar file (TOML); - reads standard input")->required();
  due_command->add_option("--from", due->from,
                          "Start: RFC 3339 (2026-04-01T14:00:00+01:00) or local time without offset");
  due_command->add_option("--add", due->add,
                          "Duration: \"15 business days\", \"8 weeks\", \"1 month\", \"40 business hours\"");
  due_command->add_option("--batch", due->batch,
                          "Read TIME<TAB>DURATION lines from FILE (or - for stdin), print one deadline per line")
      ->check(file_name);
  due_command->add_option("--end", due->end, "Where a day period ends on its last day")
      ->check(CLI::IsMember({"end-of-day", "close-of-business", "same-time"}));
  due_command->add_option("--rollover", due->rollover, "When the last day is not a business day")
      ->check(CLI::IsMember({"none", "next-business-day"}));
  due_command->add_option("--receipt", due->receipt, "A complaint received outside working time")
      ->check(CLI::IsMember({"as-received", "next-business-day-if-closed"}));
  due_command->add_flag("--json", due->json, "Print a JSON object");
  due_command->footer(
      "Example:\n  redress due --calendar rules/calendars/england-wales.toml \\\n"
      "    --from 2026-04-01T14:00:00+01:00 --add \"15 business days\"\n"
      "  2026-04-24T23:59:59+01:00");
  due_command->callback([due, &exit_status] { exit_status = run_due(*due); });

  auto elapsed = std::make_shared<elapsed_options>();
  CLI::App* elapsed_command = app.add_subcommand(
      "elapsed", "Print the working time between two instants on a business calendar");
  elapsed_command->add_option("--calendar", elapsed->calendar, "Calendar file (TOML); - reads standard input")->required();
  elapsed_command->add_option("--from", elapsed->from, "Start instant")->required();
  elapsed_command->add_option("--to", elapsed->to, "End instant")->required();
  elapsed_command->add_flag("--json", elapsed->json, "Print a JSON object");
  elapsed_command->footer(
      "Example:\n  redress elapsed --calendar rules/calendars/england-wales.toml \\\n"
      "    --from 2026-04-01T14:00:00+01:00 --to 2026-04-02T12:30:00+01:00\n"
      "  PT6H30M");
  elapsed_command->callback([elapsed, &exit_status] { exit_status = run_elapsed(*elapsed); });
}

}  // namespace redress::cli
