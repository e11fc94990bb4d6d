#pragma once
// A strategy turns the signal visible on a day into that day's orders. It sees the account as
// of the previous close and the exchange (tradability, deal prices, lots) of the day; the engine
// executes the orders in the order given (sells first by convention).
#include <optional>
#include <span>
#include <vector>

#include "alphaloom/backtest/account.h"
#include "alphaloom/backtest/exchange.h"

namespace alphaloom::backtest {

/// What a strategy knows when it decides on window day `day`.
struct DecisionContext {
  size_t day = 0;
  /// One value per market instrument (NaN = none) from the signal row the timing allows
  /// (dated the previous trading day by default); nullopt when the file has no such row.
  std::optional<std::span<const double>> signal;
  const Account* account = nullptr;
  const Exchange* exchange = nullptr;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  /// The day's orders; empty for no trades.
  virtual std::vector<Order> Decide(const DecisionContext& context) = 0;
};

}  // namespace alphaloom::backtest
