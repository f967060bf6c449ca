// What every journal backend shares (journal.hpp): the schema-version rule and the choice of
// backend from --journal.
#include "server/journal.hpp"

#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "server/sqlite_journal.hpp"
#ifdef REDRESS_SERVER_HAVE_LIBPQ
#include "server/postgres_journal.hpp"
#endif

namespace redress::server {

bool schema_is_current(int found, int current) {
  if (found > current)
    throw std::runtime_error("the journal has schema version " + std::to_string(found) +
                             ", written by a newer redress; this one reads versions up to " +
                             std::to_string(current) + ": upgrade redress");
  return found == current;
}

std::optional<stored_complaint> journal::lock_complaint(const std::string&) { return std::nullopt; }
std::optional<stored_complaint> journal::complaint(const std::string&) { return std::nullopt; }
std::vector<stored_complaint> journal::lock_due(instant, std::size_t) { return {}; }
void journal::set_wakeup(const std::string&, const std::optional<instant>&, const std::optional<instant>&) {}
std::optional<instant> journal::next_wakeup() { return std::nullopt; }
std::unique_ptr<journal_listener> journal::listen() { return nullptr; }
std::vector<stored_complaint> journal::complaints_in(const std::vector<int>&) { return complaints(); }

int partition_of(std::string_view id) noexcept {
  std::uint32_t h = 2166136261u;
  for (const char c : id) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return static_cast<int>(h % static_cast<std::uint32_t>(fleet_partitions));
}

std::unique_ptr<journal> open_journal(const std::string& spec) {
  constexpr std::string_view sqlite_prefix = "sqlite:";
  if (spec.compare(0, sqlite_prefix.size(), sqlite_prefix) == 0 && spec.size() > sqlite_prefix.size())
    return open_sqlite_journal(spec.substr(sqlite_prefix.size()));
  for (const std::string_view pg_prefix : {"postgresql://", "postgres://"})
    if (spec.compare(0, pg_prefix.size(), pg_prefix) == 0) {
#ifdef REDRESS_SERVER_HAVE_LIBPQ
      return open_postgres_journal(spec);
#else
      throw std::invalid_argument("--journal \"" + spec +
                                  "\": this redress was built without PostgreSQL (libpq was not found when it was "
                                  "built): apt-get install libpq-dev and rebuild, or use sqlite:PATH");
#endif
    }
  throw std::invalid_argument("--journal \"" + spec +
                              "\": expected sqlite:PATH (a SQLite file, created when missing) or "
                              "postgresql://USER@HOST:PORT/DATABASE (a PostgreSQL database)");
}

}  // namespace redress::server
