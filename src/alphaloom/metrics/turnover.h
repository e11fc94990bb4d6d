#pragma once
// Portfolio turnover, from a per-period turnover series.
//   mean turnover   = mean_t(tau_t)
//   annual turnover = mean_t(tau_t) * N
// where tau_t is what the backtest reports for period t: traded value / the previous period's
// account value (Qlib's convention, reference/qlib.md section 6.4; a full rebalance out of one
// book into another is 2.0). NaN periods are skipped whatever the NaN policy (a missing
// turnover is not a day without trading).
// Edge cases: empty, or every value NaN -> NaN.
// Source: reference/qlib.md section 6.4; pyfolio's `get_turnover` divides by the average book
// instead (reference/finml.md section 7) and is not offered.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The mean per-period turnover.
double MeanTurnover(std::span<const double> turnover);

/// The mean per-period turnover times periods_per_year.
double AnnualTurnover(std::span<const double> turnover, const Conventions& conventions = {});

}  // namespace alphaloom::metrics
