#pragma once
// Target-weight portfolios: each signal row gives the fraction of account value to hold in each
// instrument (from sizing, or a weights file); the day's orders move the book there.
#include "alphaloom/backtest/strategy.h"

namespace alphaloom::backtest {

struct TargetWeightsOptions {
  /// Accept negative weights (short positions). False: a negative weight is an Error(kData).
  bool allow_short = false;
  /// Largest accepted sum of |weight| over a row (1 = no leverage); larger -> Error(kData).
  double max_gross = 1.0;
};

/// The orders that move `context.account` to `weights` (one per market instrument, NaN = 0):
/// target amount = weight * V / deal price with V the account value at the last marks; the
/// change is rounded toward zero to lots, except that a weight of 0 sells (or covers) the whole
/// position. Names not tradable in the needed direction are left as they are. Sells come first,
/// then buys, each in market instrument order. Throws Error(kData) naming `date` and the
/// instrument for a negative weight when !allow_short, and for a gross weight above max_gross.
std::vector<Order> OrdersForWeights(std::span<const double> weights, const DecisionContext& context,
                                    const TargetWeightsOptions& options, Date date);

/// Rebalances to the row of the weights file the timing allows; a day without a row keeps the
/// book unchanged (weights files may list rebalancing dates only).
class TargetWeightsStrategy : public Strategy {
 public:
  explicit TargetWeightsStrategy(TargetWeightsOptions options) : options_(options) {}
  std::vector<Order> Decide(const DecisionContext& context) override;

 private:
  TargetWeightsOptions options_;
};

}  // namespace alphaloom::backtest
