#pragma once
// Omega ratio.
//   Omega = sum_t max(x_t, 0) / sum_t max(-x_t, 0),  x_t = r_t - rf_p - L
// with rf_p = RiskFreePerPeriod(conventions) and L the per-period equivalent of the annual
// required return R: (1 + R)^(1/N) - 1 under kCompound (empyrical), R / N under kSum.
// Edge cases: empty -> NaN; no period below the threshold (denominator 0) -> NaN (empyrical and
// quantstats agree); R <= -1 -> NaN.
// Source: empyrical `omega_ratio`, quantstats `omega`; reference/finml.md section 6.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The Omega ratio of `returns` against the annual required return `required_return_annual`.
double OmegaRatio(std::span<const double> returns, const Conventions& conventions = {},
                  double required_return_annual = 0.0);

}  // namespace alphaloom::metrics
