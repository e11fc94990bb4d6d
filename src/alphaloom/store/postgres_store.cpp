// PostgreSQL backend (libpqxx 6): a batch is COPYed into a temporary table and merged with one
// INSERT ... SELECT ... ON CONFLICT DO UPDATE, all in one transaction. Reads and migrations use
// parameterized statements; every libpqxx failure becomes one Error line naming the URI.
#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <pqxx/pqxx>

#include "alphaloom/common/error.h"
#include "alphaloom/store/backends.h"
#include "alphaloom/store/batch.h"

namespace alphaloom::store {
namespace {

// Key of the advisory lock that serializes migrations across connections ("AlphaLoo").
constexpr int64_t kMigrationLockKey = 0x416c7068614c6f6f;
constexpr std::string_view kStagingTable = "alphaloom_staging";

// The first line of a libpq / libpqxx message without its "ERROR:" prefix.
std::string FirstLine(std::string_view message) {
  message = message.substr(0, message.find('\n'));
  if (message.starts_with("ERROR:")) message.remove_prefix(6);
  while (!message.empty() && message.front() == ' ') message.remove_prefix(1);
  while (!message.empty() && (message.back() == ' ' || message.back() == '\r')) message.remove_suffix(1);
  return std::string(message);
}

std::string WithConnectTimeout(const std::string& connection, int seconds) {
  if (connection.find("connect_timeout=") != std::string::npos) return connection;
  return fmt::format("{}{}connect_timeout={}", connection, connection.find('?') == std::string::npos ? "?" : "&",
                     seconds);
}

double ParseDouble(const pqxx::field& field) {
  if (field.is_null()) return std::nan("");
  const char* text = field.c_str();
  double value = 0.0;
  const auto [end, error] = std::from_chars(text, text + field.size(), value);
  if (error != std::errc() || end != text + field.size()) {
    throw Error(ErrorKind::kExternal, fmt::format("PostgreSQL returned '{}' where a number was expected", text));
  }
  return value;
}

class PostgresStore final : public SqlStore {
 public:
  PostgresStore(const StoreUri& uri, const OpenOptions& options) : SqlStore(uri.display) {
    Guard("connecting", [&] {
      connection_ = std::make_unique<pqxx::connection>(WithConnectTimeout(uri.connection, options.connect_timeout_seconds));
      connection_->set_client_encoding("UTF8");
      // The staging table of a large batch stays in memory instead of spilling at the 8 MB
      // default; the setting only takes effect before the session's first temporary table.
      pqxx::nontransaction session(*connection_);
      session.exec("SET temp_buffers = '256MB'");
    });
  }

  Backend backend() const override { return Backend::kPostgres; }

  int Migrate() override {
    int applied = 0;
    Guard("migrating", [&] {
      pqxx::work transaction(*connection_);
      transaction.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
      transaction.exec(
          "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL)");
      const int current = transaction.exec1("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0].as<int>();
      if (current > LatestSchemaVersion()) {
        throw Error(ErrorKind::kData, fmt::format("{}: schema version {} is newer than this AlphaLoom build knows ({})",
                                                  uri(), current, LatestSchemaVersion()));
      }
      for (const Migration& migration : Migrations(Dialect::kPostgres)) {
        if (migration.version <= current) continue;
        for (const std::string& statement : migration.statements) transaction.exec(statement);
        transaction.exec_params("INSERT INTO schema_version (version, description) VALUES ($1, $2)", migration.version,
                                std::string(migration.description));
        ++applied;
      }
      transaction.commit();
    });
    return applied;
  }

  int SchemaVersion() override {
    int version = 0;
    Guard("reading the schema version", [&] {
      pqxx::read_transaction transaction(*connection_);
      const bool exists = transaction
                              .exec1("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
                                     "current_schema() AND table_name = 'schema_version'")[0]
                              .as<int>() > 0;
      if (exists) version = transaction.exec1("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0].as<int>();
    });
    return version;
  }

 protected:
  void Upsert(const Batch& batch) override {
    const TableSpec& spec = *batch.spec;
    Guard(fmt::format("writing {}", spec.name), [&] {
      pqxx::work transaction(*connection_);
      transaction.exec(fmt::format("CREATE TEMP TABLE {} (LIKE {}) ON COMMIT DROP", kStagingTable, spec.name));
      std::vector<std::string> names;
      for (const SqlColumn& column : spec.columns) names.emplace_back(column.name);
      {
        pqxx::stream_to stream(transaction, std::string(kStagingTable), names);
        switch (spec.columns.size()) {
          case 4: CopyRows<4>(batch, stream); break;
          case 5: CopyRows<5>(batch, stream); break;
          case 6: CopyRows<6>(batch, stream); break;
          case 8: CopyRows<8>(batch, stream); break;
          default: Check(false, "store: no COPY row shape for this table");
        }
        stream.complete();
      }
      transaction.exec(fmt::format("INSERT INTO {0} ({1}) SELECT {1} FROM {2} ON CONFLICT ({3}) DO UPDATE SET {4}",
                                   spec.name, ColumnList(spec), kStagingTable, KeyList(spec), UpdateList(spec)));
      transaction.commit();
    });
  }

  data::Table Select(const TableSpec& spec, const StoreQuery& query) override {
    std::vector<std::string> params;
    std::string where;
    const auto add = [&](std::string_view condition, std::string value, std::string_view cast) {
      params.push_back(std::move(value));
      where += fmt::format("{}{}${}{}", where.empty() ? " WHERE " : " AND ", condition, params.size(), cast);
    };
    if (query.start) add("date >= ", query.start->ToString(), "::date");
    if (query.end) add("date <= ", query.end->ToString(), "::date");
    if (query.instrument) add("instrument = ", *query.instrument, "");
    // Byte order for text keys, as in SQLite, so both backends list rows identically.
    std::string order = "date, instrument COLLATE \"C\"";
    std::string select;
    for (const SqlColumn& column : spec.columns) {
      if (column.key && column.name != "date" && column.name != "instrument") {
        order += fmt::format(", {}{}", column.name, column.type == SqlType::kText ? " COLLATE \"C\"" : "");
      }
      const std::string name(column.name);
      const std::string expression = column.type == SqlType::kDate ? fmt::format("to_char({}, 'YYYY-MM-DD')", name) : name;
      select += fmt::format("{}{}", select.empty() ? "" : ", ", expression);
    }
    data::Table table;
    for (const SqlColumn& column : spec.columns) {
      data::TableColumn out;
      out.name = std::string(TableColumnName(column));
      out.type = TableColumnType(column.type);
      table.columns.push_back(std::move(out));
    }
    Guard(fmt::format("reading {}", spec.name), [&] {
      pqxx::read_transaction transaction(*connection_);
      const pqxx::result result =
          transaction.exec_params(fmt::format("SELECT {} FROM {}{} ORDER BY {}", select, spec.name, where, order),
                                  pqxx::prepare::make_dynamic_params(params));
      for (const pqxx::row& row : result) {
        for (size_t index = 0; index < spec.columns.size(); ++index) {
          const pqxx::field field = row[static_cast<pqxx::row::size_type>(index)];
          data::TableColumn& out = table.columns[index];
          switch (spec.columns[index].type) {
            case SqlType::kText: out.strings.emplace_back(field.c_str(), field.size()); break;
            case SqlType::kDate:
              // Only optional date columns (labels.t1) can be NULL; they read back as day 0.
              out.dates.push_back(field.is_null() ? Date() : ParseDate(field.c_str()).value_or(Date()));
              break;
            case SqlType::kInteger:
            case SqlType::kReal: out.numbers.push_back(ParseDouble(field)); break;
          }
        }
      }
    });
    return table;
  }

  int64_t CountRows(const TableSpec& spec) override {
    int64_t count = 0;
    Guard("counting rows", [&] {
      pqxx::read_transaction transaction(*connection_);
      count = transaction.exec1(fmt::format("SELECT COUNT(*) FROM {}", spec.name))[0].as<int64_t>();
    });
    return count;
  }

 private:
  // Runs `work`, turning libpqxx's exceptions into one-line Errors naming the URI.
  template <typename Work>
  void Guard(std::string_view doing, Work&& work) {
    try {
      work();
    } catch (const Error&) {
      throw;
    } catch (const pqxx::broken_connection& error) {
      throw Error(ErrorKind::kExternal, fmt::format("{}: cannot reach the PostgreSQL server ({}): {}", uri(), doing,
                                                    FirstLine(error.what())));
    } catch (const std::exception& error) {
      throw Error(ErrorKind::kExternal, fmt::format("{}: {} failed: {}", uri(), doing, FirstLine(error.what())));
    }
  }

  // COPY text for each row: numbers in their shortest round-trip form (exact on the server's
  // strtod), NaN and absent columns as NULL.
  template <size_t kColumns>
  static void CopyRows(const Batch& batch, pqxx::stream_to& stream) {
    const TableSpec& spec = *batch.spec;
    std::array<std::array<char, 32>, kColumns> buffers{};
    std::array<const char*, kColumns> fields{};
    std::array<int32_t, kColumns> cached_days;
    cached_days.fill(std::numeric_limits<int32_t>::min());
    for (size_t row = 0; row < batch.rows; ++row) {
      for (size_t index = 0; index < kColumns; ++index) {
        const data::TableColumn* column = batch.columns[index];
        fields[index] = nullptr;
        if (column == nullptr) continue;
        char* buffer = buffers[index].data();
        switch (spec.columns[index].type) {
          case SqlType::kText: fields[index] = column->strings[row].c_str(); break;
          case SqlType::kDate:
            if (column->dates[row].days() != cached_days[index]) {
              FormatIsoDate(column->dates[row], buffer);
              cached_days[index] = column->dates[row].days();
            }
            fields[index] = buffer;
            break;
          case SqlType::kInteger:
          case SqlType::kReal: {
            const double value = column->numbers[row];
            if (std::isnan(value)) break;
            const auto result = spec.columns[index].type == SqlType::kInteger
                                    ? std::to_chars(buffer, buffer + 31, static_cast<int64_t>(value))
                                    : std::to_chars(buffer, buffer + 31, value == 0.0 ? 0.0 : value);
            *result.ptr = '\0';
            fields[index] = buffer;
            break;
          }
        }
      }
      stream << fields;
    }
  }

  std::unique_ptr<pqxx::connection> connection_;
};

}  // namespace

std::unique_ptr<SqlStore> OpenPostgresStore(const StoreUri& uri, const OpenOptions& options) {
  return std::make_unique<PostgresStore>(uri, options);
}

}  // namespace alphaloom::store
