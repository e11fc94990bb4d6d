#pragma once
// Internal to the kernels (kernels_order.cpp): a multiset of one series' values supporting the
// order statistics of a sliding window in O(log rows) per operation.
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

/// The rows of one series are ranked once (coordinate compression: each distinct non-NaN value
/// gets a slot in sorted order); Fenwick trees over the slots then count the values present,
/// and optionally sum them, so that insert, erase, k-th smallest and rank queries are
/// O(log distinct values). Sums are kept in double-double so that the mean absolute deviation
/// of prices near 1e4 moving by 1e-3 keeps its digits after many inserts and erases.
class OrderStatistics {
 public:
  /// `values` must outlive the object and hold fewer than 2^32 rows. `with_sums` enables
  /// SumAbsDeviationFromMean.
  OrderStatistics(std::span<const double> values, bool with_sums);

  /// Adds / removes the value of `row`, which must be non-NaN (and present, for Erase).
  void Insert(size_t row);
  void Erase(size_t row);

  /// Number of values present.
  size_t Size() const { return size_; }
  /// The k-th smallest value present, k counted from 0; requires k < Size().
  double KthSmallest(size_t k) const;
  /// The k-th and (k+1)-th smallest values; requires k + 1 < Size().
  std::pair<double, double> KthSmallestAndNext(size_t k) const;
  /// Number of values present that are smaller than / equal to the value of `row`.
  size_t CountLess(size_t row) const;
  size_t CountEqual(size_t row) const { return slot_count_[slot_of_row_[row]]; }
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

  std::span<const double> values_;
  std::vector<uint32_t> slot_of_row_;   // kNoSlot for NaN rows
  std::vector<double> slot_value_;      // distinct values, ascending
  std::vector<uint32_t> slot_count_;    // copies present per slot
  size_t tree_length_ = 1;              // power of two >= number of slots
  std::vector<uint32_t> count_tree_;    // Fenwick tree of slot_count_, 1-based
  std::vector<DoubleDouble> sum_tree_;  // Fenwick tree of count * value, 1-based
  DoubleDouble total_;                  // sum of the values present
  size_t size_ = 0;
};

}  // namespace alphaloom::expr::kernels::internal
