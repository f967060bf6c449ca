// Loading a large policy (1,000 targets) beside parsing the same TOML with toml++ alone; and
// replay throughput in events per second.
#include <benchmark/benchmark.h>

#include <toml++/toml.h>

#include <random>
#include <sstream>

#include "redress/engine.hpp"

namespace {

using namespace redress;

const std::string& large_policy_text() {
  static const std::string text = [] {
    std::ostringstream out;
    out << "[policy]\nname = \"Generated\"\nversion = \"1\"\ncalendar = \"" << REDRESS_SOURCE_DIR
        << "/rules/calendars/england-wales.toml\"\n\n[roles]\nhandler = \"Handler\"\nlead = \"Lead\"\ncompliance = \"Compliance\"\n\n";
    const char* channels[] = {"phone", "chat", "email", "web", "letter", "in-person"};
    const char* units[] = {"business days", "business hours", "days", "weeks"};
    for (int i = 0; i < 1000; ++i) {
      out << "[[targets]]\nname = \"target-" << i / 4 << "\"\n";
      if (i % 4 != 3) out << "when = { channel = [\"" << channels[i % 6] << "\"] }\n";
      out << "starts = \"received\"\nstops = [\"responded\", \"withdrawn\"]\nwithin = \"" << 1 + i % 20 << " "
          << units[i % 4] << "\"\npauses = [\"awaiting_customer\"]\n"
          << "escalate = [{ at = \"50%\", notify = \"lead\" }, { at = \"100%\", assign = \"lead\", notify = \"compliance\" }]\n\n";
    }
    return out.str();
  }();
  return text;
}

void BM_policy_load_1000_targets(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(parse_policy(large_policy_text(), "generated.toml"));
  state.counters["targets"] = 1000;
}

void BM_baseline_toml_parse_1000_targets(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(toml::parse(std::string_view(large_policy_text()), std::string_view("generated.toml")));
}

// 1,000 complaints of ten events each, replayed into a fresh engine per iteration.
void BM_replay_events(benchmark::State& state) {
  static const policy p = load_policy(std::string(REDRESS_SOURCE_DIR) + "/rules/iso10002.toml");
  struct history {
    complaint_intake intake;
    std::vector<complaint_event> events;
  };
  static const std::vector<history> histories = [] {
    std::vector<history> out;
    const lifecycle_event walk[] = {lifecycle_event::acknowledge, lifecycle_event::register_complaint,
                                    lifecycle_event::start_investigation, lifecycle_event::request_information,
                                    lifecycle_event::customer_replied, lifecycle_event::contact_customer,
                                    lifecycle_event::propose_resolution, lifecycle_event::customer_accepts,
                                    lifecycle_event::send_response, lifecycle_event::close};
    const std::int64_t base = instant::parse("2026-05-05T08:00:00Z").unix_seconds();
    for (int i = 0; i < 1000; ++i) {
      history h;
      h.intake = {"R-" + std::to_string(i), instant::from_unix(base + i * 97),
                  {{"kind", "claim"}, {"channel", "phone"}, {"customer_name", "X"}}};
      std::int64_t t = base + i * 97;
      for (lifecycle_event e : walk) {
        t += 5400;
        complaint_event ev;
        ev.what = e;
        ev.at = instant::from_unix(t);
        ev.reason = "documents";
        ev.justified = true;
        h.events.push_back(ev);
      }
      out.push_back(std::move(h));
    }
    return out;
  }();
  std::size_t events = 0;
  for (auto _ : state) {
    engine e(p);
    for (const history& h : histories) {
      (void)e.open(h.intake);
      for (const complaint_event& ev : h.events) {
        (void)e.apply(h.intake.id, ev);
        ++events;
      }
    }
    benchmark::DoNotOptimize(e.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}

}  // namespace

BENCHMARK(BM_baseline_toml_parse_1000_targets)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_policy_load_1000_targets)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_replay_events)->Unit(benchmark::kMillisecond);
