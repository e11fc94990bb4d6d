#pragma once
// Store URIs: which SQL backend a URI names and how to reach it, parsed up front so a typo fails
// before any connection attempt, and printed without the password in every message.
#include <string>
#include <string_view>

namespace alphaloom::store {

enum class Backend { kSqlite, kPostgres };

/// A parsed store URI.
///   sqlite:///relative/path.db   SQLite file, path relative to the working directory
///   sqlite:////abs/path.db       SQLite file, absolute path (four slashes, as in SQLAlchemy)
///   sqlite:///:memory:           private in-memory SQLite database (tests)
///   path/to/file.db              a bare path (no "scheme://"): SQLite file
///   postgresql://[user[:password]@]host[:port][/dbname][?key=value&...]  (or postgres://)
struct StoreUri {
  Backend backend = Backend::kSqlite;
  std::string sqlite_path;  ///< SQLite: the file path (or ":memory:")
  std::string connection;   ///< PostgreSQL: the URI handed to libpq, password included
  std::string display;      ///< the URI as given, password and password=... parameters removed
};

/// Parses `text`. Throws Error(kConfig) with one line naming the (redacted) URI for an empty
/// URI, control characters or spaces, an unknown scheme, a sqlite URI with a host part or no
/// path, or a postgresql URI without a host, with a non-numeric or out-of-range port, or with a
/// malformed query.
StoreUri ParseStoreUri(std::string_view text);

/// `text` with the password of a postgresql URI (user:PASSWORD@ and password=... query values)
/// removed; other URIs unchanged. Never throws: used to name a URI in error messages.
std::string RedactUri(std::string_view text);

}  // namespace alphaloom::store
