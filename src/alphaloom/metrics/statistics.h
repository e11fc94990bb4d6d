#pragma once
// Building blocks shared by the metrics: accurate sums and moments, linear-interpolation
// percentiles and the standard normal distribution. Inputs are already prepared (no NaN).
#include <span>

namespace alphaloom::metrics {

/// Sum with Neumaier compensation, so a mean of thousands of small returns keeps every digit
/// that numpy's pairwise summation keeps. 0 for an empty span.
double Sum(std::span<const double> values);

/// Arithmetic mean; NaN for an empty span.
double Mean(std::span<const double> values);

/// Sample variance sum((x - mean)^2) / (n - ddof) by two passes. NaN when n - ddof <= 0.
/// Exactly 0 when every value is equal, so zero variance is detected without a tolerance.
double Variance(std::span<const double> values, int ddof);

/// sqrt(Variance(values, ddof)).
double StandardDeviation(std::span<const double> values, int ddof);

/// The q-th percentile (0 <= q <= 100) with linear interpolation between order statistics,
/// numpy's default (`np.percentile`, method "linear") and pandas' `quantile`:
/// position h = (n - 1) * q / 100, value x_floor(h) + (h - floor(h)) * (x_ceil(h) - x_floor(h)).
/// NaN for an empty span.
double Percentile(std::span<const double> values, double q);

/// Standard normal CDF Phi(x) = erfc(-x / sqrt(2)) / 2.
double NormalCdf(double x);

/// Standard normal density.
double NormalPdf(double x);

/// Phi^-1(p): -inf at 0, +inf at 1, NaN outside [0, 1]. Acklam's rational approximation refined
/// by one Halley step against NormalCdf, accurate to about 1e-15 relative.
double NormalQuantile(double p);

}  // namespace alphaloom::metrics
