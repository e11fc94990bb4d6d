#pragma once
// One interface to the SQL store (features, labels, predictions, target weights), with a SQLite
// and a PostgreSQL backend chosen by the URI. Writes are idempotent upserts, one transaction per
// call; every value reaches SQL as a bound parameter, never as SQL text.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alphaloom/common/date.h"
#include "alphaloom/data/table_io.h"
#include "alphaloom/store/schema.h"
#include "alphaloom/store/uri.h"

namespace alphaloom::store {

/// Rows to read back: every filter is optional; dates are inclusive.
struct StoreQuery {
  std::optional<Date> start;
  std::optional<Date> end;
  std::optional<std::string> instrument;
};

/// What `alphaloom store info` shows.
struct StoreInfo {
  std::string uri;  ///< without the password
  Backend backend = Backend::kSqlite;
  int schema_version = 0;  ///< 0: no AlphaLoom schema yet
  int latest_version = 0;  ///< what this build's migrations reach
  std::vector<std::pair<std::string, int64_t>> rows;  ///< per table; empty without a schema
};

struct OpenOptions {
  int busy_timeout_ms = 5000;       ///< SQLite: how long a write waits for another writer's lock
  int connect_timeout_seconds = 10;  ///< PostgreSQL: unless the URI sets connect_timeout itself
  bool create = true;                ///< SQLite: create a missing file (false for readers)
};

struct Batch;

/// A connection to one store. Not thread-safe: use one per thread.
///
/// Values: text must be valid UTF-8 without NUL bytes (the same bytes are read back on both
/// backends); key text may not be empty. Dates must fall in years 1000..9999. NaN is stored as
/// NULL and read back as NaN; -0.0 is stored as 0.0; +-inf is rejected (naming the row), as is
/// a non-integral horizon.
/// A batch with the same key twice is rejected, so the result never depends on row order.
class SqlStore {
 public:
  virtual ~SqlStore() = default;
  SqlStore(const SqlStore&) = delete;
  SqlStore& operator=(const SqlStore&) = delete;

  /// The URI without its password, for messages.
  const std::string& uri() const { return uri_; }
  virtual Backend backend() const = 0;

  /// Applies every migration newer than the database's schema version, in order, in one
  /// transaction (concurrent migrators wait for each other); returns how many it applied (0 on
  /// an up-to-date database). Throws Error(kData) when the database is newer than this build.
  virtual int Migrate() = 0;
  /// The applied schema version; 0 when the database has no schema_version table.
  virtual int SchemaVersion() = 0;

  /// Upserts `rows` into `table`: INSERT ... ON CONFLICT (primary key) DO UPDATE, all rows in one
  /// transaction (all or nothing). Columns are found by name (TableColumnName: `datetime`, or
  /// `date`); optional columns may be absent (NULL); other columns are ignored. An empty table is
  /// a no-op. Throws Error(kData) naming the table, row, instrument and date for a bad value or
  /// a missing column, Error(kData) when the schema is not at LatestSchemaVersion() (run
  /// Migrate first), Error(kIo) for a locked or unwritable SQLite file, Error(kExternal) for a
  /// server failure; every message names uri().
  void Put(StoreTable table, const data::Table& rows);

  /// The rows of `table` matching `query`, ordered by date, instrument (byte order) and the rest
  /// of the key, with the columns of Spec(table) (date as `datetime`; NULL reals as NaN; a NULL
  /// labels.t1, written when the labels had no t1 column, as Date() = 1970-01-01).
  data::Table Get(StoreTable table, const StoreQuery& query);

  /// Schema version and row counts.
  StoreInfo Info();

 protected:
  explicit SqlStore(std::string uri) : uri_(std::move(uri)) {}
  virtual void Upsert(const Batch& batch) = 0;
  virtual data::Table Select(const TableSpec& spec, const StoreQuery& query) = 0;
  virtual int64_t CountRows(const TableSpec& spec) = 0;

 private:
  void RequireCurrentSchema();

  std::string uri_;
  bool schema_checked_ = false;
};

/// Connects to the store `uri` names (see ParseStoreUri). SQLite files are created on first
/// write; their directory must exist. Throws Error(kConfig) for a bad URI, Error(kIo) when a
/// SQLite file cannot be opened, Error(kExternal) when a PostgreSQL server cannot be reached;
/// each a single line naming the URI without its password.
std::unique_ptr<SqlStore> OpenStore(std::string_view uri, const OpenOptions& options = {});

}  // namespace alphaloom::store
