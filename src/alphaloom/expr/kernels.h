#pragma once
// Time-series kernels of the expression engine: one instrument's history in, one series out.
// Semantics are Qlib's exactly (reference/qlib.md §2.2-2.5) unless a function's name says it is
// a corrected variant. Conventions for every kernel:
//  - `x` (and `y`) hold the instrument's rows in time order, NaN = missing bar; `out` has the
//    same size and is fully written.
//  - `window` counts rows (a NaN row occupies a slot). window == 0 means expanding (all rows so
//    far). min_periods is 1: partial windows at the start produce values.
//  - Streaming kernels cost O(rows) independent of the window; the order-statistic kernels
//    (Median, Quantile, Rank, Mad) rank the series block by block (one block = one window) and
//    use Fenwick trees over two blocks' values, O(rows log window) per call (O(rows log rows)
//    when expanding). No kernel allocates per row or throws.
#include <cstddef>
#include <span>

namespace alphaloom::expr::kernels {

/// Ref(x, shift): shift > 0 looks back, shift < 0 looks ahead (future: only for labels).
/// Qlib quirk: shift == 0 broadcasts the first row's value to every row.
void Ref(std::span<const double> x, long shift, std::span<double> out);

/// Sum of the non-NaN values in the window; an all-NaN window gives NaN (not 0).
void RollingSum(std::span<const double> x, size_t window, std::span<double> out);
/// Mean of the non-NaN values; all-NaN -> NaN.
void RollingMean(std::span<const double> x, size_t window, std::span<double> out);
/// Sample variance (ddof 1) of the non-NaN values; fewer than 2 -> NaN; identical values -> exactly 0.
void RollingVar(std::span<const double> x, size_t window, std::span<double> out);
/// sqrt of RollingVar.
void RollingStd(std::span<const double> x, size_t window, std::span<double> out);
/// pandas' bias-corrected skewness; fewer than 3 values -> NaN.
void RollingSkew(std::span<const double> x, size_t window, std::span<double> out);
/// pandas' bias-corrected excess kurtosis; fewer than 4 values -> NaN.
void RollingKurt(std::span<const double> x, size_t window, std::span<double> out);
/// Max / Min of the non-NaN values (monotonic deque); all-NaN -> NaN.
void RollingMax(std::span<const double> x, size_t window, std::span<double> out);
void RollingMin(std::span<const double> x, size_t window, std::span<double> out);
/// Number of non-NaN values in the window.
void RollingCount(std::span<const double> x, size_t window, std::span<double> out);
/// Median of the non-NaN values.
void RollingMedian(std::span<const double> x, size_t window, std::span<double> out);
/// Mean absolute deviation around the window mean, NaNs removed.
void RollingMad(std::span<const double> x, size_t window, std::span<double> out);
/// Linear-interpolation quantile q of the non-NaN values: h = (n-1) q.
void RollingQuantile(std::span<const double> x, size_t window, double q, std::span<double> out);
/// Percentile rank of the current value among the window's non-NaN values: average 1-based rank
/// (ties averaged) / count. Current value NaN -> NaN.
void RollingRank(std::span<const double> x, size_t window, std::span<double> out);
/// 1-based position of the max / min counted from the oldest row of the (partial) window, ties ->
/// earliest. Qlib quirk: when the window holds a NaN, the position of the first NaN is returned;
/// an all-NaN window gives NaN.
void RollingIdxMax(std::span<const double> x, size_t window, std::span<double> out);
void RollingIdxMin(std::span<const double> x, size_t window, std::span<double> out);
/// OLS slope of the values on their window position (1..window, newest = window), NaN rows
/// dropped; one valid point -> NaN.
void RollingSlope(std::span<const double> x, size_t window, std::span<double> out);
/// Squared correlation of values and positions; then NaN where the window's sample std
/// (RollingStd) is within 2e-5 of 0 (Qlib's mask; absolute threshold). Expanding (window 0):
/// no mask.
void RollingRsquare(std::span<const double> x, size_t window, std::span<double> out);
/// Residual of the current point against the window's regression line; current NaN -> NaN.
void RollingResi(std::span<const double> x, size_t window, std::span<double> out);
/// Pearson correlation over rows where both are non-NaN (ddof consistent); fewer than 2 pairs
/// -> NaN; then NaN where either input's own RollingStd is within 2e-5 of 0.
void RollingCorr(std::span<const double> x, std::span<const double> y, size_t window, std::span<double> out);
/// Sample covariance (ddof 1) over complete pairs; fewer than 2 -> NaN.
void RollingCov(std::span<const double> x, std::span<const double> y, size_t window, std::span<double> out);
/// pandas ewm(span=window, adjust=True, ignore_na=False, min_periods=1).mean(); when
/// 0 < span_or_alpha < 1 it is the smoothing factor alpha itself. span_or_alpha == 0 follows
/// Qlib's expanding quirk (alpha = 1 - 2/(1+L) over the L rows so far, O(rows^2)); the
/// expression compiler refuses a zero span, so only direct callers can reach it.
void Ema(std::span<const double> x, double span_or_alpha, std::span<double> out);
/// Qlib's WMA: weights i / sum(1..n) (i = 1 oldest .. n newest over the partial window), result
/// = sum(w_i x_i over non-NaN) / (number of non-NaN) -- Qlib's 1/n scaling bug kept for parity.
void RollingWmaQlib(std::span<const double> x, size_t window, std::span<double> out);
/// Corrected WMA: sum(w_i x_i) / sum(w_i) over the non-NaN values.
void RollingWma(std::span<const double> x, size_t window, std::span<double> out);
/// Corrected IdxMax / IdxMin: NaN rows are skipped instead of reported.
void RollingIdxMaxSkipNaN(std::span<const double> x, size_t window, std::span<double> out);
void RollingIdxMinSkipNaN(std::span<const double> x, size_t window, std::span<double> out);

}  // namespace alphaloom::expr::kernels
