// Ref, EMA and the moment kernels (Sum, Mean, Var, Std, Skew, Kurt, Count). Sliding-window
// moments follow pandas' rolling aggregations (min_periods 1) including their exact answers for
// windows whose values are all equal; sums are taken over deviations from a reference row
// inside the window (rolling_window.h) instead of pandas' raw power sums, so tiny variances of
// large prices keep their digits.
#include "alphaloom/expr/kernels.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "alphaloom/expr/rolling_window.h"

namespace alphaloom::expr::kernels {
namespace {

using internal::CompensatedSum;
using internal::kNaN;
using internal::ShiftedWindow;

// pandas treats a biased variance at or below this as zero for skew and kurtosis (GH 18044).
constexpr double kPandasMomentVarianceFloor = 1e-14;

/// Sums of (x - reference)^p for p = 1..kMaxPower over a window's valid rows.
template <int kMaxPower>
class PowerSums {
 public:
  static constexpr size_t kComponents = 1;

  explicit PowerSums(std::span<const double> x) : x_(x) {}

  bool IsValid(size_t row) const { return !std::isnan(x_[row]); }
  bool SameValue(size_t, size_t row_a, size_t row_b) const { return x_[row_a] == x_[row_b]; }
  void Rebase(size_t reference_row) {
    reference_ = x_[reference_row];
    sums_ = {};
    peak_.Reset();
  }
  void Add(size_t row) {
    Accumulate(x_[row] - reference_, 1.0);
    if constexpr (kMaxPower >= 2) peak_.Observe(Sum(2));
  }
  void Remove(size_t row) { Accumulate(x_[row] - reference_, -1.0); }
  bool Collapsed() const {
    // A sum or mean is judged against the values themselves, which the compensated sum of the
    // deviations tracks to the last bit; only a spread can shrink below the rounding left behind.
    if constexpr (kMaxPower >= 2) return peak_.Collapsed(Sum(2));
    return false;
  }

  double Reference() const { return reference_; }
  /// Sum of the deviations raised to `power` (1-based).
  double Sum(int power) const { return sums_[static_cast<size_t>(power - 1)].Value(); }

 private:
  void Accumulate(double deviation, double sign) {
    double term = sign;
    for (auto& sum : sums_) {
      term *= deviation;
      sum.Add(term);
    }
  }

  std::span<const double> x_;
  double reference_ = 0.0;
  std::array<CompensatedSum, kMaxPower> sums_{};
  internal::PeakTracker peak_;
};

/// Central moments of the window's valid values, from the shifted power sums.
struct CentralMoments {
  double count = 0.0;
  double m2 = 0.0;  // sum of squared deviations from the mean
  double m3 = 0.0;
  double m4 = 0.0;
};

template <int kMaxPower>
CentralMoments Central(const PowerSums<kMaxPower>& sums, size_t count) {
  CentralMoments moments;
  moments.count = static_cast<double>(count);
  const double s1 = sums.Sum(1);
  const double shift = s1 / moments.count;  // mean minus reference
  if constexpr (kMaxPower >= 2) {
    const double s2 = sums.Sum(2);
    moments.m2 = s2 - shift * s1;
    if constexpr (kMaxPower >= 3) {
      const double s3 = sums.Sum(3);
      moments.m3 = s3 - 3.0 * shift * s2 + 2.0 * shift * shift * s1;
      if constexpr (kMaxPower >= 4) {
        moments.m4 = sums.Sum(4) - 4.0 * shift * s3 + 6.0 * shift * shift * s2 - 3.0 * shift * shift * shift * s1;
      }
    }
  }
  return moments;
}

/// Runs a moment kernel: `finish(window, sums)` turns the state after each row into the output.
template <int kMaxPower, class Finish>
void RunMoments(std::span<const double> x, size_t window, std::span<double> out, Finish finish) {
  assert(out.size() == x.size() && "kernel output must match the input length");
  PowerSums<kMaxPower> sums(x);
  ShiftedWindow<PowerSums<kMaxPower>> state(sums, x.size(), window);
  for (size_t row = 0; row < x.size(); ++row) {
    state.Advance(row);
    out[row] = finish(state, sums);
  }
}

template <class Window>
double SampleVariance(const Window& state, const PowerSums<2>& sums) {
  const size_t count = state.Count();
  if (count < 2) return kNaN;
  if (state.AllEqual()) return 0.0;
  const CentralMoments moments = Central(sums, count);
  return std::max(moments.m2, 0.0) / (moments.count - 1.0);
}

}  // namespace

void Ref(std::span<const double> x, long shift, std::span<double> out) {
  assert(out.size() == x.size() && "kernel output must match the input length");
  const size_t rows = x.size();
  if (rows == 0) return;
  if (shift == 0) {
    std::fill(out.begin(), out.end(), x[0]);
    return;
  }
  // Unsigned negation is exact even for the most negative long.
  const unsigned long magnitude =
      shift > 0 ? static_cast<unsigned long>(shift) : 0UL - static_cast<unsigned long>(shift);
  for (size_t row = 0; row < rows; ++row) {
    if (shift > 0) {
      out[row] = row >= magnitude ? x[row - magnitude] : kNaN;
    } else {
      out[row] = magnitude < rows - row ? x[row + magnitude] : kNaN;
    }
  }
}

void RollingSum(std::span<const double> x, size_t window, std::span<double> out) {
  RunMoments<1>(x, window, out, [&](const auto& state, const auto& sums) {
    const size_t count = state.Count();
    if (count == 0) return kNaN;
    const double n = static_cast<double>(count);
    if (state.AllEqual()) return x[state.LastValidRow()] * n;
    return n * sums.Reference() + sums.Sum(1);
  });
}

void RollingMean(std::span<const double> x, size_t window, std::span<double> out) {
  RunMoments<1>(x, window, out, [&](const auto& state, const auto& sums) {
    const size_t count = state.Count();
    if (count == 0) return kNaN;
    if (state.AllEqual()) return x[state.LastValidRow()];
    return sums.Reference() + sums.Sum(1) / static_cast<double>(count);
  });
}

void RollingVar(std::span<const double> x, size_t window, std::span<double> out) {
  RunMoments<2>(x, window, out, [](const auto& state, const auto& sums) { return SampleVariance(state, sums); });
}

void RollingStd(std::span<const double> x, size_t window, std::span<double> out) {
  RunMoments<2>(x, window, out,
                [](const auto& state, const auto& sums) { return std::sqrt(SampleVariance(state, sums)); });
}

void RollingSkew(std::span<const double> x, size_t window, std::span<double> out) {
  RunMoments<3>(x, window, out, [](const auto& state, const auto& sums) {
    const size_t count = state.Count();
    if (count < 3) return kNaN;
    if (state.AllEqual()) return 0.0;  // pandas' fixed answer for a constant window (GH 42064)
    const CentralMoments moments = Central(sums, count);
    const double n = moments.count;
    const double biased_variance = moments.m2 / n;
    if (biased_variance <= kPandasMomentVarianceFloor) return kNaN;
    const double root = std::sqrt(biased_variance);
    return std::sqrt(n * (n - 1.0)) * (moments.m3 / n) / ((n - 2.0) * root * root * root);
  });
}

void RollingKurt(std::span<const double> x, size_t window, std::span<double> out) {
  RunMoments<4>(x, window, out, [](const auto& state, const auto& sums) {
    const size_t count = state.Count();
    if (count < 4) return kNaN;
    if (state.AllEqual()) return -3.0;  // pandas' fixed answer for a constant window (GH 42064)
    const CentralMoments moments = Central(sums, count);
    const double n = moments.count;
    const double biased_variance = moments.m2 / n;
    if (biased_variance <= kPandasMomentVarianceFloor) return kNaN;
    const double fourth = moments.m4 / n;
    const double k = (n * n - 1.0) * fourth / (biased_variance * biased_variance) - 3.0 * (n - 1.0) * (n - 1.0);
    return k / ((n - 2.0) * (n - 3.0));
  });
}

void RollingCount(std::span<const double> x, size_t window, std::span<double> out) {
  assert(out.size() == x.size() && "kernel output must match the input length");
  size_t count = 0;
  for (size_t row = 0; row < x.size(); ++row) {
    if (!std::isnan(x[row])) ++count;
    if (window != 0 && row >= window && !std::isnan(x[row - window])) --count;
    out[row] = static_cast<double>(count);
  }
}

namespace {

// Qlib's EMA(x, 0): an expanding apply whose decay a = 1 - 2 / (1 + L) depends on the number of
// rows L seen so far, so no recurrence carries over from one row to the next: O(rows^2).
// NaN rows keep their weight in the normaliser but add nothing (numpy nansum).
void QlibExpandingEma(std::span<const double> x, std::span<double> out) {
  bool any_valid = false;
  for (size_t row = 0; row < x.size(); ++row) {
    any_valid = any_valid || !std::isnan(x[row]);
    if (!any_valid) {
      out[row] = kNaN;
      continue;
    }
    const double length = static_cast<double>(row + 1);
    const double decay = 1.0 - 2.0 / (1.0 + length);
    double weighted = 0.0;
    double weights = 0.0;
    for (size_t k = 0; k <= row; ++k) {
      weighted *= decay;
      weights = weights * decay + 1.0;
      if (!std::isnan(x[k])) weighted += x[k];
    }
    out[row] = weighted / weights;
  }
}

}  // namespace

void Ema(std::span<const double> x, double span_or_alpha, std::span<double> out) {
  assert(out.size() == x.size() && "kernel output must match the input length");
  if (x.empty()) return;
  if (span_or_alpha == 0.0) {
    QlibExpandingEma(x, out);
    return;
  }
  // pandas derives alpha through the centre of mass; going the same way keeps its rounding.
  double center_of_mass = kNaN;
  if (span_or_alpha > 0.0 && span_or_alpha < 1.0) {
    center_of_mass = (1.0 - span_or_alpha) / span_or_alpha;
  } else if (span_or_alpha >= 1.0) {
    center_of_mass = (span_or_alpha - 1.0) / 2.0;
  }
  if (!std::isfinite(center_of_mass)) {
    std::fill(out.begin(), out.end(), kNaN);
    return;
  }
  const double alpha = 1.0 / (1.0 + center_of_mass);
  const double old_weight_factor = 1.0 - alpha;
  // pandas ewma(adjust=True, ignore_na=False): NaN rows still age the old weight.
  double average = x[0];
  double old_weight = 1.0;
  out[0] = average;
  for (size_t row = 1; row < x.size(); ++row) {
    const double value = x[row];
    const bool observed = !std::isnan(value);
    if (!std::isnan(average)) {
      old_weight *= old_weight_factor;
      if (observed) {
        if (average != value) average = (old_weight * average + value) / (old_weight + 1.0);
        old_weight += 1.0;
      }
    } else if (observed) {
      average = value;
    }
    out[row] = average;
  }
}

}  // namespace alphaloom::expr::kernels
