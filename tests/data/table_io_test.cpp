#include "alphaloom/data/table_io.h"

#include <gtest/gtest.h>

#include <cmath>

#include "alphaloom/common/error.h"
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

}  // namespace
}  // namespace alphaloom::data
