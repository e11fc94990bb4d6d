#include "alphaloom/metrics/return_series_csv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "alphaloom/common/error.h"

namespace alphaloom::metrics {
namespace {

std::string ErrorOf(std::string_view text, bool require_return = true) {
  try {
    ParseReturnSeriesCsv(text, "r.csv", require_return);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kData);
    return error.what();
  }
  return "";
}

TEST(ReturnSeriesCsv, ReadsQlibReportColumns) {
  const ReturnSeries series = ParseReturnSeriesCsv(
      "datetime,account,return,total_turnover,turnover,total_cost,cost,value,cash,bench\r\n"
      "2020-01-02,1e8,0.01,0,0.5,0,0.0002,0,0,0.003\r\n"
      "2020-01-03,1e8,NaN,0,0.1,0,0,0,0,\r\n",
      "report.csv");
  ASSERT_EQ(series.dates.size(), 2u);
  EXPECT_EQ(series.dates[1], Date::FromYmd(2020, 1, 3));
  EXPECT_DOUBLE_EQ(series.returns[0], 0.01);
  EXPECT_TRUE(std::isnan(series.returns[1]));
  EXPECT_DOUBLE_EQ(series.costs[0], 0.0002);
  EXPECT_DOUBLE_EQ(series.turnover[0], 0.5);
  EXPECT_DOUBLE_EQ(series.benchmark[0], 0.003);
  EXPECT_TRUE(std::isnan(series.benchmark[1]));
}

TEST(ReturnSeriesCsv, OptionalColumnsStayEmpty) {
  const ReturnSeries series = ParseReturnSeriesCsv("Date,Return\n2020-01-02,0.01\n", "r.csv");
  EXPECT_EQ(series.returns.size(), 1u);
  EXPECT_TRUE(series.benchmark.empty());
  EXPECT_TRUE(series.costs.empty());
}

TEST(ReturnSeriesCsv, ErrorsNameFileLineAndColumn) {
  EXPECT_NE(ErrorOf("datetime,return\n2020-01-02,x\n").find("r.csv:2: column 'return': 'x' is not a number"),
            std::string::npos);
  EXPECT_NE(ErrorOf("datetime,return\n2020-01-03,0\n2020-01-02,0\n").find("r.csv:3: date 2020-01-02 is not after"),
            std::string::npos);
  EXPECT_NE(ErrorOf("datetime,return\n2020-01-02,0\n2020-01-02,0\n").find("not after"), std::string::npos);
  EXPECT_NE(ErrorOf("datetime,return\nyesterday,0\n").find("'yesterday' is not a date"), std::string::npos);
  EXPECT_NE(ErrorOf("datetime,return\n2020-01-02,0,1\n").find("3 cells, the header has 2"), std::string::npos);
  EXPECT_NE(ErrorOf("datetime,value\n2020-01-02,0\n").find("no 'return' column"), std::string::npos);
  EXPECT_NE(ErrorOf("when,return\n").find("no 'datetime' or 'date' column"), std::string::npos);
  EXPECT_NE(ErrorOf("").find("empty file"), std::string::npos);
  EXPECT_EQ(ErrorOf("datetime,bench\n2020-01-02,0\n", false), "");
}

TEST(ReturnSeriesCsv, AlignByDate) {
  const std::vector<Date> dates = {Date::FromYmd(2020, 1, 2), Date::FromYmd(2020, 1, 6)};
  const std::vector<Date> benchmark_dates = {Date::FromYmd(2020, 1, 2), Date::FromYmd(2020, 1, 3),
                                             Date::FromYmd(2020, 1, 6)};
  const std::vector<double> values = {0.1, 0.2, 0.3};
  EXPECT_EQ(AlignByDate(dates, benchmark_dates, values, "b.csv"), (std::vector<double>{0.1, 0.3}));
  const std::vector<Date> missing = {Date::FromYmd(2020, 1, 7)};
  EXPECT_THROW(AlignByDate(missing, benchmark_dates, values, "b.csv"), Error);
}

}  // namespace
}  // namespace alphaloom::metrics
