#pragma once
// Win rate, per period.
//   win rate = #{t : r_t > 0} / #{t : r_t != 0}
// Flat periods (r = 0) are neither wins nor losses and are left out of both counts. Computed on
// the return series, not on round-trip trades.
// Conventions: NaN policy only (under kZero a NaN becomes a flat period and so drops out too).
// Edge cases: empty, or every return 0 -> NaN (quantstats returns 0.0 with a warning;
// documented difference).
// Source: quantstats `win_rate`; reference/finml.md section 6.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The share of non-flat periods with a positive return, see the file comment.
double WinRate(std::span<const double> returns, const Conventions& conventions = {});

}  // namespace alphaloom::metrics
