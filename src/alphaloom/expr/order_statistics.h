#pragma once
// Internal to the kernels (kernels_order.cpp): the multiset of a sliding window's values,
// supporting its order statistics in O(log window) per operation.
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace alphaloom::expr::kernels::internal {

/// An unevaluated sum hi + lo carrying about twice the precision of a double.
struct DoubleDouble {
  double hi = 0.0;
  double lo = 0.0;
};

/// The valid values of a window of `window` rows sliding over one series. The series is cut
/// into blocks of `window` rows; the window ending in block b only ever holds rows of blocks
/// b - 1 and b, so when the slide enters a block those two blocks' values are ranked
/// (coordinate compression: each distinct non-NaN value gets a slot in sorted order, from the
/// previous block's sorted values merged with the new block's) and Fenwick trees over their at
/// most 2 * window slots count the values present, and optionally sum them. Insert, erase,
/// k-th smallest and rank queries cost O(log window), entering a block O(window log window):
/// O(rows log window) per series. window == 0 (expanding) is one block over the whole series.
/// Sums are kept in double-double so that the mean absolute deviation of prices near 1e4
/// moving by 1e-3 keeps its digits after many inserts and erases.
class OrderStatistics {
 public:
  /// `values` must outlive the object and hold fewer than 2^32 rows. `with_sums` enables
  /// SumAbsDeviationFromMean.
  OrderStatistics(std::span<const double> values, size_t window, bool with_sums);

  /// Must be called first for every row in increasing order, before that row's Erase / Insert;
  /// ranks the next pair of blocks when `row` starts a block.
  void Visit(size_t row) {
    if (row == next_block_) EnterBlock(row);
  }
  /// Adds / removes the value of `row`, which must be non-NaN (and present, for Erase). Only
  /// rows of the window ending at the row last visited.
  void Insert(size_t row);
  void Erase(size_t row);

  /// Number of values present.
  size_t Size() const { return size_; }
  /// The k-th smallest value present, k counted from 0; requires k < Size().
  double KthSmallest(size_t k) const;
  /// The k-th and (k+1)-th smallest values; requires k + 1 < Size().
  std::pair<double, double> KthSmallestAndNext(size_t k) const;
  /// Number of values present that are smaller than / equal to the value of `row` (a row of the
  /// current window).
  size_t CountLess(size_t row) const;
  size_t CountEqual(size_t row) const { return slot_count_[SlotOf(row)]; }
  /// Sum of |v - mean| over the values present, with the mean taken from the exact running
  /// sum; requires with_sums and Size() > 0.
  double SumAbsDeviationFromMean() const;

 private:
  static constexpr uint32_t kNoSlot = UINT32_MAX;

  /// Where the k-th smallest value sits: its slot and its index among that slot's copies.
  struct Located {
    size_t slot;
    size_t offset;
  };
  Located Locate(size_t k) const;
  void EnterBlock(size_t row);
  size_t SlotOf(size_t row) const { return slot_of_row_[row - base_]; }

  std::span<const double> values_;
  size_t block_ = 1;                    // rows per block
  size_t next_block_ = 0;               // first row of the next block
  size_t base_ = 0;                     // first row of the previous block
  bool with_sums_ = false;
  std::vector<std::pair<double, uint32_t>> previous_;  // previous block's valid (value, row), sorted
  std::vector<std::pair<double, uint32_t>> current_;   // current block's, sorted
  std::vector<uint32_t> slot_of_row_;   // row - base_ -> slot; kNoSlot for NaN rows
  std::vector<double> slot_value_;      // distinct values of the two blocks, ascending
  std::vector<uint32_t> slot_count_;    // copies present per slot
  size_t tree_length_ = 1;              // power of two >= number of slots
  std::vector<uint32_t> count_tree_;    // Fenwick tree of slot_count_, 1-based
  std::vector<DoubleDouble> sum_tree_;  // Fenwick tree of count * value, 1-based
  DoubleDouble total_;                  // sum of the values present
  size_t size_ = 0;
};

}  // namespace alphaloom::expr::kernels::internal
