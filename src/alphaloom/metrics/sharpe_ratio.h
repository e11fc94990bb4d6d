#pragma once
// Sharpe ratio, annualized.
//   SR = mean(r - rf_p) / std(r - rf_p, ddof) * sqrt(N)
// with rf_p = RiskFreePerPeriod(conventions) (0 by default) and N = periods_per_year.
// Conventions: periods_per_year, risk_free_annual, ddof (default 1), NaN policy. Under the qlib
// preset this is Qlib's "information_ratio" of the series (rf 0, N 238).
// Edge cases: fewer than 2 observations -> NaN; zero variance (all excess returns equal) ->
// +inf when the mean is positive, -inf when negative, NaN when 0 (empyrical and quantstats give
// +inf for constant positive returns as well).
// Source: empyrical `sharpe_ratio`, quantstats `sharpe`; reference/finml.md section 6.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The annualized Sharpe ratio of `returns`, see the file comment.
double SharpeRatio(std::span<const double> returns, const Conventions& conventions = {});

/// mean / std * sqrt(scale) for already prepared values, with the zero-variance rule of the file
/// comment; shared by the Sharpe ratio, the information ratio and the PSR's per-period Sharpe.
double MeanOverDeviation(std::span<const double> values, int ddof, double scale);

}  // namespace alphaloom::metrics
