#pragma once
// Skewness of the return distribution.
//   biased (default):  g1 = m3 / m2^(3/2),  m_k = (1/n) sum (r - mean)^k       (scipy.stats.skew)
//   unbiased:          G1 = g1 * sqrt(n (n - 1)) / (n - 2)                      (pandas Series.skew)
// Conventions: NaN policy only.
// Edge cases: empty -> NaN; unbiased with n < 3 -> NaN; zero variance -> NaN (as scipy and
// quantstats 0.0.86 on pandas 3.1).
// Source: empyrical / scipy (biased), quantstats / pandas (unbiased); reference/finml.md sections
// 5.1 (the PSR uses the biased estimate) and 6.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// Which moment estimator: the plain sample moments, or the bias-adjusted Fisher-Pearson ones.
enum class MomentEstimator { kBiased, kUnbiased };

/// The skewness of `returns`, see the file comment.
double Skewness(std::span<const double> returns, const Conventions& conventions = {},
                MomentEstimator estimator = MomentEstimator::kBiased);

/// Central moments m2, m3, m4 (population, 1/n) of prepared values; all NaN when empty.
struct CentralMoments {
  double m2, m3, m4;
};
CentralMoments ComputeCentralMoments(std::span<const double> values);

}  // namespace alphaloom::metrics
