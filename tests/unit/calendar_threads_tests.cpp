// One calendar shared by several threads: years are resolved lazily and published with a
// compare-and-swap, so concurrent first uses must agree with a single thread. Run under
// ThreadSanitizer by CI (the tsan preset).
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "redress/calendar.hpp"
#include "redress/engine.hpp"
#include "redress/policy.hpp"

using namespace redress;

TEST_CASE("threads sharing one calendar compute the same deadlines as one thread") {
  const std::string text = R"(
[calendar]
name = "shared"
timezone = "Europe/London"
holidays = ["2026-04-03", "2026-04-06", "2027-03-26", "2027-03-29"]
[calendar.hours]
mon = ["09:00-12:30", "13:30-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00", "22:00-02:00"]
)";
  const duration_spec specs[] = {duration_spec::parse("40 business hours"),
                                 duration_spec::parse("15 business days"),
                                 duration_spec::parse("1 month"),
                                 duration_spec::parse("-7 business hours")};
  auto compute = [&](const business_calendar& cal) {
    std::vector<std::int64_t> out;
    const std::int64_t base = instant::parse("2025-06-01T00:00:00Z").unix_seconds();
    for (int i = 0; i < 400; ++i)
      for (const auto& spec : specs)
        out.push_back(deadline(cal, instant::from_unix(base + i * 86400 * 3 + i * 977), spec).unix_seconds());
    // Years outside the lock-free cache (1900-2299), twelve of them in turn: more than the few
    // kept, so the threads also replace one another's far chunks.
    for (int i = 0; i < 30; ++i)
      for (const int year : {1850, 2350, 2400, 2500, 3000, 4100, 5000, 6000, 7000, 8461, 9000, 9998})
        for (const auto& spec : specs) {
          const std::int64_t start = civil_date{year, 6, 1}.days_since_epoch() * 86400 + i * 86400 * 5 + i * 977;
          out.push_back(deadline(cal, instant::from_unix(start), spec).unix_seconds());
        }
    return out;
  };
  const auto expected = compute(parse_calendar(text, "shared.toml"));

  const business_calendar shared = parse_calendar(text, "shared.toml");  // cold: no year resolved
  std::vector<std::vector<std::int64_t>> results(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t)
    threads.emplace_back([&, t] { results[t] = compute(shared); });
  for (auto& th : threads) th.join();
  for (const auto& r : results) CHECK(r == expected);
}

// One policy (its calendars cold) shared by threads, each running its own engine: the policy is
// immutable and its calendars resolve years safely, so every thread sees the same deadlines,
// escalations and owners as one thread does.
TEST_CASE("threads sharing one policy run engines that agree with one thread") {
  const auto run = [](const policy& p) {
    engine e(p);
    std::vector<std::string> out;
    const std::int64_t base = instant::parse("2026-03-02T09:00:00Z").unix_seconds();
    for (int i = 0; i < 200; ++i) {
      const std::string id = "T-" + std::to_string(i);
      const complaint_attributes attributes = {
          {"kind", i % 2 ? "staff" : "product-quality"}, {"channel", "phone"}, {"customer_name", "Shared"}};
      // Received every 1 day 7 hours 13 minutes, through the 2026 clock changes.
      (void)e.open({id, instant::from_unix(base + i * 112380), attributes});
      complaint_event ack;
      ack.what = lifecycle_event::acknowledge;
      ack.at = instant::from_unix(base + i * 112380 + 1800);
      (void)e.apply(id, ack);
    }
    for (const action& a : e.advance(instant::parse("2026-12-31T00:00:00Z")))
      out.push_back(a.id + " " + a.at.to_string() + " " + a.who);
    return out;
  };
  const auto expected = run(redress::load_policy(std::string(REDRESS_SOURCE_DIR) + "/rules/iso10002.toml"));
  REQUIRE(expected.size() > 1000);  // registration and final-response breaches, escalations

  const policy shared = redress::load_policy(std::string(REDRESS_SOURCE_DIR) + "/rules/iso10002.toml");
  std::vector<std::vector<std::string>> results(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t)
    threads.emplace_back([&, t] { results[t] = run(shared); });
  for (auto& th : threads) th.join();
  for (const auto& r : results) CHECK(r == expected);
}
