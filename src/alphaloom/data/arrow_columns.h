#pragma once
// Conversions from Arrow columns to the plain vectors the data module works with, shared by the
// Parquet bar reader and the generic table reader.
#include <arrow/api.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
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

/// A string column, plain or dictionary-encoded (nulls as ""), as one code per row into
/// `dictionary`, which holds each distinct string once, in order of first appearance: no string
/// is built per row. False for another type.
bool ToStringCodes(const arrow::ChunkedArray& column, std::vector<std::string>& dictionary,
                   std::vector<uint32_t>& codes);

/// Some columns of a Parquet file and the names of all of its top-level columns.
struct ParquetColumns {
  std::vector<std::string> file_columns;  ///< every top-level column of the file, in file order
  /// One per requested name, in request order; null when the file has no such column.
  std::vector<std::shared_ptr<arrow::ChunkedArray>> columns;
};

/// Reads only the top-level columns `names` of a Parquet file (just its footer when `names` is
/// empty). The ones also in `dictionary_names` that hold strings are read as Arrow dictionary
/// arrays, keeping the file's dictionary pages instead of decoding one string per row. Returns
/// nullopt and sets `failure` when the file is not readable as Parquet; throws Error(kIo) when it
/// cannot be opened at all.
std::optional<ParquetColumns> ReadParquetColumns(const std::filesystem::path& path, std::span<const std::string> names,
                                                 std::span<const std::string> dictionary_names, std::string& failure);

/// Reads a whole Parquet file. Returns null and sets `failure` when the file is not readable as
/// Parquet; throws Error(kIo) when it cannot be opened at all.
std::shared_ptr<arrow::Table> OpenTable(const std::filesystem::path& path, std::string& failure);

}  // namespace alphaloom::data
