// One event through the C ABI (include/redress/redress.h, libredress.so): the same walk as
// BM_engine_apply_event in engine_bench.cpp (five events on a fresh complaint per iteration),
// each event as wire-format JSON text in and the actions as JSON text out, freed with
// redress_free, as an FFI host does it. Compare with BM_engine_apply_event of redress_bench.
#include <benchmark/benchmark.h>

#include <string>

#include "redress/redress.h"

namespace {

void BM_capi_apply_event(benchmark::State& state) {
  redress_policy* policy = nullptr;
  redress_engine* engine = nullptr;
  if (redress_policy_load_file(REDRESS_SOURCE_DIR "/rules/iso10002.toml", &policy, nullptr) != REDRESS_OK ||
      redress_engine_new(policy, &engine, nullptr) != REDRESS_OK) {
    state.SkipWithError("cannot load rules/iso10002.toml");
    return;
  }
  const char* events[] = {
      R"({"event":"acknowledge","at":"2026-05-05T09:10:00+01:00","reason":"documents"})",
      R"({"event":"register","at":"2026-05-05T09:20:00+01:00","reason":"documents"})",
      R"({"event":"start_investigation","at":"2026-05-05T09:30:00+01:00","reason":"documents"})",
      R"({"event":"request_information","at":"2026-05-05T09:40:00+01:00","reason":"documents"})",
      R"({"event":"customer_replied","at":"2026-05-05T09:50:00+01:00","reason":"documents"})",
  };
  int i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string id = "E-" + std::to_string(i++);
    const std::string intake = R"({"id":")" + id +
                               R"(","received":"2026-05-05T09:00:00+01:00","attributes":{"kind":"product-quality",)"
                               R"("channel":"email","priority":"normal","customer_name":"A","return_address":"a@x"}})";
    char* opened = nullptr;
    redress_engine_open(engine, intake.c_str(), &opened, nullptr);
    redress_free(opened);
    state.ResumeTiming();
    for (const char* event : events) {
      char* actions = nullptr;
      if (redress_engine_apply(engine, id.c_str(), event, &actions, nullptr) != REDRESS_OK) {
        state.SkipWithError("an event was refused");
        break;
      }
      benchmark::DoNotOptimize(actions);
      redress_free(actions);
    }
  }
  state.SetItemsProcessed(state.iterations() * 5);
  redress_engine_free(engine);
  redress_policy_free(policy);
}

}  // namespace

BENCHMARK(BM_capi_apply_event)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
