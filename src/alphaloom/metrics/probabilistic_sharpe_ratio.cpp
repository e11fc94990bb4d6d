#include "alphaloom/metrics/probabilistic_sharpe_ratio.h"

#include <cmath>
#include <limits>

#include "alphaloom/metrics/kurtosis.h"
#include "alphaloom/metrics/skewness.h"
#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double ProbabilisticSharpeRatio(double sharpe, double benchmark_sharpe, double observations, double skewness,
                                double kurtosis) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (!(observations >= 2) || !std::isfinite(sharpe)) return kNaN;
  const double variance_term = 1.0 - skewness * sharpe + (kurtosis - 1.0) / 4.0 * sharpe * sharpe;
  if (!(variance_term > 0)) return kNaN;
  return NormalCdf((sharpe - benchmark_sharpe) * std::sqrt(observations - 1.0) / std::sqrt(variance_term));
}

SharpeStatistics ComputeSharpeStatistics(std::span<const double> returns, const Conventions& conventions) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> excess = PrepareReturns(returns, conventions);
  const double risk_free = RiskFreePerPeriod(conventions);
  for (double& value : excess) value -= risk_free;
  SharpeStatistics statistics{kNaN, static_cast<double>(excess.size()), kNaN, kNaN};
  if (excess.size() < 2) return statistics;
  const double deviation = StandardDeviation(excess, conventions.ddof);
  if (deviation > 0) statistics.sharpe = Mean(excess) / deviation;
  Conventions as_is = conventions;
  as_is.nan_policy = NanPolicy::kSkip;
  statistics.skewness = Skewness(excess, as_is);
  statistics.kurtosis = Kurtosis(excess, as_is, KurtosisForm::kRaw);
  return statistics;
}

double ProbabilisticSharpeRatio(std::span<const double> returns, const Conventions& conventions,
                                double benchmark_sharpe) {
  const SharpeStatistics statistics = ComputeSharpeStatistics(returns, conventions);
  return ProbabilisticSharpeRatio(statistics.sharpe, benchmark_sharpe, statistics.observations, statistics.skewness,
                                  statistics.kurtosis);
}

}  // namespace alphaloom::metrics
