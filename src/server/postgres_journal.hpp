// The journal in PostgreSQL (postgres_journal.cpp), built when libpq is found (Debian libpq-dev).
#ifndef REDRESS_SRC_SERVER_POSTGRES_JOURNAL_HPP
#define REDRESS_SRC_SERVER_POSTGRES_JOURNAL_HPP

#include <memory>
#include <string>

#include "server/journal.hpp"

namespace redress::server {

/// Connects to `uri` (postgresql://USER@HOST:PORT/DB, libpq's connection URI). Throws:
/// database_error with PostgreSQL's message when it cannot connect.
std::unique_ptr<journal> open_postgres_journal(const std::string& uri);

}  // namespace redress::server

#endif
