// Reading and simulating complaint histories (JSON Lines, as `redress report` and `simulate` read
// them): 1,000,000 event lines. Baseline in the same run: the reader as it was before
// 2026-12-01, which found each event's complaint by scanning every complaint read so far
// (a quadratic history); it is run at sizes it can finish.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "redress/engine.hpp"
#include "redress/policy.hpp"
#include "support/shipped.hpp"
#include "tools/report.hpp"
#include "tools/scenario.hpp"
#include "tools/simulate.hpp"

namespace {

using namespace redress;

using testing::iso10002;
const time_zone& london() { return testing::default_zone(iso10002()); }

constexpr int events_per_complaint = 4;
const char* const event_names[events_per_complaint] = {"acknowledge", "register", "start_investigation",
                                                      "acknowledge"};  // the last one is rejected

// `events` event lines for events/4 complaints received a minute apart, their events an hour apart.
std::string history(int events) {
  std::string out;
  const int complaints = events / events_per_complaint;
  const std::int64_t start = instant::parse("2026-01-05T09:00:00Z").unix_seconds();
  auto stamp = [](std::int64_t s) { return instant::from_unix(s).to_string(); };
  for (int c = 0; c < complaints; ++c) {
    const std::int64_t received = start + 60 * c;
    out += "{\"complaint\": \"C-" + std::to_string(c) + "\", \"received\": \"" + stamp(received) +
           "\", \"kind\": \"staff\", \"channel\": \"phone\", \"customer_name\": \"A\"}\n";
  }
  for (int e = 0; e < events_per_complaint; ++e)
    for (int c = 0; c < complaints; ++c)
      out += "{\"complaint\": \"C-" + std::to_string(c) + "\", \"at\": \"" +
             stamp(start + 60 * c + 3600 * (e + 1)) + "\", \"event\": \"" + event_names[e] + "\"}\n";
  return out;
}

void BM_read_history(benchmark::State& state) {
  const std::string text = history(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    tools::scenario s = tools::parse_scenario(text, "history.jsonl", london());
    benchmark::DoNotOptimize(s.complaints.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_read_history)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(1);

// The old lookup, on the same parsed lines: for each event, scan the complaints in order.
void BM_read_history_baseline_scan(benchmark::State& state) {
  const std::string text = history(static_cast<int>(state.range(0)));
  const tools::scenario s = tools::parse_scenario(text, "history.jsonl", london());
  std::vector<std::string> event_ids;
  for (int e = 0; e < events_per_complaint; ++e)
    for (const auto& c : s.complaints) event_ids.push_back(c.intake.id);
  for (auto _ : state) {
    std::size_t found = 0;
    for (const std::string& id : event_ids) {
      const tools::scenario_complaint* target = nullptr;
      for (const auto& c : s.complaints)
        if (c.intake.id == id) target = &c;
      found += target != nullptr;
    }
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_read_history_baseline_scan)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_simulate_history(benchmark::State& state) {
  const tools::scenario s =
      tools::parse_scenario(history(static_cast<int>(state.range(0))), "history.jsonl", london());
  for (auto _ : state) {
    tools::simulation run = tools::simulate(iso10002(), s);
    benchmark::DoNotOptimize(run.complaints.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_simulate_history)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(1);

// What `redress simulate` does since 2026-12-02: each complaint run on an engine of its own
// (tools::simulate_complaint), handed on and dropped. Baseline: BM_simulate_history above, every
// complaint's run held to the end.
void BM_simulate_history_streamed(benchmark::State& state) {
  const tools::scenario s =
      tools::parse_scenario(history(static_cast<int>(state.range(0))), "history.jsonl", london());
  for (auto _ : state) {
    const instant horizon = s.horizon();
    std::size_t entries = 0;
    for (const tools::scenario_complaint& c : s.complaints)
      entries += tools::simulate_complaint(iso10002(), c, horizon).timeline.size();
    benchmark::DoNotOptimize(entries);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_simulate_history_streamed)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(1);

// `redress report`'s figures: each complaint run on its own engine up to the period's end, then
// dropped. Baseline: BM_simulate_history above, which the report used to run first (every
// complaint's timeline held) before counting.
void BM_report_history(benchmark::State& state) {
  const tools::scenario s =
      tools::parse_scenario(history(static_cast<int>(state.range(0))), "history.jsonl", london());
  for (auto _ : state) {
    tools::report_builder builder(iso10002(), tools::make_period(iso10002(), s, "", ""));
    for (const tools::scenario_complaint& c : s.complaints) builder.add(c);
    benchmark::DoNotOptimize(builder.result().received);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_report_history)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(1);

// The floor simulate() stands on, in the same run: the same openings and events, in the same
// order, straight through an engine (advancing before each, then to the horizon one wake-up at a
// time, as simulate() does), keeping only
// a count of the actions: no timeline, no status.
void BM_simulate_history_baseline_engine_only(benchmark::State& state) {
  const tools::scenario s =
      tools::parse_scenario(history(static_cast<int>(state.range(0))), "history.jsonl", london());
  const std::vector<tools::scenario::step> steps = s.steps();
  for (auto _ : state) {
    engine e(iso10002());
    std::size_t actions = 0;
    for (const tools::scenario::step& st : steps) {
      actions += e.advance(st.at - std::chrono::seconds{1}).size();
      const tools::scenario_complaint& c = s.complaints[st.complaint];
      if (st.event < 0) {
        if (auto opened = e.open(c.intake)) actions += opened->size();
      } else if (auto applied = e.apply(c.intake.id, c.events[static_cast<std::size_t>(st.event)].event)) {
        actions += applied->size();
      }
    }
    const instant horizon = s.horizon();
    for (auto w = e.next_wakeup(); w && *w <= horizon; w = e.next_wakeup()) actions += e.advance(*w).size();
    benchmark::DoNotOptimize(actions);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_simulate_history_baseline_engine_only)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
