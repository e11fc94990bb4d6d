#include "alphaloom/metrics/value_at_risk.h"

#include <limits>

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double ValueAtRisk(std::span<const double> returns, const Conventions& conventions, double confidence,
                   TailMethod method) {
  const std::vector<double> prepared = PrepareReturns(returns, conventions);
  if (method == TailMethod::kHistorical) return Percentile(prepared, 100.0 * (1.0 - confidence));
  if (prepared.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  const double deviation = StandardDeviation(prepared, conventions.ddof);
  const double mean = Mean(prepared);
  if (deviation == 0) return mean;
  return mean + deviation * NormalQuantile(1.0 - confidence);
}

}  // namespace alphaloom::metrics
