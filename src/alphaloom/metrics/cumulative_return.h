#pragma once
// Cumulative (total) return over the whole series.
//   kCompound: prod_t (1 + r_t) - 1        kSum: sum_t r_t
// Conventions: compounding; NaN policy. No annualization, no risk-free rate.
// Edge cases: empty -> 0 (nothing accumulated), matching empyrical's cum_returns_final.
// Source: empyrical `cum_returns_final`; Qlib's summed curve (reference/qlib.md section 7.1).
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The total return of `returns` under conventions.compounding.
double CumulativeReturn(std::span<const double> returns, const Conventions& conventions = {});

}  // namespace alphaloom::metrics
