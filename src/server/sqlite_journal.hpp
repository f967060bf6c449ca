// The journal in SQLite (sqlite_journal.cpp).
#ifndef REDRESS_SRC_SERVER_SQLITE_JOURNAL_HPP
#define REDRESS_SRC_SERVER_SQLITE_JOURNAL_HPP

#include <memory>
#include <string>

#include "server/journal.hpp"

namespace redress::server {

/// Opens (creating when missing) the SQLite journal at `path`. Throws: database_error when it
/// cannot be opened.
std::unique_ptr<journal> open_sqlite_journal(const std::string& path);

}  // namespace redress::server

#endif
