// An event being applied to a complaint: what the steps of engine::apply() share.
#ifndef REDRESS_SRC_ENGINE_APPLIED_EVENT_HPP
#define REDRESS_SRC_ENGINE_APPLIED_EVENT_HPP

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/complaint.hpp"
#include "redress/engine.hpp"
#include "redress/policy.hpp"

namespace redress::detail {

struct applied_event {
  const policy& p;
  const policy_definition& d;
  complaint_record& c;
  const complaint_event& e;
  std::int64_t t;                            // e.at
  const std::vector<std::uint16_t>& selected;  // the complaint's targets
  std::vector<action>& out;
  complaint_state before_main;               // before the event
  complaint_state after_main;                // after it
  lifecycle_state before{};                  // the whole state before the event (set once stepped)
  std::optional<std::vector<std::uint16_t>> reselected;  // reclassify: the targets selected now

  bool changes_main() const noexcept { return after_main != before_main; }
  // Withdrawn or closed by this event.
  bool ends() const noexcept {
    return changes_main() && (after_main == complaint_state::withdrawn || after_main == complaint_state::closed);
  }
  // Whether a start, stop or re-arm condition happens with this event.
  bool happens(const lifecycle_trigger& trigger) const;
};

}  // namespace redress::detail

#endif
