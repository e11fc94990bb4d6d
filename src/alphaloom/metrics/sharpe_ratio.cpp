#include "alphaloom/metrics/sharpe_ratio.h"

#include <cmath>
#include <limits>

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double MeanOverDeviation(std::span<const double> values, int ddof, double scale) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (values.size() < 2) return kNaN;
  const double mean = Mean(values);
  const double deviation = StandardDeviation(values, ddof);
  if (deviation == 0) {
    if (mean == 0) return kNaN;
    return mean > 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  }
  return mean / deviation * std::sqrt(scale);
}

double SharpeRatio(std::span<const double> returns, const Conventions& conventions) {
  std::vector<double> excess = PrepareReturns(returns, conventions);
  const double risk_free = RiskFreePerPeriod(conventions);
  for (double& value : excess) value -= risk_free;
  return MeanOverDeviation(excess, conventions.ddof, conventions.periods_per_year);
}

}  // namespace alphaloom::metrics
