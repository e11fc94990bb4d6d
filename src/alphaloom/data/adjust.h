#pragma once
// Price adjustment in Qlib's convention: stored prices are adjusted, $factor = adjusted / raw.
#include <string>
#include <vector>

#include "alphaloom/common/date.h"
#include "alphaloom/data/bars.h"

namespace alphaloom::data {

/// Where an instrument's adjustment factor came from.
enum class AdjustmentSource {
  kAdjClose,       ///< factor = adj_close / close (wins when the source has both kinds of column)
  kSplitDividend,  ///< factor rebuilt backwards from split coefficients and cash dividends
  kNone,           ///< no adjustment information: factor = 1
};

const char* AdjustmentSourceName(AdjustmentSource source);

/// Bars ready for the store: adjusted open/high/low/close/vwap (raw * factor), adjusted volume
/// (raw / factor), the factor itself and $change (adjusted close over the previous bar's
/// adjusted close, minus 1; NaN on the first bar).
struct AdjustedBars {
  std::string instrument;
  std::vector<Date> dates;
  std::vector<double> open, high, low, close, volume;
  std::vector<double> vwap;  ///< empty when the source has none
  std::vector<double> factor, change;
  AdjustmentSource adjustment = AdjustmentSource::kNone;

  size_t size() const { return dates.size(); }
};

/// Adjusts validated bars (sorted, unique dates, finite positive prices).
/// With adj_close: factor_t = adj_close_t / close_t. The adjusted close then equals the
/// source's adjusted close, which also covers spin-offs that split and dividend columns miss.
/// With split/dividend columns only: factor is 1 on the last bar and, walking back, each ex-date
/// t multiplies every earlier factor by (1 - dividend_t * split_t / close_{t-1}) / split_t.
AdjustedBars Adjust(const RawBars& bars);

}  // namespace alphaloom::data
