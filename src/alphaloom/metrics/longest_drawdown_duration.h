#pragma once
// Longest drawdown duration, in periods.
//   max over drawdown episodes of the number of consecutive periods with D_t < 0 (drawdown.h);
//   an episode still open at the end of the series counts up to the last period.
// Conventions: as max_drawdown.h; periods after the NaN policy, not calendar days (quantstats'
// "Longest DD Days" counts calendar days).
// Edge cases: empty -> NaN; never below a peak -> 0.
// Source: AlphaLoom definition.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The longest run of periods under water, see the file comment.
double LongestDrawdownDuration(std::span<const double> returns, const Conventions& conventions = {});

}  // namespace alphaloom::metrics
