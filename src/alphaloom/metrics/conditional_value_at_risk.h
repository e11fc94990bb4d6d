#pragma once
// Conditional value at risk (expected shortfall), one period, as a return.
//   historical (default): the mean of the k + 1 smallest returns, k = floor((n - 1) * (1 - c))
//   parametric:           mean - std(r, ddof) * phi(Phi^-1(1 - c)) / (1 - c), the expected
//                         value of a normal below its (1 - c) quantile
// with confidence c = 0.95 by default and phi the standard normal density.
// Edge cases: empty -> NaN; parametric with fewer than 2 observations -> NaN; parametric with
// zero variance -> the mean.
// Source: historical = empyrical `conditional_value_at_risk` (reference/finml.md section 6);
// parametric = quantstats >= 0.0.83 `cvar` (method "parametric"). quantstats 0.0.81, which
// finml.md tabulates, averaged the returns below the parametric VaR instead; documented in
// docs/metrics.md.
#include <span>

#include "alphaloom/metrics/conventions.h"
#include "alphaloom/metrics/value_at_risk.h"

namespace alphaloom::metrics {

/// The one-period expected shortfall of `returns` at `confidence` in (0, 1).
double ConditionalValueAtRisk(std::span<const double> returns, const Conventions& conventions = {},
                              double confidence = 0.95, TailMethod method = TailMethod::kHistorical);

}  // namespace alphaloom::metrics
