#pragma once
// Long-short quantile portfolio: long the top fraction of the scored names, short the bottom
// fraction, equal weights within each side, rebalanced every day that has a signal row.
#include "alphaloom/backtest/target_weights.h"

namespace alphaloom::backtest {

struct QuantileOptions {
  /// Fraction of the scored names on each side: n_side = max(1, floor(n * quantile)); in (0, 0.5].
  double quantile = 0.2;
  /// Weight of each side as a fraction of account value: +exposure long, -exposure short.
  double exposure = 0.5;
  /// Long side only (a long-only top-quantile portfolio).
  bool long_only = false;
};

/// Throws Error(kConfig) for quantile outside (0, 0.5] or exposure outside (0, 1].
void ValidateQuantileOptions(const QuantileOptions& options);

/// Weights from the day's scores as above (fewer than 2 scored names -> all 0: the book is
/// closed), then OrdersForWeights. Ties break by market instrument order. Needs an exchange
/// that allows short selling unless long_only.
class QuantileStrategy : public Strategy {
 public:
  explicit QuantileStrategy(QuantileOptions options);
  std::vector<Order> Decide(const DecisionContext& context) override;

 private:
  QuantileOptions options_;
};

}  // namespace alphaloom::backtest
