#include "alphaloom/metrics/kurtosis.h"

#include <limits>

namespace alphaloom::metrics {

double Kurtosis(std::span<const double> returns, const Conventions& conventions, KurtosisForm form,
                MomentEstimator estimator) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> prepared = PrepareReturns(returns, conventions);
  const auto n = static_cast<double>(prepared.size());
  if (prepared.empty() || (estimator == MomentEstimator::kUnbiased && n < 4)) return kNaN;
  const CentralMoments moments = ComputeCentralMoments(prepared);
  if (moments.m2 == 0) return kNaN;
  double excess = moments.m4 / (moments.m2 * moments.m2) - 3.0;
  if (estimator == MomentEstimator::kUnbiased) excess = ((n + 1.0) * excess + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0));
  return form == KurtosisForm::kExcess ? excess : excess + 3.0;
}

}  // namespace alphaloom::metrics
