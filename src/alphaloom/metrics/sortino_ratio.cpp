#include "alphaloom/metrics/sortino_ratio.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double SortinoRatio(std::span<const double> returns, const Conventions& conventions) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> excess = PrepareReturns(returns, conventions);
  if (excess.size() < 2) return kNaN;
  const double target = RiskFreePerPeriod(conventions);
  std::vector<double> squares(excess.size());
  for (size_t index = 0; index < excess.size(); ++index) {
    excess[index] -= target;
    const double shortfall = std::min(excess[index], 0.0);
    squares[index] = shortfall * shortfall;
  }
  const double mean = Mean(excess);
  const double downside = std::sqrt(Mean(squares));
  if (downside == 0) return mean > 0 ? std::numeric_limits<double>::infinity() : kNaN;
  return mean / downside * std::sqrt(conventions.periods_per_year);
}

}  // namespace alphaloom::metrics
