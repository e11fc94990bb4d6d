#include "alphaloom/metrics/cumulative_return.h"

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double CumulativeReturn(std::span<const double> returns, const Conventions& conventions) {
  const std::vector<double> prepared = PrepareReturns(returns, conventions);
  if (conventions.compounding == Compounding::kSum) return Sum(prepared);
  double wealth = 1.0;
  for (const double value : prepared) wealth *= 1.0 + value;
  return wealth - 1.0;
}

}  // namespace alphaloom::metrics
