// JSON text as the wire layer's values print with dump(2), written piece by piece into a string
// instead of built as a value first: for outputs too large for that (`redress simulate --json`
// writes 2 GB for 1,000,000 events, and building each clock's value was most of its time).
// Internal: never included by a public header.
#ifndef REDRESS_SRC_WIRE_PRETTY_TEXT_HPP
#define REDRESS_SRC_WIRE_PRETTY_TEXT_HPP

#include <string>
#include <string_view>

#include "wire/json.hpp"

namespace redress::wire {

/// Appends to `out` what json::dump(2) prints, in pieces: the caller says where each field or
/// element goes by its indent (the number of spaces before it), as dump(2) places it at that
/// depth. Strings are written as the serializer writes them (its escapes, and its refusal of text
/// that is not UTF-8: Throws json::type_error 316), numbers as it writes them.
class pretty_text {
public:
  explicit pretty_text(std::string& out)
      : out_(out), serializer_(nlohmann::detail::output_adapter<char, std::string>(out), ' ') {}

  std::string& out() { return out_; }
  void indent(int n) { out_.append(static_cast<std::size_t>(n), ' '); }

  /// A key (plain ASCII: nothing to escape) at the indent `at`, after the previous field's comma
  /// unless `first`; `suffix` is appended to the key ("consumed" "_seconds").
  void field(int at, std::string_view key, bool first = false, std::string_view suffix = {}) {
    if (!first) out_ += ",\n";
    indent(at);
    out_ += '"';
    out_ += key;
    out_ += suffix;
    out_ += "\": ";
  }
  /// A key that may need escapes (a role's id in a ledger).
  void text_field(int at, std::string_view key, bool first = false) {
    if (!first) out_ += ",\n";
    indent(at);
    text(key);
    out_ += ": ";
  }

  /// A string. Printable ASCII without a quote or a backslash needs no escape and is copied;
  /// anything else goes through nlohmann's serializer.
  void text(std::string_view v);
  /// An instant as format_rfc3339(t, zone) writes it, quoted (plain ASCII: nothing to escape),
  /// without a string of its own.
  void time(instant t, const time_zone& zone);
  void number(long long n) { out_ += std::to_string(n); }
  void real(double v) { serializer_.dump(json(v), true, false, 2, 0); }
  void boolean(bool b) { out_ += b ? "true" : "false"; }
  void null() { out_ += "null"; }
  /// A value the wire layer built, its lines indented as at the depth whose indent is `at`.
  void value(const json& j, int at) { serializer_.dump(j, true, false, 2, static_cast<unsigned>(at)); }

  /// An array, its elements at the indent `at` (each written by `element`), its bracket two less.
  template <typename List, typename Element>
  void list(const List& items, int at, Element element) {
    if (items.empty()) {
      out_ += "[]";
      return;
    }
    out_ += "[\n";
    bool first = true;
    for (const auto& item : items) {
      if (!first) out_ += ",\n";
      first = false;
      indent(at);
      element(item);
    }
    out_ += '\n';
    indent(at - 2);
    out_ += ']';
  }

private:
  std::string& out_;
  nlohmann::detail::serializer<json> serializer_;
};

/// A clock and a pause as value_of() gives them, printed: the object begins where the caller
/// stands, its fields at the indent `at`, its closing brace two less.
void write(pretty_text& w, const clock_report& clock, const time_zone& zone, int at);
void write(pretty_text& w, const pause_record& pause, const time_zone& zone, int at);

}  // namespace redress::wire

#endif
