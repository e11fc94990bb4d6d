// Max, Min and their positions over a sliding window with a monotonic deque: each row enters and
// leaves the deque once, so the cost is O(rows) whatever the window.
#include <cmath>

#include "alphaloom/expr/kernels.h"
#include "alphaloom/expr/rolling_window.h"

namespace alphaloom::expr::kernels {
namespace {

using internal::kNaN;
using internal::RowRing;
using internal::WindowCapacity;
using internal::WindowStart;

enum class Extremum { kMax, kMin };
enum class Report {
  kValue,             // pandas rolling max / min
  kPositionFirstNaN,  // numpy argmax + 1: a NaN in the window wins (Qlib's IdxMax / IdxMin)
  kPositionSkipNaN,   // position of the extremum among the valid rows
};

void RunExtremum(std::span<const double> x, size_t window, Extremum extremum, Report report, std::span<double> out) {
  assert(out.size() == x.size() && "kernel output must match the input length");
  const size_t capacity = WindowCapacity(x.size(), window);
  // Valid rows whose value is still a candidate, values monotone from the front; among equal
  // values the earliest row stays in front, as numpy's argmax reports the first occurrence.
  RowRing candidates(capacity);
  RowRing nan_rows(report == Report::kPositionFirstNaN ? capacity : 0);
  size_t valid_count = 0;
  const auto beats = [extremum](double challenger, double incumbent) {
    return extremum == Extremum::kMax ? challenger > incumbent : challenger < incumbent;
  };
  for (size_t row = 0; row < x.size(); ++row) {
    const size_t start = WindowStart(row, window);
    if (start > 0 && !std::isnan(x[start - 1])) --valid_count;
    while (!candidates.Empty() && candidates.Front() < start) candidates.PopFront();
    while (!nan_rows.Empty() && nan_rows.Front() < start) nan_rows.PopFront();

    const double value = x[row];
    if (std::isnan(value)) {
      if (report == Report::kPositionFirstNaN) nan_rows.PushBack(row);
    } else {
      ++valid_count;
      while (!candidates.Empty() && beats(value, x[candidates.Back()])) candidates.PopBack();
      candidates.PushBack(row);
    }

    if (valid_count == 0) {
      out[row] = kNaN;
    } else if (report == Report::kValue) {
      out[row] = x[candidates.Front()];
    } else {
      const size_t position_row =
          (report == Report::kPositionFirstNaN && !nan_rows.Empty()) ? nan_rows.Front() : candidates.Front();
      out[row] = static_cast<double>(position_row - start + 1);
    }
  }
}

}  // namespace

void RollingMax(std::span<const double> x, size_t window, std::span<double> out) {
  RunExtremum(x, window, Extremum::kMax, Report::kValue, out);
}

void RollingMin(std::span<const double> x, size_t window, std::span<double> out) {
  RunExtremum(x, window, Extremum::kMin, Report::kValue, out);
}

void RollingIdxMax(std::span<const double> x, size_t window, std::span<double> out) {
  RunExtremum(x, window, Extremum::kMax, Report::kPositionFirstNaN, out);
}

void RollingIdxMin(std::span<const double> x, size_t window, std::span<double> out) {
  RunExtremum(x, window, Extremum::kMin, Report::kPositionFirstNaN, out);
}

void RollingIdxMaxSkipNaN(std::span<const double> x, size_t window, std::span<double> out) {
  RunExtremum(x, window, Extremum::kMax, Report::kPositionSkipNaN, out);
}

void RollingIdxMinSkipNaN(std::span<const double> x, size_t window, std::span<double> out) {
  RunExtremum(x, window, Extremum::kMin, Report::kPositionSkipNaN, out);
}

}  // namespace alphaloom::expr::kernels
