#include "alphaloom/metrics/minimum_track_record_length.h"

#include <cmath>
#include <limits>

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double MinimumTrackRecordLength(double sharpe, double benchmark_sharpe, double skewness, double kurtosis,
                                double alpha) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (!std::isfinite(sharpe) || !std::isfinite(benchmark_sharpe) || !std::isfinite(skewness) ||
      !std::isfinite(kurtosis)) {
    return kNaN;
  }
  const double variance_term = 1.0 - skewness * sharpe + (kurtosis - 1.0) / 4.0 * sharpe * sharpe;
  if (!(variance_term > 0)) return kNaN;
  if (sharpe <= benchmark_sharpe) return std::numeric_limits<double>::infinity();
  const double ratio = NormalQuantile(1.0 - alpha) / (sharpe - benchmark_sharpe);
  return 1.0 + variance_term * ratio * ratio;
}

}  // namespace alphaloom::metrics
