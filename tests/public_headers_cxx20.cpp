// Compiled as C++20: a host on C++20 includes the umbrella header and uses it.
#if __cplusplus < 202002L
#error "this translation unit must be compiled as C++20"
#endif

#include <catch2/catch.hpp>

#include <redress/redress.hpp>

TEST_CASE("a C++20 host reads and prints instants through the umbrella header") {
  const redress::instant t = redress::instant::parse("2026-04-01T14:00:00+01:00");
  CHECK(t.to_string() == "2026-04-01T13:00:00Z");
  const auto london = redress::time_zone::locate("Europe/London");
  CHECK(redress::format_rfc3339(t, london) == "2026-04-01T14:00:00+01:00");
  CHECK(std::string(redress::version()) == "0.1.0");
}

TEST_CASE("a C++20 host steps the lifecycle through the public header") {
  redress::lifecycle_state s;
  const auto o = redress::step(s, redress::lifecycle_event::acknowledge);
  CHECK(o.accepted);
  CHECK(o.state.main == redress::complaint_state::acknowledged);
  CHECK(redress::to_string(redress::lifecycle_event::register_complaint) == "register");
}
