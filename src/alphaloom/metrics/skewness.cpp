#include "alphaloom/metrics/skewness.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

CentralMoments ComputeCentralMoments(std::span<const double> values) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (values.empty()) return {kNaN, kNaN, kNaN};
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  if (*low == *high) return {0.0, 0.0, 0.0};
  const double mean = Mean(values);
  std::vector<double> second(values.size()), third(values.size()), fourth(values.size());
  for (size_t index = 0; index < values.size(); ++index) {
    const double deviation = values[index] - mean;
    second[index] = deviation * deviation;
    third[index] = second[index] * deviation;
    fourth[index] = second[index] * second[index];
  }
  const auto n = static_cast<double>(values.size());
  return {Sum(second) / n, Sum(third) / n, Sum(fourth) / n};
}

double Skewness(std::span<const double> returns, const Conventions& conventions, MomentEstimator estimator) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> prepared = PrepareReturns(returns, conventions);
  const auto n = static_cast<double>(prepared.size());
  if (prepared.empty() || (estimator == MomentEstimator::kUnbiased && n < 3)) return kNaN;
  const CentralMoments moments = ComputeCentralMoments(prepared);
  if (moments.m2 == 0) return kNaN;
  const double biased = moments.m3 / std::pow(moments.m2, 1.5);
  if (estimator == MomentEstimator::kBiased) return biased;
  return biased * std::sqrt(n * (n - 1.0)) / (n - 2.0);
}

}  // namespace alphaloom::metrics
