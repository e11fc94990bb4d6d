#pragma once
// Small typed tables on disk (labels, fold plans, signals, predictions): CSV or Parquet by file
// extension, written whole or not at all, read back with the columns a caller asks for.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/common/date.h"

namespace alphaloom::data {

enum class ColumnType { kDate, kString, kNumber };

/// One named column; only the vector of its type is used. A string column is either one string
/// per row (`strings`) or, when `coded`, one code per row (`codes`) into `strings`, which then
/// holds each distinct value once: a long column of a few names (instruments) costs no string
/// per row.
struct TableColumn {
  std::string name;
  ColumnType type = ColumnType::kNumber;
  std::vector<Date> dates;
  std::vector<std::string> strings;
  std::vector<double> numbers;  ///< NaN = missing
  std::vector<uint32_t> codes;  ///< coded string column: index into `strings` per row
  bool coded = false;

  size_t size() const;
  /// The string of `row` of a string column, coded or not.
  std::string_view String(size_t row) const { return coded ? strings[codes[row]] : strings[row]; }
  static TableColumn Dates(std::string name, std::vector<Date> values);
  static TableColumn Strings(std::string name, std::vector<std::string> values);
  /// A coded string column: row r holds dictionary[codes[r]] (every code < dictionary.size()).
  static TableColumn StringCodes(std::string name, std::vector<std::string> dictionary, std::vector<uint32_t> codes);
  static TableColumn Numbers(std::string name, std::vector<double> values);
};

struct Table {
  std::vector<TableColumn> columns;

  /// Rows of the first column (0 for no columns).
  size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  /// The column named `name`, or null.
  const TableColumn* Find(std::string_view name) const;
};

/// Writes `table` as .csv (header, dates YYYY-MM-DD, numbers in their shortest round-trip form,
/// NaN as an empty cell) or .parquet (date32, utf8 whether coded or not, float64 with NaN kept as
/// NaN, not null), through a temporary file renamed into place. Throws Error(kUsage) for another extension,
/// Error(kInternal) for columns of unequal length, Error(kIo) when the file cannot be written.
void WriteTable(const Table& table, const std::filesystem::path& path);

/// A column a reader wants: its name, type, and whether the file must have it.
struct ColumnRequest {
  std::string name;
  ColumnType type = ColumnType::kNumber;
  bool required = true;
  /// kString only: read as a coded column (TableColumn::coded), codes in order of first
  /// appearance; a Parquet column's dictionary pages are used as they are.
  bool as_codes = false;
};

/// Reads the requested columns of a .csv or .parquet file, in request order; an optional column
/// the file lacks is left out of the result. Other columns of the file are ignored. Numbers
/// accept any numeric Parquet type; an empty CSV cell or a null is NaN. Dates accept date32,
/// date64, timestamps and the text forms of ParseDate; a missing or unparsable date is an error.
/// Throws Error(kIo) when the file cannot be opened, Error(kData) naming the file, the line (CSV;
/// row for Parquet) and the column for a missing required column or a bad cell.
Table ReadTable(const std::filesystem::path& path, std::span<const ColumnRequest> requests);

/// The column names of a .csv (its header line) or .parquet file (its footer), reading no rows.
/// Throws as ReadTable does.
std::vector<std::string> ReadTableColumnNames(const std::filesystem::path& path);

/// ReadTable's CSV parser on text already in memory; `source` names it in messages.
Table ParseTableCsv(std::string_view text, const std::string& source, std::span<const ColumnRequest> requests);

}  // namespace alphaloom::data
