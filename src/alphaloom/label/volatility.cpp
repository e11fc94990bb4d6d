#include "alphaloom/label/volatility.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "alphaloom/common/error.h"

namespace alphaloom::label {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::vector<double> EwmStd(std::span<const double> values, double span) {
  Check(span >= 1, "EWM span >= 1");
  const double decay = 1.0 - 2.0 / (span + 1.0);
  std::vector<double> out(values.size(), kNaN);
  // Weighted mean and biased variance updated in place (no sum of squares, so no cancellation
  // when the values sit far from zero), plus the weight sums the bias correction needs.
  double mean = 0, variance = 0, weight = 0, weight_sum = 0, weight_square_sum = 0;
  for (size_t t = 0; t < values.size(); ++t) {
    const double x = values[t];
    if (std::isnan(x)) continue;
    if (weight == 0) {
      mean = x;
      variance = 0;
      weight = 1;
      weight_sum = 1;
      weight_square_sum = 1;
      continue;
    }
    weight *= decay;
    weight_sum = weight_sum * decay + 1.0;
    weight_square_sum = weight_square_sum * decay * decay + 1.0;
    const double previous_mean = mean;
    mean = (weight * mean + x) / (weight + 1.0);
    variance = (weight * (variance + (previous_mean - mean) * (previous_mean - mean)) + (x - mean) * (x - mean)) /
               (weight + 1.0);
    weight += 1.0;
    const double denominator = weight_sum * weight_sum - weight_square_sum;
    if (denominator > 0) out[t] = std::sqrt(std::max(0.0, variance * weight_sum * weight_sum / denominator));
  }
  return out;
}

std::vector<double> BarReturns(std::span<const double> close) {
  std::vector<double> out(close.size(), kNaN);
  double previous = kNaN;
  for (size_t t = 0; t < close.size(); ++t) {
    if (std::isnan(close[t])) continue;
    if (!std::isnan(previous)) out[t] = close[t] / previous - 1.0;
    previous = close[t];
  }
  return out;
}

std::vector<double> BookDailyReturns(std::span<const double> close, const Calendar& calendar) {
  Check(close.size() == calendar.size(), "one close per calendar date");
  std::vector<double> out(close.size(), kNaN);
  // Bars the instrument has, in order; `base` trails the current bar.
  std::vector<size_t> bars;
  for (size_t t = 0; t < close.size(); ++t) {
    if (!std::isnan(close[t])) bars.push_back(t);
  }
  size_t base = 0;  // count of bars dated before the current bar's date minus one day
  for (size_t k = 0; k < bars.size(); ++k) {
    const Date cutoff(calendar[bars[k]].days() - 1);
    while (base < k && calendar[bars[base]] < cutoff) ++base;
    if (base > 0) out[bars[k]] = close[bars[k]] / close[bars[base - 1]] - 1.0;
  }
  return out;
}

std::vector<double> WilderAtr(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                              int period) {
  Check(period >= 1, "ATR period >= 1");
  std::vector<double> out(close.size(), kNaN);
  double previous_close = kNaN, atr = 0;
  int true_ranges = 0;
  for (size_t t = 0; t < close.size(); ++t) {
    if (std::isnan(close[t]) || std::isnan(high[t]) || std::isnan(low[t])) continue;
    if (!std::isnan(previous_close)) {
      const double range = std::max({high[t] - low[t], std::abs(high[t] - previous_close), std::abs(low[t] - previous_close)});
      ++true_ranges;
      if (true_ranges <= period) {
        atr += range;
        if (true_ranges == period) {
          atr /= period;
          out[t] = atr;
        }
      } else {
        atr = (atr * (period - 1) + range) / period;
        out[t] = atr;
      }
    }
    previous_close = close[t];
  }
  return out;
}

}  // namespace alphaloom::label
