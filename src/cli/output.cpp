#include "output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <streambuf>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.hpp"
#include "redress/error.hpp"

namespace redress::cli {

namespace {

[[noreturn]] void fail(const std::string& what, int error_number) {
  throw error("cannot write " + what + ": " + std::strerror(error_number ? error_number : EIO));
}

// A stream buffer on a file descriptor that remembers why its first write failed; after that it
// drops what it is given (the command runs to its end, and then reports the failure).
class checked_buffer : public std::streambuf {
public:
  explicit checked_buffer(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
  int error_number() const noexcept { return error_; }

protected:
  int_type overflow(int_type ch) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return drain() ? 0 : -1; }

private:
  bool drain() {
    const char* at = pbase();
    std::size_t left = static_cast<std::size_t>(pptr() - pbase());
    while (left > 0 && !error_) {
      const ssize_t n = ::write(fd_, at, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        break;
      }
      at += n;
      left -= static_cast<std::size_t>(n);
    }
    setp(buffer_, buffer_ + sizeof buffer_);
    return !error_;
  }

  int fd_;
  int error_ = 0;
  char buffer_[1 << 16];
};

checked_buffer* standard_output = nullptr;
bool failure_reported = false;

int standard_output_error() {
  const int error_number = standard_output ? standard_output->error_number() : 0;
  return !error_number && std::cout.fail() ? EIO : error_number;
}

}  // namespace

void capture_standard_output() {
  // First, so that a later sync_with_stdio(false) (`due --batch`) changes nothing: it would
  // give std::cout a new buffer of its own.
  std::ios::sync_with_stdio(false);
  // Never destroyed: std::ios_base::Init's destructor flushes std::cout after every static of
  // ours is gone, and a destroyed buffer there is a use after free (ASan found it).
  static checked_buffer* const buffer = new checked_buffer(STDOUT_FILENO);
  standard_output = buffer;
  std::cout.rdbuf(buffer);
  if (isatty(STDOUT_FILENO)) std::cout << std::unitbuf;  // a person watching sees each line at once
}

void replace_file(const std::string& path, std::string_view content) {
  const std::string what = "\"" + path + "\"";
  std::error_code ec;
  const std::filesystem::path target = std::filesystem::canonical(path, ec);
  if (ec) fail(what, ec.value());
  struct stat original {};
  if (::stat(target.c_str(), &original) != 0) fail(what, errno);
  std::string temporary = (target.parent_path() / ("." + target.filename().string() + ".redress-XXXXXX")).string();
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) fail(what, errno);
  int error_number = 0;
  if (::fchmod(fd, original.st_mode & 07777) != 0) error_number = errno;
  for (std::size_t at = 0; !error_number && at < content.size();) {
    const ssize_t n = ::write(fd, content.data() + at, content.size() - at);
    if (n < 0) {
      if (errno != EINTR) error_number = errno;
      continue;
    }
    at += static_cast<std::size_t>(n);
  }
  if (!error_number && ::fsync(fd) != 0) error_number = errno;
  if (::close(fd) != 0 && !error_number) error_number = errno;
  if (!error_number && ::rename(temporary.c_str(), target.c_str()) != 0) error_number = errno;
  if (error_number) {
    ::unlink(temporary.c_str());
    fail(what, error_number);
  }
}

int stop_at_failed_write(const std::string& what) {
  const int error_number = standard_output_error();
  failure_reported = true;
  if (error_number == EPIPE) return exit_ok;
  std::cerr << "redress: cannot write " << what << " to standard output: " << std::strerror(error_number) << '\n';
  return exit_bad_input;
}

int finish_standard_output(int status) {
  std::cout.flush();
  int error_number = standard_output_error();
  // Anything written through C stdio (none of the commands does), then the descriptor itself:
  // a file system may report a failed write only when the file is closed.
  errno = 0;
  if (std::fflush(stdout) != 0 && !error_number) error_number = errno ? errno : EIO;
  errno = 0;
  if (::close(STDOUT_FILENO) != 0 && !error_number && errno != EBADF) error_number = errno;
  // EPIPE: the reader has what it wanted; a failure a command reported has been said.
  if (!error_number || error_number == EPIPE || failure_reported) return status;
  std::cerr << "redress: cannot write standard output: " << std::strerror(error_number) << '\n';
  return exit_bad_input;
}

}  // namespace redress::cli
