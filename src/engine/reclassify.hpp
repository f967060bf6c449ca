// Reclassification (docs/spec/clocks.md, "Reclassification"): a `reclassify` event changes some
// of the complaint's selector attributes mid-life; its targets are selected again, and its
// clocks, calendar and owner follow.
#ifndef REDRESS_SRC_ENGINE_RECLASSIFY_HPP
#define REDRESS_SRC_ENGINE_RECLASSIFY_HPP

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/applied_event.hpp"
#include "redress/engine.hpp"
#include "redress/policy.hpp"

namespace redress::detail {

// The targets selected for complaints with these attributes: per target name, the first
// variant whose selector matches.
std::vector<std::uint16_t> select_targets(const policy_definition& d, const complaint_attributes& attributes);

// The complaint's attributes now: its intake's, as its reclassifications changed them.
complaint_attributes current_attributes(const complaint_record& c);

// Why a reclassify event is refused (no attribute, one that is not a selector dimension, a value
// not in the policy's vocabulary, a calendar the new attributes cannot find), or nullopt.
std::optional<engine_error> reclassify_refusal(const applied_event& x);

// Applies a reclassify event at x.t: the calendar, the owner (when the kind's owner owned it), and
// the clocks of the targets selected before and after. Returns the new selection, for the
// engine to keep. Throws: redress::error at a calendar limit.
std::vector<std::uint16_t> reclassify(applied_event& x);

}  // namespace redress::detail

#endif
