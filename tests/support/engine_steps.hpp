// Small steps the engine tests share: instants from text, an outcome that must hold, an event.
#ifndef REDRESS_TESTS_SUPPORT_ENGINE_STEPS_HPP
#define REDRESS_TESTS_SUPPORT_ENGINE_STEPS_HPP

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "redress/engine.hpp"

namespace redress::testing {

inline instant at(const char* text) { return instant::parse(text); }
/// An instant in UTC text, "none" when absent: what the worked examples are written in.
inline std::string utc(const std::optional<instant>& i) { return i ? i->to_string() : "none"; }
inline std::string utc(const char* text) { return at(text).to_string(); }

/// The value of an outcome that must hold; the engine's message is shown when it does not.
template <typename T>
T ok(outcome<T> result) {
  INFO((result ? std::string() : result.error().message));
  REQUIRE(result);
  return std::move(result).value();
}

inline complaint_event event(lifecycle_event what, const char* when) {
  complaint_event e;
  e.what = what;
  e.at = at(when);
  return e;
}

/// A complaint with no attributes, received at `received` (a policy with one target for all).
inline complaint_intake bare_intake(const char* id, const char* received) {
  return complaint_intake{id, at(received), {}};
}

/// "id at instant" of each action, a retraction as "id retracts ID at instant": the form the
/// late-event and recalculation examples are worked in.
inline std::vector<std::string> retraction_lines(const std::vector<action>& actions) {
  std::vector<std::string> out;
  for (const action& a : actions)
    out.push_back(a.what == action::kind::retracted ? a.id + " retracts " + a.retracts + " at " + utc(a.at)
                                                    : a.id + " at " + utc(a.at));
  return out;
}

}  // namespace redress::testing

#endif
