#pragma once
// Calmar ratio.
//   Calmar = AnnualReturn(r) / |MaxDrawdown(r)|
// over the whole series (not a trailing 36 months), both under the same conventions: under
// kCompound the CAGR over the compounded drawdown (empyrical, quantstats); under kSum the
// arithmetic annual return over the summed drawdown.
// Edge cases: empty -> NaN; no drawdown (MDD = 0) -> NaN (empyrical; quantstats returns +inf,
// documented difference).
// Source: empyrical `calmar_ratio`, quantstats `calmar`; reference/finml.md section 6.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// The Calmar ratio of `returns`, see the file comment.
double CalmarRatio(std::span<const double> returns, const Conventions& conventions = {});

}  // namespace alphaloom::metrics
