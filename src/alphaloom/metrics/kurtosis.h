#pragma once
// Kurtosis of the return distribution.
//   biased:    b2 = m4 / m2^2, m_k = (1/n) sum (r - mean)^k; excess = b2 - 3      (scipy.stats.kurtosis)
//   unbiased:  G2 = ((n + 1) (b2 - 3) + 6) (n - 1) / ((n - 2) (n - 3)), excess  (pandas Series.kurt)
//              non-excess unbiased = G2 + 3
// KurtosisForm::kExcess (normal = 0) is what empyrical, quantstats and the summary report;
// KurtosisForm::kRaw (normal = 3) is what the PSR/DSR formulas need (reference/finml.md 5.1:
// passing excess kurtosis there is the classic bug).
// Edge cases: empty -> NaN; unbiased with n < 4 -> NaN; zero variance -> NaN (as scipy and
// quantstats 0.0.86 on pandas 3.1).
// Source: scipy / pandas; reference/finml.md sections 5.1 and 6.
#include <span>

#include "alphaloom/metrics/conventions.h"
#include "alphaloom/metrics/skewness.h"

namespace alphaloom::metrics {

/// Whether 3 (the normal distribution's kurtosis) is subtracted.
enum class KurtosisForm { kExcess, kRaw };

/// The kurtosis of `returns`, see the file comment.
double Kurtosis(std::span<const double> returns, const Conventions& conventions = {},
                KurtosisForm form = KurtosisForm::kExcess, MomentEstimator estimator = MomentEstimator::kBiased);

}  // namespace alphaloom::metrics
