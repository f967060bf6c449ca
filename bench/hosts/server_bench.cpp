// redress server's service layer (src/server/service.hpp) on its SQLite journal: an intake and
// two events per iteration, each accepted request committed (WAL, synchronous=FULL) before it
// returns, as POST /complaints and POST /complaints/{id}/events do without the HTTP round trip.
// Baseline in the same run: the same three requests on a bare wire::session (the engine in the
// wire format, nothing journaled). items_per_second counts requests per second of wall time
// (a commit waits for the disk: synchronous=FULL).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "redress/policy.hpp"
#include "server/journal.hpp"
#include "server/service.hpp"
#include "wire/session.hpp"

namespace {

const std::string policy_file = REDRESS_SOURCE_DIR "/rules/iso10002.toml";

std::string intake(int i) {
  return R"({"id": "B-)" + std::to_string(i) +
         R"(", "received": "2026-04-20T10:00:00+01:00", "attributes": {"kind": "staff", "channel": "phone", "customer_name": "Bench"}})";
}
const std::string acknowledge = R"({"event": "acknowledge", "at": "2026-04-20T10:05:00+01:00"})";
const std::string registration = R"({"event": "register", "at": "2026-04-20T10:10:00+01:00"})";

void BM_server_intake_and_two_events_sqlite(benchmark::State& state) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "redress-server-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  redress::server::service_options o;
  o.policy_files = {policy_file};
  o.manual_clock = true;
  redress::server::service s(o, redress::server::open_journal("sqlite:" + (dir / "journal.db").string()));
  (void)s.set_clock(R"({"now": "2026-04-20T11:00:00+01:00"})");
  int i = 0;
  for (auto _ : state) {
    const std::string id = "B-" + std::to_string(++i);
    if (s.open(intake(i)).status != 201 || s.apply(id, acknowledge).status != 200 ||
        s.apply(id, registration).status != 200) {
      state.SkipWithError("a request was refused");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * 3);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_server_intake_and_two_events_sqlite)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_session_intake_and_two_events_baseline(benchmark::State& state) {
  redress::wire::session s(redress::load_policy(policy_file));
  int i = 0;
  for (auto _ : state) {
    const std::string id = "B-" + std::to_string(++i);
    benchmark::DoNotOptimize(s.open(redress::wire::parse(intake(i), "intake")));
    benchmark::DoNotOptimize(s.apply(id, redress::wire::parse(acknowledge, "event")));
    benchmark::DoNotOptimize(s.apply(id, redress::wire::parse(registration, "event")));
  }
  state.SetItemsProcessed(state.iterations() * 3);
}
BENCHMARK(BM_session_intake_and_two_events_baseline)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The in-process baseline of bench/hosts/server_http_bench.py's actions: 1,000 complaints opened
// on its policy at one instant, then one advance to the instant their first level falls due:
// 1,000 actions in the wire format (the engine alone: no journal, no feed). items_per_second
// counts actions.
void BM_session_advance_1000_due_baseline(benchmark::State& state) {
  const std::string policy = REDRESS_SOURCE_DIR "/bench/hosts/server_http_bench.toml";
  const redress::instant due = redress::wire::instant_from_text("2026-04-20T10:00:20+01:00", "due");
  for (auto _ : state) {
    state.PauseTiming();
    redress::wire::session s(redress::load_policy(policy));
    for (int i = 0; i < 1000; ++i)
      (void)s.open(redress::wire::parse(R"({"id": "F-)" + std::to_string(i) +
                                            R"(", "received": "2026-04-20T10:00:00+01:00", "attributes": {"kind": "claim"}})",
                                        "intake"));
    state.ResumeTiming();
    const auto actions = s.advance(due);
    if (actions.size() != 1000) {
      state.SkipWithError("expected 1,000 actions");
      break;
    }
    benchmark::DoNotOptimize(actions);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_session_advance_1000_due_baseline)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
