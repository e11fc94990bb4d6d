#pragma once
// Maximum drawdown.
//   MDD = min_t D_t, the deepest point of the underwater curve (drawdown.h), reported as a
//   negative fraction (-0.2 = 20% below the peak) or, under kSum, a negative summed return.
// Conventions: compounding picks W_t = prod(1 + r) or C_t = sum(r); initial_capital_is_peak
// decides whether a first-period loss counts (empyrical / quantstats: yes; Qlib: no).
// Edge cases: empty (after NaN policy) -> NaN; never below a peak -> 0.
// Source: reference/finml.md section 6; Qlib risk_analysis, reference/qlib.md section 7.1.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The maximum drawdown of `returns` (<= 0), see the file comment.
double MaxDrawdown(std::span<const double> returns, const Conventions& conventions = {});

}  // namespace alphaloom::metrics
