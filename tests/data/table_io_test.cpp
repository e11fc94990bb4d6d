#include "alphaloom/data/table_io.h"

#include <arrow/api.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>

#include "alphaloom/common/error.h"
#include "alphaloom/data/arrow_columns.h"
#include "test_support.h"

namespace alphaloom::data {
namespace {

Table Sample() {
  Table table;
  table.columns.push_back(TableColumn::Dates("datetime", {Date::FromYmd(2024, 1, 2), Date::FromYmd(2024, 1, 3)}));
  table.columns.push_back(TableColumn::Strings("instrument", {"A,B \"x\"", "C"}));
  table.columns.push_back(TableColumn::Numbers("value", {0.1, std::nan("")}));
  return table;
}

TEST(TableIo, RoundTripsCsvAndParquet) {
  test::TempDir dir;
  const std::vector<ColumnRequest> requests = {{"value", ColumnType::kNumber, true},
                                               {"datetime", ColumnType::kDate, true},
                                               {"instrument", ColumnType::kString, true},
                                               {"weight", ColumnType::kNumber, false}};
  for (const std::string name : {"t.csv", "t.parquet"}) {
    WriteTable(Sample(), dir / name);
    const Table back = ReadTable(dir / name, requests);
    ASSERT_EQ(back.columns.size(), 3u) << name;  // the optional weight is absent
    EXPECT_EQ(back.columns[0].name, "value");
    EXPECT_EQ(back.columns[0].numbers[0], 0.1);
    EXPECT_TRUE(std::isnan(back.columns[0].numbers[1]));
    EXPECT_EQ(back.Find("datetime")->dates, Sample().columns[0].dates);
    EXPECT_EQ(back.Find("instrument")->strings, Sample().columns[1].strings);
    EXPECT_EQ(back.Find("weight"), nullptr);
  }
}

TEST(TableIo, ErrorsNameFileLineAndColumn) {
  test::TempDir dir;
  const std::vector<ColumnRequest> requests = {{"d", ColumnType::kDate, true}, {"x", ColumnType::kNumber, true}};
  auto expect_error = [&](const std::string& text, const std::string& needle) {
    test::WriteText(dir / "bad.csv", text);
    try {
      ReadTable(dir / "bad.csv", requests);
      FAIL() << "accepted: " << text;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kData);
      EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    }
  };
  expect_error("d,y\n2024-01-02,1\n", "bad.csv: missing column 'x' (has: d, y)");
  expect_error("d,x\n2024-01-02,1\n2024-13-02,1\n", "bad.csv:3: column 'd': not a date: '2024-13-02'");
  expect_error("d,x\n2024-01-02,1x\n", "bad.csv:2: column 'x': not a number: '1x'");
  expect_error("", "empty file");
  EXPECT_THROW(WriteTable(Sample(), dir / "t.txt"), Error);
  EXPECT_THROW(ReadTable(dir / "none.csv", requests), Error);
  test::WriteText(dir / "fake.parquet", "not parquet");
  EXPECT_THROW(ReadTable(dir / "fake.parquet", requests), Error);
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> Expand(const TableColumn& column) {
  std::vector<std::string> out;
  for (size_t row = 0; row < column.size(); ++row) out.emplace_back(column.String(row));
  return out;
}

TEST(TableIo, CodedStringsReadTheSameRowsWithEachNameOnce) {
  test::TempDir dir;
  Table table;
  const std::vector<std::string> names = {"B", "A,x", "B", "C", "A,x", "B"};
  table.columns.push_back(TableColumn::Strings("instrument", names));
  table.columns.push_back(TableColumn::Numbers("value", {1, 2, 3, 4, 5, 6}));
  const std::vector<ColumnRequest> coded = {{"instrument", ColumnType::kString, true, true}};
  for (const std::string name : {"t.csv", "t.parquet"}) {
    WriteTable(table, dir / name);
    const Table back = ReadTable(dir / name, coded);
    const TableColumn& column = back.columns.at(0);
    ASSERT_TRUE(column.coded) << name;
    EXPECT_EQ(column.size(), names.size());
    EXPECT_EQ(column.strings, (std::vector<std::string>{"B", "A,x", "C"})) << name;  // first appearance
    EXPECT_EQ(column.codes, (std::vector<uint32_t>{0, 1, 0, 2, 1, 0})) << name;
    EXPECT_EQ(Expand(column), names);
    // A coded column writes the same files as the plain one.
    Table rewritten;
    rewritten.columns = {column, table.columns[1]};
    WriteTable(rewritten, dir / ("re" + name));
    const std::vector<ColumnRequest> plain = {{"instrument", ColumnType::kString}, {"value", ColumnType::kNumber}};
    EXPECT_EQ(ReadTable(dir / ("re" + name), plain).columns[0].strings, names);
  }
  EXPECT_EQ(ReadText(dir / "t.csv"), ReadText(dir / "ret.csv"));
  EXPECT_THROW(TableColumn::StringCodes("x", {"a"}, {0, 1}), Error);
}

TEST(TableIo, StringCodesFollowFirstAppearanceAcrossPlainAndDictionaryChunks) {
  arrow::StringBuilder plain;
  ASSERT_TRUE(plain.Append("Q").ok());
  ASSERT_TRUE(plain.AppendNull().ok());
  ASSERT_TRUE(plain.Append("P").ok());
  std::shared_ptr<arrow::Array> plain_chunk;
  ASSERT_TRUE(plain.Finish(&plain_chunk).ok());
  // A dictionary chunk whose own order (R, P, Q) differs from the codes' order.
  arrow::StringBuilder values;
  ASSERT_TRUE(values.AppendValues(std::vector<std::string>{"R", "P", "Q"}).ok());
  std::shared_ptr<arrow::Array> dictionary;
  ASSERT_TRUE(values.Finish(&dictionary).ok());
  arrow::Int32Builder indices;
  ASSERT_TRUE(indices.AppendValues(std::vector<int32_t>{1, 0, 2, 0}).ok());
  ASSERT_TRUE(indices.AppendNull().ok());
  std::shared_ptr<arrow::Array> index_array;
  ASSERT_TRUE(indices.Finish(&index_array).ok());
  const auto encoded = arrow::DictionaryArray::FromArrays(arrow::dictionary(arrow::int32(), arrow::utf8()), index_array,
                                                          dictionary);
  ASSERT_TRUE(encoded.ok());
  const arrow::ChunkedArray column({plain_chunk, *encoded});
  std::vector<std::string> strings;
  std::vector<uint32_t> codes;
  ASSERT_TRUE(ToStringCodes(column, strings, codes));
  EXPECT_EQ(strings, (std::vector<std::string>{"Q", "", "P", "R"}));  // null reads as ""
  EXPECT_EQ(codes, (std::vector<uint32_t>{0, 1, 2, 2, 3, 0, 3, 1}));
  arrow::DoubleBuilder numbers;
  ASSERT_TRUE(numbers.Append(1.0).ok());
  std::shared_ptr<arrow::Array> number_chunk;
  ASSERT_TRUE(numbers.Finish(&number_chunk).ok());
  EXPECT_FALSE(ToStringCodes(arrow::ChunkedArray(number_chunk), strings, codes));
}

TEST(TableIo, TimestampsFloorToTheirUtcDayInAnyOrder) {
  arrow::TimestampBuilder builder(arrow::timestamp(arrow::TimeUnit::SECOND), arrow::default_memory_pool());
  for (const int64_t seconds : {-1L, 0L, 86'399L, 86'400L, 3'600L}) ASSERT_TRUE(builder.Append(seconds).ok());
  ASSERT_TRUE(builder.AppendNull().ok());
  ASSERT_TRUE(builder.Append(-86'401).ok());
  std::shared_ptr<arrow::Array> stamps;
  ASSERT_TRUE(builder.Finish(&stamps).ok());
  std::vector<std::optional<Date>> dates;
  ASSERT_TRUE(ToDates(arrow::ChunkedArray(stamps), dates));
  const std::vector<std::optional<Date>> expected = {Date(-1), Date(0),       Date(0), Date(1),
                                                     Date(0),  std::nullopt, Date(-2)};
  EXPECT_EQ(dates, expected);
}

TEST(TableIo, ColumnNamesAndProjectedReadsKeepTheWholeHeader) {
  test::TempDir dir;
  for (const std::string name : {"t.csv", "t.parquet"}) {
    WriteTable(Sample(), dir / name);
    EXPECT_EQ(ReadTableColumnNames(dir / name), (std::vector<std::string>{"datetime", "instrument", "value"})) << name;
    const std::vector<ColumnRequest> missing = {{"value", ColumnType::kNumber}, {"weight", ColumnType::kNumber}};
    try {
      ReadTable(dir / name, missing);
      FAIL() << name;
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find("missing column 'weight' (has: datetime, instrument, value)"),
                std::string::npos)
          << error.what();
    }
  }
  test::WriteText(dir / "empty.csv", "");
  EXPECT_THROW(ReadTableColumnNames(dir / "empty.csv"), Error);
  test::WriteText(dir / "fake.parquet", "not parquet");
  EXPECT_THROW(ReadTableColumnNames(dir / "fake.parquet"), Error);
  EXPECT_THROW(ReadTableColumnNames(dir / "none.csv"), Error);
}

TEST(TableIo, CsvNumbersAreTheShortestRoundTripText) {
  test::TempDir dir;
  std::vector<double> values = {0.1,  1e-05, 0.0001, 100000000, 1e16, 1e15 + 0.5, -0.0, 2.5, 123456789.125,
                                5e-324, std::numeric_limits<double>::max(), std::numeric_limits<double>::infinity()};
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<uint64_t> bits;
  while (values.size() < 2000) {
    const uint64_t pattern = bits(rng);
    double value = 0;
    std::memcpy(&value, &pattern, sizeof(value));
    if (std::isfinite(value)) values.push_back(value);
  }
  Table table;
  table.columns.push_back(TableColumn::Numbers("x", values));
  WriteTable(table, dir / "n.csv");
  const std::string text = ReadText(dir / "n.csv");
  std::string expected = "x\n";
  for (const double value : values) expected += fmt::format("{}\n", value);
  EXPECT_EQ(text, expected);
  const Table back = ReadTable(dir / "n.csv", std::vector<ColumnRequest>{{"x", ColumnType::kNumber}});
  for (size_t row = 0; row < values.size(); ++row) {
    if (std::isfinite(values[row])) {
      EXPECT_EQ(back.columns[0].numbers[row], values[row]) << row;
    }
  }
}

}  // namespace
}  // namespace alphaloom::data
