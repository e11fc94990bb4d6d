// Proves each third-party component AlphaLoom depends on links and runs on this machine.
#include <CLI/CLI.hpp>
#include <Eigen/Dense>
#include <LightGBM/c_api.h>
#include <arrow/api.h>
#include <arrow/io/file.h>
#include <benchmark/benchmark.h>
#include <curl/curl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/writer.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <xgboost/c_api.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <sstream>
#include <vector>

namespace {

std::filesystem::path TempPath(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("alphaloom-smoke-" + std::to_string(::getpid()) + "-" + name);
}

// y = 2 * x0 - x1 on a small grid: both boosters must fit it far better than the mean.
void MakeRegression(std::vector<float>& features, std::vector<float>& labels, int rows) {
  for (int row = 0; row < rows; ++row) {
    const float x0 = static_cast<float>(row % 17) / 17.0f;
    const float x1 = static_cast<float>(row % 7) / 7.0f;
    features.push_back(x0);
    features.push_back(x1);
    labels.push_back(2.0f * x0 - x1);
  }
}

TEST(DepsSmoke, ArrowParquetRoundTrip) {
  arrow::DoubleBuilder builder;
  ASSERT_TRUE(builder.AppendValues({1.5, 2.5, 3.5}).ok());
  std::shared_ptr<arrow::Array> array;
  ASSERT_TRUE(builder.Finish(&array).ok());
  auto table = arrow::Table::Make(arrow::schema({arrow::field("close", arrow::float64())}), {array});
  const auto path = TempPath("roundtrip.parquet");
  {
    auto out = arrow::io::FileOutputStream::Open(path.string());
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), *out, 1024).ok());
    ASSERT_TRUE((*out)->Close().ok());
  }
  auto in = arrow::io::ReadableFile::Open(path.string());
  ASSERT_TRUE(in.ok());
  auto reader = parquet::arrow::OpenFile(*in, arrow::default_memory_pool());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto read_back = (*reader)->ReadTable();
  ASSERT_TRUE(read_back.ok());
  EXPECT_TRUE((*read_back)->Equals(*table));
  std::filesystem::remove(path);
}

TEST(DepsSmoke, LightGbmTrainsAndPredicts) {
  std::vector<float> features, labels;
  MakeRegression(features, labels, 400);
  DatasetHandle dataset = nullptr;
  ASSERT_EQ(LGBM_DatasetCreateFromMat(features.data(), C_API_DTYPE_FLOAT32, 400, 2, 1,
                                      "min_data_in_bin=1 min_data_in_leaf=5 verbosity=-1", nullptr, &dataset), 0)
      << LGBM_GetLastError();
  ASSERT_EQ(LGBM_DatasetSetField(dataset, "label", labels.data(), 400, C_API_DTYPE_FLOAT32), 0);
  BoosterHandle booster = nullptr;
  ASSERT_EQ(LGBM_BoosterCreate(dataset, "objective=regression num_threads=1 verbosity=-1 seed=1", &booster), 0)
      << LGBM_GetLastError();
  int finished = 0;
  for (int iteration = 0; iteration < 50; ++iteration) ASSERT_EQ(LGBM_BoosterUpdateOneIter(booster, &finished), 0);
  std::vector<double> predictions(400);
  int64_t length = 0;
  ASSERT_EQ(LGBM_BoosterPredictForMat(booster, features.data(), C_API_DTYPE_FLOAT32, 400, 2, 1, C_API_PREDICT_NORMAL,
                                      0, -1, "", &length, predictions.data()), 0);
  double squared_error = 0.0;
  for (int row = 0; row < 400; ++row) squared_error += (predictions[row] - labels[row]) * (predictions[row] - labels[row]);
  EXPECT_LT(squared_error / 400.0, 0.01);  // the label's variance is about 0.4
  LGBM_BoosterFree(booster);
  LGBM_DatasetFree(dataset);
}

TEST(DepsSmoke, XgBoostTrainsAndPredicts) {
  std::vector<float> features, labels;
  MakeRegression(features, labels, 400);
  DMatrixHandle matrix = nullptr;
  ASSERT_EQ(XGDMatrixCreateFromMat(features.data(), 400, 2, std::nanf(""), &matrix), 0) << XGBGetLastError();
  ASSERT_EQ(XGDMatrixSetFloatInfo(matrix, "label", labels.data(), 400), 0);
  BoosterHandle booster = nullptr;
  ASSERT_EQ(XGBoosterCreate(&matrix, 1, &booster), 0);
  ASSERT_EQ(XGBoosterSetParam(booster, "nthread", "1"), 0);
  ASSERT_EQ(XGBoosterSetParam(booster, "seed", "1"), 0);
  for (int iteration = 0; iteration < 50; ++iteration) ASSERT_EQ(XGBoosterUpdateOneIter(booster, iteration, matrix), 0);
  bst_ulong length = 0;
  const float* predictions = nullptr;
  ASSERT_EQ(XGBoosterPredict(booster, matrix, 0, 0, 0, &length, &predictions), 0);
  ASSERT_EQ(length, 400u);
  double squared_error = 0.0;
  for (int row = 0; row < 400; ++row) squared_error += (predictions[row] - labels[row]) * (predictions[row] - labels[row]);
  EXPECT_LT(squared_error / 400.0, 0.01);
  XGBoosterFree(booster);
  XGDMatrixFree(matrix);
}

TEST(DepsSmoke, YamlCppParses) {
  const YAML::Node node = YAML::Load("model: {kind: lightgbm, params: {num_leaves: 63}}");
  EXPECT_EQ(node["model"]["kind"].as<std::string>(), "lightgbm");
  EXPECT_EQ(node["model"]["params"]["num_leaves"].as<int>(), 63);
}

TEST(DepsSmoke, NlohmannJsonRoundTrips) {
  const nlohmann::json value = nlohmann::json::parse(R"({"ic": 0.05, "names": ["a", "b"]})");
  EXPECT_DOUBLE_EQ(value["ic"].get<double>(), 0.05);
  EXPECT_EQ(nlohmann::json::parse(value.dump()), value);
}

TEST(DepsSmoke, Cli11ParsesOptions) {
  CLI::App app;
  int topk = 0;
  app.add_option("--topk", topk);
  const char* argv[] = {"prog", "--topk", "50"};
  app.parse(3, const_cast<char**>(argv));
  EXPECT_EQ(topk, 50);
}

TEST(DepsSmoke, FmtAndSpdlogFormat) {
  EXPECT_EQ(fmt::format("{:.3f}", 1.23456), "1.235");
  std::ostringstream stream;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream);
  spdlog::logger logger("smoke", sink);
  logger.set_pattern("%v");
  logger.info("rows={}", 42);
  logger.flush();
  EXPECT_EQ(stream.str(), "rows=42\n");
}

TEST(DepsSmoke, EigenSolvesLinearSystem) {
  Eigen::Matrix3d matrix;
  matrix << 4, 1, 0, 1, 3, 1, 0, 1, 2;
  const Eigen::Vector3d expected(1, -2, 3);
  const Eigen::Vector3d solved = matrix.ldlt().solve(matrix * expected);
  EXPECT_NEAR((solved - expected).norm(), 0.0, 1e-12);
}

TEST(DepsSmoke, SqliteInMemory) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x REAL); INSERT INTO t VALUES (1.5), (2.5);", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT SUM(x) FROM t", -1, &statement, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_DOUBLE_EQ(sqlite3_column_double(statement, 0), 4.0);
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

// Under ctest, the postgres fixture starts a real server and ALPHALOOM_TEST_PG_URI_FILE names the
// file holding its URI. Run by hand without it, the test proves libpqxx links and reports a
// refused connection as an exception.
TEST(DepsSmoke, PqxxTalksToPostgres) {
  if (const char* uri_file = std::getenv("ALPHALOOM_TEST_PG_URI_FILE")) {
    std::ifstream in(uri_file);
    std::string uri;
    ASSERT_TRUE(std::getline(in, uri)) << "no server URI in " << uri_file << " (did postgres_start run?)";
    pqxx::connection connection(uri);
    pqxx::work transaction(connection);
    EXPECT_EQ(transaction.exec1("SELECT 40 + 2")[0].as<int>(), 42);
    return;
  }
  EXPECT_THROW(pqxx::connection("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"), pqxx::broken_connection);
}

TEST(DepsSmoke, CurlReadsFileUrl) {
  const auto path = TempPath("curl.txt");
  std::ofstream(path) << "hello";
  CURL* curl = curl_easy_init();
  ASSERT_NE(curl, nullptr);
  std::string body;
  const std::string url = "file://" + path.string();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
  });
  EXPECT_EQ(curl_easy_perform(curl), CURLE_OK);
  EXPECT_EQ(body, "hello");
  curl_easy_cleanup(curl);
  std::filesystem::remove(path);
}

TEST(DepsSmoke, GoogleBenchmarkRuns) {
  int runs = 0;
  benchmark::RegisterBenchmark("smoke_noop", [&runs](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(runs);
    ++runs;
  })->Iterations(10);
  benchmark::ConsoleReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  EXPECT_GE(runs, 1);
}

}  // namespace
