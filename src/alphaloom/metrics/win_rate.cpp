#include "alphaloom/metrics/win_rate.h"

#include <limits>

namespace alphaloom::metrics {

double WinRate(std::span<const double> returns, const Conventions& conventions) {
  size_t wins = 0;
  size_t decided = 0;
  for (const double value : PrepareReturns(returns, conventions)) {
    if (value == 0) continue;
    ++decided;
    if (value > 0) ++wins;
  }
  if (decided == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(wins) / static_cast<double>(decided);
}

}  // namespace alphaloom::metrics
