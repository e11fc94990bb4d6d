#include "alphaloom/backtest/target_weights.h"

#include <fmt/format.h>

#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::backtest {

std::vector<Order> OrdersForWeights(std::span<const double> weights, const DecisionContext& context,
                                    const TargetWeightsOptions& options, Date date) {
  const Exchange& exchange = *context.exchange;
  const Account& account = *context.account;
  const Market& market = exchange.market();
  const size_t day = context.day;
  double gross = 0.0;
  for (size_t name = 0; name < weights.size(); ++name) {
    const double weight = weights[name];
    if (std::isnan(weight)) continue;
    if (weight < 0 && !options.allow_short) {
      throw Error(ErrorKind::kData, fmt::format("negative weight {} for {} on {} in a long-only backtest (allow shorts "
                                                "to accept it)", weight, market.instruments[name], date.ToString()));
    }
    gross += std::abs(weight);
  }
  if (gross > options.max_gross + 1e-9) {
    throw Error(ErrorKind::kData, fmt::format("weights on {} sum to {} in absolute value, above the allowed gross {}",
                                              date.ToString(), gross, options.max_gross));
  }
  const double account_value = account.Value();
  std::vector<Order> sells, buys;
  for (size_t name = 0; name < weights.size(); ++name) {
    const double weight = std::isnan(weights[name]) ? 0.0 : weights[name];
    const double held = account.Amount(name);
    if (weight == 0.0 && held == 0.0) continue;
    if (exchange.Suspended(day, name)) continue;
    const double price = exchange.Price(day, name);
    double change = weight == 0.0 ? -held : weight * account_value / price - held;
    if (weight != 0.0) change = std::copysign(exchange.RoundToUnit(std::abs(change), day, name), change);
    if (change == 0.0) continue;
    const Direction direction = change < 0 ? Direction::kSell : Direction::kBuy;
    if (!exchange.Tradable(day, name, direction)) continue;
    (direction == Direction::kSell ? sells : buys).push_back(Order{name, direction, std::abs(change)});
  }
  sells.insert(sells.end(), buys.begin(), buys.end());
  return sells;
}

std::vector<Order> TargetWeightsStrategy::Decide(const DecisionContext& context) {
  if (!context.signal) return {};
  return OrdersForWeights(*context.signal, context, options_, context.exchange->market().dates[context.day]);
}

}  // namespace alphaloom::backtest
