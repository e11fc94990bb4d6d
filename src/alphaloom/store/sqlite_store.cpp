// SQLite backend: one prepared upsert statement run for every row inside one IMMEDIATE
// transaction, which takes the write lock up front so a locked file fails before any work.
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>

#include "alphaloom/common/error.h"
#include "alphaloom/store/backends.h"
#include "alphaloom/store/batch.h"

namespace alphaloom::store {
namespace {

// Rows in primary-key order: the tables are clustered on their key, so inserting in that order
// walks the b-tree once instead of seeking a random leaf per row.
std::vector<size_t> KeyOrder(const Batch& batch) {
  std::vector<size_t> order(batch.rows);
  for (size_t row = 0; row < batch.rows; ++row) order[row] = row;
  const TableSpec& spec = *batch.spec;
  std::sort(order.begin(), order.end(), [&](size_t left, size_t right) {
    for (size_t index = 0; index < spec.columns.size(); ++index) {
      if (!spec.columns[index].key) continue;
      const data::TableColumn& column = *batch.columns[index];
      switch (spec.columns[index].type) {
        case SqlType::kText: {
          const int compared = column.strings[left].compare(column.strings[right]);
          if (compared != 0) return compared < 0;
          break;
        }
        case SqlType::kDate:
          if (column.dates[left] != column.dates[right]) return column.dates[left] < column.dates[right];
          break;
        case SqlType::kInteger:
        case SqlType::kReal:
          if (column.numbers[left] != column.numbers[right]) return column.numbers[left] < column.numbers[right];
          break;
      }
    }
    return false;
  });
  return order;
}

class SqliteStore final : public SqlStore {
 public:
  SqliteStore(const StoreUri& uri, const OpenOptions& options) : SqlStore(uri.display), path_(uri.sqlite_path) {
    if (path_ != ":memory:") {
      const std::filesystem::path parent = std::filesystem::path(path_).parent_path();
      std::error_code error;
      if (!parent.empty() && !std::filesystem::is_directory(parent, error)) {
        throw Error(ErrorKind::kIo, fmt::format("{}: cannot open the SQLite file: directory '{}' does not exist",
                                                this->uri(), parent.string()));
      }
      if (!options.create && !std::filesystem::exists(path_, error)) {
        throw Error(ErrorKind::kIo, fmt::format("{}: the SQLite file does not exist", this->uri()));
      }
      if (std::filesystem::is_directory(path_, error)) {
        throw Error(ErrorKind::kIo, fmt::format("{}: cannot open the SQLite file: '{}' is a directory", this->uri(), path_));
      }
    }
    const int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    const int code = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
    if (code != SQLITE_OK) {
      const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
      sqlite3_close(db_);
      db_ = nullptr;
      throw Error(ErrorKind::kIo, fmt::format("{}: cannot open the SQLite file: {}", this->uri(), message));
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    busy_timeout_ms_ = options.busy_timeout_ms;
    Exec("PRAGMA synchronous = NORMAL");
    // 64 MiB of page cache: a large batch touches many index pages.
    Exec("PRAGMA cache_size = -65536");
  }

  ~SqliteStore() override {
    for (auto& [name, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }

  Backend backend() const override { return Backend::kSqlite; }

  int Migrate() override {
    // WAL lets readers (a report, `store get`) proceed while the daily update writes. It is a
    // property of the file, so it is set once, here, where writing is expected anyway.
    if (path_ != ":memory:") Exec("PRAGMA journal_mode = WAL");
    Transaction transaction(*this);
    Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL)");
    const auto current = static_cast<int>(QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
    if (current > LatestSchemaVersion()) {
      throw Error(ErrorKind::kData, fmt::format("{}: schema version {} is newer than this AlphaLoom build knows ({})",
                                                uri(), current, LatestSchemaVersion()));
    }
    int applied = 0;
    for (const Migration& migration : Migrations(Dialect::kSqlite)) {
      if (migration.version <= current) continue;
      for (const std::string& statement : migration.statements) Exec(statement);
      sqlite3_stmt* insert = Prepare("INSERT INTO schema_version (version, description) VALUES (?, ?)");
      sqlite3_bind_int(insert, 1, migration.version);
      sqlite3_bind_text(insert, 2, migration.description.data(), static_cast<int>(migration.description.size()),
                        SQLITE_STATIC);
      Step(insert);
      ++applied;
    }
    transaction.Commit();
    return applied;
  }

  int SchemaVersion() override {
    if (QueryInt("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'") == 0) {
      return 0;
    }
    return static_cast<int>(QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
  }

 protected:
  void Upsert(const Batch& batch) override {
    const TableSpec& spec = *batch.spec;
    Transaction transaction(*this);
    std::string placeholders;
    for (size_t index = 0; index < spec.columns.size(); ++index) placeholders += index == 0 ? "?" : ", ?";
    sqlite3_stmt* statement =
        Prepare(fmt::format("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}", spec.name,
                            ColumnList(spec), placeholders, KeyList(spec), UpdateList(spec)));
    // Rows of one date come together, so the date's text is formatted once per run of rows.
    std::vector<int32_t> cached_days(spec.columns.size(), std::numeric_limits<int32_t>::min());
    std::vector<std::array<char, 11>> date_text(spec.columns.size());
    for (const size_t row : KeyOrder(batch)) {
      for (size_t index = 0; index < spec.columns.size(); ++index) {
        const int slot = static_cast<int>(index) + 1;
        const data::TableColumn* column = batch.columns[index];
        if (column == nullptr) {
          sqlite3_bind_null(statement, slot);
          continue;
        }
        switch (spec.columns[index].type) {
          case SqlType::kText: {
            const std::string& text = column->strings[row];
            sqlite3_bind_text(statement, slot, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
            break;
          }
          case SqlType::kDate: {
            const Date date = column->dates[row];
            if (date.days() != cached_days[index]) {
              FormatIsoDate(date, date_text[index].data());
              cached_days[index] = date.days();
            }
            sqlite3_bind_text(statement, slot, date_text[index].data(), 10, SQLITE_STATIC);
            break;
          }
          case SqlType::kInteger: {
            const double value = column->numbers[row];
            if (std::isnan(value)) {
              sqlite3_bind_null(statement, slot);
            } else {
              sqlite3_bind_int64(statement, slot, static_cast<sqlite3_int64>(value));
            }
            break;
          }
          case SqlType::kReal: {
            const double value = column->numbers[row];
            if (std::isnan(value)) {
              sqlite3_bind_null(statement, slot);
            } else {
              // SQLite keeps an integral REAL as an integer on disk, which loses the sign of
              // -0.0; both backends store +0.0 so their read-backs agree.
              sqlite3_bind_double(statement, slot, value == 0.0 ? 0.0 : value);
            }
            break;
          }
        }
      }
      Step(statement);
    }
    transaction.Commit();
  }

  data::Table Select(const TableSpec& spec, const StoreQuery& query) override {
    std::string where;
    const auto add = [&where](std::string_view condition) {
      where += fmt::format("{}{}", where.empty() ? " WHERE " : " AND ", condition);
    };
    if (query.start) add("date >= ?");
    if (query.end) add("date <= ?");
    if (query.instrument) add("instrument = ?");
    std::string order = "date, instrument";
    for (const SqlColumn& column : spec.columns) {
      if (column.key && column.name != "date" && column.name != "instrument") order += fmt::format(", {}", column.name);
    }
    sqlite3_stmt* statement =
        Prepare(fmt::format("SELECT {} FROM {}{} ORDER BY {}", ColumnList(spec), spec.name, where, order));
    int slot = 1;
    char start_text[11], end_text[11];
    if (query.start) {
      FormatIsoDate(*query.start, start_text);
      sqlite3_bind_text(statement, slot++, start_text, 10, SQLITE_STATIC);
    }
    if (query.end) {
      FormatIsoDate(*query.end, end_text);
      sqlite3_bind_text(statement, slot++, end_text, 10, SQLITE_STATIC);
    }
    if (query.instrument) {
      sqlite3_bind_text(statement, slot++, query.instrument->data(), static_cast<int>(query.instrument->size()),
                        SQLITE_STATIC);
    }
    data::Table table;
    for (const SqlColumn& column : spec.columns) {
      data::TableColumn out;
      out.name = std::string(TableColumnName(column));
      out.type = TableColumnType(column.type);
      table.columns.push_back(std::move(out));
    }
    while (true) {
      const int code = sqlite3_step(statement);
      if (code == SQLITE_DONE) break;
      if (code != SQLITE_ROW) Fail(code, "reading");
      for (size_t index = 0; index < spec.columns.size(); ++index) {
        const int field = static_cast<int>(index);
        data::TableColumn& out = table.columns[index];
        const bool null = sqlite3_column_type(statement, field) == SQLITE_NULL;
        switch (spec.columns[index].type) {
          case SqlType::kText: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, field));
            out.strings.emplace_back(text == nullptr ? "" : text,
                                     static_cast<size_t>(sqlite3_column_bytes(statement, field)));
            break;
          }
          case SqlType::kDate: {
            if (null) {
              // Only optional date columns (labels.t1) can be NULL; they read back as day 0.
              out.dates.emplace_back();
              break;
            }
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, field));
            const std::optional<Date> date = ParseDate(text);
            if (!date) {
              throw Error(ErrorKind::kData, fmt::format("{}: {}.{} holds '{}', not a date", uri(), spec.name,
                                                        spec.columns[index].name, text));
            }
            out.dates.push_back(*date);
            break;
          }
          case SqlType::kInteger:
          case SqlType::kReal:
            out.numbers.push_back(null ? std::nan("") : sqlite3_column_double(statement, field));
            break;
        }
      }
    }
    return table;
  }

  int64_t CountRows(const TableSpec& spec) override {
    return QueryInt(fmt::format("SELECT COUNT(*) FROM {}", spec.name));
  }

 private:
  // BEGIN IMMEDIATE ... COMMIT, rolled back when an exception leaves the scope first.
  class Transaction {
   public:
    explicit Transaction(SqliteStore& store) : store_(store) { store_.Exec("BEGIN IMMEDIATE"); }
    ~Transaction() {
      if (!committed_) sqlite3_exec(store_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void Commit() {
      store_.Exec("COMMIT");
      committed_ = true;
    }

   private:
    SqliteStore& store_;
    bool committed_ = false;
  };

  [[noreturn]] void Fail(int code, std::string_view doing) const {
    const int primary = code & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      throw Error(ErrorKind::kIo, fmt::format("{}: the database file is locked by another connection (waited {} ms)",
                                              uri(), busy_timeout_ms_));
    }
    const std::string message = sqlite3_errmsg(db_);
    const bool io = primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_READONLY ||
                    primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR || primary == SQLITE_PERM ||
                    primary == SQLITE_FULL || primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT;
    throw Error(io ? ErrorKind::kIo : ErrorKind::kExternal, fmt::format("{}: {} failed: {}", uri(), doing, message));
  }

  void Exec(const std::string& sql) {
    const int code = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    if (code != SQLITE_OK) Fail(code, sql.substr(0, sql.find(' ')));
  }

  // Statements are prepared once per connection and reused (reset, bindings cleared).
  sqlite3_stmt* Prepare(const std::string& sql) {
    sqlite3_stmt*& statement = statements_[sql];
    if (statement == nullptr) {
      const int code = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &statement, nullptr);
      if (code != SQLITE_OK) {
        statements_.erase(sql);
        Fail(code, "preparing a statement");
      }
    } else {
      sqlite3_reset(statement);
      sqlite3_clear_bindings(statement);
    }
    return statement;
  }

  void Step(sqlite3_stmt* statement) {
    const int code = sqlite3_step(statement);
    if (code != SQLITE_DONE && code != SQLITE_ROW) Fail(code, "writing");
    sqlite3_reset(statement);
  }

  int64_t QueryInt(const std::string& sql) {
    sqlite3_stmt* statement = Prepare(sql);
    const int code = sqlite3_step(statement);
    if (code != SQLITE_ROW) Fail(code, "reading");
    const int64_t value = sqlite3_column_int64(statement, 0);
    sqlite3_reset(statement);
    return value;
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  int busy_timeout_ms_ = 0;
  std::map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

std::unique_ptr<SqlStore> OpenSqliteStore(const StoreUri& uri, const OpenOptions& options) {
  return std::make_unique<SqliteStore>(uri, options);
}

}  // namespace alphaloom::store
