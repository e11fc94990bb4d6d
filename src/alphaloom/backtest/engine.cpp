#include "alphaloom/backtest/engine.h"

#include <fmt/format.h>

#include <cmath>

#include "alphaloom/common/error.h"
#include "alphaloom/metrics/correlation.h"

namespace alphaloom::backtest {

namespace {

// Profit booked by a fill against the marks, before costs: the account value changes by this
// plus the later re-marking, minus the cost.
double TradeProfit(const Fill& fill, Direction direction, double mark_before) {
  const double marked = fill.amount * mark_before;
  return direction == Direction::kSell ? fill.value - marked : marked - fill.value;
}

// Check() whose message is only formatted when the check fails: the invariants are checked every
// day and for every holding, so formatting up front would cost more than the checks.
template <typename MakeMessage>
void CheckLazily(bool condition, MakeMessage make_message) {
  if (!condition) Check(false, make_message());
}

}  // namespace

BacktestResult RunBacktest(const Market& market, const Calendar& store_calendar, const SignalMatrix* signal,
                           Strategy& strategy, const BacktestOptions& options) {
  if (!std::isfinite(options.initial_cash) || options.initial_cash <= 0) {
    throw Error(ErrorKind::kConfig, fmt::format("initial cash must be a finite amount > 0, got {}", options.initial_cash));
  }
  if (options.timing == SignalTiming::kSameDayClose && options.exchange.deal_price != DealPrice::kClose) {
    throw Error(ErrorKind::kConfig, fmt::format("a same-day signal is only known at the close; it cannot deal at {}",
                                                DealPriceName(options.exchange.deal_price)));
  }
  const Exchange exchange(market, options.exchange);
  Account account(options.initial_cash, market.instrument_count());
  BacktestResult result;
  result.instruments = market.instruments;
  result.initial_cash = options.initial_cash;
  double previous_value = options.initial_cash;
  double cash_ledger = options.initial_cash;

  for (size_t day = 0; day < market.day_count(); ++day) {
    const size_t store_day = market.first_store_index + day;
    DecisionContext context;
    context.day = day;
    context.account = &account;
    context.exchange = &exchange;
    if (signal != nullptr) {
      if (options.timing == SignalTiming::kSameDayClose) {
        context.signal = signal->Row(market.dates[day]);
      } else if (store_day > 0) {
        context.signal = signal->Row(store_calendar[store_day - 1]);
      }
    }
    const std::vector<Order> orders = strategy.Decide(context);

    double cost = 0.0, traded = 0.0, booked = 0.0;
    for (const Order& order : orders) {
      const Holding* before = account.Find(order.instrument);
      const double mark_before = before != nullptr ? before->price : exchange.Price(day, order.instrument);
      const Fill fill = exchange.Execute(order, day, account);
      result.trades.push_back(TradeRecord{market.dates[day], order.instrument, order.direction, order.amount, fill});
      if (fill.value <= 1e-5) continue;
      cost += fill.cost;
      traded += fill.value;
      cash_ledger += order.direction == Direction::kSell ? fill.value - fill.cost : -(fill.value + fill.cost);
      booked += TradeProfit(fill, order.direction, mark_before);
    }
    for (const Holding& holding : account.holdings()) {
      if (exchange.Suspended(day, holding.instrument)) continue;
      const double close = exchange.Close(day, holding.instrument);
      booked += holding.amount * (close - holding.price);
      account.Mark(holding.instrument, close);
    }
    account.CountDay();

    const double value = account.Value();
    const double earning = value - previous_value;
    // Selling within np.isclose of a whole holding removes all of it (Qlib), so up to 1e-5 of
    // the traded value may leave the book without a trade; anything more is a bookkeeping bug.
    const double scale = std::max(std::abs(previous_value), 1.0);
    const auto date_text = [&] { return market.dates[day].ToString(); };
    CheckLazily(std::abs(earning - (booked - cost)) <= 1e-9 * scale + 1e-5 * traded, [&] {
      return fmt::format("backtest account on {}: value moved by {} but trades and marks booked {}", date_text(),
                         earning, booked - cost);
    });
    CheckLazily(std::abs(account.cash() - cash_ledger) <= 1e-9 * scale, [&] {
      return fmt::format("backtest cash on {} is {} but the fills add up to {}", date_text(), account.cash(),
                         cash_ledger);
    });
    CheckLazily(std::isfinite(value),
                [&] { return fmt::format("backtest account value on {} is not finite", date_text()); });
    if (!options.exchange.allow_short) {
      CheckLazily(account.cash() >= -1e-6 * std::max(previous_value, 1.0), [&] {
        return fmt::format("negative cash {} on {} in a long-only backtest", account.cash(), date_text());
      });
      for (const Holding& holding : account.holdings()) {
        CheckLazily(holding.amount > -1e-5, [&] {
          return fmt::format("negative holding of {} on {}", market.instruments[holding.instrument], date_text());
        });
      }
    }

    DailyRecord record;
    record.date = market.dates[day];
    record.account = value;
    record.cash = account.cash();
    record.holdings_value = account.HoldingsValue();
    record.gross_return = (earning + cost) / previous_value;
    record.cost = cost / previous_value;
    record.turnover = traded / previous_value;
    record.benchmark = market.benchmark[day];
    record.positions = account.holdings().size();
    record.had_signal = context.signal.has_value();
    result.daily.push_back(record);
    for (const Holding& holding : account.holdings()) {
      const double holding_value = holding.amount * holding.price;
      result.positions.push_back(PositionRecord{record.date, holding.instrument, holding.amount, holding.price,
                                                holding_value, holding_value / value, holding.days_held});
    }
    previous_value = value;
  }
  return result;
}

SignalIc ComputeSignalIc(const Market& market, const SignalMatrix& signal) {
  SignalIc out;
  const size_t count = market.instrument_count();
  std::vector<double> scores(count), labels(count);
  for (size_t day = 0; day + 2 < market.day_count(); ++day) {
    const std::optional<std::span<const double>> row = signal.Row(market.dates[day]);
    if (!row) continue;
    size_t pairs = 0;
    for (size_t name = 0; name < count; ++name) {
      scores[name] = (*row)[name];
      labels[name] = market.close[market.Cell(day + 2, name)] / market.close[market.Cell(day + 1, name)] - 1.0;
      pairs += !std::isnan(scores[name]) && !std::isnan(labels[name]);
    }
    out.dates.push_back(market.dates[day]);
    out.ic.push_back(metrics::PearsonCorrelation(scores, labels));
    out.rank_ic.push_back(metrics::SpearmanCorrelation(scores, labels));
    out.pairs.push_back(pairs);
  }
  return out;
}

}  // namespace alphaloom::backtest
