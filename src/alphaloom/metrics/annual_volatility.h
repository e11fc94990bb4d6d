#pragma once
// Annual volatility.
//   sigma_annual = std(r, ddof) * sqrt(N)
// Conventions: periods_per_year N, ddof (default 1), NaN policy. Not affected by compounding or
// the risk-free rate (a constant shift does not change the deviation).
// Edge cases: fewer than 2 observations -> NaN; all returns equal -> exactly 0.
// Source: empyrical `annual_volatility` (alpha = 2), quantstats `volatility`; finml.md section 6.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The annualized standard deviation of `returns`, see the file comment.
double AnnualVolatility(std::span<const double> returns, const Conventions& conventions = {});

}  // namespace alphaloom::metrics
