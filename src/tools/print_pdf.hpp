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

/// Effects: renders the standalone HTML page `html` (no external resources) to a PDF at
/// `pdf_path`, with the page's own @page size and no browser header or footer.
/// Throws: redress::error when chromium is missing or fails, or when `pdf_path` cannot be
/// written; `pdf_path` is then not a partial PDF from this call.
void print_to_pdf(const std::string& html, const std::string& pdf_path);

}  // namespace redress::tools

#endif
