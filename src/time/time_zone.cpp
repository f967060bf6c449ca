#include <algorithm>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <sstream>

#include <date/ptz.h>

#include "redress/error.hpp"
#include "time/rfc3339.hpp"
#include "zone_impl.hpp"

namespace redress {
namespace detail {

zone_impl::zone_impl() = default;
zone_impl::~zone_impl() = default;

namespace {

// date does its calendar arithmetic in int days and short years, which overflow for instants
// tens of thousands of years away. redress supports 0001-9999: beyond 0000-01-01 and
// 10001-01-01 the offset in force at the nearer of the two is used.
std::int64_t clamp_to_date_range(std::int64_t seconds) {
  static const std::int64_t first = civil_date{0, 1, 1}.days_since_epoch() * 86400;
  static const std::int64_t last = civil_date{10001, 1, 1}.days_since_epoch() * 86400;
  return std::clamp(seconds, first, last);
}

}  // namespace

date::sys_info zone_impl::info(date::sys_seconds t) const {
  t = date::sys_seconds{std::chrono::seconds{clamp_to_date_range(t.time_since_epoch().count())}};
  if (footer && t.time_since_epoch().count() >= footer_from) return footer->get_info(t);
  return table->get_info(t);
}

date::local_info zone_impl::info(date::local_seconds t) const {
  t = date::local_seconds{std::chrono::seconds{clamp_to_date_range(t.time_since_epoch().count())}};
  if (footer && t.time_since_epoch().count() >= footer_from) return footer->get_info(t);
  return table->get_info(t);
}

namespace {

// The POSIX TZ string after the last transition ("GMT0BST,M3.5.0/1,M10.5.0"): the last line of
// a version 2+ TZif file.
std::string read_footer(const std::string& zone_name) {
  std::ifstream in("/usr/share/zoneinfo/" + zone_name, std::ios::binary);
  if (!in) return {};
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < 6 || bytes.compare(0, 4, "TZif") != 0 || bytes[4] < '2') return {};
  if (bytes.back() != '\n') return {};
  auto start = bytes.rfind('\n', bytes.size() - 2);
  if (start == std::string::npos) return {};
  return bytes.substr(start + 1, bytes.size() - start - 2);
}

// Refuses names that the tz database would resolve but that are not IANA zones: the host's own
// zone (deadlines would depend on the machine), files of the database, paths, control characters.
void check_zone_name(std::string_view name) {
  const std::string quoted = "time zone \"" + std::string(name) + "\"";
  const std::string expected = "expected an IANA zone name such as \"Europe/London\" or \"UTC\"";
  if (name.empty()) throw error(quoted + " is empty; " + expected);
  if (const std::size_t at = find_control(name); at != std::string_view::npos)
    throw error(quoted + " contains a control character (" + escape_controls(std::string(1, name[at])) + "); " + expected);
  if (name == "localtime")
    throw error(quoted + " is the host's own zone (/etc/localtime), not an IANA zone: deadlines would "
                "depend on the machine; " + expected);
  if (name == "posixrules" || name == "Factory")
    throw error(quoted + " is a file of the tz database, not an IANA zone; " + expected);
  bool path = name.front() == '/' || name.back() == '/' || name.find("//") != std::string_view::npos ||
              name.find('\\') != std::string_view::npos;
  std::size_t start = 0;
  while (!path && start <= name.size()) {
    const std::size_t slash = std::min(name.find('/', start), name.size());
    const std::string_view part = name.substr(start, slash - start);
    path = part == "." || part == "..";
    start = slash + 1;
  }
  if (path) throw error(quoted + " is a path, not a zone name; " + expected);
}

std::unique_ptr<zone_impl> make_zone(std::string_view name) {
  check_zone_name(name);
  const date::time_zone* table = nullptr;
  try {
    table = date::locate_zone(name);
  } catch (const std::exception& e) {
    std::string what = e.what();
    if (what.find("not found") != std::string::npos) {
      // Either the name is wrong or the database is empty; tell which.
      bool database_empty = true;
      try {
        database_empty = date::get_tzdb().zones.empty();
      } catch (...) {
      }
      if (database_empty)
        throw error("cannot read the time zone database in /usr/share/zoneinfo (install the "
                    "tzdata package): time zone \"" + std::string(name) + "\" is not available");
      throw error("unknown time zone \"" + std::string(name) +
                  "\": expected an IANA zone name such as \"Europe/London\" or \"UTC\"");
    }
    throw error("cannot read the time zone database in /usr/share/zoneinfo (install the tzdata "
                "package): " + what);
  }
  auto zone = std::make_unique<zone_impl>();
  zone->name = std::string(name);
  zone->table = table;
  std::string footer = read_footer(table->name());
  if (!footer.empty()) {
    try {
      zone->footer = std::make_unique<Posix::time_zone>(footer);
      // The table is exact up to its last transition; from a day after it on, the footer rule
      // agrees with the table (both are in the same period) and goes on past 2037.
      auto last = table->get_info(date::sys_days{date::year{9999} / 1 / 1});
      zone->footer_from = last.begin.time_since_epoch().count() + 86400;
    } catch (const std::exception&) {
      zone->footer.reset();
    }
  }
  return zone;
}

}  // namespace
}  // namespace detail

time_zone time_zone::locate(std::string_view name) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<detail::zone_impl>, std::less<>> zones;
  std::lock_guard<std::mutex> lock(mutex);
  auto found = zones.find(name);
  if (found == zones.end()) found = zones.emplace(std::string(name), detail::make_zone(name)).first;
  return time_zone(found->second.get());
}

const std::string& time_zone::name() const noexcept { return impl_->name; }


namespace detail {
namespace {

// The offset z gives at s, with the instants it holds for: the tz period around s, bounded by
// the footer's start (the table's last period and the footer's first meet at footer_from,
// whatever each says). Requires: s within clamp_to_date_range.
struct offset_period {
  const zone_impl* zone = nullptr;  // none until filled
  std::int64_t begin = 0, end = 0;  // [begin, end)
  std::int32_t offset = 0;
};

offset_period period_at(const zone_impl& z, std::int64_t s) {
  const date::sys_info info = z.info(date::sys_seconds{std::chrono::seconds{s}});
  offset_period p;
  p.zone = &z;
  p.begin = info.begin.time_since_epoch().count();
  p.end = info.end.time_since_epoch().count();
  if (z.footer && s >= z.footer_from) p.begin = std::max(p.begin, z.footer_from);
  if (z.footer && s < z.footer_from) p.end = std::min(p.end, z.footer_from);
  p.offset = static_cast<std::int32_t>(info.offset.count());
  return p;
}

}  // namespace
}  // namespace detail

std::int32_t time_zone::offset_at(instant t) const {
  // Each thread remembers the periods of its last four answers, of any zones: instants asked one
  // after another (an engine's actions, a simulation's output, a batch of dues over a year's
  // clock changes) mostly fall in a period asked before, so the tz table is read about once a
  // period. Zones are never freed once located (time_zone::locate keeps them), so a zone's
  // address names it for the life of the process.
  thread_local detail::offset_period remembered[4];
  thread_local unsigned next = 0;  // the one replaced next
  const std::int64_t s = t.unix_seconds();
  for (const detail::offset_period& p : remembered)
    if (p.zone == impl_ && s >= p.begin && s < p.end) return p.offset;
  if (detail::clamp_to_date_range(s) != s) {  // beyond date's range: the nearer end's, not kept
    auto info = impl_->info(date::sys_seconds{std::chrono::seconds{s}});
    return static_cast<std::int32_t>(info.offset.count());
  }
  detail::offset_period& p = remembered[next];
  next = (next + 1) % static_cast<unsigned>(std::size(remembered));
  p = detail::period_at(*impl_, s);
  return p.offset;
}

civil_time time_zone::to_civil(instant t) const {
  const std::int64_t s = t.unix_seconds();
  const std::int32_t offset = offset_at(t);
  // Saturate rather than overflow at the ends of the int64 range.
  if (offset > 0 && s > std::numeric_limits<std::int64_t>::max() - offset)
    return civil_time::from_seconds(std::numeric_limits<std::int64_t>::max());
  if (offset < 0 && s < std::numeric_limits<std::int64_t>::min() - offset)
    return civil_time::from_seconds(std::numeric_limits<std::int64_t>::min());
  return civil_time::from_seconds(s + offset);
}

local_time_info time_zone::lookup(const civil_time& local) const {
  const std::int64_t l = local.seconds_since_epoch();
  auto info = impl_->info(date::local_seconds{std::chrono::seconds{l}});
  local_time_info out;
  switch (info.result) {
    case date::local_info::unique:
      out.result = local_time_info::kind::unique;
      out.resolved = out.later = instant::from_unix(l - info.first.offset.count());
      break;
    case date::local_info::nonexistent:
      out.result = local_time_info::kind::nonexistent;
      out.resolved = out.later =
          instant::from_unix(info.second.begin.time_since_epoch().count());
      break;
    case date::local_info::ambiguous:
      out.result = local_time_info::kind::ambiguous;
      out.resolved = instant::from_unix(l - info.first.offset.count());
      out.later = instant::from_unix(l - info.second.offset.count());
      break;
  }
  return out;
}

std::size_t detail::write_rfc3339(char* out, instant t, const time_zone& zone) {
  return write_rfc3339(out, t, zone.offset_at(t));
}

std::string format_rfc3339(instant t, const time_zone& zone) {
  char text[detail::rfc3339_capacity];
  return std::string(text, detail::write_rfc3339(text, t, zone));
}

}  // namespace redress
