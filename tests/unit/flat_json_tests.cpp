// A JSON Lines line read flat (src/tools/flat_json.hpp): the common form read directly gives
// what nlohmann's parser gives, and every other line is the parser's, its errors included.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "tools/flat_json.hpp"

using redress::tools::flat_line;
using redress::tools::flat_value;

namespace {

// "key=kind:text" per field, in the order read() leaves them (sorted by key).
std::vector<std::string> fields_of(const flat_line& j) {
  std::vector<std::string> out;
  for (const auto& [key, value] : j.fields) {
    std::string kind;
    switch (value.type) {
      case flat_value::kind::null: kind = "null"; break;
      case flat_value::kind::boolean: kind = value.flag ? "true" : "false"; break;
      case flat_value::kind::number: kind = "number"; break;
      case flat_value::kind::string: kind = "string:" + value.text; break;
      case flat_value::kind::object: kind = "object"; break;
      case flat_value::kind::array: kind = "array"; break;
    }
    out.push_back(key + "=" + kind);
  }
  return out;
}

std::vector<std::string> read(const std::string& line, bool parser = false) {
  flat_line j;
  if (parser) j.read_with_parser(line);
  else j.read(line);
  std::vector<std::string> out = fields_of(j);
  out.push_back(std::string(j.object ? "object" : "not an object") + (j.repeated_key ? ", repeated key" : ""));
  return out;
}

std::string error_of(const std::string& line, bool parser = false) {
  try {
    (void)read(line, parser);
  } catch (const nlohmann::json::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("a history's common line is read as the parser reads it", "[flat_json]") {
  const std::string opening =
      R"({"complaint": "C-7", "received": "2026-01-05T09:07:00Z", "kind": "staff", "channel": "phone"})";
  const std::vector<std::string> expected = {"channel=string:phone", "complaint=string:C-7", "kind=string:staff",
                                             "received=string:2026-01-05T09:07:00Z", "object"};
  CHECK(read(opening) == expected);
  CHECK(read(opening, true) == expected);

  // Booleans, null, an empty string and key, no spaces, spaces and a CR of a CRLF file.
  const std::string flags = "{\"justified\":true,\"satisfied\" : false , \"x\":null,\"\":\"\"}\r";
  const std::vector<std::string> flag_fields = {"=string:", "justified=true", "satisfied=false", "x=null", "object"};
  CHECK(read(flags) == flag_fields);
  CHECK(read(flags, true) == flag_fields);

  CHECK(read("{}") == std::vector<std::string>{"object"});
  CHECK(read(" {\"a\": \"1\", \"a\": \"2\"} ") ==
        std::vector<std::string>{"a=string:1", "a=string:2", "object, repeated key"});
}

TEST_CASE("any other line is the parser's, values and errors", "[flat_json]") {
  // An escape, a byte beyond ASCII, a number, nested values: read by nlohmann.
  CHECK(read(R"({"reason": "said \"no\"", "n": 5, "o": {"k": "v"}, "l": [1]})") ==
        std::vector<std::string>{"l=array", "n=number", "o=object", "reason=string:said \"no\"", "object"});
  CHECK(read("{\"customer_name\": \"Zo\xC3\xAB\"}") == std::vector<std::string>{"customer_name=string:Zo\xC3\xAB", "object"});
  CHECK(read(R"(["a"])") == std::vector<std::string>{"not an object"});
  CHECK(read(R"("a")") == std::vector<std::string>{"not an object"});

  // Errors word for word as the parser words them.
  for (const std::string line : {R"({"a": "b")", R"({"a": "b"} x)", R"({"a": tru})", R"({"a" "b"})", R"({"a": "b",})",
                                 "{\"a\": \"\x01\"}", "{\"a\": \"\xFF\"}", R"({"a": 6e555})", ""}) {
    INFO(line);
    const std::string parser = error_of(line, true);
    CHECK(parser != "(no error)");
    CHECK(error_of(line) == parser);
  }
  CHECK(error_of(R"({"a": "b")") ==
        "[json.exception.parse_error.101] parse error at line 1, column 10: syntax error while parsing object - "
        "unexpected end of input; expected '}'");
}
