#include "alphaloom/metrics/annual_return.h"

#include <cmath>
#include <limits>

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double CompoundedAnnualReturn(std::span<const double> returns, const Conventions& conventions) {
  const std::vector<double> prepared = PrepareReturns(returns, conventions);
  if (prepared.empty()) return std::numeric_limits<double>::quiet_NaN();
  double wealth = 1.0;
  for (const double value : prepared) wealth *= 1.0 + value;
  if (wealth < 0) return std::numeric_limits<double>::quiet_NaN();
  return std::pow(wealth, conventions.periods_per_year / static_cast<double>(prepared.size())) - 1.0;
}

double ArithmeticAnnualReturn(std::span<const double> returns, const Conventions& conventions) {
  return Mean(PrepareReturns(returns, conventions)) * conventions.periods_per_year;
}

double AnnualReturn(std::span<const double> returns, const Conventions& conventions) {
  return conventions.compounding == Compounding::kSum ? ArithmeticAnnualReturn(returns, conventions)
                                                      : CompoundedAnnualReturn(returns, conventions);
}

}  // namespace alphaloom::metrics
