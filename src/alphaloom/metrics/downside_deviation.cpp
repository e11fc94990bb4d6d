#include "alphaloom/metrics/downside_deviation.h"

#include <algorithm>
#include <cmath>

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double DownsideDeviation(std::span<const double> returns, const Conventions& conventions) {
  std::vector<double> squares = PrepareReturns(returns, conventions);
  const double target = RiskFreePerPeriod(conventions);
  for (double& value : squares) {
    const double shortfall = std::min(value - target, 0.0);
    value = shortfall * shortfall;
  }
  return std::sqrt(Mean(squares)) * std::sqrt(conventions.periods_per_year);
}

}  // namespace alphaloom::metrics
