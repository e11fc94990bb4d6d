#include "alphaloom/data/bar_writer.h"

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <gtest/gtest.h>
#include <parquet/arrow/reader.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "alphaloom/common/error.h"
#include "alphaloom/data/bar_reader.h"
#include "test_support.h"

namespace alphaloom::data {
namespace {

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Numbers chosen to need every digit: 0.1 + 0.2 is not 0.3, 1/3 has 16 significant digits.
RawBars AwkwardBars() {
  RawBars bars;
  bars.instrument = "XYZ";
  bars.dates = {Date::FromYmd(2020, 1, 2), Date::FromYmd(2020, 1, 3), Date::FromYmd(2021, 12, 31)};
  bars.open = {10, 0.1 + 0.2, 1.0 / 3};
  bars.high = {11.5, 0.5, 1e-7 + 1};
  bars.low = {9.25, 0.25, 0.125};
  bars.close = {10.5, 0.375, 123456789.123};
  bars.volume = {1000, 2.5e9, 7};
  return bars;
}

RawBars WithAllColumns(RawBars bars) {
  bars.vwap = {10.25, 0.3, 0.5};
  bars.adj_close = {5.25, 0.1875, 123456789.123};
  bars.dividend = {0, 0.02, 0};
  bars.split = {1, 2, 1};
  return bars;
}

void ExpectSameColumn(const std::vector<double>& actual, const std::vector<double>& expected, const char* name) {
  ASSERT_EQ(actual.size(), expected.size()) << name;
  for (size_t row = 0; row < expected.size(); ++row) EXPECT_EQ(actual[row], expected[row]) << name << " row " << row;
}

void ExpectSameBars(const RawBars& actual, const RawBars& expected) {
  EXPECT_EQ(actual.instrument, expected.instrument);
  EXPECT_EQ(actual.dates, expected.dates);
  ExpectSameColumn(actual.open, expected.open, "open");
  ExpectSameColumn(actual.high, expected.high, "high");
  ExpectSameColumn(actual.low, expected.low, "low");
  ExpectSameColumn(actual.close, expected.close, "close");
  ExpectSameColumn(actual.volume, expected.volume, "volume");
  ExpectSameColumn(actual.vwap, expected.vwap, "vwap");
  ExpectSameColumn(actual.adj_close, expected.adj_close, "adj_close");
  ExpectSameColumn(actual.dividend, expected.dividend, "dividend");
  ExpectSameColumn(actual.split, expected.split, "split");
}

RawBars ReadBack(const std::filesystem::path& path) {
  const ParsedFile parsed = ReadBarsFile(path, FileFormat::kAuto, ReadOptions{});
  EXPECT_FALSE(parsed.rejected());
  for (const Finding& finding : parsed.findings) ADD_FAILURE() << finding.ToString();
  if (parsed.instruments.size() != 1) {
    ADD_FAILURE() << path << ": expected one instrument, got " << parsed.instruments.size();
    return {};
  }
  return parsed.instruments.front();
}

TEST(WriteBarsCsv, HeaderHasOnlyThePresentColumnsAndShortestRoundTripNumbers) {
  test::TempDir dir;
  WriteBarsCsv(AwkwardBars(), dir / "XYZ.csv");
  EXPECT_EQ(ReadText(dir / "XYZ.csv"),
            "date,open,high,low,close,volume\n"
            "2020-01-02,10,11.5,9.25,10.5,1000\n"
            "2020-01-03,0.30000000000000004,0.5,0.25,0.375,2500000000\n"
            "2021-12-31,0.3333333333333333,1.0000001,0.125,123456789.123,7\n");

  RawBars some = AwkwardBars();
  some.vwap = {10.25, 0.3, 0.5};
  some.split = {1, 2, 1};
  WriteBarsCsv(some, dir / "SOME.csv");
  const std::string text = ReadText(dir / "SOME.csv");
  EXPECT_EQ(text.substr(0, text.find('\n')), "date,open,high,low,close,volume,vwap,split");

  WriteBarsCsv(WithAllColumns(AwkwardBars()), dir / "ALL.csv");
  const std::string all = ReadText(dir / "ALL.csv");
  EXPECT_EQ(all.substr(0, all.find('\n')), "date,open,high,low,close,volume,vwap,adj_close,dividend,split");
}

TEST(WriteBarsCsv, NanIsAnEmptyCell) {
  test::TempDir dir;
  RawBars bars = AwkwardBars();
  bars.vwap = {1, std::numeric_limits<double>::quiet_NaN(), 2};
  WriteBarsCsv(bars, dir / "XYZ.csv");
  EXPECT_NE(ReadText(dir / "XYZ.csv").find("2020-01-03,0.30000000000000004,0.5,0.25,0.375,2500000000,\n"),
            std::string::npos);
}

TEST(WriteBarsCsv, RoundTripsExactlyThroughTheReader) {
  test::TempDir dir;
  const RawBars bars = WithAllColumns(AwkwardBars());
  WriteBarsCsv(bars, dir / "XYZ.csv");
  ExpectSameBars(ReadBack(dir / "XYZ.csv"), bars);
}

TEST(WriteBarsParquet, RoundTripsExactlyThroughTheReader) {
  test::TempDir dir;
  const RawBars bars = WithAllColumns(AwkwardBars());
  WriteBarsParquet(bars, dir / "XYZ.parquet");
  ExpectSameBars(ReadBack(dir / "XYZ.parquet"), bars);

  const RawBars plain = AwkwardBars();
  WriteBarsParquet(plain, dir / "XYZ.parquet");  // replaces the first file
  ExpectSameBars(ReadBack(dir / "XYZ.parquet"), plain);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()), 1)
      << "no temporary file may be left behind";
}

TEST(WriteBarsParquet, SchemaIsDate32AndFloat64InCsvOrder) {
  test::TempDir dir;
  WriteBarsParquet(WithAllColumns(AwkwardBars()), dir / "XYZ.parquet");
  auto file = arrow::io::ReadableFile::Open((dir / "XYZ.parquet").string());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto reader = parquet::arrow::OpenFile(*file, arrow::default_memory_pool());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto table = (*reader)->ReadTable();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const std::shared_ptr<arrow::Schema> schema = (*table)->schema();
  const std::vector<std::string> expected = {"date",   "open", "high",      "low",      "close", "volume",
                                             "vwap", "adj_close", "dividend", "split"};
  ASSERT_EQ(schema->num_fields(), static_cast<int>(expected.size()));
  for (int column = 0; column < schema->num_fields(); ++column) {
    EXPECT_EQ(schema->field(column)->name(), expected[column]);
    EXPECT_TRUE(schema->field(column)->type()->Equals(column == 0 ? arrow::date32() : arrow::float64()))
        << expected[column] << " is " << schema->field(column)->type()->ToString();
  }
  EXPECT_EQ((*table)->num_rows(), 3);
  const auto dates = std::static_pointer_cast<arrow::Date32Array>((*table)->column(0)->chunk(0));
  EXPECT_EQ(dates->Value(2), Date::FromYmd(2021, 12, 31).days());
}

TEST(WriteBars, NoBarsGiveAHeaderOnlyFile) {
  test::TempDir dir;
  RawBars empty;
  empty.instrument = "XYZ";
  WriteBarsCsv(empty, dir / "XYZ.csv");
  EXPECT_EQ(ReadText(dir / "XYZ.csv"), "date,open,high,low,close,volume\n");
  WriteBarsParquet(empty, dir / "XYZ.parquet");
  auto file = arrow::io::ReadableFile::Open((dir / "XYZ.parquet").string());
  ASSERT_TRUE(file.ok());
  auto reader = parquet::arrow::OpenFile(*file, arrow::default_memory_pool());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto table = (*reader)->ReadTable();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ((*table)->num_rows(), 0);
  EXPECT_EQ((*table)->num_columns(), 6);
}

TEST(WriteBars, InconsistentColumnsAreADataError) {
  test::TempDir dir;
  RawBars bars = AwkwardBars();
  bars.vwap = {1, 2};
  for (const char* name : {"XYZ.csv", "XYZ.parquet"}) {
    try {
      std::string(name).ends_with(".csv") ? WriteBarsCsv(bars, dir / name) : WriteBarsParquet(bars, dir / name);
      ADD_FAILURE() << name << ": expected an error";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kData);
      EXPECT_NE(std::string(error.what()).find("vwap"), std::string::npos) << error.what();
    }
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(WriteBars, UnwritableDirectoryIsAnIoError) {
  test::TempDir dir;
  const std::filesystem::path missing = dir / "no" / "such" / "dir";
  try {
    WriteBarsCsv(AwkwardBars(), missing / "XYZ.csv");
    ADD_FAILURE() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo);
  }
  try {
    WriteBarsParquet(AwkwardBars(), missing / "XYZ.parquet");
    ADD_FAILURE() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIo) << error.what();
    EXPECT_NE(std::string(error.what()).find("XYZ.parquet"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace alphaloom::data
