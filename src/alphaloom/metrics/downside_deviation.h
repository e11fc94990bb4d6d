#pragma once
// Downside deviation, annualized.
//   DD = sqrt( (1/n) * sum_t min(r_t - MAR, 0)^2 ) * sqrt(N)
// summing over ALL n observations (a period above the target contributes 0 but is counted),
// MAR = RiskFreePerPeriod(conventions) (0 by default). No ddof: a mean of squares about the
// target, not a deviation about the mean.
// Edge cases: empty -> NaN; no period below the target -> 0.
// Source: empyrical `downside_risk`; reference/finml.md section 6 (N_neg in the denominator and
// the std of negative returns are the known wrong variants).
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The annualized downside deviation of `returns` below the per-period risk-free rate.
double DownsideDeviation(std::span<const double> returns, const Conventions& conventions = {});

}  // namespace alphaloom::metrics
