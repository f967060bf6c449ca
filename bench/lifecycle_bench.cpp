// One event through the lifecycle (rehydrate the MSM machine from the stored 8-byte value,
// dispatch, write back) beside a plain `switch` over the same transitions: the baseline a
// hand-written state machine would cost.
#include <benchmark/benchmark.h>

#include <array>

#include "redress/lifecycle.hpp"

namespace {

using redress::complaint_state;
using redress::lifecycle_event;

// A realistic walk: each event legal in the state it meets.
constexpr std::array<lifecycle_event, 10> walk = {
    lifecycle_event::acknowledge,         lifecycle_event::register_complaint,
    lifecycle_event::start_investigation, lifecycle_event::request_information,
    lifecycle_event::customer_replied,    lifecycle_event::contact_customer,
    lifecycle_event::propose_resolution,  lifecycle_event::customer_accepts,
    lifecycle_event::send_response,       lifecycle_event::close};

void BM_lifecycle_step_msm(benchmark::State& state) {
  const redress::lifecycle_rules rules;
  const redress::lifecycle_context context;
  redress::lifecycle_state s;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto o = redress::step(s, walk[i], context, rules);
    s = o.accepted ? o.state : s;
    if (++i == walk.size()) {
      i = 0;
      s = redress::lifecycle_state{};
    }
    benchmark::DoNotOptimize(s);
  }
  state.counters["stored_bytes"] = sizeof(redress::lifecycle_state);
}

// The same transitions as a switch: no guards' rules object, no rejection text.
complaint_state switch_step(complaint_state s, lifecycle_event e, bool& ok) {
  ok = true;
  switch (s) {
    case complaint_state::received:
      if (e == lifecycle_event::acknowledge) return complaint_state::acknowledged;
      break;
    case complaint_state::acknowledged:
      if (e == lifecycle_event::register_complaint) return complaint_state::registered;
      break;
    case complaint_state::registered:
      if (e == lifecycle_event::start_investigation) return complaint_state::investigating;
      break;
    case complaint_state::investigating:
      if (e == lifecycle_event::request_information) return complaint_state::awaiting_customer;
      if (e == lifecycle_event::propose_resolution) return complaint_state::resolution_proposed;
      if (e == lifecycle_event::contact_customer) return s;
      break;
    case complaint_state::awaiting_customer:
      if (e == lifecycle_event::customer_replied) return complaint_state::investigating;
      break;
    case complaint_state::resolution_proposed:
      if (e == lifecycle_event::customer_accepts) return complaint_state::resolution_agreed;
      break;
    case complaint_state::resolution_agreed:
      if (e == lifecycle_event::send_response) return complaint_state::responded;
      break;
    case complaint_state::responded:
      if (e == lifecycle_event::close) return complaint_state::closed;
      break;
    default: break;
  }
  ok = false;
  return s;
}

void BM_baseline_lifecycle_switch(benchmark::State& state) {
  complaint_state s = complaint_state::received;
  std::size_t i = 0;
  for (auto _ : state) {
    bool ok = false;
    s = switch_step(s, walk[i], ok);
    if (++i == walk.size()) {
      i = 0;
      s = complaint_state::received;
    }
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(ok);
  }
}

}  // namespace

BENCHMARK(BM_baseline_lifecycle_switch);
BENCHMARK(BM_lifecycle_step_msm);
