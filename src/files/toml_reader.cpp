#include "files/toml_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

namespace redress::detail {

namespace {

source_location from_region(const toml::source_region& region) {
  source_location where;
  if (region.path) where.file = *region.path;
  where.line = static_cast<int>(region.begin.line);
  where.column = static_cast<int>(region.begin.column);
  return where;
}

}  // namespace

// Levenshtein distance with a swap of neighbours as one edit ("reigon" is one from "region").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    before.swap(previous);
    previous.swap(row);
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], before[j - 2] + 1);
    }
  }
  return row[b.size()];
}

namespace {

template <typename Range>
std::string closest_in(std::string_view word, const Range& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    std::size_t d = edit_distance(word, candidate);
    const std::string_view c(candidate);
    // "monday" for "mon", "time" for "timezone": a prefix is a near miss too.
    if (std::min(word.size(), c.size()) >= 3 &&
        (word.substr(0, c.size()) == c || c.substr(0, word.size()) == word))
      d = std::min<std::size_t>(d, 1);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(candidate);
    }
  }
  return best;
}

// A string or key with a control character (TOML lets "\u001b" write one) would act on the
// terminal wherever a name or text is shown, in tables and reports as in messages. Tables are
// walked in key order, so the first in the file is kept in `first`.
void find_controls(const toml::node& node, std::optional<error>& first) {
  const auto check = [&first](std::string_view text, const char* what, const source_location& where) {
    const std::size_t at = find_control(text);
    if (at == std::string_view::npos) return;
    if (first && std::pair(first->where().line, first->where().column) <= std::pair(where.line, where.column)) return;
    first.emplace(std::string(what) + " holds a control character (" + escape_controls(std::string(1, text[at])) +
                      "), which a terminal would act on; write names and text without control characters",
                  where);
  };
  if (const auto* s = node.as_string()) {
    check(s->get(), "this string", location_of(node));
  } else if (const auto* t = node.as_table()) {
    for (const auto& [key, value] : *t) {
      check(key.str(), "this key", location_of(key));
      find_controls(value, first);
    }
  } else if (const auto* a = node.as_array()) {
    for (const toml::node& value : *a) find_controls(value, first);
  }
}

}  // namespace

toml::table parse_toml(std::string_view text, const std::string& file_name) {
  try {
    toml::table table = toml::parse(text, file_name);
    std::optional<error> control;
    find_controls(table, control);
    if (control) throw *control;
    return table;
  } catch (const toml::parse_error& e) {
    source_location where = from_region(e.source());
    if (where.file.empty()) where.file = file_name;
    throw error("invalid TOML: " + std::string(e.description()), where);
  }
}

namespace {
thread_local recorded_reads* innermost = nullptr;
}  // namespace

recorded_reads::recorded_reads(std::vector<source_file>& into, const std::vector<source_file>* from)
    : into_(into), from_(from), outer_(innermost) {
  innermost = this;
}
recorded_reads::~recorded_reads() { innermost = outer_; }
recorded_reads* recorded_reads::active() noexcept { return innermost; }

const std::string* recorded_reads::recorded(const std::string& path) const {
  if (!from_) return nullptr;
  for (const source_file& f : *from_)
    if (f.path == path) return &f.text;
  return nullptr;
}

void recorded_reads::record(const std::string& path, const std::string& text) {
  for (const source_file& f : into_)
    if (f.path == path) return;
  into_.push_back({path, text});
}

namespace {

std::string read_from_disk(const std::string& path, std::string_view noun, const source_location& at) {
  const std::string cannot = "cannot read " + std::string(noun) + " \"" + path + "\": ";
  std::error_code status;
  if (std::filesystem::is_directory(path, status)) throw error(cannot + "it is a directory", at);
  if (std::filesystem::exists(path, status) && !std::filesystem::is_regular_file(path, status))
    throw error(cannot + "not a regular file (a device or a pipe)", at);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(cannot + std::strerror(errno), at);
  // Policies, calendars and holiday lists are written by hand: a file this large is a mistake.
  constexpr std::uintmax_t limit = 16u << 20;
  const std::uintmax_t size = std::filesystem::file_size(path, status);
  if (!status && size > limit)
    throw error(std::string(noun) + " \"" + path + "\" is " + std::to_string(size) +
                    " bytes, over the 16 MiB redress reads",
                at);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw error(cannot + "read error", at);
  return text.str();
}

}  // namespace

std::string read_text_file(const std::string& path, std::string_view noun, const source_location& where) {
  const source_location at = where.file.empty() ? source_location{path, 0, 0} : where;
  recorded_reads* reads = recorded_reads::active();
  if (!reads) return read_from_disk(path, noun, at);
  if (reads->replaying()) {
    const std::string* text = reads->recorded(path);
    if (!text)
      throw error("cannot read " + std::string(noun) + " \"" + path +
                      "\": it is not among the files recorded when the policy was loaded",
                  at);
    reads->record(path, *text);
    return *text;
  }
  std::string text = read_from_disk(path, noun, at);
  reads->record(path, text);
  return text;
}

toml::table parse_toml_file(const std::string& path) { return parse_toml(read_text_file(path, "file"), path); }

source_location location_of(const toml::node& node) { return from_region(node.source()); }
source_location location_of(const toml::key& key) { return from_region(key.source()); }

void fail_at(const toml::node& node, const std::string& message) {
  throw error(message, location_of(node));
}
void fail_at(const toml::key& key, const std::string& message) {
  throw error(message, location_of(key));
}

std::string closest_match(std::string_view word, std::initializer_list<std::string_view> candidates) {
  return closest_in(word, candidates);
}
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  return closest_in(word, candidates);
}

namespace {

template <typename Range>
void check_keys_in(const toml::table& table, const Range& allowed, const std::string& where) {
  for (const auto& [key, value] : table) {
    (void)value;
    if (std::find(std::begin(allowed), std::end(allowed), key.str()) != std::end(allowed)) continue;
    std::string message = "unknown key '" + std::string(key.str()) + "' in " + where;
    const std::string suggestion = closest_in(key.str(), allowed);
    if (!suggestion.empty()) {
      message += "; did you mean '" + suggestion + "'?";
    } else {
      message += "; expected one of:";
      for (std::string_view a : allowed) message += " " + std::string(a);
    }
    fail_at(key, message);
  }
}

}  // namespace

void check_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                const std::string& where) {
  check_keys_in(table, allowed, where);
}
void check_keys(const toml::table& table, const std::vector<std::string_view>& allowed, const std::string& where) {
  check_keys_in(table, allowed, where);
}

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "nothing";
  }
}

const std::string& require_string(const toml::node& node, const std::string& what) {
  if (const auto* s = node.as_string()) return s->get();
  fail_at(node, what + " must be a string, not " + type_name(node));
}

const toml::array& require_array(const toml::node& node, const std::string& what) {
  if (const auto* a = node.as_array()) return *a;
  fail_at(node, what + " must be an array, not " + type_name(node));
}

const toml::table& require_table(const toml::node& node, const std::string& what) {
  if (const auto* t = node.as_table()) return *t;
  fail_at(node, what + " must be a table, not " + type_name(node));
}

bool require_bool(const toml::node& node, const std::string& what) {
  if (const auto* b = node.as_boolean()) return b->get();
  fail_at(node, what + " must be true or false, not " + type_name(node));
}

std::int64_t require_integer(const toml::node& node, const std::string& what) {
  if (const auto* i = node.as_integer()) return i->get();
  fail_at(node, what + " must be a whole number, not " + type_name(node));
}

}  // namespace redress::detail
