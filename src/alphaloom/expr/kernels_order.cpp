// Order-statistic kernels (Median, Quantile, Rank, Mad) over a sliding window, on the
// block-wise coordinate-compressed Fenwick trees of order_statistics.h: O(rows log window) per
// call.
#include <algorithm>
#include <cmath>

#include "alphaloom/expr/kernels.h"
#include "alphaloom/expr/order_statistics.h"
#include "alphaloom/expr/rolling_window.h"

namespace alphaloom::expr::kernels {
namespace {

using internal::kNaN;
using internal::OrderStatistics;
using internal::WindowStart;

/// Slides `window` over `x` keeping its valid values in an OrderStatistics and writes
/// `finish(stats, row)` for every row whose window holds at least one valid value, NaN otherwise.
template <class Finish>
void RunOrdered(std::span<const double> x, size_t window, bool with_sums, std::span<double> out, Finish finish) {
  assert(out.size() == x.size() && "kernel output must match the input length");
  OrderStatistics stats(x, window, with_sums);
  for (size_t row = 0; row < x.size(); ++row) {
    stats.Visit(row);
    const size_t start = WindowStart(row, window);
    if (start > 0 && !std::isnan(x[start - 1])) stats.Erase(start - 1);
    if (!std::isnan(x[row])) stats.Insert(row);
    out[row] = stats.Size() == 0 ? kNaN : finish(stats, row);
  }
}

}  // namespace

void RollingMedian(std::span<const double> x, size_t window, std::span<double> out) {
  RunOrdered(x, window, false, out, [](const OrderStatistics& stats, size_t) {
    const size_t count = stats.Size();
    const size_t middle = count / 2;
    if (count % 2 == 1) return stats.KthSmallest(middle);
    const auto [low, high] = stats.KthSmallestAndNext(middle - 1);
    return (high + low) / 2.0;
  });
}

void RollingMad(std::span<const double> x, size_t window, std::span<double> out) {
  RunOrdered(x, window, true, out, [x](const OrderStatistics& stats, size_t row) {
    // A constant window deviates by exactly nothing; the mean's last bit should not say otherwise.
    const bool constant = std::isnan(x[row]) ? stats.KthSmallest(0) == stats.KthSmallest(stats.Size() - 1)
                                             : stats.CountEqual(row) == stats.Size();
    if (constant) return 0.0;
    return stats.SumAbsDeviationFromMean() / static_cast<double>(stats.Size());
  });
}

void RollingQuantile(std::span<const double> x, size_t window, double q, std::span<double> out) {
  // pandas rejects q outside [0, 1]; a kernel must not throw, so the whole output is NaN.
  if (!(q >= 0.0 && q <= 1.0)) {
    std::fill(out.begin(), out.end(), kNaN);
    return;
  }
  // Same arithmetic as pandas' roll_quantile (linear), so equal inputs give equal bits.
  RunOrdered(x, window, false, out, [q](const OrderStatistics& stats, size_t) {
    const size_t count = stats.Size();
    if (count == 1) return stats.KthSmallest(0);
    const double position = q * static_cast<double>(count - 1);
    const auto low_index = static_cast<size_t>(position);
    const double fraction = position - static_cast<double>(low_index);
    if (fraction == 0.0) return stats.KthSmallest(low_index);
    const auto [low, high] = stats.KthSmallestAndNext(low_index);
    return low + (high - low) * fraction;
  });
}

void RollingRank(std::span<const double> x, size_t window, std::span<double> out) {
  RunOrdered(x, window, false, out, [x](const OrderStatistics& stats, size_t row) {
    if (std::isnan(x[row])) return kNaN;
    // Average of the 1-based ranks less+1 .. less+equal, exact as a half-integer.
    const double less = static_cast<double>(stats.CountLess(row));
    const double equal = static_cast<double>(stats.CountEqual(row));
    return (less + (equal + 1.0) / 2.0) / static_cast<double>(stats.Size());
  });
}

}  // namespace alphaloom::expr::kernels
