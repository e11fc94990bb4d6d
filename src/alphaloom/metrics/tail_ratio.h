#pragma once
// Tail ratio.
//   TR = |P_c(r)| / |P_{1-c}(r)|,  c = 0.95 by default
// with P_q the linear-interpolation percentile (numpy's default; statistics.h).
// Edge cases: empty -> NaN; lower percentile exactly 0 -> NaN (quantstats; empyrical divides and
// returns +inf, documented difference).
// Source: empyrical `tail_ratio`, quantstats `tail_ratio`; reference/finml.md section 6.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The right tail over the left tail of `returns`; `cutoff` in (0.5, 1).
double TailRatio(std::span<const double> returns, const Conventions& conventions = {}, double cutoff = 0.95);

}  // namespace alphaloom::metrics
