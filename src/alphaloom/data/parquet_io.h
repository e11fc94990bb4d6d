#pragma once
// Parquet bar files through Arrow C++, with the same column names and layouts as CSV.
#include <filesystem>

#include "alphaloom/data/bar_reader.h"

namespace alphaloom::data {

/// Reads a Parquet file of bars. Numeric columns may be any integer or floating type; the date
/// column may be date32/date64, a timestamp or a string. Line numbers in findings are 1-based
/// row numbers. A file Arrow cannot open as Parquet gives a not_data finding.
ParsedFile ReadBarsParquet(const std::filesystem::path& path, const ReadOptions& options);

}  // namespace alphaloom::data
