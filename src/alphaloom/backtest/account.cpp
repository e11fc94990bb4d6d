#include "alphaloom/backtest/account.h"

#include <cmath>

namespace alphaloom::backtest {

bool IsClose(double a, double b) { return std::abs(a - b) <= 1e-8 + 1e-5 * std::abs(b); }

Account::Account(double cash, size_t instrument_count) : cash_(cash), slot_(instrument_count, -1) {}

const Holding* Account::Find(size_t instrument) const {
  const long position = slot_[instrument];
  return position < 0 ? nullptr : &holdings_[static_cast<size_t>(position)];
}

double Account::Amount(size_t instrument) const {
  const Holding* holding = Find(instrument);
  return holding == nullptr ? 0.0 : holding->amount;
}

double Account::HoldingsValue() const {
  double value = 0.0;
  for (const Holding& holding : holdings_) value += holding.amount * holding.price;
  return value;
}

void Account::Remove(size_t position) {
  slot_[holdings_[position].instrument] = -1;
  holdings_.erase(holdings_.begin() + static_cast<long>(position));
  for (size_t later = position; later < holdings_.size(); ++later) slot_[holdings_[later].instrument] = static_cast<long>(later);
}

void Account::Buy(size_t instrument, double value, double price, double cost) {
  const double amount = value / price;
  const long position = slot_[instrument];
  if (position < 0) {
    slot_[instrument] = static_cast<long>(holdings_.size());
    holdings_.push_back(Holding{instrument, amount, price, 0});
  } else if (holdings_[static_cast<size_t>(position)].amount < 0 && IsClose(-holdings_[static_cast<size_t>(position)].amount, amount)) {
    Remove(static_cast<size_t>(position));
  } else {
    holdings_[static_cast<size_t>(position)].amount += amount;
  }
  cash_ -= value + cost;
}

void Account::Sell(size_t instrument, double value, double price, double cost) {
  const double amount = value / price;
  const long position = slot_[instrument];
  if (position < 0) {
    slot_[instrument] = static_cast<long>(holdings_.size());
    holdings_.push_back(Holding{instrument, -amount, price, 0});
  } else if (holdings_[static_cast<size_t>(position)].amount > 0 && IsClose(holdings_[static_cast<size_t>(position)].amount, amount)) {
    Remove(static_cast<size_t>(position));
  } else {
    holdings_[static_cast<size_t>(position)].amount -= amount;
  }
  cash_ += value - cost;
}

void Account::Mark(size_t instrument, double price) {
  const long position = slot_[instrument];
  if (position >= 0) holdings_[static_cast<size_t>(position)].price = price;
}

void Account::CountDay() {
  for (Holding& holding : holdings_) ++holding.days_held;
}

}  // namespace alphaloom::backtest
