#pragma once
// Sortino ratio, annualized.
//   Sortino = mean(r - MAR) * N / DD,  DD = sqrt( (1/n) sum_t min(r_t - MAR, 0)^2 ) * sqrt(N)
// i.e. mean(r - MAR) / sqrt(mean(min(r - MAR, 0)^2)) * sqrt(N), with MAR = RiskFreePerPeriod.
// The downside sum runs over all n observations (downside_deviation.h).
// Edge cases: fewer than 2 observations -> NaN; no period below MAR -> +inf when the mean excess
// is positive (empyrical), NaN when it is 0 (quantstats returns NaN for every no-loss series;
// documented difference, docs/metrics.md).
// Source: empyrical `sortino_ratio`, quantstats `sortino`; reference/finml.md section 6.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The annualized Sortino ratio of `returns`, see the file comment.
double SortinoRatio(std::span<const double> returns, const Conventions& conventions = {});

}  // namespace alphaloom::metrics
