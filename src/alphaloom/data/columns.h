#pragma once
// Which source column holds which bar field: auto-detected from the header, or given.
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace alphaloom::data {

/// The fields a bar file can carry.
enum class BarField { kDate, kSymbol, kOpen, kHigh, kLow, kClose, kVolume, kVwap, kAdjClose, kDividend, kSplit };
inline constexpr size_t kBarFieldCount = 11;

std::string_view BarFieldName(BarField field);

/// An explicit mapping from fields to column names, for layouts auto-detection does not know.
/// Fields left unset are still auto-detected.
class ColumnMapping {
 public:
  /// Parses "field=column[,field=column...]", e.g. "date=Day,close=Last,volume=Shares".
  /// Field names: date symbol open high low close volume vwap adj_close dividend split.
  /// Throws Error(kUsage) naming an unknown field or a malformed pair.
  static ColumnMapping Parse(std::string_view text);

  void Set(BarField field, std::string column) { columns_[static_cast<size_t>(field)] = std::move(column); }
  const std::optional<std::string>& Get(BarField field) const { return columns_[static_cast<size_t>(field)]; }

 private:
  std::array<std::optional<std::string>, kBarFieldCount> columns_;
};

/// Column positions of each field in one file (-1 when absent), and the layout recognised.
struct ResolvedColumns {
  std::array<int, kBarFieldCount> index;
  /// "alphavantage", "yahoo", "ohlcv_openint", "ohlcv" (AlphaLoom's own), or "mapped".
  std::string layout;

  int operator[](BarField field) const { return index[static_cast<size_t>(field)]; }
  bool has(BarField field) const { return (*this)[field] >= 0; }
};

/// Matches a header against the known layouts. Header names compare case-insensitively with
/// spaces, underscores and dashes ignored (so "Adj Close", "adj_close" and "adjclose" agree);
/// an unnamed leading column (a pandas index) is ignored. Date aliases: date, timestamp,
/// datetime, time, day; symbol aliases: symbol, ticker, instrument, code; plus vol, adjusted
/// close, dividend(s)/dividend amount, split(s)/split coefficient/stock splits.
/// Throws Error(kData) naming `source` and the first required field missing (date, open, high,
/// low, close, volume), or a mapped column that is not in the header.
ResolvedColumns ResolveColumns(std::span<const std::string> header, const ColumnMapping& mapping,
                               std::string_view source);

}  // namespace alphaloom::data
