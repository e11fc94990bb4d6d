#pragma once
// Profit factor, per period.
//   PF = sum_{r_t > 0} r_t / |sum_{r_t < 0} r_t|
// Computed on the return series, not on round-trip trades. No risk-free rate.
// Edge cases: no losing period -> +inf when some period gained, NaN when every return is 0 or
// the series is empty (quantstats returns 0.0 for that case; documented difference).
// Source: quantstats `profit_factor`; reference/finml.md section 6.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// Gross gains over gross losses of `returns`, see the file comment.
double ProfitFactor(std::span<const double> returns, const Conventions& conventions = {});

}  // namespace alphaloom::metrics
