#include "alphaloom/metrics/icir.h"

#include <cmath>
#include <vector>

#include "alphaloom/metrics/sharpe_ratio.h"
#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

IcSummary SummarizeIc(std::span<const double> daily_ic) {
  std::vector<double> valid;
  for (const double value : daily_ic) {
    if (!std::isnan(value)) valid.push_back(value);
  }
  return {Mean(valid), StandardDeviation(valid, 1), MeanOverDeviation(valid, 1, 1.0), valid.size()};
}

}  // namespace alphaloom::metrics
