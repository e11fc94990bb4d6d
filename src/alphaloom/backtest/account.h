#pragma once
// Cash and holdings of one backtest, in adjusted shares (Qlib's "amount"), with the bookkeeping
// Qlib's Position does: buys add value / price, sells remove it, a holding sold down to
// (numerically) nothing disappears, and end-of-day marks move holdings to the day's close.
#include <span>
#include <vector>

namespace alphaloom::backtest {

/// One held instrument. `price` is the last mark: the deal price on the day it was first bought,
/// then each later close of a day it was not suspended.
struct Holding {
  size_t instrument = 0;
  double amount = 0.0;  ///< adjusted shares; negative for a short position
  double price = 0.0;
  int days_held = 0;  ///< closes seen since the first buy (0 on the buy day, 1 after its close)
};

/// Cash plus holdings, holdings in the order they were opened.
class Account {
 public:
  Account() = default;
  /// An account of `instrument_count` possible instruments holding `cash` and nothing else.
  Account(double cash, size_t instrument_count);

  double cash() const { return cash_; }
  std::span<const Holding> holdings() const { return holdings_; }
  /// The holding of `instrument`, or null.
  const Holding* Find(size_t instrument) const;
  /// Held amount of `instrument` (0 when not held).
  double Amount(size_t instrument) const;
  /// Sum of amount * price over the holdings.
  double HoldingsValue() const;
  /// cash + HoldingsValue(): the account value at the current marks.
  double Value() const { return cash_ + HoldingsValue(); }

  /// Books a buy of value `value` at `price` (amount value / price) paying `cost`: cash falls by
  /// value + cost. A new holding starts marked at `price`. A buy that brings a short back to
  /// (numerically) zero removes the holding.
  void Buy(size_t instrument, double value, double price, double cost);
  /// Books a sale of value `value` at `price` receiving value - cost. Selling (numerically) the
  /// whole holding removes it (np.isclose(held, sold), as Qlib); selling what is not held opens
  /// or extends a short position.
  void Sell(size_t instrument, double value, double price, double cost);
  /// Sets the mark of a held instrument (no-op when not held).
  void Mark(size_t instrument, double price);
  /// Adds one to every holding's days_held (the end of a trading day).
  void CountDay();

 private:
  void Remove(size_t position);
  double cash_ = 0.0;
  std::vector<Holding> holdings_;
  std::vector<long> slot_;  ///< instrument -> index in holdings_, or -1
};

/// numpy's isclose(a, b): |a - b| <= 1e-8 + 1e-5 * |b|.
bool IsClose(double a, double b);

}  // namespace alphaloom::backtest
