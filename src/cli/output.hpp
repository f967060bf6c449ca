// Every output of every command goes through here, so that a write that fails (a full disk, a
// missing directory, a closed descriptor) is exit 2 naming the file (or "standard output") and
// the system's reason, never exit 0 with the output lost.
#ifndef REDRESS_CLI_OUTPUT_HPP
#define REDRESS_CLI_OUTPUT_HPP

#include <string>
#include <string_view>

#include "tools/output_file.hpp"

namespace redress::cli {

/// Writes `content` to the file at `path` (created or truncated), flushed and closed.
/// Throws: redress::error "cannot write \"PATH\": REASON" (REASON from strerror). The writer is
/// in src/tools, where the PDF printer writes its scratch page through it too.
using tools::write_file;

/// Replaces the file at `path` (which exists; a symbolic link is followed) with `content`
/// atomically: written to a temporary file beside it with the same permissions, flushed to
/// disk, then renamed over it. On failure the file is as it was and no temporary is left.
/// Throws: redress::error "cannot write \"PATH\": REASON".
void replace_file(const std::string& path, std::string_view content);

/// Makes std::cout write to file descriptor 1 through a buffer that keeps the system's reason
/// for the first write that fails (C stdio forgets it). Call first thing in main().
void capture_standard_output();

/// For a command that stops at the first write to standard output that fails (serve, which
/// answers line by line): prints "redress: cannot write WHAT to standard output: REASON" and
/// returns exit_bad_input, and finish_standard_output then says nothing more. A reader that
/// closed the pipe (EPIPE) is not reported: the command stops quietly with exit_ok.
int stop_at_failed_write(const std::string& what);

/// Flushes and closes standard output at the end of a command. Returns: `status`, or
/// exit_bad_input after printing "redress: cannot write standard output: REASON" when anything
/// written to it was lost. A reader that closed the pipe early (`| head`) is not an error: by
/// default SIGPIPE ends the program quietly, as it ends `cat`; where SIGPIPE is ignored, EPIPE
/// is treated the same way (no message, the status unchanged).
int finish_standard_output(int status);

}  // namespace redress::cli

#endif
