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

/// The regression of a window's values on their positions, from RegressionSums.
struct Regression {
  double count = 0.0;
  double sxx = 0.0;  // count * sum of squared position deviations
  double syy = 0.0;  // count * sum of squared value deviations
  double sxy = 0.0;  // count * sum of cross deviations

  double Slope() const { return sxy / sxx; }
};

Regression Fit(const RegressionSums& sums, size_t count) {
  Regression fit;
  fit.count = static_cast<double>(count);
  fit.sxx = fit.count * sums.SumTT() - sums.SumT() * sums.SumT();
  fit.syy = fit.count * sums.SumDD() - sums.SumD() * sums.SumD();
  fit.sxy = fit.count * sums.SumTD() - sums.SumT() * sums.SumD();
  return fit;
}

enum class RegressionOutput { kSlope, kRsquare, kResidual };

void RunRegression(std::span<const double> x, size_t window, RegressionOutput output, std::span<double> out) {
  assert(out.size() == x.size() && "kernel output must match the input length");
  RegressionSums sums(x);
  ShiftedWindow<RegressionSums> state(sums, x.size(), window);
  const bool flat_mask = output == RegressionOutput::kRsquare && window != 0;
  for (size_t row = 0; row < x.size(); ++row) {
    state.Advance(row);
    const size_t count = state.Count();
    // Exact answers where the algebra gives them: a constant window has slope 0 and residual 0;
    // a line through two points fits both.
    const bool constant = state.AllEqual() && count >= 2;
    double result = kNaN;
    switch (output) {
      case RegressionOutput::kSlope:
        if (constant) {
          result = 0.0;
        } else if (count >= 2) {
          result = Fit(sums, count).Slope();
        }
        break;
      case RegressionOutput::kRsquare:
        if (count == 2 && !constant) {
          result = 1.0;
        } else if (count > 2 && !constant) {
          const Regression fit = Fit(sums, count);
          if (fit.sxx > 0.0 && fit.syy > 0.0) {
            const double r = fit.sxy / std::sqrt(fit.sxx * fit.syy);
            result = std::min(r * r, 1.0);
          }
        }
        if (flat_mask && count >= 2) {
          const double variance = constant ? 0.0 : std::max(Fit(sums, count).syy, 0.0) /
                                                       (static_cast<double>(count) * static_cast<double>(count - 1));
          if (std::sqrt(variance) <= kQlibFlatStd) result = kNaN;
        }
        break;
      case RegressionOutput::kResidual:
        if (std::isnan(x[row]) || count < 2) break;
        if (constant || count == 2) {
          result = 0.0;
        } else {
          const Regression fit = Fit(sums, count);
          const double n = fit.count;
          result = sums.Deviation(row) - sums.SumD() / n - fit.Slope() * (sums.Position(row) - sums.SumT() / n);
        }
        break;
    }
    out[row] = result;
  }
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

  /// count * the co-moment sums (the Regression struct's scaling), for `count` complete pairs.
  Regression CoMoments(size_t count) const {
    Regression moments;
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
  RunRegression(x, window, RegressionOutput::kSlope, out);
}

void RollingRsquare(std::span<const double> x, size_t window, std::span<double> out) {
  RunRegression(x, window, RegressionOutput::kRsquare, out);
}

void RollingResi(std::span<const double> x, size_t window, std::span<double> out) {
  RunRegression(x, window, RegressionOutput::kResidual, out);
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
    const Regression moments = sums.CoMoments(count);
    return moments.sxy / (moments.count * (moments.count - 1.0));
  });
}

void RollingCorr(std::span<const double> x, std::span<const double> y, size_t window, std::span<double> out) {
  RunPairs(x, y, window, out, [](const auto& state, const PairSums& sums) {
    const size_t count = state.Count();
    if (count < 2 || state.AllEqual(0) || state.AllEqual(1)) return kNaN;
    const Regression moments = sums.CoMoments(count);
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
