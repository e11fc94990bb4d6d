#include "alphaloom/expr/order_statistics.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <utility>

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

/// a += value without renormalising: the low part only gathers rounding errors, so it stays
/// tiny next to the high part and the pair keeps its precision; half the work of Add.
void Accumulate(DoubleDouble& a, double value) {
  const DoubleDouble sum = TwoSum(a.hi, value);
  a.hi = sum.hi;
  a.lo += sum.lo;
}

DoubleDouble Negate(DoubleDouble a) {
  return {-a.hi, -a.lo};
}

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

size_t LowestBit(size_t index) {
  return index & (~index + 1);
}

}  // namespace

OrderStatistics::OrderStatistics(std::span<const double> values, bool with_sums)
    : values_(values), slot_of_row_(values.size(), kNoSlot) {
  assert(values.size() < kNoSlot && "OrderStatistics: rows are numbered in 32 bits");
  // Sorting (value, row) pairs in place is much kinder to the cache than sorting row indices.
  std::vector<std::pair<double, uint32_t>> ordered;
  ordered.reserve(values.size());
  for (size_t row = 0; row < values.size(); ++row) {
    if (!std::isnan(values[row])) ordered.emplace_back(values[row], static_cast<uint32_t>(row));
  }
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [value, row] : ordered) {
    // -0.0 and 0.0 compare equal and share a slot, as they share a rank in pandas.
    if (slot_value_.empty() || slot_value_.back() != value) slot_value_.push_back(value);
    slot_of_row_[row] = static_cast<uint32_t>(slot_value_.size() - 1);
  }
  slot_count_.assign(slot_value_.size(), 0);
  // A power-of-two length lets the k-th descent run without bounds checks; the padding slots
  // stay empty.
  tree_length_ = std::bit_ceil(std::max<size_t>(slot_value_.size(), 1));
  count_tree_.assign(tree_length_ + 1, 0);
  if (with_sums) sum_tree_.assign(tree_length_ + 1, DoubleDouble{});
}

void OrderStatistics::Insert(size_t row) {
  const uint32_t slot = slot_of_row_[row];
  assert(slot != kNoSlot && "OrderStatistics: NaN rows are never inserted");
  ++slot_count_[slot];
  ++size_;
  for (size_t index = size_t{slot} + 1; index <= tree_length_; index += LowestBit(index)) ++count_tree_[index];
  if (!sum_tree_.empty()) {
    const double value = values_[row];
    Accumulate(total_, value);
    for (size_t index = size_t{slot} + 1; index <= tree_length_; index += LowestBit(index)) {
      Accumulate(sum_tree_[index], value);
    }
  }
}

void OrderStatistics::Erase(size_t row) {
  const uint32_t slot = slot_of_row_[row];
  assert(slot != kNoSlot && slot_count_[slot] > 0 && "OrderStatistics: erasing a value not present");
  --slot_count_[slot];
  --size_;
  for (size_t index = size_t{slot} + 1; index <= tree_length_; index += LowestBit(index)) --count_tree_[index];
  if (!sum_tree_.empty()) {
    const double value = -values_[row];
    Accumulate(total_, value);
    for (size_t index = size_t{slot} + 1; index <= tree_length_; index += LowestBit(index)) {
      Accumulate(sum_tree_[index], value);
    }
  }
}

OrderStatistics::Located OrderStatistics::Locate(size_t k) const {
  // Descend to the last tree position whose prefix count is <= k; the selects compile to
  // conditional moves, as the branch would be a coin flip at every level.
  size_t position = 0;
  size_t remaining = k;
  for (size_t step = tree_length_; step > 0; step >>= 1) {
    const size_t next = position + step;
    const size_t count = count_tree_[next];
    const bool take = count <= remaining;
    position = take ? next : position;
    remaining -= take ? count : 0;
  }
  return {position, remaining};
}

double OrderStatistics::KthSmallest(size_t k) const {
  assert(k < size_ && "OrderStatistics: k out of range");
  return slot_value_[Locate(k).slot];
}

std::pair<double, double> OrderStatistics::KthSmallestAndNext(size_t k) const {
  assert(k + 1 < size_ && "OrderStatistics: k out of range");
  const Located located = Locate(k);
  const double value = slot_value_[located.slot];
  if (located.offset + 1 < slot_count_[located.slot]) return {value, value};
  return {value, KthSmallest(k + 1)};
}

size_t OrderStatistics::CountLess(size_t row) const {
  size_t count = 0;
  for (size_t index = slot_of_row_[row]; index > 0; index -= LowestBit(index)) count += count_tree_[index];
  return count;
}

double OrderStatistics::SumAbsDeviationFromMean() const {
  assert(!sum_tree_.empty() && size_ > 0 && "OrderStatistics: sums not kept or empty");
  const double count = static_cast<double>(size_);
  const DoubleDouble mean = Divide(Renormalize(total_.hi, total_.lo), count);
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
