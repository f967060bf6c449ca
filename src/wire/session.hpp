// An engine driven in the wire format: JSON in, JSON out, instants in each complaint's own
// offset. The C ABI (src/capi) and `redress serve` are thin layers over it, so both speak
// exactly the same values. Not thread-safe, like the engine it holds.
#ifndef REDRESS_SRC_WIRE_SESSION_HPP
#define REDRESS_SRC_WIRE_SESSION_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redress/engine.hpp"
#include "wire/json.hpp"

namespace redress::wire {

class session {
public:
  explicit session(policy current);

  /// Throws: engine_failure (duplicate_policy_version) for a version it holds already (nothing
  /// changes), std::length_error beyond the engine's limit of versions.
  void add_policy(policy p, bool make_current = true);

  // Each returns the wire value; throws wire_error for a value that does not follow the wire
  // format and engine_failure for what the engine refused.
  json open(const json& intake);                               // [action, ...]
  json apply(std::string_view id, const json& event);          // [action, ...]
  json advance(instant now);                                   // [action, ...]
  // The same two calls on the engine's own values, for a host that converts them itself (the
  // Python module's hot path): the fired actions, each to be written in zone_of(a.complaint).
  std::vector<action> apply_actions(std::string_view id, const complaint_event& e);
  std::vector<action> advance_actions(instant now);
  std::vector<action> restore_actions(const complaint_snapshot& s);
  // How many events the engine holds for a complaint; nullopt when it holds no such complaint.
  std::optional<std::size_t> event_count(std::string_view id) const;
  /// The complaint's own next wakeup (engine::next_wakeup(id)).
  std::optional<instant> next_wakeup_of(std::string_view id) const { return engine_.next_wakeup(id); }
  json next_wakeup() const;                                    // {"next_wakeup": instant|null}
  json status(std::string_view id, instant now) const;         // complaint status
  json history(std::string_view id) const;                     // {"intake": ..., "events": [...]}
  json snapshot(std::string_view id) const;                    // snapshot
  json restore(const json& snapshot);                          // [action, ...]
  json migrate(std::string_view id, std::string_view version); // [action, ...]
  /// engine::reload_policy: `p` in the place of its version (a changed text or calendar file),
  /// every open complaint of that version recomputed. Returns [action, ...] (what changed).
  /// Throws: engine_failure (unknown_policy_version, a complaint's history refused; nothing changes).
  json reload_policy(policy p);
  bool erase(std::string_view id);
  std::size_t size() const noexcept { return engine_.size(); }

  /// The zone a complaint's instants are written in (its calendar's, as the engine holds it);
  /// the current policy's default calendar's for an unknown id.
  const time_zone& zone_of(std::string_view id) const;
  const policy& current() const noexcept { return current_; }

private:
  json actions(const std::vector<action>& fired) const;

  engine engine_;
  policy current_;
  time_zone default_zone_;
};

}  // namespace redress::wire

#endif
