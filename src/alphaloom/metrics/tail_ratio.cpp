#include "alphaloom/metrics/tail_ratio.h"

#include <cmath>
#include <limits>

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double TailRatio(std::span<const double> returns, const Conventions& conventions, double cutoff) {
  const std::vector<double> prepared = PrepareReturns(returns, conventions);
  const double upper = Percentile(prepared, 100.0 * cutoff);
  const double lower = Percentile(prepared, 100.0 * (1.0 - cutoff));
  if (std::isnan(upper) || std::isnan(lower) || lower == 0) return std::numeric_limits<double>::quiet_NaN();
  return std::abs(upper) / std::abs(lower);
}

}  // namespace alphaloom::metrics
