// Every kernel of kernels.h against a brute-force reference that recomputes each window from
// scratch, written from the spec (kernels.h and reference/qlib.md §2.2-2.5), not from the
// kernels: random series with NaN runs (some longer than the window), constant stretches and
// ties, for windows 1, 2, 5, 20, 60 and 0 (expanding) and lengths 0, 1, 3 and 500.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "alphaloom/expr/kernels.h"

namespace alphaloom::expr::kernels {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kQlibFlatStd = 2e-5;
constexpr size_t kWindows[] = {1, 2, 5, 20, 60, 0};
constexpr size_t kLengths[] = {0, 1, 3, 500};
constexpr uint64_t kSeeds[] = {11, 23, 47};

using Series = std::vector<double>;
using Window = std::span<const double>;

// SplitMix64: the same series on every platform and standard library.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Normal() {
    const double u = 1.0 - Uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * Uniform());
  }
  size_t Below(size_t bound) { return static_cast<size_t>(Next() % bound); }

 private:
  uint64_t state_;
};

// A random walk around 100: NaN runs of 1-6 rows and now and then of up to 80 (longer than any
// window), stretches repeating the previous value, and half the values on a 0.5 grid (ties).
Series MakeSeries(size_t rows, uint64_t seed) {
  Random random(seed);
  Series x;
  x.reserve(rows);
  double level = 100.0;
  while (x.size() < rows) {
    const double draw = random.Uniform();
    if (draw < 0.06) {
      const size_t run = 1 + random.Below(draw < 0.005 ? 80 : 6);
      for (size_t k = 0; k < run && x.size() < rows; ++k) x.push_back(kNaN);
    } else if (draw < 0.2 && !x.empty() && !std::isnan(x.back())) {
      const size_t run = 1 + random.Below(8);
      const double value = x.back();
      for (size_t k = 0; k < run && x.size() < rows; ++k) x.push_back(value);
    } else {
      level += 2.0 * random.Normal();
      x.push_back(draw < 0.6 ? std::round(level * 2.0) / 2.0 : level);
    }
  }
  return x;
}

// A second series partly driven by the first, with its own NaN pattern.
Series MakePartner(const Series& x, uint64_t seed) {
  Series noise = MakeSeries(x.size(), seed);
  Series y(x.size());
  for (size_t row = 0; row < x.size(); ++row) {
    y[row] = 0.3 * (std::isnan(x[row]) ? 100.0 : x[row]) + noise[row];
  }
  return y;
}

Window WindowAt(const Series& x, size_t row, size_t window) {
  const size_t start = (window == 0 || row < window) ? 0 : row + 1 - window;
  return Window(x).subspan(start, row - start + 1);
}

std::vector<double> ValidValues(Window w) {
  std::vector<double> values;
  for (double v : w) {
    if (!std::isnan(v)) values.push_back(v);
  }
  return values;
}

bool AllSame(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [&](double v) { return v == values.front(); });
}

// Two-pass moments in long double around a pivot taken from the data, so that prices near 1e4
// moving by 1e-3 keep every digit of their deviations.
long double MeanOf(const std::vector<double>& values) {
  const long double pivot = values.front();
  long double sum = 0.0L;
  for (double v : values) sum += static_cast<long double>(v) - pivot;
  return pivot + sum / static_cast<long double>(values.size());
}

// Deviations from the mean, computed as (v - pivot) - (mean - pivot).
std::vector<long double> Deviations(const std::vector<double>& values) {
  const long double pivot = values.front();
  long double shift = 0.0L;
  for (double v : values) shift += static_cast<long double>(v) - pivot;
  shift /= static_cast<long double>(values.size());
  std::vector<long double> deviations;
  for (double v : values) deviations.push_back((static_cast<long double>(v) - pivot) - shift);
  return deviations;
}

// Sum of (v - mean)^power.
long double CentralSum(const std::vector<double>& values, int power) {
  long double sum = 0.0L;
  for (long double d : Deviations(values)) {
    long double term = 1.0L;
    for (int k = 0; k < power; ++k) term *= d;
    sum += term;
  }
  return sum;
}

double RefSum(Window w, size_t) {
  const auto values = ValidValues(w);
  if (values.empty()) return kNaN;
  long double sum = 0.0L;
  for (double v : values) sum += v;
  return static_cast<double>(sum);
}

double RefMean(Window w, size_t) {
  const auto values = ValidValues(w);
  return values.empty() ? kNaN : static_cast<double>(MeanOf(values));
}

double RefVar(Window w, size_t) {
  const auto values = ValidValues(w);
  if (values.size() < 2) return kNaN;
  return static_cast<double>(CentralSum(values, 2) / static_cast<long double>(values.size() - 1));
}

double RefStd(Window w, size_t window) {
  return std::sqrt(RefVar(w, window));
}

double RefSkew(Window w, size_t) {
  const auto values = ValidValues(w);
  if (values.size() < 3) return kNaN;
  if (AllSame(values)) return 0.0;
  const long double n = static_cast<long double>(values.size());
  const long double b = CentralSum(values, 2) / n;
  if (b <= 1e-14L) return kNaN;
  const long double c = CentralSum(values, 3) / n;
  return static_cast<double>(std::sqrt(n * (n - 1)) * c / ((n - 2) * std::pow(b, 1.5L)));
}

double RefKurt(Window w, size_t) {
  const auto values = ValidValues(w);
  if (values.size() < 4) return kNaN;
  if (AllSame(values)) return -3.0;
  const long double n = static_cast<long double>(values.size());
  const long double b = CentralSum(values, 2) / n;
  if (b <= 1e-14L) return kNaN;
  const long double d = CentralSum(values, 4) / n;
  const long double k = (n * n - 1) * d / (b * b) - 3 * (n - 1) * (n - 1);
  return static_cast<double>(k / ((n - 2) * (n - 3)));
}

double RefMax(Window w, size_t) {
  const auto values = ValidValues(w);
  return values.empty() ? kNaN : *std::max_element(values.begin(), values.end());
}

double RefMin(Window w, size_t) {
  const auto values = ValidValues(w);
  return values.empty() ? kNaN : *std::min_element(values.begin(), values.end());
}

double RefCount(Window w, size_t) {
  return static_cast<double>(ValidValues(w).size());
}

double RefMedian(Window w, size_t) {
  auto values = ValidValues(w);
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2.0;
}

double RefMad(Window w, size_t) {
  const auto values = ValidValues(w);
  if (values.empty()) return kNaN;
  long double sum = 0.0L;
  for (long double d : Deviations(values)) sum += std::fabs(d);
  return static_cast<double>(sum / static_cast<long double>(values.size()));
}

double RefQuantile(Window w, double q) {
  auto values = ValidValues(w);
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const double h = q * static_cast<double>(values.size() - 1);
  const auto low = static_cast<size_t>(std::floor(h));
  const double fraction = h - static_cast<double>(low);
  if (fraction == 0.0) return values[low];
  return values[low] + (values[low + 1] - values[low]) * fraction;
}

double RefRank(Window w, size_t) {
  const double current = w.back();
  if (std::isnan(current)) return kNaN;
  const auto values = ValidValues(w);
  double less = 0.0;
  double equal = 0.0;
  for (double v : values) {
    less += v < current ? 1.0 : 0.0;
    equal += v == current ? 1.0 : 0.0;
  }
  // Ranks less+1 .. less+equal, averaged.
  return (less + (equal + 1.0) / 2.0) / static_cast<double>(values.size());
}

// numpy argmax / argmin + 1 on the raw window: a NaN anywhere wins with its first position.
double RefArgExtremum(Window w, bool is_max, bool skip_nan) {
  if (ValidValues(w).empty()) return kNaN;
  size_t best = w.size();
  for (size_t k = 0; k < w.size(); ++k) {
    if (std::isnan(w[k])) {
      if (!skip_nan) return static_cast<double>(k + 1);
      continue;
    }
    if (best == w.size() || (is_max ? w[k] > w[best] : w[k] < w[best])) best = k;
  }
  return static_cast<double>(best + 1);
}

// Least squares of the valid values on their 1-based window positions.
struct LineFit {
  size_t count = 0;
  long double mean_t = 0, mean_y = 0, stt = 0, syy = 0, sty = 0;
  long double Slope() const { return sty / stt; }
};

LineFit FitLine(Window w) {
  LineFit fit;
  std::vector<double> ts;
  std::vector<double> ys;
  for (size_t k = 0; k < w.size(); ++k) {
    if (std::isnan(w[k])) continue;
    ts.push_back(static_cast<double>(k + 1));
    ys.push_back(w[k]);
  }
  fit.count = ys.size();
  if (ys.empty()) return fit;
  fit.mean_t = MeanOf(ts);
  fit.mean_y = MeanOf(ys);
  const auto dt = Deviations(ts);
  const auto dy = Deviations(ys);
  for (size_t k = 0; k < dt.size(); ++k) {
    fit.stt += dt[k] * dt[k];
    fit.syy += dy[k] * dy[k];
    fit.sty += dt[k] * dy[k];
  }
  return fit;
}

double RefSlope(Window w, size_t) {
  const LineFit fit = FitLine(w);
  return fit.count < 2 ? kNaN : static_cast<double>(fit.Slope());
}

double RefRsquare(Window w, size_t window) {
  const LineFit fit = FitLine(w);
  if (fit.count < 2 || fit.syy == 0) return kNaN;
  if (window != 0 && RefStd(w, window) <= kQlibFlatStd) return kNaN;
  return static_cast<double>(fit.sty * fit.sty / (fit.stt * fit.syy));
}

double RefResi(Window w, size_t) {
  if (std::isnan(w.back())) return kNaN;
  const LineFit fit = FitLine(w);
  if (fit.count < 2) return kNaN;
  const long double t_now = static_cast<long double>(w.size());
  return static_cast<double>((w.back() - fit.mean_y) - fit.Slope() * (t_now - fit.mean_t));
}

double RefWmaQlib(Window w, size_t) {
  const auto valid = ValidValues(w);
  if (valid.empty()) return kNaN;
  const long double length = static_cast<long double>(w.size());
  long double weighted = 0;
  for (size_t k = 0; k < w.size(); ++k) {
    if (!std::isnan(w[k])) weighted += static_cast<long double>(k + 1) / (length * (length + 1) / 2) * w[k];
  }
  return static_cast<double>(weighted / static_cast<long double>(valid.size()));
}

double RefWma(Window w, size_t) {
  long double weighted = 0;
  long double weights = 0;
  for (size_t k = 0; k < w.size(); ++k) {
    if (std::isnan(w[k])) continue;
    weighted += static_cast<long double>(k + 1) * w[k];
    weights += static_cast<long double>(k + 1);
  }
  return weights == 0 ? kNaN : static_cast<double>(weighted / weights);
}

struct PairFit {
  size_t count = 0;
  long double sxx = 0, syy = 0, sxy = 0;
};

PairFit FitPairs(Window xw, Window yw) {
  std::vector<double> xs;
  std::vector<double> ys;
  for (size_t k = 0; k < xw.size(); ++k) {
    if (!std::isnan(xw[k]) && !std::isnan(yw[k])) {
      xs.push_back(xw[k]);
      ys.push_back(yw[k]);
    }
  }
  PairFit fit;
  fit.count = xs.size();
  if (xs.empty()) return fit;
  const auto dx = Deviations(xs);
  const auto dy = Deviations(ys);
  for (size_t k = 0; k < dx.size(); ++k) {
    fit.sxx += dx[k] * dx[k];
    fit.syy += dy[k] * dy[k];
    fit.sxy += dx[k] * dy[k];
  }
  return fit;
}

double RefCov(Window xw, Window yw, size_t) {
  const PairFit fit = FitPairs(xw, yw);
  return fit.count < 2 ? kNaN : static_cast<double>(fit.sxy / static_cast<long double>(fit.count - 1));
}

double RefCorr(Window xw, Window yw, size_t window) {
  const PairFit fit = FitPairs(xw, yw);
  if (fit.count < 2 || fit.sxx == 0 || fit.syy == 0) return kNaN;
  if (RefStd(xw, window) <= kQlibFlatStd || RefStd(yw, window) <= kQlibFlatStd) return kNaN;
  return static_cast<double>(fit.sxy / std::sqrt(fit.sxx * fit.syy));
}

struct Tolerance {
  double relative = 0.0;
  double absolute = 0.0;
};
constexpr Tolerance kExact{0.0, 0.0};
// Relative 1e-9, with a floor far below the data's scale (values ~100) for results near 0.
constexpr Tolerance kClose{1e-9, 1e-10};

void ExpectSeriesNear(const Series& actual, const Series& expected, Tolerance tolerance) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t row = 0; row < actual.size(); ++row) {
    if (std::isnan(expected[row])) {
      EXPECT_TRUE(std::isnan(actual[row])) << "row " << row << ": expected NaN, got " << actual[row];
      continue;
    }
    const double bound =
        tolerance.relative * std::max(std::fabs(actual[row]), std::fabs(expected[row])) + tolerance.absolute;
    EXPECT_LE(std::fabs(actual[row] - expected[row]), bound)
        << "row " << row << ": got " << actual[row] << ", expected " << expected[row];
  }
}

using UnaryKernel = std::function<void(std::span<const double>, size_t, std::span<double>)>;
using UnaryReference = std::function<double(Window, size_t)>;

struct UnaryCase {
  std::string name;
  UnaryKernel kernel;
  UnaryReference reference;
  Tolerance tolerance;
};

std::vector<UnaryCase> UnaryCases() {
  const auto quantile = [](double q) {
    return UnaryCase{
        "Quantile" + std::to_string(q),
        [q](std::span<const double> x, size_t window, std::span<double> out) { RollingQuantile(x, window, q, out); },
        [q](Window w, size_t) { return RefQuantile(w, q); }, kExact};
  };
  const auto arg = [](bool is_max, bool skip_nan) {
    return [is_max, skip_nan](Window w, size_t) { return RefArgExtremum(w, is_max, skip_nan); };
  };
  return {
      {"Sum", RollingSum, RefSum, kClose},
      {"Mean", RollingMean, RefMean, kClose},
      {"Var", RollingVar, RefVar, kClose},
      {"Std", RollingStd, RefStd, kClose},
      {"Skew", RollingSkew, RefSkew, kClose},
      {"Kurt", RollingKurt, RefKurt, kClose},
      {"Max", RollingMax, RefMax, kExact},
      {"Min", RollingMin, RefMin, kExact},
      {"Count", RollingCount, RefCount, kExact},
      {"Median", RollingMedian, RefMedian, kExact},
      {"Mad", RollingMad, RefMad, kClose},
      quantile(0.0),
      quantile(0.2),
      quantile(0.5),
      quantile(0.8),
      quantile(1.0),
      {"Rank", RollingRank, RefRank, kExact},
      {"IdxMax", RollingIdxMax, arg(true, false), kExact},
      {"IdxMin", RollingIdxMin, arg(false, false), kExact},
      {"IdxMaxSkipNaN", RollingIdxMaxSkipNaN, arg(true, true), kExact},
      {"IdxMinSkipNaN", RollingIdxMinSkipNaN, arg(false, true), kExact},
      {"Slope", RollingSlope, RefSlope, kClose},
      {"Rsquare", RollingRsquare, RefRsquare, kClose},
      {"Resi", RollingResi, RefResi, kClose},
      {"WmaQlib", RollingWmaQlib, RefWmaQlib, kClose},
      {"Wma", RollingWma, RefWma, kClose},
  };
}

TEST(KernelsReferenceTest, UnaryKernelsMatchBruteForce) {
  for (const UnaryCase& kernel_case : UnaryCases()) {
    for (size_t rows : kLengths) {
      for (uint64_t seed : kSeeds) {
        const Series x = MakeSeries(rows, seed);
        for (size_t window : kWindows) {
          SCOPED_TRACE(kernel_case.name + " rows=" + std::to_string(rows) + " seed=" + std::to_string(seed) +
                       " window=" + std::to_string(window));
          Series actual(rows, -12345.0);
          kernel_case.kernel(x, window, actual);
          Series expected(rows);
          for (size_t row = 0; row < rows; ++row)
            expected[row] = kernel_case.reference(WindowAt(x, row, window), window);
          ExpectSeriesNear(actual, expected, kernel_case.tolerance);
        }
      }
    }
  }
}

TEST(KernelsReferenceTest, PairKernelsMatchBruteForce) {
  using PairKernel = void (*)(std::span<const double>, std::span<const double>, size_t, std::span<double>);
  using PairReference = double (*)(Window, Window, size_t);
  const struct {
    const char* name;
    PairKernel kernel;
    PairReference reference;
  } cases[] = {{"Cov", RollingCov, RefCov}, {"Corr", RollingCorr, RefCorr}};
  for (const auto& kernel_case : cases) {
    for (size_t rows : kLengths) {
      for (uint64_t seed : kSeeds) {
        const Series x = MakeSeries(rows, seed);
        const Series y = MakePartner(x, seed + 1000);
        for (size_t window : kWindows) {
          SCOPED_TRACE(std::string(kernel_case.name) + " rows=" + std::to_string(rows) +
                       " seed=" + std::to_string(seed) + " window=" + std::to_string(window));
          Series actual(rows, -12345.0);
          kernel_case.kernel(x, y, window, actual);
          Series expected(rows);
          for (size_t row = 0; row < rows; ++row) {
            expected[row] = kernel_case.reference(WindowAt(x, row, window), WindowAt(y, row, window), window);
          }
          ExpectSeriesNear(actual, expected, kClose);
        }
      }
    }
  }
}

// Prices near 1e4 moving by about 1e-3: raw power sums would lose about 14 of the 16 digits
// here. Three shapes: flat noise, a steady trend, and a jump to twice the level followed by a
// suspension (the window then holds only post-jump values and NaN rows). The references are
// two-pass in long double.
TEST(KernelsReferenceTest, LargePricesWithTinyNoiseKeepTheirDigits) {
  constexpr size_t kRows = 1200;
  constexpr size_t kJumpRow = 600;
  Random random(99);
  Series flat(kRows), trend(kRows), jump(kRows), partner(kRows);
  for (size_t row = 0; row < kRows; ++row) {
    const double noise = 1e-3 * random.Normal();
    flat[row] = 1e4 + noise;
    trend[row] = 1e4 + 0.01 * static_cast<double>(row) + noise;
    jump[row] = (row < kJumpRow ? 1e4 : 2e4) + noise;
    partner[row] = 5e3 + 0.5 * noise + 1e-3 * random.Normal();
  }
  std::fill(jump.begin() + kJumpRow + 10, jump.begin() + kJumpRow + 40, kNaN);
  const std::vector<UnaryCase> cases = {
      {"Mean", RollingMean, RefMean, kClose},
      {"Var", RollingVar, RefVar, kClose},
      {"Std", RollingStd, RefStd, kClose},
      {"Skew", RollingSkew, RefSkew, {1e-9, 1e-12}},
      {"Kurt", RollingKurt, RefKurt, {1e-9, 1e-12}},
      {"Mad", RollingMad, RefMad, kClose},
      {"Slope", RollingSlope, RefSlope, {1e-9, 1e-15}},
      {"Rsquare", RollingRsquare, RefRsquare, {1e-9, 1e-15}},
      // A residual next to the jump is the difference of fitted values near 1e4: 2e-16 of those.
      {"Resi", RollingResi, RefResi, {1e-9, 5e-12}},
      {"Wma", RollingWma, RefWma, kClose},
  };
  for (const auto& [shape, x] : {std::pair{"flat", &flat}, std::pair{"trend", &trend}, std::pair{"jump", &jump}}) {
    for (size_t window : {5, 20, 60, 250, 0}) {
      for (const UnaryCase& kernel_case : cases) {
        SCOPED_TRACE(std::string(shape) + " " + kernel_case.name + " window=" + std::to_string(window));
        Series actual(kRows);
        kernel_case.kernel(*x, window, actual);
        Series expected(kRows);
        for (size_t row = 0; row < kRows; ++row)
          expected[row] = kernel_case.reference(WindowAt(*x, row, window), window);
        ExpectSeriesNear(actual, expected, kernel_case.tolerance);
      }
      SCOPED_TRACE(std::string(shape) + " Cov/Corr window=" + std::to_string(window));
      Series actual(kRows);
      Series expected(kRows);
      RollingCov(*x, partner, window, actual);
      for (size_t row = 0; row < kRows; ++row) {
        expected[row] = RefCov(WindowAt(*x, row, window), WindowAt(partner, row, window), window);
      }
      ExpectSeriesNear(actual, expected, {1e-9, 1e-16});
      RollingCorr(*x, partner, window, actual);
      for (size_t row = 0; row < kRows; ++row) {
        expected[row] = RefCorr(WindowAt(*x, row, window), WindowAt(partner, row, window), window);
      }
      ExpectSeriesNear(actual, expected, {1e-9, 1e-12});
    }
  }
}

// pandas ewm(adjust=True, ignore_na=False) written as its defining weighted average: the value
// k rows back weighs (1 - alpha)^k, NaN rows keep their place but carry no weight. Weights are
// scaled by a common factor, counted from the newest valid row, so alpha = 1 keeps that row.
double RefEma(const Series& x, size_t row, double alpha) {
  size_t newest = row + 1;
  for (size_t k = 0; k <= row; ++k) {
    if (!std::isnan(x[k])) newest = k;
  }
  if (newest > row) return kNaN;
  long double weighted = 0;
  long double weights = 0;
  long double weight = 1;
  for (size_t k = newest + 1; k-- > 0; weight *= 1.0L - alpha) {
    if (std::isnan(x[k])) continue;
    weighted += weight * x[k];
    weights += weight;
  }
  return static_cast<double>(weighted / weights);
}

// Qlib's EMA(x, 0): numpy weights a^(L-1-k), a = 1 - 2/(1+L), normalised over all L rows, then
// nansum of weight * value.
double RefQlibExpandingEma(const Series& x, size_t row) {
  if (ValidValues(Window(x).first(row + 1)).empty()) return kNaN;
  const long double length = static_cast<long double>(row + 1);
  const long double a = 1.0L - 2.0L / (1.0L + length);
  std::vector<long double> weights(row + 1);
  long double total = 0;
  long double weight = 1;
  for (size_t k = row + 1; k-- > 0; weight *= a) {
    weights[k] = weight;
    total += weight;
  }
  long double sum = 0;
  for (size_t k = 0; k <= row; ++k) {
    if (!std::isnan(x[k])) sum += weights[k] / total * x[k];
  }
  return static_cast<double>(sum);
}

TEST(KernelsReferenceTest, EmaMatchesWeightedAverage) {
  for (size_t rows : kLengths) {
    for (uint64_t seed : kSeeds) {
      Series x = MakeSeries(rows, seed);
      if (rows == 500) std::fill(x.begin(), x.begin() + 7, kNaN);  // leading NaN rows stay NaN
      for (double span_or_alpha : {1.0, 2.0, 3.0, 12.5, 60.0, 0.05, 0.5, 0.95}) {
        SCOPED_TRACE("rows=" + std::to_string(rows) + " seed=" + std::to_string(seed) +
                     " span_or_alpha=" + std::to_string(span_or_alpha));
        const double alpha = span_or_alpha < 1.0 ? span_or_alpha : 2.0 / (span_or_alpha + 1.0);
        Series actual(rows, -12345.0);
        Ema(x, span_or_alpha, actual);
        Series expected(rows);
        for (size_t row = 0; row < rows; ++row) expected[row] = RefEma(x, row, alpha);
        ExpectSeriesNear(actual, expected, kClose);
      }
      SCOPED_TRACE("Qlib expanding EMA, rows=" + std::to_string(rows));
      Series actual(rows, -12345.0);
      Ema(x, 0.0, actual);
      Series expected(rows);
      for (size_t row = 0; row < rows; ++row) expected[row] = RefQlibExpandingEma(x, row);
      ExpectSeriesNear(actual, expected, kClose);
    }
  }
}

TEST(KernelsReferenceTest, RefShiftsBothWays) {
  for (size_t rows : kLengths) {
    const Series x = MakeSeries(rows, 5);
    for (long shift : {1L, 2L, 5L, 60L, 499L, 500L, 10000L, -1L, -3L, -499L, -500L, -10000L}) {
      SCOPED_TRACE("rows=" + std::to_string(rows) + " shift=" + std::to_string(shift));
      Series actual(rows, -12345.0);
      Ref(x, shift, actual);
      Series expected(rows, kNaN);
      for (size_t row = 0; row < rows; ++row) {
        const long source = static_cast<long>(row) - shift;
        if (source >= 0 && source < static_cast<long>(rows)) expected[row] = x[static_cast<size_t>(source)];
      }
      ExpectSeriesNear(actual, expected, kExact);
    }
  }
}

}  // namespace
}  // namespace alphaloom::expr::kernels
