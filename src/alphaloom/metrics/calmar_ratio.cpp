#include "alphaloom/metrics/calmar_ratio.h"

#include <cmath>
#include <limits>

#include "alphaloom/metrics/annual_return.h"
#include "alphaloom/metrics/max_drawdown.h"

namespace alphaloom::metrics {

double CalmarRatio(std::span<const double> returns, const Conventions& conventions) {
  const double drawdown = MaxDrawdown(returns, conventions);
  if (!(drawdown < 0)) return std::numeric_limits<double>::quiet_NaN();
  return AnnualReturn(returns, conventions) / std::abs(drawdown);
}

}  // namespace alphaloom::metrics
