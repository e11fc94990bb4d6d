#include "alphaloom/metrics/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace alphaloom::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

double Sum(std::span<const double> values) {
  double sum = 0.0;
  double compensation = 0.0;
  for (const double value : values) {
    const double next = sum + value;
    compensation += std::abs(sum) >= std::abs(value) ? (sum - next) + value : (value - next) + sum;
    sum = next;
  }
  return sum + compensation;
}

double Mean(std::span<const double> values) {
  if (values.empty()) return kNaN;
  return Sum(values) / static_cast<double>(values.size());
}

double Variance(std::span<const double> values, int ddof) {
  const double denominator = static_cast<double>(values.size()) - ddof;
  if (values.empty() || denominator <= 0) return kNaN;
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  if (*low == *high) return 0.0;
  const double mean = Mean(values);
  std::vector<double> squares(values.size());
  std::transform(values.begin(), values.end(), squares.begin(),
                 [mean](double value) { return (value - mean) * (value - mean); });
  return Sum(squares) / denominator;
}

double StandardDeviation(std::span<const double> values, int ddof) { return std::sqrt(Variance(values, ddof)); }

double Percentile(std::span<const double> values, double q) {
  if (values.empty()) return kNaN;
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const double position = static_cast<double>(sorted.size() - 1) * q / 100.0;
  const auto below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  // numpy's lerp form: exact at both ends and monotone in the fraction.
  const double low = sorted[below];
  const double high = sorted[above];
  const double diff = high - low;
  return fraction >= 0.5 ? high - diff * (1.0 - fraction) : low + diff * fraction;
}

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

double NormalPdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi); }

double NormalQuantile(double p) {
  if (std::isnan(p) || p < 0.0 || p > 1.0) return kNaN;
  if (p == 0.0) return -kInf;
  if (p == 1.0) return kInf;
  // Acklam's coefficients (central region and the two tails).
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01,  -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x = 0.0;
  if (p < kLow) {
    const double q = std::sqrt(-2.0 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else if (p <= 1.0 - kLow) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  } else {
    const double q = std::sqrt(-2.0 * std::log(1.0 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  // The approximation is good to ~1e-9; Halley steps on Phi(x) - p bring it to full precision.
  // Above the median Phi(x) - p is computed as (1 - p) - Q(x), Q = 1 - Phi, which avoids the
  // cancellation of two numbers near 1 (1 - p is exact there).
  for (int step = 0; step < 2; ++step) {
    const double error = p > 0.5 ? (1.0 - p) - 0.5 * std::erfc(x / std::numbers::sqrt2) : NormalCdf(x) - p;
    const double u = error * std::sqrt(2.0 * std::numbers::pi) * std::exp(0.5 * x * x);
    x -= u / (1.0 + 0.5 * x * u);
  }
  return x;
}

}  // namespace alphaloom::metrics
