#pragma once
// Qlib's TopkDropoutStrategy (reference/qlib.md section 6.2) with its quirks reproduced by
// default, each corrected behaviour behind a named option.
#include "alphaloom/backtest/strategy.h"

namespace alphaloom::backtest {

/// How much cash each buy gets.
enum class TopkSizing {
  /// Qlib: cash after the day's sells * risk_degree / number of buys (issue #612: sized on cash,
  /// not equity, so the first day's names get much more than later replacements).
  kCash,
  /// min(that, account value * risk_degree / topk): every name aims at an equal share of equity.
  kEquity,
};

struct TopkDropoutOptions {
  int topk = 50;
  int n_drop = 5;
  /// Fraction of cash used for buys (Qlib's risk_degree attribute, used directly: issue #2276).
  double risk_degree = 0.95;
  /// A holding is sold only after this many closes (1 = any holding bought before today).
  int hold_thresh = 1;
  /// Qlib's only_tradable: candidate lists skip untradable names before they are cut.
  bool only_tradable = false;
  /// Qlib's forbid_all_trade_at_limit: a limit in either direction blocks buys and sells.
  bool forbid_all_trade_at_limit = true;
  TopkSizing sizing = TopkSizing::kCash;
  /// Qlib slices lists with Python semantics: a negative count (a book that grew beyond
  /// topk + n_drop because holdings could not be sold) cuts from the end, and n_drop = 0 makes
  /// "the last n_drop" the whole list. False clamps counts at 0 and sells nothing for n_drop 0.
  bool python_slices = true;
};

/// Throws Error(kConfig) for topk < 1, n_drop < 0, hold_thresh < 0, risk_degree outside (0, 1].
void ValidateTopkDropoutOptions(const TopkDropoutOptions& options);

/// On a day with a signal row:
///  1. last  = holdings by score, descending (no score = NaN = sorted last);
///  2. today = the best n_drop + topk - |holdings| scored names not held;
///  3. comb  = last and today by score; sell = the holdings among comb's last n_drop;
///  4. buy   = today[: |sell| + topk - |holdings|];
///  5. sells: whole holdings of `sell` that are tradable and held >= hold_thresh closes, dealt on
///     a copy of the account to learn the cash they free;
///  6. buys: each tradable name of `buy` gets the sizing's value / deal price, rounded down to
///     lots (an order is emitted even when that rounds to 0).
/// Ties in score and the order among NaN scores break by market instrument order (Qlib uses
/// pandas' unstable sort; ties do not occur with continuous scores). No signal row -> no orders.
class TopkDropoutStrategy : public Strategy {
 public:
  explicit TopkDropoutStrategy(TopkDropoutOptions options);
  std::vector<Order> Decide(const DecisionContext& context) override;

 private:
  TopkDropoutOptions options_;
};

}  // namespace alphaloom::backtest
