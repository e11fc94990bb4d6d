// Ingest of real third-party market data from ../shared/data/real (skipped when absent).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "alphaloom/data/ingest.h"
#include "alphaloom/data/qlib_store.h"
#include "test_support.h"

namespace alphaloom::data {
namespace {

constexpr const char* kCoreTickers[] = {
    "AAPL", "MSFT", "BAC", "INTC", "XOM", "CSCO", "JPM",  "C",    "GE",    "AMZN", "PFE", "WFC",  "T",   "QCOM",
    "IBM",  "JNJ",  "CVX", "ORCL", "PG",  "WMT",  "GS",   "VZ",   "MRK",   "AMGN", "HD",  "SLB",  "KO",  "ABT",
    "MCD",  "CMCSA", "COP", "EBAY", "CAT", "AMAT", "DIS", "BA",   "MS",    "PEP",  "TXN", "AIG",  "GILD", "MO",
    "HAL",  "F",    "UNH", "AXP",  "HPQ", "CVS",  "OXY",  "BMY",  "BKNG",  "RTX",  "FCX", "MMM",  "LOW", "MU",
    "TGT",  "JCI",  "VLO", "BRK.B", "MDT", "UNP", "LLY",  "SBUX", "USB",   "NEM",  "NVDA", "COST", "HON", "BIIB",
    "DD",   "WBA",  "DE",  "EOG",  "NKE", "MSI",  "FDX",  "ADBE", "MRO",   "COF",  "LMT", "APA",  "DVN", "DUK",
    "SPG",  "BBY",  "GLW", "CSX",  "EXC", "EA",   "CL",   "XLNX", "SCHW",  "PNC",  "HES", "BK",   "KLAC", "AMD",
    "EMR",  "HWM"};

// The Pooksoft folder as one ingest: 110 files, BF.B among them is an API error body.
class PooksoftIngest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto real = test::RealDataDir();
    if (real.empty()) return;
    dir_ = new test::TempDir();
    IngestOptions options;
    options.input = real / "PooksoftSP500EquityPriceDataSet" / "daily_adjusted";
    options.out = dir_->path() / "store";
    options.skip_bad_files = true;
    options.threads = 2;
    report_ = new IngestReport(Ingest(options));
  }
  static void TearDownTestSuite() {
    delete report_;
    delete dir_;
    report_ = nullptr;
    dir_ = nullptr;
  }

  static test::TempDir* dir_;
  static IngestReport* report_;
};
test::TempDir* PooksoftIngest::dir_ = nullptr;
IngestReport* PooksoftIngest::report_ = nullptr;

TEST_F(PooksoftIngest, AllHundredCoreTickersHave5402Dates) {
  ALPHALOOM_REQUIRE_REAL_DATA(real);
  static_assert(std::size(kCoreTickers) == 100);
  const QlibStore store = QlibStore::Open(dir_->path() / "store");
  EXPECT_EQ(store.calendar().size(), 5402u);
  EXPECT_EQ(store.calendar().front(), Date::FromYmd(1999, 11, 1));
  EXPECT_EQ(store.calendar().back(), Date::FromYmd(2021, 4, 21));
  for (const char* ticker : kCoreTickers) {
    const FieldSeries close = store.ReadField(ticker, "close");
    ASSERT_EQ(close.start, 0u) << ticker;
    ASSERT_EQ(close.values.size(), 5402u) << ticker;
    EXPECT_TRUE(std::none_of(close.values.begin(), close.values.end(), [](float v) { return std::isnan(v); })) << ticker;
  }
  EXPECT_EQ(store.instruments().size(), 109u);  // 110 files minus BF.B
}

TEST_F(PooksoftIngest, BfbIsReportedAsNotDataNamingItsFile) {
  ALPHALOOM_REQUIRE_REAL_DATA(real);
  ASSERT_EQ(report_->skipped.size(), 1u);
  EXPECT_NE(report_->skipped[0].find("DA-BF.B-T-2021-04-21.csv"), std::string::npos) << report_->skipped[0];
  EXPECT_NE(report_->skipped[0].find("not_data"), std::string::npos);
  EXPECT_FALSE(QlibStore::Open(dir_->path() / "store").HasInstrument("BF.B"));
}

TEST_F(PooksoftIngest, SpinOffDaysHaveNearZeroAdjustedReturns) {
  ALPHALOOM_REQUIRE_REAL_DATA(real);
  const QlibStore store = QlibStore::Open(dir_->path() / "store");
  const std::pair<const char*, Date> spin_offs[] = {
      {"ABT", Date::FromYmd(2013, 1, 2)},  {"EBAY", Date::FromYmd(2015, 7, 20)}, {"HPQ", Date::FromYmd(2015, 11, 2)},
      {"MO", Date::FromYmd(2008, 3, 31)},  {"MRO", Date::FromYmd(2011, 7, 1)},   {"DUK", Date::FromYmd(2007, 1, 3)},
      {"JCI", Date::FromYmd(2012, 10, 1)}};
  for (const auto& [ticker, date] : spin_offs) {
    const size_t day = *store.calendar().IndexOf(date);
    const FieldSeries change = store.ReadField(ticker, "change");
    const FieldSeries close = store.ReadField(ticker, "close");
    const FieldSeries factor = store.ReadField(ticker, "factor");
    // The raw price falls by 37-70% on these days; adjusted, the move is a normal day's.
    const double raw_return = (close.values[day] / factor.values[day]) / (close.values[day - 1] / factor.values[day - 1]) - 1;
    EXPECT_LT(raw_return, -0.3) << ticker;
    EXPECT_LT(std::fabs(change.values[day]), 0.07) << ticker << " " << date.ToString();
  }
}

TEST(RealDataIngest, BacktraderAndPandasTaFilesIngest) {
  ALPHALOOM_REQUIRE_REAL_DATA(real);
  test::TempDir dir;
  for (const char* file : {"backtrader/datas/nvda-1999-2014.txt", "backtrader/datas/orcl-1995-2014.txt",
                           "backtrader/datas/yhoo-1996-2015.txt", "backtrader/datas/2006-day-001.txt",
                           "pandas-ta/data/SPY_D.csv"}) {
    std::filesystem::create_symlink(real / file, dir / std::filesystem::path(file).filename().string());
  }
  IngestOptions options;
  options.input = dir.path();
  options.out = dir / "store";
  options.benchmark = "SPY";
  const IngestReport report = Ingest(options);
  EXPECT_TRUE(report.skipped.empty());
  EXPECT_EQ(report.instruments, 5u);
  const QlibStore store = QlibStore::Open(options.out);
  EXPECT_EQ(store.metadata().benchmark, "SPY");
  auto bars = [](const FieldSeries& series) {
    return std::count_if(series.values.begin(), series.values.end(), [](float v) { return !std::isnan(v); });
  };
  // On the union calendar a file's missing days inside its span are NaN; its bars are all there.
  const FieldSeries spy = store.ReadField("SPY", "close");
  EXPECT_EQ(bars(spy), 5241);
  EXPECT_FLOAT_EQ(spy.values.front(), 135.5625f);
  // Yahoo layout: factor = Adj Close / Close (1.518424 / 1.640625 on NVDA's first day).
  const FieldSeries nvda_factor = store.ReadField("NVDA", "factor");
  EXPECT_NEAR(nvda_factor.values.front(), 1.518424 / 1.640625, 1e-6);
  EXPECT_EQ(bars(store.ReadField("2006-DAY-001", "close")), 255);
  size_t zero_volume = 0;
  for (const auto& finding : report.findings) zero_volume += finding.rule == Rule::kZeroVolume;
  EXPECT_EQ(zero_volume, 255u);  // the index file's volume column is all zeros
}

}  // namespace
}  // namespace alphaloom::data
