#include "alphaloom/metrics/omega_ratio.h"

#include <cmath>
#include <limits>

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double OmegaRatio(std::span<const double> returns, const Conventions& conventions, double required_return_annual) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (!(required_return_annual > -1)) return kNaN;
  const std::vector<double> prepared = PrepareReturns(returns, conventions);
  if (prepared.empty()) return kNaN;
  double threshold = 0.0;
  if (required_return_annual != 0) {
    threshold = conventions.compounding == Compounding::kSum
                    ? required_return_annual / conventions.periods_per_year
                    : std::pow(1.0 + required_return_annual, 1.0 / conventions.periods_per_year) - 1.0;
  }
  const double risk_free = RiskFreePerPeriod(conventions);
  std::vector<double> above;
  std::vector<double> below;
  for (const double value : prepared) {
    const double excess = value - risk_free - threshold;
    if (excess > 0) above.push_back(excess);
    if (excess < 0) below.push_back(-excess);
  }
  const double denominator = Sum(below);
  if (denominator == 0) return kNaN;
  return Sum(above) / denominator;
}

}  // namespace alphaloom::metrics
