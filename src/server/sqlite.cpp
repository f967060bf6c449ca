// SQLite, thinly (sqlite.hpp).
#include "server/sqlite.hpp"

#include <sqlite3.h>

namespace redress::server {

database::database(const std::string& path, long max_pages) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw database_error("cannot open the SQLite journal " + path + ": " + why);
  }
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA journal_mode=WAL");
  if (max_pages > 0) exec("PRAGMA max_page_count=" + std::to_string(max_pages));
  exec("PRAGMA synchronous=FULL");
  exec("PRAGMA foreign_keys=ON");
}

database::~database() { sqlite3_close(db_); }

void database::fail(const std::string& what) const { throw database_error("journal: " + what); }

void database::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string what = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    fail(what + " in: " + sql);
  }
}

void database::rollback() noexcept { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

void database::run(const std::string& sql, const std::vector<param>& params,
                   const std::function<void(sqlite3_stmt*)>& row) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
    fail(std::string(sqlite3_errmsg(db_)) + " in: " + sql);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int at = static_cast<int>(i + 1);
    if (params[i]) sqlite3_bind_text(statement, at, params[i]->c_str(), -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(statement, at);
  }
  int rc;
  try {
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW)
      if (row) row(statement);
  } catch (...) {
    sqlite3_finalize(statement);
    throw;
  }
  const std::string why = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
  sqlite3_finalize(statement);
  if (rc != SQLITE_DONE) fail(why + " in: " + sql);
}

std::optional<std::string> database::scalar(const std::string& sql, const std::vector<param>& params) {
  std::optional<std::string> out;
  bool first = true;
  run(sql, params, [&](sqlite3_stmt* s) {
    if (first) out = optional_text(s, 0);
    first = false;
  });
  return out;
}

std::string database::text(sqlite3_stmt* s, int column) { return optional_text(s, column).value_or(""); }

std::optional<std::string> database::optional_text(sqlite3_stmt* s, int column) {
  const unsigned char* t = sqlite3_column_text(s, column);
  if (!t) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(s, column)));
}

long long database::integer(sqlite3_stmt* s, int column) { return sqlite3_column_int64(s, column); }

}  // namespace redress::server
