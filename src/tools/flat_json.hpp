// One line of JSON Lines read flat: its top-level keys and values, without building a JSON
// document (a history may have millions of lines). Internal to the command-line tool's library.
#ifndef REDRESS_SRC_TOOLS_FLAT_JSON_HPP
#define REDRESS_SRC_TOOLS_FLAT_JSON_HPP

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redress::tools {

/// A top-level value of the line. Values nested in an object or array are skipped; such a value
/// is known only by its type (every key of a line takes a string, or for two a boolean).
struct flat_value {
  enum class kind { null, boolean, number, string, object, array };
  kind type = kind::null;
  std::string text;   // a string's value
  bool flag = false;  // a boolean's value
  bool is_string() const { return type == kind::string; }
  bool is_boolean() const { return type == kind::boolean; }
};

class flat_line {
public:
  /// After read(): whether the line is one object, its fields sorted by key (the order a JSON
  /// document iterates them), and whether a key came twice.
  bool object = false, repeated_key = false;
  std::vector<std::pair<std::string, flat_value>> fields;

  /// Effects: reads `line` as one JSON text. A line of the common form (one object whose keys
  /// and strings are printable ASCII without escapes, and whose values are such strings, true,
  /// false or null) is read directly; any other goes to nlohmann's parser (read_with_parser),
  /// whose result and errors it is. Throws: nlohmann::json::parse_error for bad syntax,
  /// another nlohmann::json::exception for valid syntax it cannot hold ("6e555").
  void read(std::string_view line);
  /// Effects: the same through nlohmann's parser for every line (the fuzzers compare the two).
  void read_with_parser(std::string_view line);

  const flat_value* find(std::string_view key) const {
    for (const auto& [k, v] : fields)
      if (k == key) return &v;
    return nullptr;
  }
  bool contains(std::string_view key) const { return find(key) != nullptr; }

private:
  bool read_common(std::string_view line);  // false: not the common form (fields left unspecified)
  void finish();                            // sorts the fields and notes a repeated key
};

}  // namespace redress::tools

#endif
