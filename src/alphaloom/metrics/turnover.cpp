#include "alphaloom/metrics/turnover.h"

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double MeanTurnover(std::span<const double> turnover) {
  Conventions skip_missing;
  skip_missing.nan_policy = NanPolicy::kSkip;
  return Mean(PrepareReturns(turnover, skip_missing));
}

double AnnualTurnover(std::span<const double> turnover, const Conventions& conventions) {
  return MeanTurnover(turnover) * conventions.periods_per_year;
}

}  // namespace alphaloom::metrics
