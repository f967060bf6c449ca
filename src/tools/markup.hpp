// Escaping text for XML and HTML (JUnit reports, SVG timelines).
#ifndef REDRESS_SRC_TOOLS_MARKUP_HPP
#define REDRESS_SRC_TOOLS_MARKUP_HPP

#include <string>

namespace redress::tools {

inline std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace redress::tools

#endif
