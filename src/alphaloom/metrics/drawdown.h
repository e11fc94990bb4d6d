#pragma once
// The underwater curve: how far below its running peak the accumulated return stands after each
// period. Max drawdown, its duration and Calmar are read off this one curve.
#include <span>
#include <vector>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// Drawdown after each period of `prepared` (returns already passed through PrepareReturns),
/// always <= 0:
///   kCompound: D_t = W_t / P_t - 1,  W_t = prod_{s<=t} (1 + r_s)
///   kSum:      D_t = C_t - P_t,      C_t = sum_{s<=t} r_s  (an arithmetic difference, Qlib's)
/// where the running peak P_t = max_{s<=t} W_s (or C_s), also over the starting capital (W = 1,
/// C = 0) when conventions.initial_capital_is_peak. Empty in, empty out.
std::vector<double> Underwater(std::span<const double> prepared, const Conventions& conventions);

}  // namespace alphaloom::metrics
