#include "alphaloom/metrics/conditional_value_at_risk.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double ConditionalValueAtRisk(std::span<const double> returns, const Conventions& conventions, double confidence,
                              TailMethod method) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> prepared = PrepareReturns(returns, conventions);
  if (prepared.empty()) return kNaN;
  const double tail = 1.0 - confidence;
  if (method == TailMethod::kHistorical) {
    const auto last = static_cast<size_t>(std::floor(static_cast<double>(prepared.size() - 1) * tail));
    std::nth_element(prepared.begin(), prepared.begin() + static_cast<std::ptrdiff_t>(last), prepared.end());
    return Mean(std::span<const double>(prepared.data(), last + 1));
  }
  if (prepared.size() < 2) return kNaN;
  const double deviation = StandardDeviation(prepared, conventions.ddof);
  const double mean = Mean(prepared);
  if (deviation == 0) return mean;
  return mean - deviation * NormalPdf(NormalQuantile(tail)) / tail;
}

}  // namespace alphaloom::metrics
