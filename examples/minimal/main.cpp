// The smallest host: load a policy, open a complaint, apply events, advance time, act.
// Copy this into your helpdesk and replace std::cout with your notifications.
#include <iostream>

#include <redress/redress.hpp>

int main(int argc, char** argv) {
  const char* policy_file = argc > 1 ? argv[1] : "rules/iso10002.toml";
  const redress::policy policy = redress::load_policy(policy_file);  // throws with file:line:col
  redress::engine engine{policy};

  const auto at = [](const char* t) { return redress::instant::parse(t); };
  auto opened = engine.open({"C-17", at("2026-04-01T14:00:00+01:00"),
                             {{"kind", "product-quality"}, {"channel", "email"},
                              {"customer_name", "Ann Example"}, {"return_address", "ann@example.org"}}});
  if (!opened) return std::cerr << opened.error().message << '\n', 1;

  for (auto [event, when] : {std::pair{redress::lifecycle_event::acknowledge, "2026-04-01T14:30:00+01:00"},
                             std::pair{redress::lifecycle_event::register_complaint, "2026-04-02T09:00:00+01:00"}}) {
    redress::complaint_event e;
    e.what = event;
    e.at = at(when);
    auto step = engine.apply("C-17", e);
    if (!step) {
      std::cerr << step.error().message << '\n';  // names state and event; nothing changed
      continue;
    }
    for (const redress::action& a : *step) std::cout << a.at.to_string() << "  " << a.summary << '\n';
  }

  // The host's scheduler: wake up when the engine says, act on what is due, repeat.
  const redress::instant until = at("2026-04-20T00:00:00+01:00");
  while (auto wake = engine.next_wakeup()) {
    if (*wake > until) break;
    for (const redress::action& a : engine.advance(*wake))
      std::cout << a.at.to_string() << "  " << a.id << "  who=" << a.who << "  " << a.summary << '\n';
  }
}
