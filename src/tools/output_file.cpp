#include "tools/output_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "redress/error.hpp"

namespace redress::tools {

namespace {

[[noreturn]] void fail(const std::string& what, int error_number) {
  throw error("cannot write " + what + ": " + std::strerror(error_number ? error_number : EIO));
}

}  // namespace

void write_file(const std::string& path, std::string_view content) {
  const std::string what = "\"" + path + "\"";
  errno = 0;
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) fail(what, errno);
  const std::size_t written = std::fwrite(content.data(), 1, content.size(), file);
  const int write_error = written == content.size() ? 0 : (errno ? errno : EIO);
  errno = 0;
  const bool flushed = std::fflush(file) == 0;
  const int flush_error = errno;
  errno = 0;
  const bool closed = std::fclose(file) == 0;
  const int close_error = errno;
  if (write_error) fail(what, write_error);
  if (!flushed) fail(what, flush_error);
  if (!closed) fail(what, close_error);
}

}  // namespace redress::tools
