#pragma once
// Excess return over a benchmark, without and with costs (Qlib's two report series).
//   without cost: e_t = r_t - b_t
//   with cost:    e_t = r_t - b_t - c_t
// where r is the strategy's return gross of costs, b the benchmark's return and c the cost rate
// of period t (cost paid / previous account value), reference/qlib.md section 6.4. The annual
// excess return is AnnualReturn(e) under the same conventions: with kSum (Qlib) it is
// (mean(r) - mean(b) - mean(c)) * N; with kCompound it is the CAGR of the difference series,
// which is not the difference of the two CAGRs.
// NaN: a period where any input is NaN gives a NaN excess return, which the NaN policy of the
// metric then skips or zeroes.
// Source: Qlib `PortAnaRecord` (excess_return_without_cost / excess_return_with_cost).
#include <span>
#include <vector>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// r - b - c period by period; pass an empty `costs` for the series without cost. Throws
/// Error(kData) when the lengths differ.
std::vector<double> ExcessReturns(std::span<const double> returns, std::span<const double> benchmark,
                                  std::span<const double> costs = {});

/// AnnualReturn(ExcessReturns(returns, benchmark, costs), conventions).
double AnnualExcessReturn(std::span<const double> returns, std::span<const double> benchmark,
                          std::span<const double> costs = {}, const Conventions& conventions = {});

}  // namespace alphaloom::metrics
