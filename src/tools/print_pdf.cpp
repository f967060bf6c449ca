#include "tools/print_pdf.hpp"

#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "redress/error.hpp"
#include "tools/output_file.hpp"

extern char** environ;

namespace redress::tools {

namespace {

constexpr const char* missing_hint = "install the Debian package 'chromium' (apt-get install chromium)";

bool executable(const std::string& path) { return !path.empty() && access(path.c_str(), X_OK) == 0; }

// How long the browser may take to print one page: $REDRESS_PDF_TIMEOUT_SECONDS, else 300 s (a
// 24-page retail week takes 15-20 s on a loaded 2-core machine). A browser that hangs must not
// hang the command.
int print_timeout_seconds() {
  const char* text = std::getenv("REDRESS_PDF_TIMEOUT_SECONDS");
  if (text == nullptr || *text == '\0') return 300;
  char* end = nullptr;
  errno = 0;
  const long seconds = std::strtol(text, &end, 10);
  if (errno != 0 || *end != '\0' || seconds < 1 || seconds > 86400)
    throw error(std::string("REDRESS_PDF_TIMEOUT_SECONDS is '") + text + "': expected a whole number of seconds, 1-86400");
  return static_cast<int>(seconds);
}

// A directory of our own for the page, the browser's profile and its log; removed on every path.
class scratch_directory {
public:
  scratch_directory() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/redress-pdf-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!mkdtemp(buffer.data()))
      throw error("cannot print to PDF: cannot create a temporary directory in " + pattern.substr(0, pattern.rfind('/')) +
                  ": " + std::strerror(errno));
    path_ = buffer.data();
  }
  ~scratch_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  scratch_directory(const scratch_directory&) = delete;
  scratch_directory& operator=(const scratch_directory&) = delete;
  const std::string& path() const noexcept { return path_; }

private:
  std::string path_;
};

std::string last_lines(const std::string& file, std::size_t count) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  std::string out;
  for (std::size_t i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i) out += "\n  " + lines[i];
  return out;
}

}  // namespace

std::string find_chromium() {
  if (const char* chosen = std::getenv("REDRESS_CHROMIUM"); chosen && *chosen) {
    if (executable(chosen)) return chosen;
    throw error(std::string("cannot print to PDF: REDRESS_CHROMIUM is '") + chosen + "', which is not an executable; " +
                missing_hint + " or point REDRESS_CHROMIUM at a chromium binary");
  }
  if (const char* path = std::getenv("PATH")) {
    std::stringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');)
      if (!dir.empty() && executable(dir + "/chromium")) return dir + "/chromium";
  }
  if (executable("/usr/bin/chromium")) return "/usr/bin/chromium";
  throw error(std::string("cannot print to PDF: chromium was not found on PATH or at /usr/bin/chromium; ") + missing_hint);
}

std::string print_to_pdf(const std::string& html) {
  const int timeout = print_timeout_seconds();  // before anything that would need undoing
  const std::string browser = find_chromium();
  const scratch_directory scratch;
  const std::string page = scratch.path() + "/page.html";
  const std::string printed = scratch.path() + "/page.pdf";
  const std::string log = scratch.path() + "/chromium.log";
  try {
    write_file(page, html);
  } catch (const error& e) {
    throw error("cannot print to PDF: " + e.message());  // "cannot write \"PAGE\": REASON"
  }
  // The page is our own, with no external resources: no sandbox (it fails as root and in most
  // containers), no network, a throwaway profile.
  std::vector<std::string> args{browser,
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--user-data-dir=" + scratch.path() + "/profile",
                                "--no-pdf-header-footer",
                                "--print-to-pdf=" + printed,
                                "file://" + page};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
  // Its own process group, so that a browser that does not finish in time is stopped with
  // every process it started.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t child = 0;
  const int spawned = posix_spawn(&child, browser.c_str(), &files, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) throw error("cannot print to PDF: cannot start " + browser + ": " + std::strerror(spawned));
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
  for (;;) {
    const pid_t done = waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (done < 0 && errno != EINTR) throw error("cannot print to PDF: lost " + browser + ": " + std::strerror(errno));
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(-child, SIGKILL);
      while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
      }
      throw error("cannot print to PDF: " + browser + " did not finish within " + std::to_string(timeout) +
                  " seconds and was stopped (REDRESS_PDF_TIMEOUT_SECONDS sets the limit)");
    }
    usleep(50 * 1000);
  }
  std::error_code size_error;
  const auto size = std::filesystem::file_size(printed, size_error);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || size_error || size == 0) {
    const std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                              : "signal " + std::to_string(WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    throw error("cannot print to PDF: " + browser + " did not print the page (" + how + ")" + last_lines(log, 3));
  }
  std::ifstream in(printed, std::ios::binary);
  std::string pdf(static_cast<std::size_t>(size), '\0');
  in.read(pdf.data(), static_cast<std::streamsize>(pdf.size()));
  if (!in || static_cast<std::uintmax_t>(in.gcount()) != size)
    throw error("cannot print to PDF: cannot read the PDF " + browser + " printed to " + printed);
  return pdf;
}

}  // namespace redress::tools
