#include "alphaloom/metrics/longest_drawdown_duration.h"

#include <algorithm>
#include <limits>

#include "alphaloom/metrics/drawdown.h"

namespace alphaloom::metrics {

double LongestDrawdownDuration(std::span<const double> returns, const Conventions& conventions) {
  const std::vector<double> underwater = Underwater(PrepareReturns(returns, conventions), conventions);
  if (underwater.empty()) return std::numeric_limits<double>::quiet_NaN();
  size_t longest = 0;
  size_t current = 0;
  for (const double drawdown : underwater) {
    current = drawdown < 0 ? current + 1 : 0;
    longest = std::max(longest, current);
  }
  return static_cast<double>(longest);
}

}  // namespace alphaloom::metrics
