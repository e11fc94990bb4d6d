#pragma once
// Information ratio, annualized.
//   IR = mean(a) / std(a, ddof) * sqrt(N),  a_t = r_t - b_t (active return)
// Conventions: periods_per_year, ddof, NaN policy (a period is skipped when either series is NaN
// under kSkip). No risk-free rate: it cancels in r - b.
// Qlib's "information_ratio" of the excess-return series is this number (N 238). empyrical's
// `excess_sharpe` and quantstats' `information_ratio` do not annualize: theirs = ours / sqrt(N)
// (documented difference).
// Edge cases: fewer than 2 periods -> NaN; zero tracking error -> +inf / -inf by the sign of the
// mean active return, NaN when it is 0. Throws Error(kData) when the lengths differ.
// Source: Qlib risk_analysis (reference/qlib.md section 7.1); empyrical `excess_sharpe`.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The annualized information ratio of `returns` against `benchmark`, see the file comment.
double InformationRatio(std::span<const double> returns, std::span<const double> benchmark,
                        const Conventions& conventions = {});

}  // namespace alphaloom::metrics
