// SqlStore on a real PostgreSQL server: the backend contract, and parity with SQLite on random
// tables. Under ctest the `postgres` fixture starts the server and ALPHALOOM_TEST_PG_URI_FILE
// names the file holding its URI; run by hand, the binary starts its own with
// scripts/pg_test_server.sh and stops it at exit, and skips only when that is impossible.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <pqxx/pqxx>
#include <cmath>
#include <random>
#include <set>
#include <thread>

#include "store/store_contract.h"
#include "test_support.h"

namespace alphaloom::store::testing {
namespace {

struct PgServer {
  std::string uri;
  std::string reason;  ///< why there is none
  std::string own_dir;  ///< set when this process started the server
  ~PgServer() {
    if (!own_dir.empty()) {
      const std::string command = "bash '" + std::string(ALPHALOOM_SOURCE_DIR) + "/scripts/pg_test_server.sh' stop '" +
                                  own_dir + "' >/dev/null 2>&1";
      [[maybe_unused]] const int status = std::system(command.c_str());
    }
  }
};

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

PgServer& Server() {
  static PgServer server = [] {
    PgServer found;
    if (const char* uri_file = std::getenv("ALPHALOOM_TEST_PG_URI_FILE")) {
      found.uri = ReadFirstLine(uri_file);
      if (found.uri.empty()) found.reason = std::string("no URI in ") + uri_file + " (did postgres_start run?)";
      return found;
    }
    const std::string dir = "/tmp/alphaloom-store-pg-" + std::to_string(::getpid());
    const std::string command = "bash '" + std::string(ALPHALOOM_SOURCE_DIR) + "/scripts/pg_test_server.sh' start '" +
                                dir + "' >/dev/null 2>&1";
    if (std::system(command.c_str()) == 0) {
      found.uri = ReadFirstLine(dir + "/uri");
      found.own_dir = dir;
    }
    if (found.uri.empty()) {
      found.reason = "no PostgreSQL server: ALPHALOOM_TEST_PG_URI_FILE is not set and scripts/pg_test_server.sh "
                     "could not start one (is postgresql installed?)";
    }
    return found;
  }();
  return server;
}

// Each store lives in its own schema, chosen through the connection's search_path.
std::string FreshPostgresUri() {
  const PgServer& server = Server();
  if (server.uri.empty()) return {};
  static std::atomic<int> counter{0};
  const std::string schema = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  pqxx::connection admin(server.uri);
  pqxx::work transaction(admin);
  transaction.exec("CREATE SCHEMA " + schema);
  transaction.commit();
  return server.uri + (server.uri.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

test::TempDir& SqliteDir() {
  static test::TempDir dir;
  return dir;
}

}  // namespace

std::string FreshStoreUri(const std::string& backend) {
  if (backend == "postgres") return FreshPostgresUri();
  static std::atomic<int> counter{0};
  return "sqlite:///" + (SqliteDir() / ("parity" + std::to_string(counter++) + ".db")).string();
}

std::string UnavailableReason(const std::string& backend) {
  return backend == "postgres" ? Server().reason : std::string();
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContract, ::testing::Values(std::string("postgres")));

namespace {

// A random batch for `table`: keys drawn from small pools (so a second batch overlaps the first
// and updates rows), values from awkward corners (NaN, -0.0, subnormals, huge, exact halves).
data::Table RandomRows(StoreTable table, std::mt19937_64& random, size_t rows) {
  static const std::vector<std::string> instruments = {
      "AAPL", "MSFT", "x'); DROP TABLE preds;--", "トヨタ", "Ölß", "🚀", "a\"b", "back\\slash", "tab\there", "new\nline",
      "percent%", "comma,semi;"};
  static const std::vector<double> specials = {std::nan(""), -0.0, 0.0, 5e-324, 1.7976931348623157e308,
                                               -2.2250738585072014e-308, 0.1, 1.0 / 3.0, -1e-300, 123456789.125};
  std::uniform_int_distribution<int> day(18000, 18040);
  std::normal_distribution<double> normal(0.0, 1.0);
  const auto value = [&] {
    return random() % 4 == 0 ? specials[random() % specials.size()] : normal(random) * std::pow(10.0, static_cast<double>(random() % 9) - 4.0);
  };
  const TableSpec& spec = Spec(table);
  std::vector<data::TableColumn> columns;
  for (const SqlColumn& column : spec.columns) {
    data::TableColumn out;
    out.name = std::string(TableColumnName(column));
    out.type = TableColumnType(column.type);
    columns.push_back(std::move(out));
  }
  std::set<std::string> seen;
  while (columns[0].strings.size() < rows) {
    // Draw the key first; a key already drawn is skipped, as a batch may not repeat one.
    const std::string instrument = instruments[random() % instruments.size()];
    const Date date(day(random));
    const double horizon = static_cast<double>(random() % 3 * 5 + 1);
    const std::string name = random() % 2 ? "alpha" : "beta_" + std::to_string(random() % 3);
    const bool has_horizon = spec.table == StoreTable::kPreds;
    const std::string key = instrument + '\0' + date.ToString() + '\0' +
                            (has_horizon ? std::to_string(horizon) : name);
    if (!seen.insert(key).second) continue;
    for (size_t index = 0; index < spec.columns.size(); ++index) {
      const SqlColumn& column = spec.columns[index];
      data::TableColumn& out = columns[index];
      if (column.name == "instrument") {
        out.strings.push_back(instrument);
      } else if (column.name == "date") {
        out.dates.push_back(date);
      } else if (column.key && column.type == SqlType::kInteger) {
        out.numbers.push_back(horizon);
      } else if (column.key) {
        out.strings.push_back(name);
      } else if (column.type == SqlType::kText) {
        out.strings.push_back(random() % 2 ? "model 'v1'" : "模型");
      } else if (column.type == SqlType::kDate) {
        out.dates.push_back(Date(day(random)));
      } else {
        out.numbers.push_back(value());
      }
    }
  }
  data::Table result;
  result.columns = std::move(columns);
  return result;
}

TEST(StoreParity, SqliteAndPostgresReadBackTheSameRows) {
  const std::string pg_uri = FreshStoreUri("postgres");
  if (pg_uri.empty()) GTEST_SKIP() << UnavailableReason("postgres");
  const auto postgres = OpenStore(pg_uri);
  const auto sqlite = OpenStore(FreshStoreUri("sqlite"));
  postgres->Migrate();
  sqlite->Migrate();
  std::mt19937_64 random(7);
  for (int round = 0; round < 6; ++round) {
    for (StoreTable table : AllTables()) {
      const data::Table rows = RandomRows(table, random, 50 + random() % 400);
      postgres->Put(table, rows);
      sqlite->Put(table, rows);
    }
    for (StoreTable table : AllTables()) {
      SCOPED_TRACE(std::string(Spec(table).name) + " round " + std::to_string(round));
      const data::Table expected = sqlite->Get(table, {});
      ASSERT_GT(expected.rows(), 0u);
      ExpectSameTable(postgres->Get(table, {}), expected);
      StoreQuery query;
      query.start = Date(18010);
      query.end = Date(18020);
      query.instrument = "x'); DROP TABLE preds;--";
      ExpectSameTable(postgres->Get(table, query), sqlite->Get(table, query));
      query.instrument = "🚀";
      ExpectSameTable(postgres->Get(table, query), sqlite->Get(table, query));
    }
  }
  const StoreInfo pg_info = postgres->Info(), sqlite_info = sqlite->Info();
  EXPECT_EQ(pg_info.rows, sqlite_info.rows);
  EXPECT_EQ(pg_info.schema_version, sqlite_info.schema_version);
}

TEST(PostgresStore, FailureInsideABatchRollsBackEveryRow) {
  const std::string uri = FreshStoreUri("postgres");
  if (uri.empty()) GTEST_SKIP() << UnavailableReason("postgres");
  const auto store = OpenStore(uri);
  store->Migrate();
  {
    pqxx::connection admin(uri);
    pqxx::work transaction(admin);
    transaction.exec(
        "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN IF NEW.instrument = 'BOOM' THEN RAISE EXCEPTION 'boom'; "
        "END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
    transaction.exec("CREATE TRIGGER boom BEFORE INSERT ON preds FOR EACH ROW EXECUTE FUNCTION boom()");
    transaction.commit();
  }
  try {
    store->Put(StoreTable::kPreds, PredsTable({"A", "BOOM", "C"}, std::vector<Date>(3, Day(2020, 1, 2)), {1, 1, 1},
                                              {1, 2, 3}));
    ADD_FAILURE() << "the trigger did not fire";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::kExternal);
    EXPECT_NE(message.find(": writing preds failed: boom"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  EXPECT_EQ(store->Get(StoreTable::kPreds, {}).rows(), 0u) << "rows before the failure must be rolled back";
  store->Put(StoreTable::kPreds, PredsTable({"A"}, {Day(2020, 1, 2)}, {1}, {1}));
  EXPECT_EQ(store->Get(StoreTable::kPreds, {}).rows(), 1u);
}

TEST(PostgresStore, ConcurrentMigratorsApplyEachMigrationOnce) {
  const std::string uri = FreshStoreUri("postgres");
  if (uri.empty()) GTEST_SKIP() << UnavailableReason("postgres");
  std::vector<std::thread> threads;
  std::atomic<int> applied{0};
  for (int worker = 0; worker < 4; ++worker) {
    threads.emplace_back([&] { applied += OpenStore(uri)->Migrate(); });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(applied.load(), LatestSchemaVersion());
}

TEST(PostgresStore, WrongDatabaseNameIsOneLine) {
  const PgServer& server = Server();
  if (server.uri.empty()) GTEST_SKIP() << server.reason;
  const std::string uri = server.uri.substr(0, server.uri.rfind('/')) + "/no_such_database";
  try {
    OpenStore(uri);
    ADD_FAILURE() << "connected to " << uri;
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::kExternal);
    EXPECT_EQ(message.rfind(uri + ": cannot reach the PostgreSQL server", 0), 0u) << message;
    EXPECT_NE(message.find("no_such_database"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace alphaloom::store::testing
