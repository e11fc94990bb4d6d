#include "alphaloom/regime/regime.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace alphaloom::regime {

RegimeSeries EmptyRegimes(std::vector<Date> dates) {
  RegimeSeries series;
  series.regime.assign(dates.size(), -1);
  series.probabilities.assign(dates.size(), {});
  series.dates = std::move(dates);
  return series;
}

int MostLikely(const std::array<double, kRegimeCount>& probabilities) {
  int best = -1;
  double best_value = 0;
  for (size_t index = 0; index < kRegimeCount; ++index) {
    if (probabilities[index] > best_value) {
      best_value = probabilities[index];
      best = static_cast<int>(index);
    }
  }
  return best;
}

double RealizedVolatility(const std::vector<double>& prices, size_t end, size_t window) {
  if (window < 2 || end < window) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  double sum_squares = 0;
  for (size_t index = end + 1 - window; index <= end; ++index) {
    const double log_return = std::log(prices[index] / prices[index - 1]);
    sum += log_return;
    sum_squares += log_return * log_return;
  }
  const double n = static_cast<double>(window);
  const double variance = std::max(0.0, (sum_squares - sum * sum / n) / (n - 1));
  return std::sqrt(variance * 252.0);
}

}  // namespace alphaloom::regime
