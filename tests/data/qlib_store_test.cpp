#include "alphaloom/data/qlib_store.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "alphaloom/common/error.h"
#include "test_support.h"

namespace alphaloom::data {
namespace {

Date D(int day) { return Date::FromYmd(2020, 1, day); }

AdjustedBars Instrument(const std::string& name, std::vector<int> days, double base) {
  AdjustedBars bars;
  bars.instrument = name;
  for (int day : days) {
    bars.dates.push_back(D(day));
    bars.open.push_back(base + day);
    bars.high.push_back(base + day + 1);
    bars.low.push_back(base + day - 1);
    bars.close.push_back(base + day + 0.5);
    bars.volume.push_back(1000 + day);
    bars.factor.push_back(0.5);
    bars.change.push_back(0.01 * day);
  }
  return bars;
}

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class QlibStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    calendar_ = Calendar(std::vector<Date>{D(2), D(3), D(6), D(7), D(8), D(9)});
    bars_ = {Instrument("AAA", {3, 7, 8}, 10), Instrument("CON", {2, 3, 6, 7, 8, 9}, 20),
             Instrument("IDX", {2, 3, 6, 7, 8, 9}, 100)};
    metadata_.benchmark = "IDX";
    Finding finding;
    finding.rule = Rule::kZeroVolume;
    finding.action = Action::kWarn;
    finding.file = "aaa.csv";
    finding.line = 4;
    finding.instrument = "AAA";
    finding.date = D(7);
    findings_.push_back(finding);
    WriteQlibStore(dir_ / "store", calendar_, bars_, metadata_, findings_);
  }

  test::TempDir dir_;
  Calendar calendar_;
  std::vector<AdjustedBars> bars_;
  StoreMetadata metadata_;
  std::vector<Finding> findings_;
};

TEST_F(QlibStoreTest, WritesQlibLayoutByteForByte) {
  const auto root = dir_ / "store";
  EXPECT_EQ(Slurp(root / "calendars" / "day.txt"),
            "2020-01-02\n2020-01-03\n2020-01-06\n2020-01-07\n2020-01-08\n2020-01-09\n");
  // The benchmark is stored but kept out of the market.
  EXPECT_EQ(Slurp(root / "instruments" / "all.txt"), "AAA\t2020-01-03\t2020-01-08\nCON\t2020-01-02\t2020-01-09\n");
  EXPECT_TRUE(std::filesystem::exists(root / "features" / "idx" / "close.day.bin"));
  // Windows-reserved names get Qlib's prefix.
  EXPECT_TRUE(std::filesystem::exists(root / "features" / "_qlib_con" / "close.day.bin"));

  const std::string bin = Slurp(root / "features" / "aaa" / "close.day.bin");
  ASSERT_EQ(bin.size(), 4u * (1 + 4));  // start index, then 2020-01-03, -06 (gap), -07, -08
  float values[5];
  std::memcpy(values, bin.data(), sizeof(values));
  EXPECT_EQ(values[0], 1.0f);  // calendar index of 2020-01-03
  EXPECT_EQ(values[1], 13.5f);
  EXPECT_TRUE(std::isnan(values[2]));  // 2020-01-06: no bar, stored as NaN
  EXPECT_EQ(values[3], 17.5f);
  EXPECT_EQ(values[4], 18.5f);
}

TEST_F(QlibStoreTest, ReadsBackFieldsPanelsAndFindings) {
  const QlibStore store = QlibStore::Open(dir_ / "store");
  EXPECT_EQ(store.calendar().size(), 6u);
  EXPECT_EQ(store.metadata().benchmark, "IDX");
  ASSERT_EQ(store.instruments().size(), 2u);
  EXPECT_EQ(store.instruments()[0].instrument, "AAA");
  EXPECT_EQ(store.instruments()[0].start, D(3));
  EXPECT_EQ(store.Fields("AAA"), (std::vector<std::string>{"change", "close", "factor", "high", "low", "open", "volume"}));

  const FieldSeries factor = store.ReadField("AAA", "factor");
  EXPECT_EQ(factor.start, 1u);
  EXPECT_EQ(factor.values.size(), 4u);
  EXPECT_EQ(factor.values[0], 0.5f);

  const std::vector<std::string> fields = {"close", "volume"};
  const Panel panel = store.LoadPanel(fields, {}, D(3), D(8));
  ASSERT_EQ(panel.date_count(), 4u);
  ASSERT_EQ(panel.instrument_count(), 2u);
  const auto close = panel.Series(panel.FieldIndex("close"), panel.InstrumentIndex("AAA"));
  EXPECT_EQ(close[0], 13.5);
  EXPECT_TRUE(std::isnan(close[1]));
  EXPECT_EQ(close[3], 18.5);
  const auto con_volume = panel.Series(1, panel.InstrumentIndex("CON"));
  EXPECT_EQ(con_volume[0], 1003.0);

  const std::vector<std::string> benchmark = {"IDX"};
  EXPECT_EQ(store.LoadPanel(fields, benchmark).instrument_count(), 1u);

  const auto findings = store.Findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].ToString(), findings_[0].ToString());
}

TEST_F(QlibStoreTest, ClearErrorsForUnknownOrBrokenData) {
  const QlibStore store = QlibStore::Open(dir_ / "store");
  EXPECT_THROW(store.ReadField("NOPE", "close"), Error);
  EXPECT_THROW(store.ReadField("AAA", "vwap"), Error);
  EXPECT_THROW(store.Instruments("csi300"), Error);
  const std::vector<std::string> fields = {"nosuchfield"};
  EXPECT_THROW(store.LoadPanel(fields), Error);

  test::WriteText(dir_ / "store" / "features" / "aaa" / "open.day.bin", "abcde");
  try {
    store.ReadField("AAA", "open");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kData);
    EXPECT_NE(std::string(error.what()).find("open.day.bin"), std::string::npos);
  }
  EXPECT_THROW(QlibStore::Open(dir_ / "nowhere"), Error);
}

TEST_F(QlibStoreTest, AFailedWriteLeavesTheOldStoreWhole) {
  const std::string before = Slurp(dir_ / "store" / "features" / "aaa" / "close.day.bin");
  std::vector<AdjustedBars> bad = bars_;
  bad[1].dates.back() = D(10);  // not a calendar date: the writer refuses midway
  EXPECT_THROW(WriteQlibStore(dir_ / "store", calendar_, bad, metadata_, findings_), Error);
  EXPECT_EQ(Slurp(dir_ / "store" / "features" / "aaa" / "close.day.bin"), before);
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir_.path())) ++entries;
  EXPECT_EQ(entries, 1u);  // no temporary directory left behind
}

}  // namespace
}  // namespace alphaloom::data
