#include "alphaloom/data/csv_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>

#include "alphaloom/common/error.h"
#include "test_support.h"

namespace alphaloom::data {
namespace {

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

ParsedFile Parse(const std::string& text, const ReadOptions& options = {}) {
  return ParseBarsCsv(text, "t.csv", "TEST", options);
}

TEST(CsvReader, PlainLayoutWithVwap) {
  const ParsedFile parsed = Parse("date,open,high,low,close,volume,vwap\n2020-01-02,10,11,9,10.5,1000,10.2\n"
                                  "2020-01-03,10.5,12,10,11,2000,11.1\n");
  ASSERT_TRUE(parsed.findings.empty());
  EXPECT_EQ(parsed.layout, "ohlcv");
  ASSERT_EQ(parsed.instruments.size(), 1u);
  const RawBars& bars = parsed.instruments[0];
  EXPECT_EQ(bars.instrument, "TEST");
  EXPECT_EQ(bars.dates, (std::vector<Date>{D(2020, 1, 2), D(2020, 1, 3)}));
  EXPECT_EQ(bars.lines, (std::vector<size_t>{2, 3}));
  EXPECT_EQ(bars.close, (std::vector<double>{10.5, 11}));
  EXPECT_EQ(bars.vwap, (std::vector<double>{10.2, 11.1}));
  EXPECT_FALSE(bars.has_adj_close());
  EXPECT_FALSE(bars.has_split_dividend());
}

TEST(CsvReader, YahooLayoutWithUsDatesAndAdjClose) {
  const ParsedFile parsed = Parse("Date,Open,High,Low,Close,Adj Close,Volume\r\n1/2/2020,10,11,9,10.5,10.1,1000\r\n");
  ASSERT_TRUE(parsed.findings.empty());
  EXPECT_EQ(parsed.layout, "yahoo");
  const RawBars& bars = parsed.instruments.at(0);
  EXPECT_EQ(bars.dates.at(0), D(2020, 1, 2));
  EXPECT_EQ(bars.adj_close, (std::vector<double>{10.1}));
  EXPECT_EQ(bars.volume, (std::vector<double>{1000}));
}

TEST(CsvReader, AlphaVantageLayoutKeepsSplitsAndDividends) {
  const ParsedFile parsed = Parse(
      "timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient\n"
      "2020-08-28,504.05,505.77,498.31,499.23,123.8,46907479,0.0000,1.0\n"
      "2020-08-31,127.58,131,126,129.04,129.04,225702700,0.0000,4.0\n");
  ASSERT_TRUE(parsed.findings.empty());
  EXPECT_EQ(parsed.layout, "alphavantage");
  const RawBars& bars = parsed.instruments.at(0);
  EXPECT_EQ(bars.split, (std::vector<double>{1.0, 4.0}));
  EXPECT_EQ(bars.dividend, (std::vector<double>{0.0, 0.0}));
  EXPECT_EQ(bars.adj_close.at(1), 129.04);
}

TEST(CsvReader, OpenIntLayoutAndLeadingIndexColumn) {
  ParsedFile parsed = Parse("Date,Open,High,Low,Close,Volume,OpenInt\n2006-01-02,3578.73,3605.95,3578.73,3604.33,0,0\n");
  ASSERT_TRUE(parsed.findings.empty());
  EXPECT_EQ(parsed.layout, "ohlcv_openint");
  EXPECT_EQ(parsed.instruments.at(0).close.at(0), 3604.33);

  parsed = Parse(",date,open,high,low,close,volume\n0,1999-11-01,136.5,137,135.56,135.56,4006500\n");
  ASSERT_TRUE(parsed.findings.empty());
  EXPECT_EQ(parsed.instruments.at(0).open.at(0), 136.5);
  EXPECT_EQ(parsed.instruments.at(0).volume.at(0), 4006500);
}

TEST(CsvReader, LongFileWithSymbolColumnAndSemicolons) {
  const ParsedFile parsed = Parse("ticker;date;open;high;low;close;volume\nAAA;20200102;1;2;0.5;1.5;10\n"
                                  "BBB;20200102;3;4;2;3.5;20\nAAA;20200103;1.5;2;1;1.8;11\n");
  ASSERT_TRUE(parsed.findings.empty());
  ASSERT_EQ(parsed.instruments.size(), 2u);
  EXPECT_EQ(parsed.instruments[0].instrument, "AAA");
  EXPECT_EQ(parsed.instruments[0].size(), 2u);
  EXPECT_EQ(parsed.instruments[1].instrument, "BBB");
  EXPECT_EQ(parsed.instruments[1].lines, (std::vector<size_t>{3}));
}

TEST(CsvReader, ExplicitMappingForUnknownHeaders) {
  ReadOptions options;
  options.mapping = ColumnMapping::Parse("date=Day,open=O,high=H,low=L,close=Last,volume=Shares");
  const ParsedFile parsed = Parse("Day,O,H,L,Last,Shares\n2020-01-02,1,2,0.5,1.5,7\n", options);
  ASSERT_TRUE(parsed.findings.empty());
  EXPECT_EQ(parsed.layout, "mapped");
  EXPECT_EQ(parsed.instruments.at(0).close.at(0), 1.5);
  EXPECT_THROW(ColumnMapping::Parse("price=Last"), Error);
  EXPECT_THROW(ColumnMapping::Parse("close"), Error);
}

TEST(CsvReader, MissingCellsReadAsNaNQuotedNumbersParse) {
  const ParsedFile parsed = Parse("date,open,high,low,close,volume\n2020-01-02,\"10\",11,9,,NaN\n");
  ASSERT_TRUE(parsed.findings.empty());
  const RawBars& bars = parsed.instruments.at(0);
  EXPECT_EQ(bars.open.at(0), 10.0);
  EXPECT_TRUE(std::isnan(bars.close.at(0)));
  EXPECT_TRUE(std::isnan(bars.volume.at(0)));
}

TEST(CsvReader, MalformedRowsAreFindingsWithLineNumbers) {
  const ParsedFile parsed = Parse("date,open,high,low,close,volume\n2020-01-02,1,2,0.5,1.5,7\n"
                                  "2020-01-03,1,2,0.5,abc,7\n2020-02-30,1,2,0.5,1.5,7\n2020-01-06,1,2\n");
  ASSERT_EQ(parsed.findings.size(), 3u);
  EXPECT_EQ(parsed.findings[0].rule, Rule::kMalformedRow);
  EXPECT_EQ(parsed.findings[0].line, 3u);
  EXPECT_EQ(parsed.findings[0].date, D(2020, 1, 3));
  EXPECT_NE(parsed.findings[0].detail.find("close 'abc'"), std::string::npos);
  EXPECT_EQ(parsed.findings[1].line, 4u);
  EXPECT_NE(parsed.findings[1].detail.find("not a date"), std::string::npos);
  EXPECT_EQ(parsed.findings[2].line, 5u);
  EXPECT_TRUE(parsed.rejected());  // malformed_row defaults to error
  EXPECT_EQ(parsed.instruments.at(0).size(), 1u);
  EXPECT_NE(parsed.findings[0].ToString().find("t.csv:3: TEST 2020-01-03: malformed_row (error)"), std::string::npos)
      << parsed.findings[0].ToString();
}

TEST(CsvReader, NotDataBodiesAreOneFinding) {
  for (const std::string& body : {std::string("{ \"Error Message\" }"), std::string(""), std::string("  \n\n"),
                                  std::string("<html><body>rate limited</body></html>"), std::string("ab\0cd", 5),
                                  std::string("name,price\nfoo,1\n")}) {
    const ParsedFile parsed = Parse(body);
    ASSERT_EQ(parsed.findings.size(), 1u) << body;
    EXPECT_EQ(parsed.findings[0].rule, Rule::kNotData);
    EXPECT_TRUE(parsed.rejected());
    EXPECT_TRUE(parsed.instruments.empty());
  }
  EXPECT_NE(Parse("{ \"Error Message\" }").findings[0].detail.find("JSON"), std::string::npos);
}

TEST(CsvReader, HeaderOnlyIsEmpty) {
  const ParsedFile parsed = Parse("date,open,high,low,close,volume\n");
  ASSERT_EQ(parsed.findings.size(), 1u);
  EXPECT_EQ(parsed.findings[0].rule, Rule::kEmpty);
}

TEST(CsvReader, ReadsGzipAndTakesTheSymbolFromTheFileName) {
  test::TempDir dir;
  const std::string text = "date,open,high,low,close,volume\n2020-01-02,1,2,0.5,1.5,7\n";
  const auto path = dir / "DA-BRK.B-T-2021-04-21.csv.gz";
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
  const ParsedFile parsed = ReadBarsCsv(path, ReadOptions());
  ASSERT_TRUE(parsed.findings.empty());
  EXPECT_EQ(parsed.instruments.at(0).instrument, "BRK.B");
  EXPECT_EQ(parsed.instruments.at(0).close.at(0), 1.5);
  EXPECT_THROW(ReadBarsCsv(dir / "missing.csv", ReadOptions()), Error);
}

}  // namespace
}  // namespace alphaloom::data
