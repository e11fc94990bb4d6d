// Kernels built on first and second cross moments: the regressions of a value on its window
// position (Slope, Rsquare, Resi, after Qlib's Cython rolling.pyx / expanding.pyx), the two WMAs
// and the pairwise Cov / Corr (pandas). Positions and values are both taken relative to a
// reference row inside the window (rolling_window.h): the results are invariant to both shifts
// and the sums stay well conditioned.
#include <algorithm>
#include <cmath>
#include <vector>

#include "alphaloom/expr/kernels.h"
#include "alphaloom/expr/rolling_window.h"

namespace alphaloom::expr::kernels {
namespace {

using internal::CompensatedSum;
using internal::kNaN;
using internal::PeakTracker;
using internal::ShiftedWindow;
using internal::WindowStart;

// Qlib's Rsquare and Corr are set to NaN where an input's rolling std is within this of 0
// (np.isclose(std, 0, atol=2e-05)).
constexpr double kQlibFlatStd = 2e-5;

/// Sums over the window's valid rows of t = row - reference row and d = x - x[reference row].
/// The t sums hold integers and are exact.
class RegressionSums {
 public:
  static constexpr size_t kComponents = 1;

  explicit RegressionSums(std::span<const double> y) : y_(y) {}

  bool IsValid(size_t row) const { return !std::isnan(y_[row]); }
  bool SameValue(size_t, size_t row_a, size_t row_b) const { return y_[row_a] == y_[row_b]; }
  void Rebase(size_t reference_row) {
    reference_row_ = reference_row;
    reference_ = y_[reference_row];
    t_ = 0.0;
    tt_ = 0.0;
    d_ = {};
    dd_ = {};
    td_ = {};
    peak_.Reset();
  }
  void Add(size_t row) {
    Accumulate(row, 1.0);
    peak_.Observe(dd_.Value());
  }
  void Remove(size_t row) { Accumulate(row, -1.0); }
  bool Collapsed() const { return peak_.Collapsed(dd_.Value()); }

  double Position(size_t row) const { return static_cast<double>(row) - static_cast<double>(reference_row_); }
  double Deviation(size_t row) const { return y_[row] - reference_; }
  double Reference() const { return reference_; }
  double SumT() const { return t_; }
  double SumTT() const { return tt_; }
  double SumD() const { return d_.Value(); }
  double SumDD() const { return dd_.Value(); }
  double SumTD() const { return td_.Value(); }

 private:
  void Accumulate(size_t row, double sign) {
    const double t = Position(row);
    const double d = Deviation(row);
    t_ += sign * t;
    tt_ += sign * t * t;
    d_.Add(sign * d);
    dd_.Add(sign * d * d);
    td_.Add(sign * t * d);
  }

  std::span<const double> y_;
  size_t reference_row_ = 0;
  double reference_ = 0.0;
  double t_ = 0.0;
  double tt_ = 0.0;
  CompensatedSum d_;
  CompensatedSum dd_;
  CompensatedSum td_;
  PeakTracker peak_;
};

/// Second moments about the means of two variables (window position and value, or x and y),
/// each multiplied by the count: count * sum(x - mean x)^2 = count * sum x^2 - (sum x)^2.
struct CrossMoments {
  double count = 0.0;
  double sxx = 0.0;
  double syy = 0.0;
  double sxy = 0.0;

  /// Least-squares slope of y on x.
  double Slope() const { return sxy / sxx; }
};

CrossMoments Fit(const RegressionSums& sums, size_t count) {
  CrossMoments fit;
  fit.count = static_cast<double>(count);
  fit.sxx = fit.count * sums.SumTT() - sums.SumT() * sums.SumT();
  fit.syy = fit.count * sums.SumDD() - sums.SumD() * sums.SumD();
  fit.sxy = fit.count * sums.SumTD() - sums.SumT() * sums.SumD();
  return fit;
}

/// Runs a regression kernel: `finish(window, sums, row)` turns the state after each row into
/// the output.
template <class Finish>
void RunRegression(std::span<const double> x, size_t window, std::span<double> out, Finish finish) {
  assert(out.size() == x.size() && "kernel output must match the input length");
  RegressionSums sums(x);
  ShiftedWindow<RegressionSums> state(sums, x.size(), window);
  for (size_t row = 0; row < x.size(); ++row) {
    state.Advance(row);
    out[row] = finish(state, sums, row);
  }
}

// The algebra gives some answers exactly, and the kernels return them exactly: a constant
// window has slope 0 and residual 0, and a line through two points fits both of them.
template <class Window>
bool Constant(const Window& state) {
  return state.Count() >= 2 && state.AllEqual();
}

enum class WmaScaling { kQlib, kCorrected };

void RunWma(std::span<const double> x, size_t window, WmaScaling scaling, std::span<double> out) {
  assert(out.size() == x.size() && "kernel output must match the input length");
  RegressionSums sums(x);
  ShiftedWindow<RegressionSums> state(sums, x.size(), window);
  for (size_t row = 0; row < x.size(); ++row) {
    state.Advance(row);
    const size_t count = state.Count();
    if (count == 0) {
      out[row] = kNaN;
      continue;
    }
    const double n = static_cast<double>(count);
    const size_t start = WindowStart(row, window);
    // The weight of a row is its 1-based position in the window: t + offset.
    const double offset = 1.0 - sums.Position(start);
    const double weight_sum = sums.SumT() + offset * n;
    const double weighted_deviations = sums.SumTD() + offset * sums.SumD();
    const double weighted_sum = sums.Reference() * weight_sum + weighted_deviations;
    if (scaling == WmaScaling::kQlib) {
      const double length = static_cast<double>(row - start + 1);
      out[row] = weighted_sum / (length * (length + 1.0) / 2.0) / n;
    } else {
      out[row] = weighted_sum / weight_sum;
    }
  }
}

/// Sums over the rows where both series are valid of dx = x - x[ref] and dy = y - y[ref].
class PairSums {
 public:
  static constexpr size_t kComponents = 2;  // x, y

  PairSums(std::span<const double> x, std::span<const double> y) : x_(x), y_(y) {}

  bool IsValid(size_t row) const { return !std::isnan(x_[row]) && !std::isnan(y_[row]); }
  bool SameValue(size_t component, size_t row_a, size_t row_b) const {
    const std::span<const double> series = component == 0 ? x_ : y_;
    return series[row_a] == series[row_b];
  }
  void Rebase(size_t reference_row) {
    reference_x_ = x_[reference_row];
    reference_y_ = y_[reference_row];
    dx_ = {};
    dy_ = {};
    dxx_ = {};
    dyy_ = {};
    dxy_ = {};
    peak_x_.Reset();
    peak_y_.Reset();
  }
  void Add(size_t row) {
    Accumulate(row, 1.0);
    peak_x_.Observe(dxx_.Value());
    peak_y_.Observe(dyy_.Value());
  }
  void Remove(size_t row) { Accumulate(row, -1.0); }
  bool Collapsed() const { return peak_x_.Collapsed(dxx_.Value()) || peak_y_.Collapsed(dyy_.Value()); }

  /// The cross moments of the `count` complete pairs in the window.
  CrossMoments CoMoments(size_t count) const {
    CrossMoments moments;
    moments.count = static_cast<double>(count);
    moments.sxx = moments.count * dxx_.Value() - dx_.Value() * dx_.Value();
    moments.syy = moments.count * dyy_.Value() - dy_.Value() * dy_.Value();
    moments.sxy = moments.count * dxy_.Value() - dx_.Value() * dy_.Value();
    return moments;
  }

 private:
  void Accumulate(size_t row, double sign) {
    const double dx = x_[row] - reference_x_;
    const double dy = y_[row] - reference_y_;
    dx_.Add(sign * dx);
    dy_.Add(sign * dy);
    dxx_.Add(sign * dx * dx);
    dyy_.Add(sign * dy * dy);
    dxy_.Add(sign * dx * dy);
  }

  std::span<const double> x_;
  std::span<const double> y_;
  double reference_x_ = 0.0;
  double reference_y_ = 0.0;
  CompensatedSum dx_;
  CompensatedSum dy_;
  CompensatedSum dxx_;
  CompensatedSum dyy_;
  CompensatedSum dxy_;
  PeakTracker peak_x_;
  PeakTracker peak_y_;
};

template <class Finish>
void RunPairs(std::span<const double> x, std::span<const double> y, size_t window, std::span<double> out,
              Finish finish) {
  assert(out.size() == x.size() && y.size() == x.size() && "kernel inputs and output must have one length");
  PairSums sums(x, y);
  ShiftedWindow<PairSums> state(sums, x.size(), window);
  for (size_t row = 0; row < x.size(); ++row) {
    state.Advance(row);
    out[row] = finish(state, sums);
  }
}

}  // namespace

void RollingSlope(std::span<const double> x, size_t window, std::span<double> out) {
  RunRegression(x, window, out, [](const auto& state, const RegressionSums& sums, size_t) {
    if (state.Count() < 2) return kNaN;
    if (Constant(state)) return 0.0;
    return Fit(sums, state.Count()).Slope();
  });
}

void RollingRsquare(std::span<const double> x, size_t window, std::span<double> out) {
  RunRegression(x, window, out, [window](const auto& state, const RegressionSums& sums, size_t) {
    const size_t count = state.Count();
    if (count < 2 || Constant(state)) return kNaN;
    const CrossMoments fit = Fit(sums, count);
    if (window != 0) {
      // Qlib's mask: the window's sample std is fit.syy / (n (n - 1)), square-rooted.
      const double n = fit.count;
      if (std::sqrt(std::max(fit.syy, 0.0) / (n * (n - 1.0))) <= kQlibFlatStd) return kNaN;
    }
    if (count == 2) return 1.0;
    if (!(fit.sxx > 0.0 && fit.syy > 0.0)) return kNaN;
    const double r = fit.sxy / std::sqrt(fit.sxx * fit.syy);
    return std::min(r * r, 1.0);
  });
}

void RollingResi(std::span<const double> x, size_t window, std::span<double> out) {
  RunRegression(x, window, out, [x](const auto& state, const RegressionSums& sums, size_t row) {
    const size_t count = state.Count();
    if (std::isnan(x[row]) || count < 2) return kNaN;
    if (Constant(state) || count == 2) return 0.0;
    const CrossMoments fit = Fit(sums, count);
    const double n = fit.count;
    return sums.Deviation(row) - sums.SumD() / n - fit.Slope() * (sums.Position(row) - sums.SumT() / n);
  });
}

void RollingWmaQlib(std::span<const double> x, size_t window, std::span<double> out) {
  RunWma(x, window, WmaScaling::kQlib, out);
}

void RollingWma(std::span<const double> x, size_t window, std::span<double> out) {
  RunWma(x, window, WmaScaling::kCorrected, out);
}

void RollingCov(std::span<const double> x, std::span<const double> y, size_t window, std::span<double> out) {
  RunPairs(x, y, window, out, [](const auto& state, const PairSums& sums) {
    const size_t count = state.Count();
    if (count < 2) return kNaN;
    if (state.AllEqual(0) || state.AllEqual(1)) return 0.0;
    const CrossMoments moments = sums.CoMoments(count);
    return moments.sxy / (moments.count * (moments.count - 1.0));
  });
}

void RollingCorr(std::span<const double> x, std::span<const double> y, size_t window, std::span<double> out) {
  RunPairs(x, y, window, out, [](const auto& state, const PairSums& sums) {
    const size_t count = state.Count();
    if (count < 2 || state.AllEqual(0) || state.AllEqual(1)) return kNaN;
    const CrossMoments moments = sums.CoMoments(count);
    if (!(moments.sxx > 0.0 && moments.syy > 0.0)) return kNaN;
    // Two points always lie on a line; the general formula would only add rounding.
    if (count == 2) return moments.sxy >= 0.0 ? 1.0 : -1.0;
    return std::clamp(moments.sxy / std::sqrt(moments.sxx * moments.syy), -1.0, 1.0);
  });
  if (x.empty()) return;
  // Qlib's mask uses each input's own rolling std, over its own valid rows, not the pairs'.
  std::vector<double> flat(x.size());
  for (const auto& series : {x, y}) {
    RollingStd(series, window, flat);
    for (size_t row = 0; row < x.size(); ++row) {
      if (flat[row] <= kQlibFlatStd) out[row] = kNaN;
    }
  }
}

}  // namespace alphaloom::expr::kernels
