#include "alphaloom/backtest/exchange.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::backtest {

std::string_view FillStatusName(FillStatus status) {
  switch (status) {
    case FillStatus::kFilled: return "filled";
    case FillStatus::kPartial: return "partial";
    case FillStatus::kEmpty: return "empty";
    case FillStatus::kSuspended: return "suspended";
    case FillStatus::kLimit: return "limit";
    case FillStatus::kCash: return "cash";
  }
  return "empty";
}

namespace {

void RequireRate(double value, std::string_view name) {
  if (!std::isfinite(value) || value < 0) {
    throw Error(ErrorKind::kConfig, fmt::format("{} must be a finite number >= 0, got {}", name, value));
  }
}

}  // namespace

MarketFields RequiredMarketFields(const ExchangeOptions& options) {
  MarketFields fields;
  fields.open = options.deal_price == DealPrice::kOpen ||
                (options.limit_threshold && options.limit_rule == LimitRule::kOpenGap);
  fields.vwap = options.deal_price == DealPrice::kVwap;
  fields.volume = options.impact_cost != 0.0;
  return fields;
}

Exchange::Exchange(const Market& market, ExchangeOptions options) : market_(&market), options_(options) {
  RequireRate(options_.open_cost, "open_cost");
  RequireRate(options_.close_cost, "close_cost");
  RequireRate(options_.min_cost, "min_cost");
  RequireRate(options_.impact_cost, "impact_cost");
  RequireRate(options_.trade_unit, "trade_unit");
  if (options_.limit_threshold && (!std::isfinite(*options_.limit_threshold) || *options_.limit_threshold <= 0)) {
    throw Error(ErrorKind::kConfig, fmt::format("limit_threshold must be > 0, got {}", *options_.limit_threshold));
  }
  const MarketFields needed = RequiredMarketFields(options_);
  const size_t cells = market.close.size();
  Check(market.factor.size() == cells && market.change.size() == cells, "market has factor and change beside close");
  Check(!needed.open || market.open.size() == cells, "market has the open prices the exchange options need");
  Check(!needed.vwap || market.vwap.size() == cells, "market has the vwap prices the exchange options need");
  Check(!needed.volume || market.volume.size() == cells, "market has the volumes the impact cost needs");
  // Qlib switches to "adjusted-price mode" (no lots) when any factor is missing beside a close.
  rounds_to_unit_ = options_.trade_unit > 0;
  for (size_t cell = 0; cell < market.close.size() && rounds_to_unit_; ++cell) {
    if (std::isnan(market.factor[cell]) && !std::isnan(market.close[cell])) rounds_to_unit_ = false;
  }
  const size_t count = market.instrument_count();
  limit_buy_.assign(market.close.size(), 0);
  limit_sell_.assign(market.close.size(), 0);
  for (size_t day = 0; day < market.day_count(); ++day) {
    for (size_t instrument = 0; instrument < count; ++instrument) {
      const size_t cell = market.Cell(day, instrument);
      const bool suspended = std::isnan(market.close[cell]);
      double move = std::nan("");
      if (options_.limit_threshold) {
        if (options_.limit_rule == LimitRule::kChange) {
          move = market.change[cell];
        } else if (day > 0) {
          move = market.open[cell] / market.close[market.Cell(day - 1, instrument)] - 1.0;
        }
      }
      // NaN moves compare false: no limit, as pandas' ge/le on NaN.
      limit_buy_[cell] = suspended || (options_.limit_threshold && move >= *options_.limit_threshold);
      limit_sell_[cell] = suspended || (options_.limit_threshold && move <= -*options_.limit_threshold);
    }
  }
}

bool Exchange::Suspended(size_t day, size_t instrument) const {
  return std::isnan(market_->close[market_->Cell(day, instrument)]);
}

bool Exchange::Limited(size_t day, size_t instrument, std::optional<Direction> direction) const {
  const size_t cell = market_->Cell(day, instrument);
  if (!direction) return limit_buy_[cell] || limit_sell_[cell];
  return *direction == Direction::kBuy ? limit_buy_[cell] != 0 : limit_sell_[cell] != 0;
}

bool Exchange::Tradable(size_t day, size_t instrument, std::optional<Direction> direction) const {
  return !Suspended(day, instrument) && !Limited(day, instrument, direction);
}

double Exchange::Close(size_t day, size_t instrument) const { return market_->close[market_->Cell(day, instrument)]; }

double Exchange::Price(size_t day, size_t instrument) const {
  const size_t cell = market_->Cell(day, instrument);
  double price = market_->close[cell];
  if (options_.deal_price == DealPrice::kOpen) price = market_->open[cell];
  if (options_.deal_price == DealPrice::kVwap) price = market_->vwap[cell];
  if (std::isnan(price) || price <= 1e-8) price = market_->close[cell];
  return price;
}

double Exchange::RoundToUnit(double amount, size_t day, size_t instrument) const {
  if (!rounds_to_unit_) return amount;
  const double factor = market_->factor[market_->Cell(day, instrument)];
  const double unit = options_.trade_unit;
  return std::floor((amount * factor + 0.1) / unit) * unit / factor;
}

Fill Exchange::Execute(const Order& order, size_t day, Account& account) const {
  Fill fill;
  if (!Tradable(day, order.instrument, order.direction)) {
    fill.price = std::nan("");
    fill.status = Suspended(day, order.instrument) ? FillStatus::kSuspended : FillStatus::kLimit;
    return fill;
  }
  const size_t cell = market_->Cell(day, order.instrument);
  const double price = Price(day, order.instrument);
  double amount = order.amount;
  // Without volumes (not loaded when the impact cost is 0) the day counts as having none.
  const double market_value = market_->volume.empty() ? std::nan("") : market_->volume[cell] * price;
  const double asked_value = amount * price;
  const double impact = (market_value == 0.0 || std::isnan(market_value))
                            ? options_.impact_cost
                            : options_.impact_cost * (asked_value / market_value) * (asked_value / market_value);
  const double cash = account.cash();
  double rate = 0.0;
  bool cash_bound = false;
  if (order.direction == Direction::kSell) {
    rate = options_.close_cost + impact;
    if (!options_.allow_short) {
      const double held = account.Amount(order.instrument);
      if (!IsClose(amount, held)) amount = RoundToUnit(std::min(held, amount), day, order.instrument);
    } else if (!IsClose(amount, account.Amount(order.instrument))) {
      amount = RoundToUnit(amount, day, order.instrument);
    }
    if (cash + amount * price < std::max(amount * price * rate, options_.min_cost)) {
      amount = 0.0;
      cash_bound = true;
    }
  } else {
    rate = options_.open_cost + impact;
    const double value = amount * price;
    if (cash < std::max(value * rate, options_.min_cost)) {
      amount = 0.0;
      cash_bound = true;
    } else if (cash < value + std::max(value * rate, options_.min_cost)) {
      double affordable = 0.0;
      if (cash >= options_.min_cost) {
        // Above this cash level the proportional cost exceeds min_cost.
        const double critical = options_.min_cost / rate + options_.min_cost;
        affordable = cash >= critical ? cash / (1.0 + rate) / price : (cash - options_.min_cost) / price;
      }
      amount = RoundToUnit(std::min(affordable, amount), day, order.instrument);
      cash_bound = true;
    } else {
      amount = RoundToUnit(amount, day, order.instrument);
    }
  }
  fill.price = price;
  fill.value = amount * price;
  if (fill.value <= 1e-5) {
    fill.status = cash_bound ? FillStatus::kCash : FillStatus::kEmpty;
    return fill;
  }
  fill.amount = amount;
  fill.cost = std::max(fill.value * rate, options_.min_cost);
  fill.status = IsClose(amount, order.amount) ? FillStatus::kFilled : FillStatus::kPartial;
  if (order.direction == Direction::kSell) {
    account.Sell(order.instrument, fill.value, price, fill.cost);
  } else {
    account.Buy(order.instrument, fill.value, price, fill.cost);
  }
  return fill;
}

}  // namespace alphaloom::backtest
