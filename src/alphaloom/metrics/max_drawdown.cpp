#include "alphaloom/metrics/max_drawdown.h"

#include <algorithm>
#include <limits>

#include "alphaloom/metrics/drawdown.h"

namespace alphaloom::metrics {

double MaxDrawdown(std::span<const double> returns, const Conventions& conventions) {
  const std::vector<double> underwater = Underwater(PrepareReturns(returns, conventions), conventions);
  if (underwater.empty()) return std::numeric_limits<double>::quiet_NaN();
  return *std::min_element(underwater.begin(), underwater.end());
}

}  // namespace alphaloom::metrics
