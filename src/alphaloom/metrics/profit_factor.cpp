#include "alphaloom/metrics/profit_factor.h"

#include <cmath>
#include <limits>

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double ProfitFactor(std::span<const double> returns, const Conventions& conventions) {
  std::vector<double> gains;
  std::vector<double> losses;
  for (const double value : PrepareReturns(returns, conventions)) {
    if (value > 0) gains.push_back(value);
    if (value < 0) losses.push_back(value);
  }
  const double gained = Sum(gains);
  const double lost = std::abs(Sum(losses));
  if (lost == 0) return gained > 0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  return gained / lost;
}

}  // namespace alphaloom::metrics
