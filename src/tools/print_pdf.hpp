// Printing a page to PDF through headless chromium (Debian package `chromium`): the browser
// that the tests render the pages in is the one that prints them, so what is checked is what
// is filed.
#ifndef REDRESS_SRC_TOOLS_PRINT_PDF_HPP
#define REDRESS_SRC_TOOLS_PRINT_PDF_HPP

#include <string>

namespace redress::tools {

/// Returns: the chromium to print with: $REDRESS_CHROMIUM when set, else `chromium` on PATH,
/// else /usr/bin/chromium.
/// Throws: redress::error naming the package `chromium` when none is executable.
std::string find_chromium();

/// Returns: the PDF that chromium prints from the standalone HTML page `html` (no external
/// resources), with the page's own @page size and no browser header or footer. The caller
/// writes it (the CLI through its checked writer, so that a failed write is reported).
/// Throws: redress::error when chromium is missing, fails or does not finish in time.
std::string print_to_pdf(const std::string& html);

}  // namespace redress::tools

#endif
