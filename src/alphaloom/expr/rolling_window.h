#pragma once
// Internal building blocks shared by the streaming kernels (kernels*.cpp); not part of the
// expression engine's interface.
#include <array>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace alphaloom::expr::kernels::internal {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// First row of the window that ends at `row`; window == 0 means expanding.
inline size_t WindowStart(size_t row, size_t window) {
  return (window == 0 || row < window) ? 0 : row + 1 - window;
}

/// Rows a window can hold at once over a series of `rows` rows.
inline size_t WindowCapacity(size_t rows, size_t window) {
  return (window == 0 || window > rows) ? rows : window;
}

/// Fixed-capacity double-ended queue of row indices, allocated once per kernel call.
class RowRing {
 public:
  explicit RowRing(size_t capacity) : rows_(capacity == 0 ? 1 : capacity) {}

  bool Empty() const { return size_ == 0; }
  size_t Size() const { return size_; }
  size_t Front() const { return rows_[head_]; }
  size_t Back() const { return rows_[Slot(size_ - 1)]; }
  /// k-th row from the front.
  size_t At(size_t k) const { return rows_[Slot(k)]; }

  void PushBack(size_t row) {
    assert(size_ < rows_.size() && "RowRing: capacity exceeded");
    rows_[Slot(size_)] = row;
    ++size_;
  }
  void PopFront() {
    head_ = Slot(1);
    --size_;
  }
  void PopBack() { --size_; }

 private:
  size_t Slot(size_t k) const {
    const size_t slot = head_ + k;
    return slot >= rows_.size() ? slot - rows_.size() : slot;
  }

  std::vector<size_t> rows_;
  size_t head_ = 0;
  size_t size_ = 0;
};

/// A window's sum of squared deviations may fall to this fraction of its peak since the sums
/// were last rebuilt before they are rebuilt again. When large deviations leave the window the
/// remaining sum is a small difference of large ones: the compensated sums keep that
/// difference to about (peak / current) * 1e-32 relative, and a fourth-power sum shrinks about
/// as the square of this ratio, so 2^-20 keeps even kurtosis near full double precision.
inline constexpr double kCollapseRatio = 0x1.0p-20;

/// Peak-tracking for Collapsed(): the largest value a sum of squares reached since the reset.
class PeakTracker {
 public:
  void Reset() { peak_ = 0.0; }
  void Observe(double sum_of_squares) { peak_ = sum_of_squares > peak_ ? sum_of_squares : peak_; }
  bool Collapsed(double sum_of_squares) const { return sum_of_squares < peak_ * kCollapseRatio; }

 private:
  double peak_ = 0.0;
};

/// Running sum that also accumulates the exact rounding error of every addition (Knuth's
/// TwoSum), so adding and later subtracting the same terms leaves no drift worth measuring.
/// Must not be compiled with -ffast-math, which would fold the error terms away.
class CompensatedSum {
 public:
  void Add(double term) {
    const double total = sum_ + term;
    const double term_part = total - sum_;
    error_ += (sum_ - (total - term_part)) + (term - term_part);
    sum_ = total;
  }
  double Value() const { return sum_ + error_; }

 private:
  double sum_ = 0.0;
  double error_ = 0.0;
};

/// Keeps the valid rows of a sliding window and lets `Sums` accumulate their deviations from a
/// reference row that is itself inside the window. Working on deviations instead of raw values
/// is what keeps a variance of 1e-8 around a price of 1e4 exact to many digits: every deviation
/// is bounded by the window's own range. When the reference row leaves, the sums are rebuilt
/// around the newest valid row; every valid row is rescanned at most once that way, so the
/// cost stays O(rows). They are also rebuilt when a component of the window becomes constant,
/// which makes that component's deviations exactly 0 for as long as it stays constant (each
/// run of equal values is rescanned once), and when the spread of the window collapses
/// (kCollapseRatio). Rebuilds after a collapse draw on a budget of two rescanned rows per row
/// visited: real series collapse rarely (a jump leaving the window) and are served at once,
/// while data built to collapse every row cannot push the cost past O(rows).
///
/// `Sums` provides: kComponents (number of value series), IsValid(row),
/// SameValue(component, row_a, row_b), Rebase(ref_row) (take the new reference and clear),
/// Add(row), Remove(row), Collapsed().
template <class Sums>
class ShiftedWindow {
 public:
  static constexpr size_t kComponents = Sums::kComponents;

  ShiftedWindow(Sums& sums, size_t rows, size_t window)
      : sums_(sums), valid_(WindowCapacity(rows, window)), window_(window) {}

  /// Slides the window to end at `row`; rows must be visited in increasing order from 0.
  void Advance(size_t row) {
    const size_t start = WindowStart(row, window_);
    while (!valid_.Empty() && valid_.Front() < start) {
      sums_.Remove(valid_.Front());
      valid_.PopFront();
    }
    bool rebase = has_reference_ && reference_row_ < start;
    if (sums_.IsValid(row)) {
      for (size_t component = 0; component < kComponents; ++component) {
        const bool same = !valid_.Empty() && sums_.SameValue(component, row, valid_.Back());
        equal_run_[component] = same ? equal_run_[component] + 1 : 1;
      }
      valid_.PushBack(row);
      if (!has_reference_) {
        rebase = true;
      } else if (!rebase) {
        sums_.Add(row);
      }
    }
    rescan_budget_ += 2;
    if (!rebase && has_reference_ && rescan_budget_ >= valid_.Size() && sums_.Collapsed()) {
      rescan_budget_ -= valid_.Size();
      rebase = true;
    }
    for (size_t component = 0; component < kComponents; ++component) {
      const bool all_equal = AllEqual(component);
      rebase = rebase || (all_equal && !was_all_equal_[component]);
      was_all_equal_[component] = all_equal;
    }
    if (rebase) Rebase();
  }

  /// Number of valid rows in the window.
  size_t Count() const { return valid_.Size(); }
  /// The window holds at least one valid row and all of them have the same value of
  /// `component` (pandas tracks the same run of equal values to answer constant windows exactly).
  bool AllEqual(size_t component = 0) const { return !valid_.Empty() && equal_run_[component] >= valid_.Size(); }
  /// Newest valid row in the window; requires Count() > 0.
  size_t LastValidRow() const { return valid_.Back(); }

 private:
  void Rebase() {
    if (valid_.Empty()) {
      has_reference_ = false;
      return;
    }
    reference_row_ = valid_.Back();
    has_reference_ = true;
    sums_.Rebase(reference_row_);
    for (size_t k = 0; k < valid_.Size(); ++k) sums_.Add(valid_.At(k));
  }

  Sums& sums_;
  RowRing valid_;
  size_t window_;
  size_t reference_row_ = 0;
  bool has_reference_ = false;
  // Length of the run of trailing valid rows sharing a component's value. A run may reach back
  // past the window start; it still covers the whole window when it is >= Count().
  std::array<size_t, kComponents> equal_run_{};
  std::array<bool, kComponents> was_all_equal_{};
  size_t rescan_budget_ = 0;
};

}  // namespace alphaloom::expr::kernels::internal
