#pragma once
// The quotes a backtest trades on: every field it needs, for every instrument of the store's
// market, on every trading date of the backtest window, laid out date-major so one day's
// cross-section is contiguous (the daily loop reads whole days).
#include <span>
#include <string>
#include <vector>

#include "alphaloom/common/calendar.h"
#include "alphaloom/data/qlib_store.h"

namespace alphaloom::backtest {

/// Which price an order is dealt at on its day.
enum class DealPrice { kOpen, kClose, kVwap };

/// "open", "close" or "vwap".
std::string_view DealPriceName(DealPrice price);

/// Which quote fields LoadMarket reads besides close, factor and change (always read).
struct MarketFields {
  bool open = true;    ///< deal price open, or the open-gap limit rule
  bool vwap = true;    ///< deal price vwap
  bool volume = true;  ///< impact cost
};

/// Quotes of one window, doubles widened from the store's float32; NaN = no bar.
struct Market {
  std::vector<std::string> instruments;  ///< the store's market, in its file order
  Calendar dates;                        ///< trading dates of the window [start, end]
  /// Index in the store calendar of dates[0]; lets a caller map signal dates to window days.
  size_t first_store_index = 0;
  /// date-major arrays: value of instrument i on window day d is at [d * instruments.size() + i];
  /// open, vwap and volume are empty when not loaded (MarketFields).
  std::vector<double> open, close, vwap, factor, change, volume;
  /// Benchmark return per window day: close_t / close_{t-1} - 1 with t-1 the previous STORE
  /// date (so the first day has a return when the store has an earlier bar); NaN -> 0, as Qlib's
  /// report does. All zeros when the store records no benchmark (has_benchmark false).
  std::vector<double> benchmark;
  bool has_benchmark = false;

  size_t instrument_count() const { return instruments.size(); }
  size_t day_count() const { return dates.size(); }
  size_t Cell(size_t day, size_t instrument) const { return day * instruments.size() + instrument; }
  /// Index of `instrument`, or -1 when the market has no such instrument.
  long InstrumentIndex(std::string_view instrument) const;
};

/// Loads the window [start, end] (snapped inward to trading dates) of `store`'s default market,
/// with the optional fields `fields` asks for. Fields the store lacks for an instrument are NaN;
/// a store without any vwap file leaves vwap all-NaN (deals then fall back to close, as Qlib
/// does). Throws Error(kUsage) when the window holds no trading date, Error(kNotFound) naming an
/// instrument of the market without a features directory, and the store's errors for unreadable
/// files.
Market LoadMarket(const data::QlibStore& store, Date start, Date end, MarketFields fields = {});

}  // namespace alphaloom::backtest
