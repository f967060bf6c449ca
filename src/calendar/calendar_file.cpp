#include "calendar/calendar_file.hpp"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <vector>

#include "calendar/calendar_impl.hpp"
#include "calendar/ical_holidays.hpp"
#include "files/toml_reader.hpp"

namespace redress {
namespace detail {
namespace {

namespace fs = std::filesystem;

const char* const weekday_keys[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// What one layer (one file) says about one date.
struct date_entry {
  bool holiday = false;
  std::string name;                   // a listed holiday's name, when given
  std::vector<local_interval> hours;  // exception hours when !holiday
  const toml::node* node = nullptr;   // where, when it came from this file's TOML
};

struct layer {
  calendar_definition definition;
  std::map<civil_date, date_entry> dates;
  const toml::node* hours_node[7] = {};  // this file's weekday entries, for locating problems
  const toml::node* extends_node = nullptr;
};

int read_clock(std::string_view text, std::size_t& pos, bool& ok) {
  auto digit = [&](std::size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  if (!digit(pos) || !digit(pos + 1) || pos + 2 >= text.size() || text[pos + 2] != ':' ||
      !digit(pos + 3) || !digit(pos + 4)) {
    ok = false;
    return 0;
  }
  const int hours = (text[pos] - '0') * 10 + (text[pos + 1] - '0');
  const int minutes = (text[pos + 3] - '0') * 10 + (text[pos + 4] - '0');
  pos += 5;
  return hours * 100 + minutes;
}

local_interval parse_interval(const toml::node& node, const std::string& what) {
  const std::string& text = require_string(node, what);
  const std::string expected =
      "expected \"HH:MM-HH:MM\" such as \"09:00-17:00\" (an end before the start is an "
      "overnight shift; \"00:00-24:00\" is the whole day)";
  std::size_t pos = 0;
  bool ok = true;
  const int start = read_clock(text, pos, ok);
  while (pos < text.size() && text[pos] == ' ') ++pos;
  if (ok && (pos >= text.size() || text[pos] != '-')) ok = false;
  ++pos;
  while (pos < text.size() && text[pos] == ' ') ++pos;
  const int end = ok ? read_clock(text, pos, ok) : 0;
  if (!ok || pos != text.size()) fail_at(node, "invalid interval \"" + text + "\": " + expected);
  const int start_h = start / 100, start_m = start % 100, end_h = end / 100, end_m = end % 100;
  if (start_m > 59 || end_m > 59)
    fail_at(node, "invalid interval \"" + text + "\": minutes must be 00-59");
  if (start_h > 23 || end_h > 24 || (end_h == 24 && end_m != 0))
    fail_at(node, "invalid interval \"" + text + "\": hours must be 00-23 (24:00 only as an end)");
  local_interval iv;
  iv.start_minute = start_h * 60 + start_m;
  const int end_minute = end_h * 60 + end_m;
  if (end_minute == iv.start_minute)
    fail_at(node, "invalid interval \"" + text +
                      "\": it starts where it ends (write \"00:00-24:00\" for a whole day)");
  iv.end_minute = end_minute > iv.start_minute ? end_minute : end_minute + 1440;
  return iv;
}

std::vector<local_interval> parse_hours(const toml::node& node, const std::string& what) {
  const toml::array& list = require_array(node, what);
  std::vector<local_interval> out;
  for (const toml::node& item : list) out.push_back(parse_interval(item, "each interval of " + what));
  for (std::size_t i = 0; i < out.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (out[i].start_minute < out[j].end_minute && out[j].start_minute < out[i].end_minute)
        fail_at(*list.get(i), "intervals " + out[j].to_string() + " and " + out[i].to_string() +
                                  " of " + what + " overlap");
  return out;
}

civil_date parse_date(const toml::node& node, const std::string& what) {
  if (const auto* d = node.as_date()) {
    const toml::date& value = d->get();
    civil_date out{value.year, value.month, value.day};
    if (!out.ok()) fail_at(node, what + ": " + out.to_string() + " is not a date in 0001-9999");
    return out;
  }
  const std::string& text = require_string(node, what);
  try {
    return civil_date::parse(text);
  } catch (const error& e) {
    fail_at(node, e.message());
  }
}

std::string directory_of(const std::string& file) {
  const fs::path parent = fs::path(file).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}


// Each date of an iCalendar holiday file is a holiday unless this file already says otherwise
// (a date this file lists without a name takes the file's name).
void read_holiday_file(const std::string& path, const toml::node& node, int last_year,
                       std::map<civil_date, date_entry>& dates) {
  for (const ical_holiday& holiday : read_ical_holidays(path, location_of(node), last_year)) {
    date_entry& entry = dates[holiday.date];
    if (entry.node == nullptr && entry.hours.empty()) {
      entry.holiday = true;
      entry.node = &node;
      entry.name = holiday.name;  // the event's SUMMARY, as the publisher named the day
    } else if (entry.holiday && entry.name.empty()) {
      entry.name = holiday.name;  // listed here without a name: the same day, named by its file
    }
  }
}

// --- holiday rules ------------------------------------------------------------------------

int parse_year(const toml::node& node, const std::string& what) {
  const std::int64_t year = require_integer(node, what);
  if (year < 1 || year > 9999) fail_at(node, what + " must be a year 1-9999, got " + std::to_string(year));
  return static_cast<int>(year);
}

holiday_rule parse_rule(const toml::node& item, const std::string& label) {
  const toml::table& t = require_table(item, "each holiday rule (write [[calendar.holiday_rules]])");
  check_keys(t, {"name", "date", "observe", "observed_name", "from", "until", "except"}, label);
  holiday_rule rule;
  const toml::node* name = t.get("name");
  if (!name) fail_at(item, "a holiday rule needs a 'name' (shown by explain and `redress holidays`)");
  rule.name = require_string(*name, "'name'");
  if (rule.name.empty()) fail_at(*name, "a holiday rule's 'name' cannot be empty");
  const toml::node* date = t.get("date");
  if (!date)
    fail_at(item, "holiday rule \"" + rule.name + "\" needs a 'date' such as \"12-25\", "
                  "\"last monday of may\" or \"easter+1\"");
  rule.date = require_string(*date, "'date'");
  if (auto problem = check_holiday_date(rule.date)) {
    source_location where = location_of(*date);
    if (where.column > 0) where.column += 1 + static_cast<int>(problem->second);  // past the quote
    throw error("invalid holiday date \"" + rule.date + "\": " + problem->first, where);
  }
  if (const toml::node* observe = t.get("observe")) {
    const std::string& text = require_string(*observe, "'observe'");
    const auto parsed = parse_holiday_observance(text);
    if (!parsed) {
      const std::vector<std::string> names(std::begin(holiday_observance_names), std::end(holiday_observance_names));
      std::string message = "unknown observe \"" + text + "\": expected ";
      for (std::size_t i = 0; i < names.size(); ++i)
        message += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
      const std::string near = closest_match(text, names);
      if (!near.empty()) message += "; did you mean '" + near + "'?";
      fail_at(*observe, message);
    }
    rule.observe = *parsed;
  }
  if (const toml::node* observed = t.get("observed_name")) {
    rule.observed_name = require_string(*observed, "'observed_name'");
    if (rule.observe == holiday_observance::none)
      fail_at(*observed, "'observed_name' names a moved or added date, but 'observe' is \"none\"");
  }
  if (const toml::node* from = t.get("from")) rule.from = parse_year(*from, "'from'");
  if (const toml::node* until = t.get("until")) {
    rule.until = parse_year(*until, "'until'");
    if (rule.from && *rule.from > *rule.until)
      fail_at(*until, "'until' (" + std::to_string(*rule.until) + ") is before 'from' (" +
                          std::to_string(*rule.from) + ")");
  }
  if (const toml::node* except = t.get("except")) {
    for (const toml::node& year : require_array(*except, "'except' (a list of years)")) {
      const int y = parse_year(year, "each year of 'except'");
      if ((rule.from && y < *rule.from) || (rule.until && y > *rule.until))
        fail_at(year, "'except' year " + std::to_string(y) + " is outside the rule's years " +
                          (rule.from ? std::to_string(*rule.from) : std::string("...")) + "-" +
                          (rule.until ? std::to_string(*rule.until) : std::string("...")));
      if (std::find(rule.except.begin(), rule.except.end(), y) != rule.except.end())
        fail_at(year, "'except' lists " + std::to_string(y) + " twice");
      rule.except.push_back(y);
    }
  }
  return rule;
}

// "[calendar]" + "hours" -> "[calendar.hours]".
std::string subtable(const std::string& label, const char* key) {
  if (!label.empty() && label.back() == ']') return label.substr(0, label.size() - 1) + "." + key + "]";
  return label + "." + key;
}

// --- one file -----------------------------------------------------------------------------

layer read_layer(const toml::table& table, const std::string& file, const std::string& label,
                 const std::string& default_name, std::vector<std::string>& chain);

layer read_extended(const toml::node& node, const std::string& file,
                    std::vector<std::string>& chain) {
  const std::string& relative = require_string(node, "'extends'");
  const std::string path = resolve_relative(file, relative);
  std::error_code ignored;
  const std::string identity = fs::weakly_canonical(path, ignored).string();
  if (std::find(chain.begin(), chain.end(), identity) != chain.end()) {
    std::string cycle;
    for (const std::string& c : chain) cycle += c + " -> ";
    fail_at(node, "'extends' makes a cycle: " + cycle + identity);
  }
  if (chain.size() > max_extends_depth)  // the file and the calendars it extends so far
    fail_at(node, "'extends' may go at most " + std::to_string(max_extends_depth) +
                      " calendars deep, and \"" + path + "\" would be one deeper");
  toml::table parent_file;
  try {
    parent_file = parse_toml_file(path);
  } catch (const error& e) {
    if (e.where().line == 0) fail_at(node, "cannot read the calendar it extends, \"" + path + "\"");
    throw;
  }
  check_keys(parent_file, {"calendar"}, "a calendar file (expected a [calendar] table)");
  const toml::node* parent_table = parent_file.get("calendar");
  if (!parent_table) fail_at(node, "\"" + path + "\" has no [calendar] table");
  chain.push_back(identity);
  layer parent = read_layer(require_table(*parent_table, "[calendar]"), path, "[calendar]",
                            fs::path(path).stem().string(), chain);
  chain.pop_back();
  return parent;
}

layer read_layer(const toml::table& table, const std::string& file, const std::string& label,
                 const std::string& default_name, std::vector<std::string>& chain) {
  check_keys(table,
             {"name", "timezone", "holidays", "holiday_rules", "holiday_files", "valid", "extends",
              "hours", "exceptions"},
             label);
  layer out;
  if (const toml::node* extends = table.get("extends")) {
    out = read_extended(*extends, file, chain);
    // Only this file's nodes locate problems; the parent's nodes die with its document.
    out.extends_node = extends;
    for (auto& [date, entry] : out.dates) entry.node = nullptr;
    for (auto& n : out.hours_node) n = nullptr;
  }
  calendar_definition& def = out.definition;
  def.name = default_name;
  if (const toml::node* name = table.get("name")) def.name = require_string(*name, "'name'");
  if (const toml::node* zone = table.get("timezone")) {
    def.timezone = require_string(*zone, "'timezone'");
    try {
      (void)time_zone::locate(def.timezone);
    } catch (const error& e) {
      fail_at(*zone, e.message());
    }
  } else if (def.timezone.empty()) {
    fail_at(table, "missing 'timezone' in " + label +
                       ": expected an IANA zone name such as \"Europe/London\"");
  }
  if (const toml::node* valid = table.get("valid")) {
    const toml::array& range = require_array(*valid, "'valid'");
    if (range.size() != 2)
      fail_at(*valid, "'valid' must be [\"FIRST-DATE\", \"LAST-DATE\"], e.g. [\"2025-01-01\", "
                      "\"2027-12-31\"]");
    def.valid_from = parse_date(*range.get(0), "'valid'");
    def.valid_until = parse_date(*range.get(1), "'valid'");
    if (*def.valid_until < *def.valid_from)
      fail_at(*range.get(1), "'valid' ends (" + def.valid_until->to_string() + ") before it begins (" +
                                 def.valid_from->to_string() + ")");
  }
  if (const toml::node* hours = table.get("hours")) {
    const toml::table& week = require_table(*hours, "'hours'");
    check_keys(week, {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, subtable(label, "hours"));
    for (int w = 0; w < 7; ++w) {
      const toml::node* day = week.get(weekday_keys[w]);
      def.week[static_cast<std::size_t>(w)] =
          day ? parse_hours(*day, std::string("'") + weekday_keys[w] + "'")
              : std::vector<local_interval>{};
      out.hours_node[w] = day ? day : hours;
    }
  }

  // This file's dates: holidays and holiday files, then exceptions (which beat holidays).
  std::map<civil_date, date_entry> mine;
  if (const toml::node* holidays = table.get("holidays")) {
    for (const toml::node& item : require_array(*holidays, "'holidays'")) {
      civil_date date;
      std::string name;
      if (const toml::table* named = item.as_table()) {
        check_keys(*named, {"date", "name"}, "a holiday of " + label + " ({ date = ..., name = ... })");
        const toml::node* date_node = named->get("date");
        if (!date_node) fail_at(item, "a holiday written as a table needs a 'date'");
        date = parse_date(*date_node, "'date'");
        if (const toml::node* name_node = named->get("name")) {
          name = require_string(*name_node, "'name'");
          if (name.empty()) fail_at(*name_node, "a holiday's 'name' cannot be empty");
        }
      } else {
        date = parse_date(item, "each holiday (\"YYYY-MM-DD\" or { date = \"YYYY-MM-DD\", name = \"...\" })");
      }
      date_entry& entry = mine[date];
      entry.holiday = true;
      entry.name = name;
      entry.node = &item;
    }
  }
  if (const toml::node* rules = table.get("holiday_rules")) {
    const std::string rule_label = "[" + subtable(label, "holiday_rules") + "]";
    std::vector<holiday_rule> own;
    for (const toml::node& item : require_array(*rules, "'holiday_rules' (write [[calendar.holiday_rules]])"))
      own.push_back(parse_rule(item, rule_label));
    // A rule named like one of the parent's replaces all the parent's rules of that name.
    auto& inherited = def.holiday_rules;
    inherited.erase(std::remove_if(inherited.begin(), inherited.end(),
                                   [&](const holiday_rule& r) {
                                     return std::any_of(own.begin(), own.end(), [&](const holiday_rule& o) {
                                       return o.name == r.name;
                                     });
                                   }),
                    inherited.end());
    for (holiday_rule& r : own) inherited.push_back(std::move(r));
  }
  if (const toml::node* files = table.get("holiday_files")) {
    const int last = def.valid_until ? def.valid_until->year : 9999;
    for (const toml::node& item : require_array(*files, "'holiday_files'")) {
      const std::string path = resolve_relative(file, require_string(item, "each holiday file"));
      read_holiday_file(path, item, last, mine);
    }
  }
  if (const toml::node* exceptions = table.get("exceptions")) {
    std::map<civil_date, const toml::node*> seen;
    for (const toml::node& item : require_array(*exceptions, "'exceptions'")) {
      const toml::table& exception =
          require_table(item, "each exception (write [[calendar.exceptions]])");
      check_keys(exception, {"date", "hours"}, "[" + subtable(label, "exceptions") + "]");
      const toml::node* date_node = exception.get("date");
      if (!date_node) fail_at(item, "an exception needs a 'date'");
      const civil_date date = parse_date(*date_node, "'date'");
      if (seen.count(date))
        fail_at(*date_node, "two exceptions for " + date.to_string() + " in one file");
      seen[date] = date_node;
      const toml::node* hours = exception.get("hours");
      if (!hours) fail_at(item, "an exception needs 'hours' ([] closes the date)");
      date_entry& entry = mine[date];
      entry.holiday = false;
      entry.hours = parse_hours(*hours, "the exception's 'hours'");
      entry.node = &item;
    }
  }
  for (auto& [date, entry] : mine) {
    date_entry& merged = out.dates[date];
    // A holiday listed again without a name is the same day: the parent's name stays.
    if (entry.holiday && entry.name.empty() && merged.holiday) entry.name = std::move(merged.name);
    merged = std::move(entry);
  }

  def.holidays.clear();
  def.holiday_names.clear();
  def.exceptions.clear();
  for (const auto& [date, entry] : out.dates) {
    if (entry.holiday) {
      def.holidays.push_back(date);
      if (!entry.name.empty()) def.holiday_names[date] = entry.name;
    } else
      def.exceptions[date] = entry.hours;
  }
  return out;
}

const toml::node& locate_problem(const layer& l, const calendar_problem& p,
                                 const toml::table& table) {
  if (p.weekday >= 0 && l.hours_node[p.weekday]) {
    const toml::node* day = l.hours_node[p.weekday];
    if (p.interval >= 0)
      if (const auto* list = day->as_array())
        if (const toml::node* item = list->get(static_cast<std::size_t>(p.interval))) return *item;
    return *day;
  }
  if (p.date) {
    auto found = l.dates.find(*p.date);
    if (found != l.dates.end() && found->second.node) return *found->second.node;
  }
  if (l.extends_node) return *l.extends_node;
  return table;
}

}  // namespace

std::string resolve_relative(const std::string& file, const std::string& relative) {
  const fs::path p(relative);
  if (p.is_absolute()) return p.string();
  return (fs::path(directory_of(file)) / p).lexically_normal().string();
}

std::string relative_to(const std::string& file, const std::string& path) {
  const fs::path relative =
      fs::path(path).lexically_normal().lexically_relative(fs::path(directory_of(file)).lexically_normal());
  return relative.empty() ? path : relative.string();
}

business_calendar calendar_from_table(const toml::table& table, const std::string& file,
                                      const std::string& default_name,
                                      const std::string& table_label) {
  std::vector<std::string> chain;
  std::error_code ignored;
  chain.push_back(fs::weakly_canonical(file, ignored).string());
  layer l = read_layer(table, file, table_label, default_name, chain);
  if (auto problem = check_hours(l.definition)) {
    std::string prefix;
    if (problem->date) prefix = problem->date->to_string() + ": ";
    fail_at(locate_problem(l, *problem, table), prefix + problem->message);
  }
  try {
    return business_calendar::build(std::move(l.definition));
  } catch (const error& e) {
    fail_at(table, e.message());
  }
}

}  // namespace detail

business_calendar parse_calendar(std::string_view toml_text, const std::string& file_name) {
  const toml::table document = detail::parse_toml(toml_text, file_name);
  detail::check_keys(document, {"calendar"}, "a calendar file (expected a [calendar] table)");
  const toml::node* table = document.get("calendar");
  if (!table)
    throw error("a calendar file needs a [calendar] table", source_location{file_name, 1, 1});
  return detail::calendar_from_table(detail::require_table(*table, "[calendar]"), file_name,
                                     std::filesystem::path(file_name).stem().string(), "[calendar]");
}

business_calendar load_calendar(const std::string& path) {
  const toml::table document = detail::parse_toml_file(path);
  detail::check_keys(document, {"calendar"}, "a calendar file (expected a [calendar] table)");
  const toml::node* table = document.get("calendar");
  if (!table) throw error("a calendar file needs a [calendar] table", source_location{path, 1, 1});
  return detail::calendar_from_table(detail::require_table(*table, "[calendar]"), path,
                                     std::filesystem::path(path).stem().string(), "[calendar]");
}

}  // namespace redress
