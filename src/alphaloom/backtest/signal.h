#pragma once
// Scores (or target weights) per (date, instrument), read from a long table and laid out
// date x market instrument, checked against the store they will trade on.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "alphaloom/backtest/market.h"
#include "alphaloom/common/calendar.h"

namespace alphaloom::backtest {

/// A dense date x instrument matrix over some store dates. Rows exist only for dates the file
/// has; an instrument without a row that date is NaN (no score / no weight).
struct SignalMatrix {
  std::vector<Date> dates;     ///< ascending, each a store trading date
  std::vector<double> values;  ///< dates.size() x instrument_count, date-major; NaN = absent
  size_t instrument_count = 0;
  size_t dropped_nan = 0;  ///< rows whose value was NaN (read as absent)

  /// Row of `date`, or nullopt when the file has no row dated `date`.
  std::optional<std::span<const double>> Row(Date date) const;
  /// First and last date (the file must not be empty).
  Date first() const { return dates.front(); }
  Date last() const { return dates.back(); }
};

/// How to read a signal file.
struct SignalReadOptions {
  /// Column holding the value. Empty = "score", falling back to "yhat" when the file has no
  /// "score" column (the layout `alphaloom predict` writes).
  std::string value_column;
  /// Keep rows of this horizon when the file has a "horizon" column; required when it holds
  /// several horizons.
  std::optional<double> horizon;
  /// What the value is, for messages ("score", "weight").
  std::string what = "score";
};

/// Reads (datetime, instrument, value) rows from a .csv or .parquet file and aligns them to
/// `instruments` and the store calendar `calendar`. NaN values are dropped (counted in
/// dropped_nan) and read as absent. Throws Error(kNotFound) naming the file and instrument for
/// an instrument the market does not have, Error(kData) naming the file and date for a date that
/// is not a trading date of the store, for a duplicated (date, instrument), for infinite values,
/// for a file without rows, and Error(kData) when the value column is missing.
SignalMatrix ReadSignal(const std::filesystem::path& path, const std::vector<std::string>& instruments,
                        const Calendar& calendar, const SignalReadOptions& options);

}  // namespace alphaloom::backtest
