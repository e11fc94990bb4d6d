#include "alphaloom/metrics/information_ratio.h"

#include "alphaloom/metrics/sharpe_ratio.h"

namespace alphaloom::metrics {

double InformationRatio(std::span<const double> returns, std::span<const double> benchmark,
                        const Conventions& conventions) {
  PreparedPair pair = PreparePair(returns, benchmark, conventions);
  for (size_t index = 0; index < pair.first.size(); ++index) pair.first[index] -= pair.second[index];
  return MeanOverDeviation(pair.first, conventions.ddof, conventions.periods_per_year);
}

}  // namespace alphaloom::metrics
