// SqlStore on SQLite files: the backend contract, URI forms, and the errors for a locked, missing
// or non-database file.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>

#include "store/store_contract.h"
#include "test_support.h"

namespace alphaloom::store::testing {

namespace {
// One directory for every fresh SQLite store of this process, removed at exit.
test::TempDir& SqliteDir() {
  static test::TempDir dir;
  return dir;
}
}  // namespace

std::string FreshStoreUri(const std::string& backend) {
  if (backend != "sqlite") return {};
  static std::atomic<int> counter{0};
  return "sqlite:///" + (SqliteDir() / ("store" + std::to_string(counter++) + ".db")).string();
}

std::string UnavailableReason(const std::string& backend) { return backend + " is not a backend of this binary"; }

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, ::testing::Values(std::string("sqlite")));

namespace {

std::string OpenError(const std::string& uri, ErrorKind kind) {
  try {
    OpenStore(uri)->Migrate();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), kind) << error.what();
    return error.what();
  }
  ADD_FAILURE() << uri << " opened";
  return {};
}

TEST(SqliteStore, UriFormsNameTheRightFile) {
  test::TempDir dir;
  const data::Table rows = PredsTable({"A"}, {Day(2020, 1, 2)}, {1}, {0.5});
  // Four slashes: absolute path.
  const std::string absolute = "sqlite:///" + (dir / "abs.db").string();
  ASSERT_EQ(absolute.substr(0, 11), "sqlite:////");
  OpenStore(absolute)->Migrate();
  EXPECT_TRUE(std::filesystem::exists(dir / "abs.db"));
  // Bare path.
  OpenStore((dir / "bare.db").string())->Migrate();
  EXPECT_TRUE(std::filesystem::exists(dir / "bare.db"));
  // Three slashes: relative to the working directory.
  const std::filesystem::path previous = std::filesystem::current_path();
  std::filesystem::create_directory(dir / "sub");
  std::filesystem::current_path(dir.path());
  {
    const auto store = OpenStore("sqlite:///sub/rel.db");
    store->Migrate();
    store->Put(StoreTable::kPreds, rows);
  }
  std::filesystem::current_path(previous);
  EXPECT_TRUE(std::filesystem::exists(dir / "sub" / "rel.db"));
  EXPECT_EQ(OpenStore((dir / "sub" / "rel.db").string())->Get(StoreTable::kPreds, {}).rows(), 1u);
  // In memory.
  const auto memory = OpenStore("sqlite:///:memory:");
  memory->Migrate();
  memory->Put(StoreTable::kPreds, rows);
  EXPECT_EQ(memory->Info().rows[2].second, 1);
}

TEST(SqliteStore, LockedFileIsOneClearError) {
  test::TempDir dir;
  const std::string path = (dir / "locked.db").string();
  const std::string uri = "sqlite:///" + path;
  OpenStore(uri)->Migrate();
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &holder), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(holder, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  OpenOptions options;
  options.busy_timeout_ms = 50;
  const auto store = OpenStore(uri, options);
  try {
    store->Put(StoreTable::kPreds, PredsTable({"A"}, {Day(2020, 1, 2)}, {1}, {0.5}));
    ADD_FAILURE() << "Put into a locked file succeeded";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
    EXPECT_EQ(message, uri + ": the database file is locked by another connection (waited 50 ms)");
  }
  sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(holder);
  store->Put(StoreTable::kPreds, PredsTable({"A"}, {Day(2020, 1, 2)}, {1}, {0.5}));
  EXPECT_EQ(store->Get(StoreTable::kPreds, {}).rows(), 1u);
}

TEST(SqliteStore, UnopenableFilesAreOneClearError) {
  test::TempDir dir;
  const std::string missing_dir = "sqlite:///" + (dir / "no" / "such" / "x.db").string();
  EXPECT_EQ(OpenError(missing_dir, ErrorKind::kIo),
            missing_dir + ": cannot open the SQLite file: directory '" + (dir / "no" / "such").string() +
                "' does not exist");
  const std::string directory = (dir / "adir").string();
  std::filesystem::create_directory(directory);
  EXPECT_NE(OpenError(directory, ErrorKind::kIo).find("is a directory"), std::string::npos);
  test::WriteText(dir / "text.db", "this is not a database, just text that is long enough to have a header page\n");
  const std::string not_db = OpenError((dir / "text.db").string(), ErrorKind::kIo);
  EXPECT_NE(not_db.find("not a database"), std::string::npos) << not_db;
  EXPECT_EQ(not_db.find('\n'), std::string::npos);
  // /proc accepts no new files, even from root.
  EXPECT_NE(OpenError("/proc/alphaloom-store-test.db", ErrorKind::kIo).find("cannot open the SQLite file"),
            std::string::npos);
  OpenOptions reader;
  reader.create = false;
  try {
    OpenStore((dir / "absent.db").string(), reader);
    ADD_FAILURE() << "opened a missing file for reading";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), (dir / "absent.db").string() + ": the SQLite file does not exist");
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "absent.db"));
  if (::geteuid() != 0) {
    // Permissions do not bind root, so this case only runs as an ordinary user.
    std::filesystem::create_directory(dir / "ro");
    OpenStore((dir / "ro" / "x.db").string())->Migrate();
    std::filesystem::permissions(dir / "ro" / "x.db", std::filesystem::perms::owner_read);
    std::filesystem::permissions(dir / "ro", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    const auto store = OpenStore((dir / "ro" / "x.db").string());
    EXPECT_THROW(store->Put(StoreTable::kPreds, PredsTable({"A"}, {Day(2020, 1, 2)}, {1}, {0.5})), Error);
    std::filesystem::permissions(dir / "ro", std::filesystem::perms::owner_all);
  }
}

TEST(SqliteStore, FailureInsideABatchRollsBackEveryRow) {
  test::TempDir dir;
  const std::string uri = (dir / "boom.db").string();
  OpenStore(uri)->Migrate();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(uri.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TRIGGER boom BEFORE INSERT ON preds WHEN NEW.instrument = 'BOOM' "
                         "BEGIN SELECT RAISE(ABORT, 'boom'); END",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const auto store = OpenStore(uri);
  try {
    store->Put(StoreTable::kPreds, PredsTable({"A", "BOOM", "C"}, std::vector<Date>(3, Day(2020, 1, 2)), {1, 1, 1},
                                              {1, 2, 3}));
    ADD_FAILURE() << "the trigger did not fire";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kExternal);
    EXPECT_EQ(std::string(error.what()), uri + ": writing failed: boom");
  }
  EXPECT_EQ(store->Get(StoreTable::kPreds, {}).rows(), 0u) << "rows before the failure must be rolled back";
  store->Put(StoreTable::kPreds, PredsTable({"A"}, {Day(2020, 1, 2)}, {1}, {1}));
  EXPECT_EQ(store->Get(StoreTable::kPreds, {}).rows(), 1u);
}

TEST(SqliteStore, NewerSchemaIsRefused) {
  test::TempDir dir;
  const std::string uri = (dir / "future.db").string();
  OpenStore(uri)->Migrate();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(uri.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_version VALUES (999, 'from the future')", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_NE(OpenError(uri, ErrorKind::kData).find("schema version 999 is newer"), std::string::npos);
}

TEST(SqliteStore, LargeBatchCountsOnce) {
  // Not a timing test (bench/sql_store_bench.cpp measures speed): a large batch goes in whole.
  const auto store = OpenStore("sqlite:///:memory:");
  store->Migrate();
  const size_t rows = 200000;
  std::vector<std::string> instruments;
  std::vector<Date> dates;
  std::vector<double> horizons, yhat;
  for (size_t row = 0; row < rows; ++row) {
    instruments.push_back("S" + std::to_string(row % 500));
    dates.push_back(Date(static_cast<int32_t>(18000 + row / 500)));
    horizons.push_back(1);
    yhat.push_back(static_cast<double>(row) * 1e-6);
  }
  const data::Table table = PredsTable(instruments, dates, horizons, yhat);
  store->Put(StoreTable::kPreds, table);
  store->Put(StoreTable::kPreds, table);
  EXPECT_EQ(store->Info().rows[2].second, static_cast<int64_t>(rows));
}

}  // namespace
}  // namespace alphaloom::store::testing
