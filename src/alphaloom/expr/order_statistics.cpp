#include "alphaloom/expr/order_statistics.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>

namespace alphaloom::expr::kernels::internal {
namespace {

// Error-free transformations (Knuth's TwoSum, Dekker's FastTwoSum, fma's exact product error)
// and the few double-double operations built on them.
DoubleDouble TwoSum(double a, double b) {
  const double sum = a + b;
  const double b_part = sum - a;
  return {sum, (a - (sum - b_part)) + (b - b_part)};
}

DoubleDouble Renormalize(double hi, double lo) {
  const double sum = hi + lo;
  return {sum, lo - (sum - hi)};
}

DoubleDouble Add(DoubleDouble a, DoubleDouble b) {
  const DoubleDouble sum = TwoSum(a.hi, b.hi);
  return Renormalize(sum.hi, sum.lo + (a.lo + b.lo));
}

DoubleDouble Negate(DoubleDouble a) { return {-a.hi, -a.lo}; }

/// a * k for an integer-valued k below 2^53.
DoubleDouble Scale(DoubleDouble a, double k) {
  const double product = a.hi * k;
  const double error = std::fma(a.hi, k, -product);
  return Renormalize(product, error + a.lo * k);
}

/// a / n for an integer-valued n below 2^53.
DoubleDouble Divide(DoubleDouble a, double n) {
  const double quotient = a.hi / n;
  const double remainder = (std::fma(-quotient, n, a.hi)) + a.lo;
  return Renormalize(quotient, remainder / n);
}

size_t LowestBit(size_t index) { return index & (~index + 1); }

}  // namespace

OrderStatistics::OrderStatistics(std::span<const double> values, bool with_sums)
    : values_(values), slot_of_row_(values.size(), kNoSlot) {
  std::vector<size_t> rows;
  rows.reserve(values.size());
  for (size_t row = 0; row < values.size(); ++row) {
    if (!std::isnan(values[row])) rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), [values](size_t a, size_t b) { return values[a] < values[b]; });
  for (size_t k = 0; k < rows.size(); ++k) {
    const double value = values[rows[k]];
    // -0.0 and 0.0 compare equal and share a slot, as they share a rank in pandas.
    if (slot_value_.empty() || slot_value_.back() != value) slot_value_.push_back(value);
    slot_of_row_[rows[k]] = static_cast<uint32_t>(slot_value_.size() - 1);
  }
  const size_t slots = slot_value_.size();
  slot_count_.assign(slots, 0);
  count_tree_.assign(slots + 1, 0);
  if (with_sums) sum_tree_.assign(slots + 1, DoubleDouble{});
  top_bit_ = slots == 0 ? 0 : size_t{1} << static_cast<unsigned>(std::bit_width(slots) - 1);
}

void OrderStatistics::Insert(size_t row) {
  const uint32_t slot = slot_of_row_[row];
  assert(slot != kNoSlot && "OrderStatistics: NaN rows are never inserted");
  ++slot_count_[slot];
  ++size_;
  for (size_t index = size_t{slot} + 1; index < count_tree_.size(); index += LowestBit(index)) ++count_tree_[index];
  if (!sum_tree_.empty()) {
    const DoubleDouble value{values_[row], 0.0};
    total_ = Add(total_, value);
    for (size_t index = size_t{slot} + 1; index < sum_tree_.size(); index += LowestBit(index)) {
      sum_tree_[index] = Add(sum_tree_[index], value);
    }
  }
}

void OrderStatistics::Erase(size_t row) {
  const uint32_t slot = slot_of_row_[row];
  assert(slot != kNoSlot && slot_count_[slot] > 0 && "OrderStatistics: erasing a value not present");
  --slot_count_[slot];
  --size_;
  for (size_t index = size_t{slot} + 1; index < count_tree_.size(); index += LowestBit(index)) --count_tree_[index];
  if (!sum_tree_.empty()) {
    const DoubleDouble value{-values_[row], 0.0};
    total_ = Add(total_, value);
    for (size_t index = size_t{slot} + 1; index < sum_tree_.size(); index += LowestBit(index)) {
      sum_tree_[index] = Add(sum_tree_[index], value);
    }
  }
}

double OrderStatistics::KthSmallest(size_t k) const {
  assert(k < size_ && "OrderStatistics: k out of range");
  // Descend the Fenwick tree to the last slot whose prefix count is <= k.
  size_t position = 0;
  size_t remaining = k;
  for (size_t step = top_bit_; step > 0; step >>= 1) {
    const size_t next = position + step;
    if (next < count_tree_.size() && count_tree_[next] <= remaining) {
      position = next;
      remaining -= count_tree_[next];
    }
  }
  return slot_value_[position];
}

size_t OrderStatistics::CountLess(size_t row) const {
  size_t count = 0;
  for (size_t index = slot_of_row_[row]; index > 0; index -= LowestBit(index)) count += count_tree_[index];
  return count;
}

double OrderStatistics::SumAbsDeviationFromMean() const {
  assert(!sum_tree_.empty() && size_ > 0 && "OrderStatistics: sums not kept or empty");
  const double count = static_cast<double>(size_);
  const DoubleDouble mean = Divide(total_, count);
  // Slots [0, below_slots) hold the values at or below the mean.
  size_t below_slots =
      static_cast<size_t>(std::upper_bound(slot_value_.begin(), slot_value_.end(), mean.hi) - slot_value_.begin());
  if (below_slots > 0 && mean.lo < 0.0 && slot_value_[below_slots - 1] == mean.hi) --below_slots;
  size_t count_below = 0;
  DoubleDouble sum_below;
  for (size_t index = below_slots; index > 0; index -= LowestBit(index)) {
    count_below += count_tree_[index];
    sum_below = Add(sum_below, sum_tree_[index]);
  }
  // sum |v - mean| = (sum_above - mean * count_above) + (mean * count_below - sum_below)
  //                = (total - 2 sum_below) - mean * (count - 2 count_below)
  const DoubleDouble spread = Add(total_, Scale(sum_below, -2.0));
  const double balance = count - 2.0 * static_cast<double>(count_below);
  const DoubleDouble result = Add(spread, Negate(Scale(mean, balance)));
  return result.hi + result.lo;
}

}  // namespace alphaloom::expr::kernels::internal
