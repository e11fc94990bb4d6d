#include "alphaloom/data/ingest.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <iterator>

#include "alphaloom/common/error.h"
#include "alphaloom/data/bar_writer.h"
#include "alphaloom/data/csv_reader.h"
#include "alphaloom/data/qlib_store.h"
#include "test_support.h"

namespace alphaloom::data {
namespace {

constexpr const char* kAaa =
    "date,open,high,low,close,volume\n2020-01-02,10,11,9,10.5,100\n2020-01-03,10.5,12,10,11,200\n"
    "2020-01-06,11,12,10,11.5,300\n";
// Yahoo layout, misses 2020-01-03 (a suspension inside its span).
constexpr const char* kBbb =
    "Date,Open,High,Low,Close,Adj Close,Volume\n1/2/2020,20,21,19,20,10,100\n1/6/2020,20,22,19,21,10.5,100\n";
constexpr const char* kIdx = ",date,open,high,low,close,volume\n0,2020-01-02,100,101,99,100,0\n"
                             "1,2020-01-03,100,102,99,101,0\n2,2020-01-06,101,103,100,102,0\n";

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::WriteText(dir_ / "in" / "AAA.csv", kAaa);
    test::WriteText(dir_ / "in" / "sub" / "bbb.csv", kBbb);
    test::WriteText(dir_ / "in" / "IDX_D.csv", kIdx);
    options_.input = dir_ / "in";
    options_.out = dir_ / "store";
    options_.benchmark = "IDX";
    options_.threads = 2;
  }

  test::TempDir dir_;
  IngestOptions options_;
};

TEST_F(IngestTest, CsvDirectoryToStoreAndBack) {
  const IngestReport report = Ingest(options_);
  EXPECT_EQ(report.files, 3u);
  EXPECT_EQ(report.instruments, 3u);
  EXPECT_EQ(report.dates, 3u);
  EXPECT_EQ(report.bars, 8u);
  EXPECT_TRUE(report.skipped.empty());

  const QlibStore store = QlibStore::Open(options_.out);
  ASSERT_EQ(store.instruments().size(), 2u);  // the benchmark is not in the market
  const FieldSeries close = store.ReadField("AAA", "close");
  EXPECT_EQ(close.values, (std::vector<float>{10.5f, 11.0f, 11.5f}));
  const FieldSeries bbb = store.ReadField("BBB", "close");
  ASSERT_EQ(bbb.values.size(), 3u);
  EXPECT_EQ(bbb.values[0], 10.0f);  // adjusted = adj close
  EXPECT_TRUE(std::isnan(bbb.values[1]));
  EXPECT_EQ(store.ReadField("BBB", "factor").values[2], 0.5f);
  EXPECT_EQ(store.ReadField("BBB", "volume").values[0], 200.0f);  // raw volume / factor

  bool gap_reported = false;
  for (const Finding& finding : report.findings) {
    if (finding.rule == Rule::kCalendarGap && finding.instrument == "BBB" &&
        finding.date == Date::FromYmd(2020, 1, 3)) {
      gap_reported = true;
    }
  }
  EXPECT_TRUE(gap_reported);
  EXPECT_EQ(store.Findings().size(), report.findings.size());
}

TEST_F(IngestTest, OneBadFileFailsOrIsSkipped) {
  Ingest(options_);  // an existing store must survive a failed ingest
  test::WriteText(dir_ / "in" / "DA-BF.B-T-2021-04-21.csv", "{ \"Error Message\" }");
  test::WriteText(dir_ / "in" / "CCC.csv", "date,open,high,low,close,volume\n2020-01-02,1,2,0.5,1.5,7\n");
  try {
    Ingest(options_);
    FAIL() << "expected the not-data file to fail the ingest";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kData);
    EXPECT_NE(std::string(error.what()).find("DA-BF.B-T-2021-04-21.csv"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("not_data"), std::string::npos) << error.what();
  }
  EXPECT_FALSE(QlibStore::Open(options_.out).HasInstrument("CCC"));  // the old store is untouched

  options_.skip_bad_files = true;
  const IngestReport report = Ingest(options_);
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_NE(report.skipped[0].find("DA-BF.B-T-2021-04-21.csv"), std::string::npos);
  EXPECT_EQ(report.instruments, 4u);
  EXPECT_TRUE(QlibStore::Open(options_.out).HasInstrument("CCC"));
}

TEST_F(IngestTest, UnknownBenchmarkAndEmptyInputAreClearErrors) {
  options_.benchmark = "SPY";
  try {
    Ingest(options_);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(error.what()).find("'SPY'"), std::string::npos);
  }
  options_.input = dir_ / "nothing";
  EXPECT_THROW(Ingest(options_), Error);
}

TEST_F(IngestTest, DuplicateInstrumentAcrossFiles) {
  test::WriteText(dir_ / "in" / "other" / "aaa.csv", kAaa);
  EXPECT_THROW(Ingest(options_), Error);
  options_.read.policy.Apply("duplicate_instrument=warn");
  EXPECT_EQ(Ingest(options_).instruments, 3u);
}

TEST_F(IngestTest, ExplicitCalendarDropsOffCalendarBars) {
  test::WriteText(dir_ / "calendar.txt", "2020-01-02\n2020-01-06\n2020-01-07\n");
  options_.calendar_file = dir_ / "calendar.txt";
  const IngestReport report = Ingest(options_);
  EXPECT_EQ(report.dates, 3u);
  const QlibStore store = QlibStore::Open(options_.out);
  EXPECT_EQ(store.ReadField("AAA", "close").values, (std::vector<float>{10.5f, 11.5f}));
  size_t off_calendar = 0;
  for (const Finding& finding : report.findings) off_calendar += finding.rule == Rule::kOffCalendar;
  EXPECT_EQ(off_calendar, 2u);  // AAA and IDX on 2020-01-03
}

TEST_F(IngestTest, ParquetAndQlibInputsGiveTheSameStore) {
  Ingest(options_);
  const QlibStore from_csv = QlibStore::Open(options_.out);

  // The same bars as Parquet files.
  ReadOptions read;
  std::filesystem::create_directories(dir_ / "pq");
  for (const auto& file : ListBarFiles(dir_ / "in")) {
    const ParsedFile parsed = ReadBarsCsv(file, read);
    WriteBarsParquet(parsed.instruments.at(0), dir_ / "pq" / (parsed.instruments[0].instrument + ".parquet"));
  }
  IngestOptions parquet = options_;
  parquet.input = dir_ / "pq";
  parquet.out = dir_ / "store_pq";
  Ingest(parquet);

  // And the CSV store itself as a Qlib directory input.
  IngestOptions qlib = options_;
  qlib.input = options_.out;
  qlib.out = dir_ / "store_qlib";
  Ingest(qlib);

  for (const auto& other_dir : {parquet.out, qlib.out}) {
    const QlibStore other = QlibStore::Open(other_dir);
    EXPECT_EQ(other.calendar().dates(), from_csv.calendar().dates());
    for (const char* instrument : {"AAA", "BBB", "IDX"}) {
      for (const char* field : {"open", "close", "volume", "factor"}) {
        const FieldSeries a = from_csv.ReadField(instrument, field);
        const FieldSeries b = other.ReadField(instrument, field);
        ASSERT_EQ(a.start, b.start) << other_dir << " " << instrument << " " << field;
        ASSERT_EQ(a.values.size(), b.values.size());
        for (size_t index = 0; index < a.values.size(); ++index) {
          if (std::isnan(a.values[index])) {
            EXPECT_TRUE(std::isnan(b.values[index]));
          } else {
            EXPECT_NEAR(a.values[index], b.values[index], 1e-6 * std::fabs(a.values[index]))
                << other_dir << " " << instrument << " " << field;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace alphaloom::data

namespace alphaloom::data {
namespace {

std::string Bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(IngestThreads, OneAndManyThreadsWriteIdenticalStores) {
  test::TempDir dir;
  for (int instrument = 0; instrument < 12; ++instrument) {
    std::string text = "date,open,high,low,close,volume\n";
    for (int day = 2; day <= 28; ++day) {
      if ((day + instrument) % 7 == 0) continue;  // gaps differ per instrument
      const double price = 10 + instrument + 0.1 * day;
      text += fmt::format("2020-01-{:02d},{},{},{},{},{}\n", day, price, price + 1, price - 1, price, 100 * day);
    }
    test::WriteText(dir / "in" / fmt::format("I{:02d}.csv", instrument), text);
  }
  IngestOptions options;
  options.input = dir / "in";
  options.out = dir / "one";
  options.threads = 1;
  Ingest(options);
  options.out = dir / "many";
  options.threads = 4;
  Ingest(options);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir / "one")) {
    if (!entry.is_regular_file()) continue;
    const auto relative = std::filesystem::relative(entry.path(), dir / "one");
    EXPECT_EQ(Bytes(entry.path()), Bytes(dir / "many" / relative)) << relative;
  }
}

}  // namespace
}  // namespace alphaloom::data
