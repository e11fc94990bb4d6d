#pragma once
// Qlib's Exchange (reference/qlib.md section 6.3): which orders a day allows (suspensions and
// price limits), at what price and in what lot size they are dealt, what they cost, and how much
// of an order the cash on hand lets through.
#include <optional>
#include <string>

#include "alphaloom/backtest/account.h"
#include "alphaloom/backtest/market.h"

namespace alphaloom::backtest {

enum class Direction { kSell, kBuy };

/// What the price-limit rule compares with the threshold.
enum class LimitRule {
  /// Qlib: the day's close-to-close $change. Exact with deal price close; with deal price open
  /// it peeks at the day's close (a known Qlib look-ahead), kept for parity.
  kChange,
  /// The opening gap open_t / close_{t-1} - 1 (adjusted prices): what a trader knows at the
  /// open. Use it with deal price open.
  kOpenGap,
};

struct ExchangeOptions {
  DealPrice deal_price = DealPrice::kClose;
  double open_cost = 0.0005;   ///< cost rate of buys
  double close_cost = 0.0015;  ///< cost rate of sells
  double min_cost = 5.0;       ///< minimum cost of an executed order, in account currency
  /// Impact: the rate grows by impact_cost * (value / (volume * price))^2; with no volume that
  /// day the whole impact_cost is charged (Qlib's rule).
  double impact_cost = 0.0;
  /// A move of at least this size (|change| >= threshold) blocks buying on an up move and
  /// selling on a down move; nullopt = suspensions only.
  std::optional<double> limit_threshold = 0.095;
  LimitRule limit_rule = LimitRule::kChange;
  /// Lot size in raw shares (Qlib's trade_unit, 100 in its CN setup); 0 = no rounding. Ignored
  /// (as in Qlib) when some $factor is NaN where $close exists: amounts are then adjusted shares.
  double trade_unit = 100.0;
  /// Let sells exceed the holding (short selling, for long-short strategies).
  bool allow_short = false;
};

/// The optional market fields the rules `options` read: open for deal price open or the
/// open-gap limit rule, vwap for deal price vwap, volume for a non-zero impact cost.
MarketFields RequiredMarketFields(const ExchangeOptions& options);

/// An order of one day: `amount` adjusted shares (>= 0) to buy or sell.
struct Order {
  size_t instrument = 0;
  Direction direction = Direction::kBuy;
  double amount = 0.0;
};

/// Why an order dealt less than asked, or nothing.
enum class FillStatus { kFilled, kPartial, kEmpty, kSuspended, kLimit, kCash };

/// "filled", "partial", "empty", "suspended", "limit", "cash".
std::string_view FillStatusName(FillStatus status);

/// What the exchange did with an order.
struct Fill {
  double amount = 0.0;  ///< dealt adjusted shares
  double price = 0.0;   ///< deal price (NaN when rejected before pricing)
  double value = 0.0;   ///< amount * price
  double cost = 0.0;    ///< 0 when value <= 1e-5 (nothing dealt)
  FillStatus status = FillStatus::kEmpty;
};

class Exchange {
 public:
  /// Validates the options (Error(kConfig) naming the bad one) and precomputes limits. Throws
  /// Error(kInternal) when `market` lacks a field the options need (RequiredMarketFields).
  Exchange(const Market& market, ExchangeOptions options);

  const Market& market() const { return *market_; }
  const ExchangeOptions& options() const { return options_; }
  /// Whether lot rounding applies (trade_unit > 0 and no NaN $factor where $close exists).
  bool rounds_to_unit() const { return rounds_to_unit_; }

  /// No bar (NaN close) that day.
  bool Suspended(size_t day, size_t instrument) const;
  /// Limit hit in `direction` (or in either direction when nullopt), suspension included.
  bool Limited(size_t day, size_t instrument, std::optional<Direction> direction) const;
  /// Neither suspended nor limited (in `direction`, or in both when nullopt).
  bool Tradable(size_t day, size_t instrument, std::optional<Direction> direction) const;
  /// The configured deal price, or the close when it is missing, NaN or <= 1e-8.
  double Price(size_t day, size_t instrument) const;
  double Close(size_t day, size_t instrument) const;
  /// floor((amount * factor + 0.1) / unit) * unit / factor: whole lots of raw shares, expressed
  /// in adjusted shares (the +0.1 absorbs float error, as in Qlib). Identity without rounding.
  double RoundToUnit(double amount, size_t day, size_t instrument) const;

  /// Deals `order` against `account` (updated in place) with Qlib's rules: untradable -> nothing;
  /// a sell is clipped to the holding and rounded unless it sells the whole holding (unless
  /// allow_short); a buy is shrunk to what the cash pays for, cost included; cost =
  /// max(value * rate, min_cost); a value <= 1e-5 deals nothing and costs nothing.
  Fill Execute(const Order& order, size_t day, Account& account) const;

 private:
  const Market* market_;
  ExchangeOptions options_;
  bool rounds_to_unit_ = false;
  std::vector<unsigned char> limit_buy_, limit_sell_;
};

}  // namespace alphaloom::backtest
