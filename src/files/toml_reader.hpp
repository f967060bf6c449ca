// Reading TOML files with located errors: every message a user sees names the file, line and
// column, and says what was expected there. Shared by the calendar and policy loaders.
#ifndef REDRESS_SRC_FILES_TOML_READER_HPP
#define REDRESS_SRC_FILES_TOML_READER_HPP

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "redress/error.hpp"

namespace redress::detail {

/// Parses TOML text; a syntax error becomes redress::error at its file:line:col, and so does a
/// string or key holding a control character (find_control): every name and text of a policy,
/// calendar, scenario or test file may be shown on a terminal.
toml::table parse_toml(std::string_view text, const std::string& file_name);
/// Reads and parses a TOML file. Throws: redress::error (unreadable file, syntax).
toml::table parse_toml_file(const std::string& path);
/// Reads a whole file that people write by hand (policy, calendar, holiday list): a regular
/// file of at most 16 MiB, never a directory, a device or a pipe (which might never end).
/// Throws: redress::error at `where` (at the file itself when `where` names none), calling the
/// file `noun` ("file", "holiday file").
std::string read_text_file(const std::string& path, std::string_view noun, const source_location& where = {});

/// While one is alive on this thread, read_text_file() records every file it reads in `into`
/// (each path once, in the order first read, with the text read); given `from`, it reads each
/// from there instead of the file system (a path `from` lacks is an error), so that a policy
/// loads again exactly as it was recorded (parse_policy with recorded files). Scopes nest: the
/// innermost records.
class recorded_reads {
public:
  explicit recorded_reads(std::vector<source_file>& into, const std::vector<source_file>* from = nullptr);
  ~recorded_reads();
  recorded_reads(const recorded_reads&) = delete;
  recorded_reads& operator=(const recorded_reads&) = delete;

  /// The innermost scope of this thread, or nullptr. (For read_text_file.)
  static recorded_reads* active() noexcept;
  /// The text recorded for `path`, or nullptr. (For read_text_file.)
  const std::string* recorded(const std::string& path) const;
  void record(const std::string& path, const std::string& text);
  bool replaying() const noexcept { return from_ != nullptr; }

private:
  std::vector<source_file>& into_;
  const std::vector<source_file>* from_;
  recorded_reads* outer_;
};

source_location location_of(const toml::node& node);
source_location location_of(const toml::key& key);
[[noreturn]] void fail_at(const toml::node& node, const std::string& message);
[[noreturn]] void fail_at(const toml::key& key, const std::string& message);

/// Throws at the first key of `table` not in `allowed`: "unknown key 'timezon' in [calendar];
/// did you mean 'timezone'?".
void check_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                const std::string& where);
void check_keys(const toml::table& table, const std::vector<std::string_view>& allowed, const std::string& where);

/// The closest of `candidates` to `word`, or "" when none is close.
/// Edits (insert, delete, change a character, swap two neighbours) from `a` to `b`.
std::size_t edit_distance(std::string_view a, std::string_view b);
std::string closest_match(std::string_view word, std::initializer_list<std::string_view> candidates);
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// Returns the node's string. Throws at the node: "'timezone' must be a string".
const std::string& require_string(const toml::node& node, const std::string& what);
const toml::array& require_array(const toml::node& node, const std::string& what);
const toml::table& require_table(const toml::node& node, const std::string& what);
bool require_bool(const toml::node& node, const std::string& what);
std::int64_t require_integer(const toml::node& node, const std::string& what);

/// A short description of the node's TOML type for messages: "an integer", "a table".
std::string type_name(const toml::node& node);

}  // namespace redress::detail

#endif
