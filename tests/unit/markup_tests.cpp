// xml_escape (src/tools/markup.hpp), the escaping of JUnit reports, SVG timelines and HTML
// reports: the five markup characters and the control characters XML 1.0 cannot carry.
#include <catch2/catch.hpp>

#include <string>

#include "tools/markup.hpp"

using redress::tools::xml_escape;

TEST_CASE("xml_escape: markup characters become references") {
  CHECK(xml_escape("a < b & \"c\" > d") == "a &lt; b &amp; &quot;c&quot; &gt; d");
  CHECK(xml_escape("it's fine") == "it's fine");
}

TEST_CASE("xml_escape: tab, newline and return stay; other control characters become U+FFFD") {
  CHECK(xml_escape("a\tb\nc\rd") == "a\tb\nc\rd");
  // A test named "late\x1b[31m" (an ANSI colour) or holding NUL: XML 1.0 cannot carry either,
  // not even as &#x1b;, and a JUnit reader refuses the whole report.
  CHECK(xml_escape(std::string("late\x1b[31m", 9)) == "late\xEF\xBF\xBD[31m");
  CHECK(xml_escape(std::string("a\0b\x01\x1f", 5)) == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD");
  // Text that is not a control character, ASCII or not, is copied: DEL and "é".
  CHECK(xml_escape("\x7f\xC3\xA9") == "\x7f\xC3\xA9");
}
