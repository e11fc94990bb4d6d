#pragma once
// Value at risk (one period, as a return: -0.02 = a 2% loss).
//   historical (default): VaR = P_{100 (1 - c)}(r), the linear-interpolation percentile
//   parametric:           VaR = mean(r) + std(r, ddof) * Phi^-1(1 - c)
// with confidence c = 0.95 by default.
// Edge cases: empty -> NaN; parametric with fewer than 2 observations -> NaN; parametric with
// zero variance -> the mean.
// Source: historical = empyrical `value_at_risk`; parametric = quantstats `value_at_risk`;
// reference/finml.md section 6 (pyfolio's mean - 2 sigma is not offered).
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// How a tail risk is estimated.
enum class TailMethod {
  kHistorical,  ///< from the empirical distribution (empyrical)
  kParametric,  ///< from a normal with the sample mean and standard deviation (quantstats)
};

/// The one-period value at risk of `returns` at `confidence` in (0, 1), see the file comment.
double ValueAtRisk(std::span<const double> returns, const Conventions& conventions = {}, double confidence = 0.95,
                   TailMethod method = TailMethod::kHistorical);

}  // namespace alphaloom::metrics
