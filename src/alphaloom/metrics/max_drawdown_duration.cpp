#include "alphaloom/metrics/max_drawdown_duration.h"

#include <limits>

#include "alphaloom/metrics/drawdown.h"

namespace alphaloom::metrics {

double MaxDrawdownDuration(std::span<const double> returns, const Conventions& conventions) {
  const std::vector<double> underwater = Underwater(PrepareReturns(returns, conventions), conventions);
  if (underwater.empty()) return std::numeric_limits<double>::quiet_NaN();
  size_t trough = 0;
  for (size_t index = 1; index < underwater.size(); ++index) {
    if (underwater[index] < underwater[trough]) trough = index;
  }
  if (underwater[trough] >= 0) return 0.0;
  size_t first = trough;
  while (first > 0 && underwater[first - 1] < 0) --first;
  size_t last = trough;
  while (last + 1 < underwater.size() && underwater[last + 1] < 0) ++last;
  return static_cast<double>(last - first + 1);
}

}  // namespace alphaloom::metrics
