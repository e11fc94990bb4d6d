#pragma once
// Qlib's `qlib.contrib.evaluate.risk_analysis(r, N, mode)`, number for number
// (reference/qlib.md section 7.1), so a Qlib report can be checked against AlphaLoom's.
//   mode "sum" (Qlib's default):  mean = mean(r), std = std(r, ddof 1), annualized_return = mean * N,
//                                 max_drawdown = min_t(C_t - max_{s<=t} C_s), C = cumsum(r)
//   mode "product":               W = cumprod(1 + r), mean = W_last^(1/n) - 1,
//                                 std = std(log(1 + r), ddof 1), annualized_return = W_last^(N/n) - 1,
//                                 max_drawdown = min_t(W_t / max_{s<=t} W_s - 1)
//   information_ratio = mean / std * sqrt(N)   (both modes)
// The running peak starts at the first value (a first-day loss is no drawdown). NaN returns are
// skipped as pandas does, with Qlib's quirks kept: in "product" mode n = len(r) counts NaN
// entries too, and a NaN last return makes mean and annualized_return NaN. A zero std divides
// as IEEE does (+-inf, or NaN for 0/0); pandas may instead report a tiny non-zero std for a
// constant series, the one case where the numbers can differ.
// Edge cases: empty -> every field NaN.
// Source: pyqlib 0.9.7 `qlib/contrib/evaluate.py`.
#include <span>

namespace alphaloom::metrics {

/// How Qlib accumulates returns.
enum class QlibAccumulation { kSum, kProduct };

/// The five rows of Qlib's risk_analysis table.
struct RiskAnalysis {
  double mean;
  double std;
  double annualized_return;
  double information_ratio;
  double max_drawdown;
};

/// Qlib's risk_analysis of `returns` with annualization factor `periods_per_year` (238 for
/// freq "day"), see the file comment.
RiskAnalysis QlibRiskAnalysis(std::span<const double> returns, double periods_per_year = 238.0,
                              QlibAccumulation accumulation = QlibAccumulation::kSum);

}  // namespace alphaloom::metrics
