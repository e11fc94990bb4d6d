// Time per row of every time-series kernel on one instrument's history (3200 rows, about 13
// years of daily bars) for windows 5, 20, 60 and 250. A streaming kernel's per_row stays
// flat across windows; an order-statistic kernel's (Median, Quantile, Rank, Mad) grows at most
// with log(window): its Fenwick trees span two windows' values.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "alphaloom/expr/kernels.h"

namespace {

namespace kernels = alphaloom::expr::kernels;

constexpr size_t kRows = 3200;
constexpr size_t kWindows[] = {5, 20, 60, 250};

// A price walk near 100 with a suspended (NaN) row every 97 rows; fixed seed.
std::vector<double> MakePrices(uint64_t seed) {
  std::vector<double> prices(kRows);
  double level = 100.0;
  for (size_t row = 0; row < kRows; ++row) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    const double step = static_cast<double>(seed >> 11) * 0x1.0p-53 - 0.5;
    level *= 1.0 + 0.02 * step;
    prices[row] = row % 97 == 96 ? std::numeric_limits<double>::quiet_NaN() : level;
  }
  return prices;
}

using Kernel = std::function<void(std::span<const double>, std::span<const double>, size_t, std::span<double>)>;

void RunKernel(benchmark::State& state, const Kernel& kernel, size_t window) {
  const std::vector<double> x = MakePrices(1);
  const std::vector<double> y = MakePrices(2);
  std::vector<double> out(kRows);
  for (auto _ : state) {
    kernel(x, y, window, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  // Seconds per row, printed with an SI prefix (e.g. per_row=25.1ns).
  state.counters["per_row"] = benchmark::Counter(
      static_cast<double>(kRows), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

using Unary = void (*)(std::span<const double>, size_t, std::span<double>);
using Pair = void (*)(std::span<const double>, std::span<const double>, size_t, std::span<double>);

Kernel FromUnary(Unary kernel) {
  return [kernel](std::span<const double> x, std::span<const double>, size_t window, std::span<double> out) {
    kernel(x, window, out);
  };
}

Kernel FromPair(Pair kernel) {
  return [kernel](std::span<const double> x, std::span<const double> y, size_t window, std::span<double> out) {
    kernel(x, y, window, out);
  };
}

void RegisterAll() {
  const std::vector<std::pair<std::string, Kernel>> kernels_by_name = {
      {"Ref", [](auto x, auto, size_t window, auto out) { kernels::Ref(x, static_cast<long>(window), out); }},
      {"Sum", FromUnary(kernels::RollingSum)},
      {"Mean", FromUnary(kernels::RollingMean)},
      {"Var", FromUnary(kernels::RollingVar)},
      {"Std", FromUnary(kernels::RollingStd)},
      {"Skew", FromUnary(kernels::RollingSkew)},
      {"Kurt", FromUnary(kernels::RollingKurt)},
      {"Count", FromUnary(kernels::RollingCount)},
      {"Max", FromUnary(kernels::RollingMax)},
      {"Min", FromUnary(kernels::RollingMin)},
      {"IdxMax", FromUnary(kernels::RollingIdxMax)},
      {"IdxMin", FromUnary(kernels::RollingIdxMin)},
      {"IdxMaxSkipNaN", FromUnary(kernels::RollingIdxMaxSkipNaN)},
      {"Slope", FromUnary(kernels::RollingSlope)},
      {"Rsquare", FromUnary(kernels::RollingRsquare)},
      {"Resi", FromUnary(kernels::RollingResi)},
      {"WmaQlib", FromUnary(kernels::RollingWmaQlib)},
      {"Wma", FromUnary(kernels::RollingWma)},
      {"Corr", FromPair(kernels::RollingCorr)},
      {"Cov", FromPair(kernels::RollingCov)},
      {"Ema", [](auto x, auto, size_t window, auto out) { kernels::Ema(x, static_cast<double>(window), out); }},
      {"Median", FromUnary(kernels::RollingMedian)},
      {"Quantile", [](auto x, auto, size_t window, auto out) { kernels::RollingQuantile(x, window, 0.8, out); }},
      {"Rank", FromUnary(kernels::RollingRank)},
      {"Mad", FromUnary(kernels::RollingMad)},
  };
  for (const auto& [name, kernel] : kernels_by_name) {
    for (size_t window : kWindows) {
      benchmark::RegisterBenchmark(
          (name + "/" + std::to_string(window)).c_str(),
          [kernel = kernel, window](benchmark::State& state) { RunKernel(state, kernel, window); });
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
