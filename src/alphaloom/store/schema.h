#pragma once
// The store's tables, declared once: their columns and keys drive validation, upserts, reads and
// the CLI; the versioned migrations that create them, in both SQL dialects.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/data/table_io.h"

namespace alphaloom::store {

enum class StoreTable { kFeatures, kLabels, kPreds, kTargetWeights };

/// How a column is stored. Dates are DATE in PostgreSQL and 'YYYY-MM-DD' TEXT in SQLite (which
/// sorts and compares like the date).
enum class SqlType { kText, kDate, kInteger, kReal };

/// One column of a store table. In a data::Table the column has the same name, except that the
/// SQL column `date` is the table column `datetime` (AlphaLoom's name for it in every file).
struct SqlColumn {
  std::string_view name;
  SqlType type = SqlType::kReal;
  bool key = false;       ///< part of the primary key (never NULL)
  bool required = true;   ///< must be present in a data::Table handed to Put
};

struct TableSpec {
  StoreTable table;
  std::string_view name;  ///< SQL table name, also the --table spelling
  std::vector<SqlColumn> columns;
};

/// The spec of `table`.
const TableSpec& Spec(StoreTable table);
/// Every table, in a fixed order (features, labels, preds, target_weights).
std::span<const StoreTable> AllTables();
/// The table named `name` (features, labels, preds, target_weights), or nullopt.
std::optional<StoreTable> FindTable(std::string_view name);

/// The data::Table name of a SQL column ("date" -> "datetime").
std::string_view TableColumnName(const SqlColumn& column);
/// The data::Table column type that holds values of `type`.
data::ColumnType TableColumnType(SqlType type);

enum class Dialect { kSqlite, kPostgres };

/// One schema change: `version` (1, 2, ... in order) and its statements in one dialect.
struct Migration {
  int version;
  std::string_view description;
  std::vector<std::string> statements;
};

/// Every migration for `dialect`, in version order. Applying them in order to an empty database
/// gives the current schema; each is recorded in schema_version(version, description).
std::vector<Migration> Migrations(Dialect dialect);
/// The version of the newest migration.
int LatestSchemaVersion();

}  // namespace alphaloom::store
