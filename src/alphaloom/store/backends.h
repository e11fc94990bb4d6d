#pragma once
// The two SqlStore backends (internal to store/; callers use OpenStore).
#include <memory>

#include "alphaloom/store/sql_store.h"

namespace alphaloom::store {

/// A SQLite file (or :memory:) through the SQLite C API.
std::unique_ptr<SqlStore> OpenSqliteStore(const StoreUri& uri, const OpenOptions& options);

/// A PostgreSQL server through libpqxx; bulk writes go through COPY into a temporary table.
std::unique_ptr<SqlStore> OpenPostgresStore(const StoreUri& uri, const OpenOptions& options);

}  // namespace alphaloom::store
