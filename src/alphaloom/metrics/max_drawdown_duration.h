#pragma once
// Duration of the maximum drawdown, in periods.
//   The number of consecutive periods the underwater curve (drawdown.h) stays below 0 in the
//   episode that contains the maximum drawdown's trough: from the first period below the peak
//   to the last period before the curve is back at the peak (D = 0), or to the series' end when
//   it never recovers. The earliest trough wins a tie.
// Conventions: as max_drawdown.h. Periods are observations after the NaN policy, not calendar
// days (quantstats' drawdown_details and pyfolio count calendar days from peak to recovery).
// Edge cases: empty -> NaN; never below a peak -> 0.
// Source: AlphaLoom definition (pyfolio's drawdown table measures the same episode in days).
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// Periods spent under water in the maximum drawdown's episode, see the file comment.
double MaxDrawdownDuration(std::span<const double> returns, const Conventions& conventions = {});

}  // namespace alphaloom::metrics
