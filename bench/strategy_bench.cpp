// The strategy layer at scale (issue target: signals, regimes and sizing for 800 instruments x
// 3200 days under 2 s on one core). Runs on a store, e.g. one made by
//   alphaloom synth --instruments 800 --start 2012-01-02 --end 2024-04-05 --format qlib --out DIR
// and prints seconds per stage (best of --repeats), one thread throughout.
//
// usage: bench_strategy --data DIR [--repeats K]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>

#include "alphaloom/pipeline/strategy.h"

namespace {

using namespace alphaloom;

double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// Best wall-clock seconds of `repeats` runs, and the CPU seconds of this thread in that run (the
// pool has one thread, the caller): on a shared machine the CPU time is the fairer number.
struct Timing {
  double wall = 1e300;
  double cpu = 0;
};

Timing Best(int repeats, const std::function<void()>& work) {
  Timing best;
  for (int run = 0; run < repeats; ++run) {
    const auto begin = std::chrono::steady_clock::now();
    const double cpu_begin = ThreadCpuSeconds();
    work();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    if (wall < best.wall) best = {wall, ThreadCpuSeconds() - cpu_begin};
  }
  return best;
}

void PrintStage(const char* name, const Timing& timing) {
  fmt::print("{:<44} {:8.3f} s wall {:8.3f} s cpu\n", name, timing.wall, timing.cpu);
}

}  // namespace

int main(int argc, char** argv) {
  std::string data;
  int repeats = 3;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string flag = argv[index];
    if (flag == "--data") data = argv[index + 1];
    if (flag == "--repeats") repeats = std::atoi(argv[index + 1]);
  }
  if (data.empty()) {
    fmt::print(stderr, "usage: bench_strategy --data DIR [--repeats K]\n");
    return 2;
  }
  try {
    const data::QlibStore store = data::QlibStore::Open(data);
    ThreadPool pool(1);
    std::vector<std::string> instruments;
    for (const auto& span : store.instruments()) instruments.push_back(span.instrument);
    const std::vector<std::string> fields = {"close", "bench_close"};
    data::Panel panel;
    const Timing load = Best(repeats, [&] { panel = store.LoadPanel(fields, instruments); });
    fmt::print("store: {} instruments x {} days\n", panel.instrument_count(), panel.date_count());

    const pipeline::HybridConfig config;
    expr::FeatureFrame frame;
    const Timing signals = Best(repeats, [&] { frame = signal::ComputeRuleAlphas(panel, config.signals, pool); });
    const std::vector<double> closes = pipeline::BenchmarkCloses(store);
    const std::vector<Date>& dates = store.calendar().dates();
    regime::RegimeSeries rules, hmm;
    const Timing rules_seconds =
        Best(repeats, [&] { rules = regime::RuleRegimes(dates, closes, config.regime.rules); });
    const Timing hmm_seconds = Best(repeats, [&] { hmm = regime::HmmRegimes(dates, closes, config.regime.hmm); });

    std::vector<size_t> row_date(frame.rows());
    for (size_t row = 0, date_idx = 0; row < frame.rows(); ++row) {
      while (dates[date_idx] < frame.date(row)) ++date_idx;
      row_date[row] = date_idx;
    }
    std::array<std::vector<double>, portfolio::kComponentCount> scores;
    for (size_t component = 0; component < portfolio::kComponentCount; ++component) {
      scores[component].assign(frame.rows(), std::nan(""));
      if (component == portfolio::kMlComponent) continue;
      for (size_t row = 0; row < frame.rows(); ++row) scores[component][row] = frame.At(row, component);
    }
    std::vector<double> vols(frame.rows()), weights(frame.rows());
    for (size_t row = 0; row < frame.rows(); ++row) vols[row] = frame.At(row, portfolio::kMlComponent);
    const Timing sizing = Best(repeats, [&] {
      std::array<std::span<const double>, portfolio::kComponentCount> spans;
      for (size_t component = 0; component < portfolio::kComponentCount; ++component)
        spans[component] = scores[component];
      const portfolio::MetaScores meta = portfolio::CombineScores(spans, row_date, rules, config.meta);
      for (size_t begin = 0; begin < frame.rows();) {
        size_t end = begin;
        while (end < frame.rows() && row_date[end] == row_date[begin]) ++end;
        portfolio::SizeCrossSection(std::span(meta.alpha_score).subspan(begin, end - begin),
                                    std::span<const double>(vols).subspan(begin, end - begin), config.sizing,
                                    std::span(weights).subspan(begin, end - begin));
        begin = end;
      }
    });
    const Timing end_to_end =
        Best(repeats, [&] { pipeline::RunHybridStrategy(config, store, {}, std::nullopt, std::nullopt, pool); });
    fmt::print("rows: {}\n", frame.rows());
    PrintStage("load panel (close, bench_close)", load);
    PrintStage("signals (4 alphas + realized vol)", signals);
    PrintStage("regimes: rules", rules_seconds);
    PrintStage("regimes: hmm (walk-forward refits)", hmm_seconds);
    PrintStage("meta-model + sizing", sizing);
    PrintStage("layer total (signals, rules, hmm, sizing)",
               Timing{signals.wall + rules_seconds.wall + hmm_seconds.wall + sizing.wall,
                      signals.cpu + rules_seconds.cpu + hmm_seconds.cpu + sizing.cpu});
    PrintStage("RunHybridStrategy (load, all stages, table)", end_to_end);
    fmt::print("target: layer total under 2 s on one core\n");
  } catch (const std::exception& error) {
    fmt::print(stderr, "bench_strategy: {}\n", error.what());
    return 1;
  }
  return 0;
}
