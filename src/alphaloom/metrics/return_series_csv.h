#pragma once
// Per-period return series from CSV text: the input of `alphaloom metrics`, and what a Qlib
// portfolio report (report_normal) exports.
#include <string_view>
#include <vector>

#include "alphaloom/common/date.h"

namespace alphaloom::metrics {

/// Columns of a return file, aligned by row. Optional columns are empty when absent.
struct ReturnSeries {
  std::vector<Date> dates;
  std::vector<double> returns;
  std::vector<double> benchmark;
  std::vector<double> costs;
  std::vector<double> turnover;
};

/// Parses comma-separated `text` with a header row. Columns (names case-insensitive, any order,
/// other columns ignored): the date as "datetime" or "date"; "return"; optional "benchmark" (or
/// Qlib's "bench"), "cost", "turnover". Empty cells and NA / NaN / null read as NaN. Dates must
/// be strictly increasing. `require_return` false accepts a file without a "return" column
/// (a benchmark file). Throws Error(kData) naming `source`, the line and the column for a
/// missing column, an unparsable number or date, a wrong cell count or a date out of order.
ReturnSeries ParseReturnSeriesCsv(std::string_view text, std::string_view source, bool require_return = true);

/// Aligns `benchmark` (dates and one value column) to `dates`: every date must be present in the
/// benchmark, else Error(kData) naming the first missing date and `source`.
std::vector<double> AlignByDate(const std::vector<Date>& dates, const std::vector<Date>& benchmark_dates,
                                const std::vector<double>& benchmark_values, std::string_view source);

}  // namespace alphaloom::metrics
