#pragma once
// Writes raw bars back out as the files the readers accept: CSV and Parquet, one instrument per
// file. Used by the synthetic market generator and by tests that round-trip data.
#include <filesystem>

#include "alphaloom/data/bars.h"

namespace alphaloom::data {

/// Writes `bars` as CSV with the header `date,open,high,low,close,volume` followed by each
/// optional column the bars have, in the order vwap, adj_close, dividend, split. Dates are
/// "YYYY-MM-DD"; numbers use the shortest text that reads back as the same double, so a round
/// trip is exact. A NaN is written as an empty cell (a missing value for every CSV reader).
/// The file appears whole or not at all (written to a temporary name and renamed).
/// Throws Error(kData) when a column's length differs from the number of dates, Error(kIo) when
/// the file cannot be written.
void WriteBarsCsv(const RawBars& bars, const std::filesystem::path& path);

/// Writes `bars` as a Parquet file with the same column names and order as WriteBarsCsv:
/// `date` is date32, every other column float64 (volume included, so fractional volumes
/// survive), no nulls (NaN stays NaN). Snappy-compressed, one row group per 64Ki rows.
/// Written to a temporary name in the same directory and renamed into place.
/// Throws Error(kData) on inconsistent column lengths, Error(kIo) when the file cannot be
/// created or renamed, Error(kExternal) when Arrow or Parquet reports any other failure.
void WriteBarsParquet(const RawBars& bars, const std::filesystem::path& path);

}  // namespace alphaloom::data
