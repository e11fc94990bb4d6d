// TA-Lib-convention kernels. Each public kernel packs the valid rows (kernels_ta.h: every input
// finite), runs the dense TA-Lib recurrence over them and scatters the result back, NaN on the
// missing rows. The dense recurrences keep TA-Lib's arithmetic order (e.g. the EMA step as
// ((x - e) * k) + e, ATR's smoothing as three separate steps) so values agree to the last bits
// on gap-free data; windowed means and deviations use the engine's compensated rolling
// kernels instead of TA-Lib's running sums, which lose digits on large prices.
#include "alphaloom/expr/kernels_ta.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <initializer_list>
#include <utility>
#include <vector>

#include "alphaloom/expr/kernels.h"
#include "alphaloom/expr/rolling_window.h"

namespace alphaloom::expr::kernels {
namespace {

using internal::kNaN;

// TA-Lib 0.6's TA_IS_ZERO / TA_IS_ZERO_OR_NEG threshold.
constexpr double kTaEpsilon = 1e-14;

bool TaIsZero(double value) {
  return -kTaEpsilon < value && value < kTaEpsilon;
}

/// The rows where every input is finite, and the inputs packed down to those rows. When no row
/// is missing the inputs are used in place and nothing is copied.
class ValidRows {
 public:
  ValidRows(std::initializer_list<std::span<const double>> inputs) : inputs_(inputs) {
    const size_t rows = inputs_.front().size();
    for (size_t row = 0; row < rows; ++row) {
      const bool valid = std::all_of(inputs_.begin(), inputs_.end(),
                                     [row](std::span<const double> in) { return std::isfinite(in[row]); });
      if (valid) rows_.push_back(row);
    }
    all_valid_ = rows_.size() == rows;
    if (all_valid_) return;
    packed_.resize(inputs_.size());
    for (size_t input = 0; input < inputs_.size(); ++input) {
      packed_[input].reserve(rows_.size());
      for (size_t row : rows_) packed_[input].push_back(inputs_[input][row]);
    }
  }

  size_t Count() const { return rows_.size(); }
  std::span<const double> Packed(size_t input) const {
    return all_valid_ ? inputs_[input] : std::span<const double>(packed_[input]);
  }

  /// Runs `dense(packed_out)` and writes its values to the valid rows of `out`, NaN elsewhere.
  template <typename Dense>
  void Run(std::span<double> out, Dense dense) {
    if (all_valid_) {
      dense(out);
      return;
    }
    std::vector<double> packed_out(rows_.size());
    dense(std::span<double>(packed_out));
    std::fill(out.begin(), out.end(), kNaN);
    for (size_t index = 0; index < rows_.size(); ++index) out[rows_[index]] = packed_out[index];
  }

 private:
  std::vector<std::span<const double>> inputs_;
  std::vector<size_t> rows_;
  std::vector<std::vector<double>> packed_;
  bool all_valid_ = true;
};

void FillWarmup(std::span<double> out, size_t lookback) {
  std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(std::min(lookback, out.size())), kNaN);
}

// TA-Lib's SMA seed: a plain left-to-right sum divided by the period.
double SeedMean(std::span<const double> x, size_t first, size_t period) {
  double sum = 0.0;
  for (size_t row = first; row < first + period; ++row) sum += x[row];
  return sum / static_cast<double>(period);
}

// EMA over dense x whose seed window ends at `seed_end` (TA-Lib's INT_EMA started there):
// writes out[seed_end..] and leaves earlier rows untouched.
void DenseEmaFrom(std::span<const double> x, size_t period, size_t seed_end, std::span<double> out) {
  const double k = 2.0 / (static_cast<double>(period) + 1.0);
  double average = SeedMean(x, seed_end + 1 - period, period);
  out[seed_end] = average;
  for (size_t row = seed_end + 1; row < x.size(); ++row) {
    average = ((x[row] - average) * k) + average;
    out[row] = average;
  }
}

void DenseSma(std::span<const double> x, size_t period, std::span<double> out) {
  RollingMean(x, period, out);
  FillWarmup(out, period - 1);
}

void DenseEma(std::span<const double> x, size_t period, std::span<double> out) {
  FillWarmup(out, x.size());
  if (x.size() < period) return;
  DenseEmaFrom(x, period, period - 1, out);
}

void DenseStdDev(std::span<const double> x, size_t period, std::span<double> out) {
  if (period == 1) {
    std::fill(out.begin(), out.end(), 0.0);
    return;
  }
  RollingVar(x, period, out);
  const double to_population = static_cast<double>(period - 1) / static_cast<double>(period);
  for (double& value : out) {
    const double variance = value * to_population;
    value = variance < kTaEpsilon ? 0.0 : std::sqrt(variance);
  }
  FillWarmup(out, period - 1);
}

double RsiValue(double gain, double loss) {
  const double total = gain + loss;
  return TaIsZero(total) ? 0.0 : 100.0 * (gain / total);
}

void DenseRsi(std::span<const double> x, size_t period, std::span<double> out) {
  FillWarmup(out, x.size());
  if (x.size() <= period) return;
  const double n = static_cast<double>(period);
  double gain = 0.0;
  double loss = 0.0;
  for (size_t row = 1; row <= period; ++row) {
    const double change = x[row] - x[row - 1];
    if (change < 0) {
      loss -= change;
    } else {
      gain += change;
    }
  }
  gain /= n;
  loss /= n;
  out[period] = RsiValue(gain, loss);
  for (size_t row = period + 1; row < x.size(); ++row) {
    const double change = x[row] - x[row - 1];
    gain *= n - 1.0;
    loss *= n - 1.0;
    if (change < 0) {
      loss -= change;
    } else {
      gain += change;
    }
    gain /= n;
    loss /= n;
    out[row] = RsiValue(gain, loss);
  }
}

double TrueRange(double high, double low, double previous_close) {
  double greatest = high - low;
  greatest = std::max(greatest, std::fabs(previous_close - high));
  return std::max(greatest, std::fabs(previous_close - low));
}

void DenseAtr(std::span<const double> high, std::span<const double> low, std::span<const double> close, size_t period,
              std::span<double> out) {
  FillWarmup(out, close.size());
  if (close.size() <= period) return;
  const double n = static_cast<double>(period);
  double sum = 0.0;
  for (size_t row = 1; row <= period; ++row) sum += TrueRange(high[row], low[row], close[row - 1]);
  double atr = sum / n;
  out[period] = atr;
  for (size_t row = period + 1; row < close.size(); ++row) {
    atr *= n - 1.0;
    atr += TrueRange(high[row], low[row], close[row - 1]);
    atr /= n;
    out[row] = atr;
  }
}

void DenseMacd(std::span<const double> x, size_t fast, size_t slow, size_t signal, MacdOutput which,
               std::span<double> out) {
  if (slow < fast) std::swap(fast, slow);
  FillWarmup(out, x.size());
  const size_t line_start = slow - 1;
  const size_t lookback = line_start + signal - 1;
  if (x.size() <= lookback) return;
  std::vector<double> fast_ema(x.size(), kNaN);
  std::vector<double> line(x.size(), kNaN);
  DenseEmaFrom(x, fast, line_start, fast_ema);
  DenseEmaFrom(x, slow, line_start, line);
  for (size_t row = line_start; row < x.size(); ++row) line[row] = fast_ema[row] - line[row];
  std::vector<double>& signal_line = fast_ema;  // the fast EMA is no longer needed
  DenseEmaFrom(std::span<const double>(line).subspan(line_start), signal, signal - 1,
               std::span<double>(signal_line).subspan(line_start));
  for (size_t row = lookback; row < x.size(); ++row) {
    switch (which) {
      case MacdOutput::kLine: out[row] = line[row]; break;
      case MacdOutput::kSignal: out[row] = signal_line[row]; break;
      case MacdOutput::kHistogram: out[row] = line[row] - signal_line[row]; break;
    }
  }
}

void DenseStochFastK(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                     size_t period, std::span<double> out) {
  std::vector<double> lowest(close.size());
  RollingMax(high, period, out);
  RollingMin(low, period, lowest);
  for (size_t row = 0; row < close.size(); ++row) {
    const double range = (out[row] - lowest[row]) / 100.0;
    out[row] = range != 0.0 ? (close[row] - lowest[row]) / range : 0.0;
  }
  FillWarmup(out, period - 1);
}

void DenseKdjSmooth(std::span<const double> x, size_t m, std::span<double> out) {
  constexpr double kKdjSeed = 50.0;
  const double n = static_cast<double>(m);
  double smoothed = kKdjSeed;
  for (size_t row = 0; row < x.size(); ++row) {
    smoothed = (smoothed * (n - 1.0) + x[row]) / n;
    out[row] = smoothed;
  }
}

double TaReturn(double price, double previous) {
  return TaIsZero(previous) ? 0.0 : (price - previous) / previous;
}

void DenseBeta(std::span<const double> asset, std::span<const double> market, size_t period, std::span<double> out) {
  FillWarmup(out, asset.size());
  if (asset.size() <= period) return;
  using internal::CompensatedSum;
  CompensatedSum sum_x, sum_y, sum_xx, sum_xy;
  const double n = static_cast<double>(period);
  auto accumulate = [&](size_t row, double sign) {
    const double x = TaReturn(market[row], market[row - 1]);
    const double y = TaReturn(asset[row], asset[row - 1]);
    sum_x.Add(sign * x);
    sum_y.Add(sign * y);
    sum_xx.Add(sign * x * x);
    sum_xy.Add(sign * x * y);
  };
  for (size_t row = 1; row < period; ++row) accumulate(row, 1.0);
  for (size_t row = period; row < asset.size(); ++row) {
    accumulate(row, 1.0);
    const double spread = n * sum_xx.Value() - sum_x.Value() * sum_x.Value();
    out[row] = TaIsZero(spread) ? 0.0 : (n * sum_xy.Value() - sum_x.Value() * sum_y.Value()) / spread;
    accumulate(row + 1 - period, -1.0);
  }
}

}  // namespace

void TaSma(std::span<const double> x, size_t period, std::span<double> out) {
  assert(out.size() == x.size() && period >= 1 && "TaSma: bad arguments");
  ValidRows valid{x};
  valid.Run(out, [&](std::span<double> dense) { DenseSma(valid.Packed(0), period, dense); });
}

void TaEma(std::span<const double> x, size_t period, std::span<double> out) {
  assert(out.size() == x.size() && period >= 1 && "TaEma: bad arguments");
  ValidRows valid{x};
  valid.Run(out, [&](std::span<double> dense) { DenseEma(valid.Packed(0), period, dense); });
}

void TaStdDev(std::span<const double> x, size_t period, std::span<double> out) {
  assert(out.size() == x.size() && period >= 1 && "TaStdDev: bad arguments");
  ValidRows valid{x};
  valid.Run(out, [&](std::span<double> dense) { DenseStdDev(valid.Packed(0), period, dense); });
}

void TaRsi(std::span<const double> x, size_t period, std::span<double> out) {
  assert(out.size() == x.size() && period >= 1 && "TaRsi: bad arguments");
  ValidRows valid{x};
  valid.Run(out, [&](std::span<double> dense) { DenseRsi(valid.Packed(0), period, dense); });
}

void TaAtr(std::span<const double> high, std::span<const double> low, std::span<const double> close, size_t period,
           std::span<double> out) {
  assert(out.size() == close.size() && period >= 1 && "TaAtr: bad arguments");
  ValidRows valid{high, low, close};
  valid.Run(out, [&](std::span<double> dense) {
    DenseAtr(valid.Packed(0), valid.Packed(1), valid.Packed(2), period, dense);
  });
}

void TaMacd(std::span<const double> x, size_t fast, size_t slow, size_t signal, MacdOutput which,
            std::span<double> out) {
  assert(out.size() == x.size() && fast >= 1 && slow >= 1 && signal >= 1 && "TaMacd: bad arguments");
  ValidRows valid{x};
  valid.Run(out, [&](std::span<double> dense) { DenseMacd(valid.Packed(0), fast, slow, signal, which, dense); });
}

void TaStochFastK(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                  size_t period, std::span<double> out) {
  assert(out.size() == close.size() && period >= 1 && "TaStochFastK: bad arguments");
  ValidRows valid{high, low, close};
  valid.Run(out, [&](std::span<double> dense) {
    DenseStochFastK(valid.Packed(0), valid.Packed(1), valid.Packed(2), period, dense);
  });
}

void KdjSmooth(std::span<const double> x, size_t m, std::span<double> out) {
  assert(out.size() == x.size() && m >= 1 && "KdjSmooth: bad arguments");
  ValidRows valid{x};
  valid.Run(out, [&](std::span<double> dense) { DenseKdjSmooth(valid.Packed(0), m, dense); });
}

void TaBeta(std::span<const double> asset, std::span<const double> market, size_t period, std::span<double> out) {
  assert(out.size() == asset.size() && period >= 1 && "TaBeta: bad arguments");
  ValidRows valid{asset, market};
  valid.Run(out, [&](std::span<double> dense) { DenseBeta(valid.Packed(0), valid.Packed(1), period, dense); });
}

}  // namespace alphaloom::expr::kernels
