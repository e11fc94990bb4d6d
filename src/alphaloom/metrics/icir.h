#pragma once
// Summary of a daily IC (or rank IC) series: mean, standard deviation and ICIR.
//   mean = mean_t(IC_t), std = std_t(IC_t, ddof 1), ICIR = mean / std
// over the days with a defined IC (NaN days skipped and not counted). NOT annualized (Qlib's
// ICIR / Rank ICIR and alphalens' "Risk-Adjusted IC"); an annualized variant would need its own
// name (reference/finml.md section 7).
// Edge cases: no valid day -> mean NaN; fewer than 2 valid days -> std and ICIR NaN; zero std ->
// ICIR +inf / -inf by the sign of the mean, NaN when it is 0.
// Source: Qlib `SigAnaRecord` (reference/qlib.md section 7.2); alphalens information table.
#include <cstddef>
#include <span>

namespace alphaloom::metrics {

struct IcSummary {
  double mean;
  double std;
  double ir;    ///< ICIR (or rank ICIR when summarizing rank IC)
  size_t days;  ///< days with a defined IC
};

/// Summarizes a per-day IC series, see the file comment.
IcSummary SummarizeIc(std::span<const double> daily_ic);

}  // namespace alphaloom::metrics
