#pragma once
// Conversions from Arrow columns to the plain vectors the data module works with, shared by the
// Parquet bar reader and the generic table reader.
#include <arrow/api.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alphaloom/common/date.h"

namespace alphaloom::data {

/// Any integer or floating column as doubles (nulls as NaN); false for a non-numeric type.
bool ToDoubles(const arrow::ChunkedArray& column, std::vector<double>& out);

/// A date32/date64/timestamp/string column as dates; null or unparsable cells are nullopt.
/// False for another type.
bool ToDates(const arrow::ChunkedArray& column, std::vector<std::optional<Date>>& out);

/// A string column (nulls as ""); false for another type.
bool ToStrings(const arrow::ChunkedArray& column, std::vector<std::string>& out);

/// Reads a whole Parquet file. Returns null and sets `failure` when the file is not readable as
/// Parquet; throws Error(kIo) when it cannot be opened at all.
std::shared_ptr<arrow::Table> OpenTable(const std::filesystem::path& path, std::string& failure);

}  // namespace alphaloom::data
