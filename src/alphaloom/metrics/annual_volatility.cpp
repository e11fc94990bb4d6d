#include "alphaloom/metrics/annual_volatility.h"

#include <cmath>
#include <limits>

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double AnnualVolatility(std::span<const double> returns, const Conventions& conventions) {
  const std::vector<double> prepared = PrepareReturns(returns, conventions);
  if (prepared.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  return StandardDeviation(prepared, conventions.ddof) * std::sqrt(conventions.periods_per_year);
}

}  // namespace alphaloom::metrics
