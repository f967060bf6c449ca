// SQLite, thinly: one connection, statements with text parameters, errors as exceptions. What
// the server's SQLite journal (sqlite_journal.cpp) and the helpdesk example are written on.
// Needs only SQLite (the helpdesk compiles sqlite.cpp itself, with or without the server).
#ifndef REDRESS_SRC_SERVER_SQLITE_HPP
#define REDRESS_SRC_SERVER_SQLITE_HPP

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace redress::server {

/// A failed SQLite call: its message and the statement.
struct database_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class database {
public:
  /// Opens (creating) `path` in WAL mode with synchronous=FULL and foreign keys on; `max_pages`
  /// > 0 limits its size (PRAGMA max_page_count: tests of a journal that fills up).
  /// Throws: database_error naming the file.
  explicit database(const std::string& path, long max_pages = 0);
  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  void exec(const std::string& sql);
  void begin() { exec("BEGIN IMMEDIATE"); }
  void commit() { exec("COMMIT"); }
  void rollback() noexcept;

  /// A bound parameter: text, or NULL for nullopt.
  using param = std::optional<std::string>;
  /// Runs `sql` with `params`; calls `row` for each result row.
  void run(const std::string& sql, const std::vector<param>& params,
           const std::function<void(sqlite3_stmt*)>& row = {});
  /// The first column of the first row as text, or nullopt (no row, or NULL).
  std::optional<std::string> scalar(const std::string& sql, const std::vector<param>& params = {});

  static std::string text(sqlite3_stmt* s, int column);
  static std::optional<std::string> optional_text(sqlite3_stmt* s, int column);
  static long long integer(sqlite3_stmt* s, int column);

private:
  [[noreturn]] void fail(const std::string& what) const;
  sqlite3* db_ = nullptr;
};

}  // namespace redress::server

#endif
