// The one checked writer of a whole file: what every output file of the command-line tool
// (`--svg`, `--html`, `--pdf`, `--junit`, report pages) and the PDF printer's scratch page go
// through, so that a write that fails is an error naming the file and the system's reason.
#ifndef REDRESS_SRC_TOOLS_OUTPUT_FILE_HPP
#define REDRESS_SRC_TOOLS_OUTPUT_FILE_HPP

#include <string>
#include <string_view>

namespace redress::tools {

/// Writes `content` to the file at `path` (created or truncated), flushed and closed.
/// Throws: redress::error "cannot write \"PATH\": REASON" (REASON from strerror).
void write_file(const std::string& path, std::string_view content);

}  // namespace redress::tools

#endif
