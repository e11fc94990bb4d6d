#pragma once
// A validated batch of rows for one table, as the backends consume it (internal to store/).
#include <cstdint>
#include <string>
#include <vector>

#include "alphaloom/data/table_io.h"
#include "alphaloom/store/schema.h"

namespace alphaloom::store {

struct Batch {
  const TableSpec* spec = nullptr;
  size_t rows = 0;
  /// One per spec column, in spec order; null for an absent optional column (all NULL).
  std::vector<const data::TableColumn*> columns;
};

/// Checks `table` against `spec` (see SqlStore::Put for the rules) and returns a batch viewing
/// its columns; `table` must outlive the batch. Throws Error(kData) naming `uri`, the table, the
/// row (1-based), its instrument and date, and the column.
Batch MakeBatch(const TableSpec& spec, const data::Table& table, const std::string& uri);

/// "YYYY-MM-DD" into `out` (11 bytes with the terminating NUL).
void FormatIsoDate(Date date, char* out);

/// The SQL column list of `spec` ("instrument, date, ...").
std::string ColumnList(const TableSpec& spec);
/// The key columns of `spec` ("instrument, date, horizon").
std::string KeyList(const TableSpec& spec);
/// "col = excluded.col, ..." for the non-key columns of `spec`.
std::string UpdateList(const TableSpec& spec);

}  // namespace alphaloom::store
