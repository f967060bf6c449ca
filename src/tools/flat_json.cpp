#include "tools/flat_json.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace redress::tools {

namespace {

// nlohmann's events for one line, kept flat: a key at the top level starts a field, the value
// after it gives the field its type (and its text or flag); deeper keys and values are skipped.
class flat_sax final : public nlohmann::json_sax<nlohmann::json> {
public:
  explicit flat_sax(flat_line& out) : out_(out) {}

  bool null() override { return scalar(flat_value::kind::null); }
  bool boolean(bool v) override {
    if (depth_ == 1 && !out_.fields.empty()) out_.fields.back().second.flag = v;
    return scalar(flat_value::kind::boolean);
  }
  bool number_integer(number_integer_t) override { return scalar(flat_value::kind::number); }
  bool number_unsigned(number_unsigned_t) override { return scalar(flat_value::kind::number); }
  bool number_float(number_float_t, const string_t&) override { return scalar(flat_value::kind::number); }
  bool string(string_t& v) override {
    if (depth_ == 1 && !out_.fields.empty()) out_.fields.back().second.text = std::move(v);
    return scalar(flat_value::kind::string);
  }
  bool binary(binary_t&) override { return scalar(flat_value::kind::null); }  // never in JSON text
  bool start_object(std::size_t) override { return open(flat_value::kind::object); }
  bool key(string_t& k) override {
    if (depth_ == 1) out_.fields.emplace_back(std::move(k), flat_value{});
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(flat_value::kind::array); }
  bool end_array() override { return close(); }
  [[noreturn]] bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    if (const auto* syntax = dynamic_cast<const nlohmann::json::parse_error*>(&e)) throw *syntax;
    if (const auto* range = dynamic_cast<const nlohmann::json::out_of_range*>(&e)) throw *range;
    throw nlohmann::json::other_error::create(501, e.what(), nullptr);
  }

private:
  bool scalar(flat_value::kind t) {
    if (depth_ == 1 && !out_.fields.empty()) out_.fields.back().second.type = t;
    return true;
  }
  bool open(flat_value::kind t) {
    if (depth_ == 0) out_.object = t == flat_value::kind::object;
    else if (depth_ == 1 && !out_.fields.empty()) out_.fields.back().second.type = t;
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }
  flat_line& out_;
  int depth_ = 0;
};

bool json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

void flat_line::read_with_parser(std::string_view line) {
  object = repeated_key = false;
  fields.clear();
  flat_sax events(*this);
  nlohmann::json::sax_parse(line.begin(), line.end(), &events);
  finish();
}

void flat_line::read(std::string_view line) {
  object = repeated_key = false;
  if (read_common(line)) finish();
  else read_with_parser(line);
}

// The form nearly every line of a history has, read without the parser's per-character token
// buffer: {"key": "text", "key": true, ...}. Anything else (an escape, a byte outside printable
// ASCII, a number, a nested value, bad syntax) returns false, and the parser reads the line.
bool flat_line::read_common(std::string_view line) {
  fields.clear();
  std::size_t i = 0;
  const std::size_t n = line.size();
  const auto skip_space = [&] {
    while (i < n && json_space(line[i])) ++i;
  };
  const auto plain_string = [&](std::string& out) {
    if (i >= n || line[i] != '"') return false;
    const std::size_t start = ++i;
    for (; i < n && line[i] != '"'; ++i) {
      const auto b = static_cast<unsigned char>(line[i]);
      if (b < 0x20 || b >= 0x7f || b == '\\') return false;
    }
    if (i >= n) return false;
    out.assign(line.data() + start, i - start);
    ++i;
    return true;
  };
  const auto literal = [&](std::string_view word) {
    if (line.compare(i, word.size(), word) != 0) return false;
    i += word.size();
    return true;
  };
  skip_space();
  if (i >= n || line[i] != '{') return false;
  ++i;
  skip_space();
  if (i < n && line[i] == '}') ++i;
  else
    for (;;) {
      auto& [key, value] = fields.emplace_back();
      if (!plain_string(key)) return false;
      skip_space();
      if (i >= n || line[i] != ':') return false;
      ++i;
      skip_space();
      if (i < n && line[i] == '"') {
        if (!plain_string(value.text)) return false;
        value.type = flat_value::kind::string;
      } else if (literal("true")) {
        value.type = flat_value::kind::boolean;
        value.flag = true;
      } else if (literal("false")) {
        value.type = flat_value::kind::boolean;
      } else if (!literal("null")) {
        return false;
      }
      skip_space();
      if (i >= n) return false;
      if (line[i] == '}') {
        ++i;
        break;
      }
      if (line[i] != ',') return false;
      ++i;
      skip_space();
    }
  skip_space();
  if (i != n) return false;
  object = true;
  return true;
}

void flat_line::finish() {
  std::sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < fields.size(); ++i)
    if (fields[i].first == fields[i - 1].first) repeated_key = true;
}

}  // namespace redress::tools
