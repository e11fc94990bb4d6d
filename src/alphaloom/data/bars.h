#pragma once
// Daily bars of one instrument as a source file holds them, before validation and adjustment.
#include <cstddef>
#include <string>
#include <vector>

#include "alphaloom/common/date.h"

namespace alphaloom::data {

/// Raw bars in the source's own units (prices unadjusted unless the source adjusted them).
/// Columns are parallel arrays of size(); optional columns are empty when the source lacks them.
struct RawBars {
  std::string instrument;       ///< upper-case symbol, e.g. "AAPL", "BRK.B"
  std::string source;           ///< file the bars came from (for messages)
  std::vector<Date> dates;
  std::vector<size_t> lines;    ///< 1-based line (CSV) or row (Parquet) of each bar in `source`
  std::vector<double> open, high, low, close, volume;
  std::vector<double> vwap;       ///< optional: volume-weighted average price
  std::vector<double> adj_close;  ///< optional: split- and dividend-adjusted close
  std::vector<double> dividend;   ///< optional: cash dividend per share on its ex-date
  std::vector<double> split;      ///< optional: split coefficient on its ex-date (2 = 2-for-1), 1 otherwise

  size_t size() const { return dates.size(); }
  bool has_vwap() const { return !vwap.empty(); }
  bool has_adj_close() const { return !adj_close.empty(); }
  bool has_split_dividend() const { return !split.empty() || !dividend.empty(); }
};

}  // namespace alphaloom::data
