// Escaping text for XML and HTML (JUnit reports, SVG timelines).
#ifndef REDRESS_SRC_TOOLS_MARKUP_HPP
#define REDRESS_SRC_TOOLS_MARKUP_HPP

#include <string>

namespace redress::tools {

/// `text` as XML (and HTML) character data or an attribute value: & < > " as references, the
/// control characters XML 1.0 cannot carry (all below U+0020 but tab, newline and return) as U+FFFD.
inline std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\t':
      case '\n':
      case '\r': out += c; break;
      default:
        // XML 1.0 has no way to write the other control characters, not even as &#x1;: each
        // becomes U+FFFD, the replacement character, so the document stays well-formed.
        if (static_cast<unsigned char>(c) < 0x20) out += "\xEF\xBF\xBD";
        else out += c;
    }
  }
  return out;
}

}  // namespace redress::tools

#endif
