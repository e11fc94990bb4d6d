#include "alphaloom/data/adjust.h"

#include <cmath>
#include <limits>

namespace alphaloom::data {

const char* AdjustmentSourceName(AdjustmentSource source) {
  switch (source) {
    case AdjustmentSource::kAdjClose: return "adj_close";
    case AdjustmentSource::kSplitDividend: return "split_dividend";
    case AdjustmentSource::kNone: return "none";
  }
  return "none";
}

AdjustedBars Adjust(const RawBars& bars) {
  const size_t count = bars.size();
  AdjustedBars adjusted;
  adjusted.instrument = bars.instrument;
  adjusted.dates = bars.dates;
  adjusted.factor.assign(count, 1.0);

  if (bars.has_adj_close()) {
    adjusted.adjustment = AdjustmentSource::kAdjClose;
    for (size_t index = 0; index < count; ++index) adjusted.factor[index] = bars.adj_close[index] / bars.close[index];
  } else if (bars.has_split_dividend()) {
    adjusted.adjustment = AdjustmentSource::kSplitDividend;
    // Walk back from the last bar: an ex-date t scales every earlier bar by
    // (1 - dividend_t / prev_close_in_post_split_units) / split_t.
    double running = 1.0;
    for (size_t index = count; index-- > 0;) {
      adjusted.factor[index] = running;
      if (index == 0) break;
      const double split = bars.split.empty() ? 1.0 : bars.split[index];
      const double dividend = bars.dividend.empty() ? 0.0 : bars.dividend[index];
      const double previous_close = bars.close[index - 1] / split;
      running *= (1.0 - dividend / previous_close) / split;
    }
  } else {
    adjusted.adjustment = AdjustmentSource::kNone;
  }

  auto scale = [&](const std::vector<double>& raw, std::vector<double>& out, bool divide) {
    if (raw.empty()) return;
    out.resize(count);
    for (size_t index = 0; index < count; ++index) {
      out[index] = divide ? raw[index] / adjusted.factor[index] : raw[index] * adjusted.factor[index];
    }
  };
  scale(bars.open, adjusted.open, false);
  scale(bars.high, adjusted.high, false);
  scale(bars.low, adjusted.low, false);
  scale(bars.close, adjusted.close, false);
  scale(bars.vwap, adjusted.vwap, false);
  scale(bars.volume, adjusted.volume, true);

  adjusted.change.assign(count, std::numeric_limits<double>::quiet_NaN());
  for (size_t index = 1; index < count; ++index) {
    adjusted.change[index] = adjusted.close[index] / adjusted.close[index - 1] - 1.0;
  }
  return adjusted;
}

}  // namespace alphaloom::data
