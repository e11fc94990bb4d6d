#pragma once
// Rule-based regimes from the benchmark close (reference/finml.md §8.1): trend against a moving
// average plus realized-volatility and drawdown thresholds, all computed from data through t.
#include <span>

#include "alphaloom/regime/regime.h"

namespace alphaloom::regime {

/// Thresholds of the rules (annualized volatilities, simple returns). On each date, with
/// trend = close / SMA_trend_window - 1, vol = RealizedVolatility over vol_window and
/// drop = close / close crash_window bars earlier - 1, the first rule that holds wins:
///   crash  vol >= crash_vol or drop <= crash_return
///   bull   trend >= trend_band and vol < high_vol
///   bear   trend <= -trend_band
///   choppy otherwise
/// A new label replaces the current one only after it held confirm_days dates in a row
/// (hysteresis; 1 = switch at once), except crash, which always switches at once.
struct RuleRegimeParams {
  int trend_window = 200;
  double trend_band = 0.02;
  int vol_window = 20;
  double high_vol = 0.25;
  double crash_vol = 0.45;
  int crash_window = 20;
  double crash_return = -0.15;
  int confirm_days = 1;
};

/// Throws Error(kConfig) naming regime.<key> for a window below 2, a negative band, a
/// non-positive volatility threshold, high_vol above crash_vol, crash_return outside (-1, 0) or
/// confirm_days below 1.
void ValidateRuleRegimeParams(const RuleRegimeParams& params);

/// Labels for each of `dates` from the benchmark closes on those dates (NaN = no bar: computed
/// on the dates with a bar, and a date without one keeps the previous date's regime). Dates
/// before every window is full have no regime (-1).
RegimeSeries RuleRegimes(std::span<const Date> dates, std::span<const double> benchmark_close,
                         const RuleRegimeParams& params);

}  // namespace alphaloom::regime
