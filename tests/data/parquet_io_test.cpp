#include "alphaloom/data/parquet_io.h"

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <gtest/gtest.h>
#include <parquet/arrow/writer.h>

#include <cmath>

#include "test_support.h"

namespace alphaloom::data {
namespace {

template <typename Builder, typename Value>
std::shared_ptr<arrow::Array> Build(Builder builder, const std::vector<Value>& values, std::vector<bool> valid = {}) {
  if (valid.empty()) valid.assign(values.size(), true);
  for (size_t index = 0; index < values.size(); ++index) {
    EXPECT_TRUE((valid[index] ? builder.Append(values[index]) : builder.AppendNull()).ok());
  }
  std::shared_ptr<arrow::Array> array;
  EXPECT_TRUE(builder.Finish(&array).ok());
  return array;
}

void WriteTable(const std::shared_ptr<arrow::Table>& table, const std::filesystem::path& path) {
  auto out = arrow::io::FileOutputStream::Open(path.string());
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), *out, 1024).ok());
  ASSERT_TRUE((*out)->Close().ok());
}

TEST(ParquetReader, TimestampDatesIntegerVolumeAndNulls) {
  test::TempDir dir;
  const int64_t day_ns = 86'400'000'000'000;
  const int64_t first = Date::FromYmd(2020, 1, 2).days() * day_ns;
  auto table = arrow::Table::Make(
      arrow::schema({arrow::field("Date", arrow::timestamp(arrow::TimeUnit::NANO)), arrow::field("Open", arrow::float32()),
                     arrow::field("High", arrow::float64()), arrow::field("Low", arrow::float64()),
                     arrow::field("Close", arrow::float64()), arrow::field("Volume", arrow::int64())}),
      {Build(arrow::TimestampBuilder(arrow::timestamp(arrow::TimeUnit::NANO), arrow::default_memory_pool()),
             std::vector<int64_t>{first, first + day_ns}),
       Build(arrow::FloatBuilder(), std::vector<float>{1.5f, 2.5f}), Build(arrow::DoubleBuilder(), std::vector<double>{2, 3}),
       Build(arrow::DoubleBuilder(), std::vector<double>{1, 2}),
       Build(arrow::DoubleBuilder(), std::vector<double>{1.75, 0}, {true, false}),
       Build(arrow::Int64Builder(), std::vector<int64_t>{100, 200})});
  WriteTable(table, dir / "msft.parquet");
  const ParsedFile parsed = ReadBarsParquet(dir / "msft.parquet", ReadOptions());
  ASSERT_TRUE(parsed.findings.empty());
  const RawBars& bars = parsed.instruments.at(0);
  EXPECT_EQ(bars.instrument, "MSFT");
  EXPECT_EQ(bars.dates, (std::vector<Date>{Date::FromYmd(2020, 1, 2), Date::FromYmd(2020, 1, 3)}));
  EXPECT_EQ(bars.open.at(0), 1.5);
  EXPECT_EQ(bars.volume.at(1), 200.0);
  EXPECT_TRUE(std::isnan(bars.close.at(1)));  // null reads as missing
  EXPECT_EQ(bars.lines, (std::vector<size_t>{1, 2}));
}

TEST(ParquetReader, LongTableWithStringDatesAndSymbols) {
  test::TempDir dir;
  auto table = arrow::Table::Make(
      arrow::schema({arrow::field("symbol", arrow::utf8()), arrow::field("date", arrow::utf8()),
                     arrow::field("open", arrow::float64()), arrow::field("high", arrow::float64()),
                     arrow::field("low", arrow::float64()), arrow::field("close", arrow::float64()),
                     arrow::field("volume", arrow::float64())}),
      {Build(arrow::StringBuilder(), std::vector<std::string>{"AAA", "BBB", "AAA"}),
       Build(arrow::StringBuilder(), std::vector<std::string>{"2020-01-02", "2020-01-02", "garbage"}),
       Build(arrow::DoubleBuilder(), std::vector<double>{1, 2, 3}), Build(arrow::DoubleBuilder(), std::vector<double>{1, 2, 3}),
       Build(arrow::DoubleBuilder(), std::vector<double>{1, 2, 3}), Build(arrow::DoubleBuilder(), std::vector<double>{1, 2, 3}),
       Build(arrow::DoubleBuilder(), std::vector<double>{1, 2, 3})});
  WriteTable(table, dir / "long.parquet");
  const ParsedFile parsed = ReadBarsParquet(dir / "long.parquet", ReadOptions());
  ASSERT_EQ(parsed.instruments.size(), 2u);
  EXPECT_EQ(parsed.instruments[1].instrument, "BBB");
  ASSERT_EQ(parsed.findings.size(), 1u);
  EXPECT_EQ(parsed.findings[0].rule, Rule::kMalformedRow);
  EXPECT_EQ(parsed.findings[0].line, 3u);
  EXPECT_EQ(parsed.findings[0].instrument, "AAA");
}

TEST(ParquetReader, NotParquetOrWrongTypesAreNotData) {
  test::TempDir dir;
  test::WriteText(dir / "fake.parquet", "date,open\n2020-01-02,1\n");
  ParsedFile parsed = ReadBarsParquet(dir / "fake.parquet", ReadOptions());
  ASSERT_EQ(parsed.findings.size(), 1u);
  EXPECT_EQ(parsed.findings[0].rule, Rule::kNotData);
  EXPECT_NE(parsed.findings[0].file.find("fake.parquet"), std::string::npos);

  auto table = arrow::Table::Make(
      arrow::schema({arrow::field("date", arrow::utf8()), arrow::field("open", arrow::utf8()),
                     arrow::field("high", arrow::float64()), arrow::field("low", arrow::float64()),
                     arrow::field("close", arrow::float64()), arrow::field("volume", arrow::float64())}),
      {Build(arrow::StringBuilder(), std::vector<std::string>{"2020-01-02"}),
       Build(arrow::StringBuilder(), std::vector<std::string>{"1.0"}), Build(arrow::DoubleBuilder(), std::vector<double>{1}),
       Build(arrow::DoubleBuilder(), std::vector<double>{1}), Build(arrow::DoubleBuilder(), std::vector<double>{1}),
       Build(arrow::DoubleBuilder(), std::vector<double>{1})});
  WriteTable(table, dir / "typed.parquet");
  parsed = ReadBarsParquet(dir / "typed.parquet", ReadOptions());
  ASSERT_EQ(parsed.findings.size(), 1u);
  EXPECT_NE(parsed.findings[0].detail.find("non-numeric"), std::string::npos);
}

}  // namespace
}  // namespace alphaloom::data
