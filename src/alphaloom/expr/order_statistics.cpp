#include "alphaloom/expr/order_statistics.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <utility>

#include "alphaloom/expr/rolling_window.h"

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

OrderStatistics::OrderStatistics(std::span<const double> values, size_t window, bool with_sums)
    : values_(values), with_sums_(with_sums) {
  assert(values.size() < kNoSlot && "OrderStatistics: rows are numbered in 32 bits");
  block_ = std::max<size_t>(WindowCapacity(values.size(), window), 1);
  // Allocated once: two blocks' rows, slots and trees.
  const size_t span = std::min(2 * block_, std::max<size_t>(values.size(), 1));
  previous_.reserve(block_);
  current_.reserve(block_);
  slot_of_row_.reserve(span);
  slot_value_.reserve(span);
  slot_count_.reserve(span);
  count_tree_.reserve(std::bit_ceil(span) + 1);
  if (with_sums) sum_tree_.reserve(std::bit_ceil(span) + 1);
}

void OrderStatistics::EnterBlock(size_t row) {
  const size_t end = std::min(row + block_, values_.size());
  next_block_ = end;
  // The block just left becomes the previous one; its values are already sorted.
  std::swap(previous_, current_);
  current_.clear();
  for (size_t r = row; r < end; ++r) {
    if (!std::isnan(values_[r])) current_.emplace_back(values_[r], static_cast<uint32_t>(r));
  }
  // Sorting (value, row) pairs in place is much kinder to the cache than sorting row indices.
  std::sort(current_.begin(), current_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  base_ = row - std::min(row, block_);
  slot_of_row_.assign(end - base_, kNoSlot);
  slot_value_.clear();
  // Merge the two sorted blocks into the slots; -0.0 and 0.0 compare equal and share a slot, as
  // they share a rank in pandas.
  auto assign = [&](const std::pair<double, uint32_t>& entry) {
    if (slot_value_.empty() || slot_value_.back() != entry.first) slot_value_.push_back(entry.first);
    slot_of_row_[entry.second - base_] = static_cast<uint32_t>(slot_value_.size() - 1);
  };
  size_t a = 0;
  size_t b = 0;
  while (a < previous_.size() || b < current_.size()) {
    const bool take_previous = b == current_.size() || (a < previous_.size() && previous_[a].first < current_[b].first);
    assign(take_previous ? previous_[a++] : current_[b++]);
  }
  // The values present when a block is entered are exactly the previous block's valid values
  // (the window of the block's first row minus the one row about to leave).
  assert(size_ == previous_.size() && "OrderStatistics: the window must be one block long");
  slot_count_.assign(slot_value_.size(), 0);
  // A power-of-two length lets the k-th descent run without bounds checks; the padding slots
  // stay empty.
  tree_length_ = std::bit_ceil(std::max<size_t>(slot_value_.size(), 1));
  count_tree_.assign(tree_length_ + 1, 0);
  if (with_sums_) sum_tree_.assign(tree_length_ + 1, DoubleDouble{});
  for (const auto& [value, r] : previous_) {
    const size_t slot = slot_of_row_[r - base_];
    ++slot_count_[slot];
    ++count_tree_[slot + 1];
    if (with_sums_) Accumulate(sum_tree_[slot + 1], value);
  }
  // Fenwick trees built in linear time: each node passes its total to its parent.
  for (size_t index = 1; index <= tree_length_; ++index) {
    const size_t parent = index + LowestBit(index);
    if (parent > tree_length_) continue;
    count_tree_[parent] += count_tree_[index];
    if (with_sums_) sum_tree_[parent] = Add(sum_tree_[parent], sum_tree_[index]);
  }
}

void OrderStatistics::Insert(size_t row) {
  const size_t slot = SlotOf(row);
  assert(slot != kNoSlot && "OrderStatistics: NaN rows are never inserted");
  ++slot_count_[slot];
  ++size_;
  for (size_t index = slot + 1; index <= tree_length_; index += LowestBit(index)) ++count_tree_[index];
  if (with_sums_) {
    const double value = values_[row];
    Accumulate(total_, value);
    for (size_t index = slot + 1; index <= tree_length_; index += LowestBit(index)) {
      Accumulate(sum_tree_[index], value);
    }
  }
}

void OrderStatistics::Erase(size_t row) {
  const size_t slot = SlotOf(row);
  assert(slot != kNoSlot && slot_count_[slot] > 0 && "OrderStatistics: erasing a value not present");
  --slot_count_[slot];
  --size_;
  for (size_t index = slot + 1; index <= tree_length_; index += LowestBit(index)) --count_tree_[index];
  if (with_sums_) {
    const double value = -values_[row];
    Accumulate(total_, value);
    for (size_t index = slot + 1; index <= tree_length_; index += LowestBit(index)) {
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
  for (size_t index = SlotOf(row); index > 0; index -= LowestBit(index)) count += count_tree_[index];
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
