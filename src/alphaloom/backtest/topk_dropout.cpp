#include "alphaloom/backtest/topk_dropout.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::backtest {

void ValidateTopkDropoutOptions(const TopkDropoutOptions& options) {
  if (options.topk < 1) throw Error(ErrorKind::kConfig, fmt::format("topk must be >= 1, got {}", options.topk));
  if (options.n_drop < 0) throw Error(ErrorKind::kConfig, fmt::format("n_drop must be >= 0, got {}", options.n_drop));
  if (options.hold_thresh < 0) {
    throw Error(ErrorKind::kConfig, fmt::format("hold_thresh must be >= 0, got {}", options.hold_thresh));
  }
  if (!(options.risk_degree > 0 && options.risk_degree <= 1)) {
    throw Error(ErrorKind::kConfig, fmt::format("risk_degree must be in (0, 1], got {}", options.risk_degree));
  }
}

TopkDropoutStrategy::TopkDropoutStrategy(TopkDropoutOptions options) : options_(options) {
  ValidateTopkDropoutOptions(options_);
}

namespace {

using Names = std::vector<size_t>;

// Python's list[:n] (or, clamped, n <= 0 -> nothing); with a tradability filter, Qlib's
// get_first_n, which appends before testing the count and so returns one name for n <= 0.
template <typename Pred>
Names FirstN(const Names& names, long n, bool python_slices, bool filter, Pred tradable) {
  Names out;
  if (!python_slices && n <= 0) return out;
  if (filter) {
    for (size_t name : names) {
      if (!tradable(name)) continue;
      out.push_back(name);
      if (static_cast<long>(out.size()) >= n) break;
    }
    return out;
  }
  const long size = static_cast<long>(names.size());
  const long count = n >= 0 ? std::min(n, size) : std::max(size + n, 0L);
  return Names(names.begin(), names.begin() + count);
}

// Python's list[-n:] (n = 0 -> the whole list; clamped: nothing); filtered as Qlib's get_last_n.
template <typename Pred>
Names LastN(const Names& names, long n, bool python_slices, bool filter, Pred tradable) {
  Names out;
  if (!python_slices && n <= 0) return out;
  if (filter) {
    for (auto it = names.rbegin(); it != names.rend(); ++it) {
      if (!tradable(*it)) continue;
      out.push_back(*it);
      if (static_cast<long>(out.size()) >= n) break;
    }
    std::reverse(out.begin(), out.end());
    return out;
  }
  const long size = static_cast<long>(names.size());
  long begin = 0;
  if (n > 0) begin = std::max(size - n, 0L);
  if (n < 0) begin = std::min(-n, size);
  return Names(names.begin() + begin, names.end());
}

}  // namespace

std::vector<Order> TopkDropoutStrategy::Decide(const DecisionContext& context) {
  if (!context.signal) return {};
  const std::span<const double> scores = *context.signal;
  const Exchange& exchange = *context.exchange;
  const Account& account = *context.account;
  const size_t day = context.day;
  auto by_score = [&](size_t a, size_t b) {
    const bool a_nan = std::isnan(scores[a]);
    const bool b_nan = std::isnan(scores[b]);
    if (a_nan != b_nan) return b_nan;
    if (!a_nan && scores[a] != scores[b]) return scores[a] > scores[b];
    return a < b;
  };
  auto tradable_any = [&](size_t name) { return exchange.Tradable(day, name, std::nullopt); };
  const bool slices = options_.python_slices;
  const bool filter = options_.only_tradable;

  Names last;
  for (const Holding& holding : account.holdings()) last.push_back(holding.instrument);
  const Names holdings_in_order = last;
  std::sort(last.begin(), last.end(), by_score);
  const long held = static_cast<long>(last.size());

  Names candidates;
  for (size_t name = 0; name < scores.size(); ++name) {
    if (!std::isnan(scores[name]) && account.Find(name) == nullptr) candidates.push_back(name);
  }
  const long wanted = options_.n_drop + options_.topk - held;
  if (!filter && wanted >= 0) {
    // Only the best `wanted` names are read: order those, leave the rest unsorted.
    const size_t head = std::min(static_cast<size_t>(wanted), candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<long>(head), candidates.end(), by_score);
  } else {
    std::sort(candidates.begin(), candidates.end(), by_score);
  }
  const Names today = FirstN(candidates, wanted, slices, filter, tradable_any);

  Names comb = last;
  comb.insert(comb.end(), today.begin(), today.end());
  std::sort(comb.begin(), comb.end(), by_score);
  const Names dropped = LastN(comb, options_.n_drop, slices, filter, tradable_any);
  std::vector<unsigned char> sell(scores.size(), 0);
  long sell_count = 0;
  for (size_t name : dropped) {
    if (account.Find(name) != nullptr) {
      sell[name] = 1;
      ++sell_count;
    }
  }
  const Names buy = FirstN(today, sell_count + options_.topk - held, slices, false, tradable_any);

  const std::optional<Direction> sell_check =
      options_.forbid_all_trade_at_limit ? std::nullopt : std::optional<Direction>(Direction::kSell);
  const std::optional<Direction> buy_check =
      options_.forbid_all_trade_at_limit ? std::nullopt : std::optional<Direction>(Direction::kBuy);
  std::vector<Order> orders;
  Account simulated = account;
  for (size_t name : holdings_in_order) {
    if (!exchange.Tradable(day, name, sell_check) || !sell[name]) continue;
    const Holding* holding = simulated.Find(name);
    if (holding->days_held < options_.hold_thresh) continue;
    const Order order{name, Direction::kSell, holding->amount};
    if (!exchange.Tradable(day, name, Direction::kSell)) continue;
    orders.push_back(order);
    exchange.Execute(order, day, simulated);
  }
  if (buy.empty()) return orders;
  double value = simulated.cash() * options_.risk_degree / static_cast<double>(buy.size());
  if (options_.sizing == TopkSizing::kEquity) {
    value = std::min(simulated.cash() / static_cast<double>(buy.size()),
                     account.Value() * options_.risk_degree / options_.topk);
  }
  for (size_t name : buy) {
    if (!exchange.Tradable(day, name, buy_check)) continue;
    const double amount = exchange.RoundToUnit(value / exchange.Price(day, name), day, name);
    orders.push_back(Order{name, Direction::kBuy, amount});
  }
  return orders;
}

}  // namespace alphaloom::backtest
