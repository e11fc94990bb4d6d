// The built-in `ta` factor set end to end through the compiler and executor (float32 output),
// the TA operators' parameter checks, and benchmark fields loaded from a store.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "alphaloom/common/error.h"
#include "alphaloom/data/qlib_store.h"
#include "alphaloom/expr/executor.h"
#include "alphaloom/factors/factor_set.h"
#include "test_support.h"

namespace alphaloom::expr {
namespace {

// reference/finml.md §10's 60-bar series; open_t = close_{t-1} clipped into [low_t, high_t],
// open_0 = close_0 - 0.5. The benchmark is the close scaled by 2 (so every beta is 1) and the
// volume a positive wave.
data::Panel FinmlPanel() {
  const Calendar calendar = Calendar::Weekdays(Date::FromYmd(2021, 1, 4), Date::FromYmd(2021, 3, 26));
  const std::vector<std::string> fields = {"open", "high", "low", "close", "volume", "bench_close"};
  data::Panel panel(calendar, {"T"}, fields);
  double previous_close = 0;
  for (size_t t = 0; t < 60; ++t) {
    const double close = 100.0 + ((37 * t) % 23) * 0.5 - 5.0 + 0.25 * t;
    const double high = close + 1.0 + (t % 3) * 0.5;
    const double low = close - 1.0 - (t % 4) * 0.25;
    const double open = t == 0 ? close - 0.5 : std::clamp(previous_close, low, high);
    const double values[] = {open, high, low, close, 1000.0 + 100.0 * std::sin(static_cast<double>(t)), 2 * close};
    for (size_t field = 0; field < fields.size(); ++field) panel.Series(field, 0)[t] = values[field];
    previous_close = close;
  }
  return panel;
}

struct TaFrame {
  FeatureFrame frame;
  float At(size_t row, const std::string& column) const {
    const auto& columns = frame.columns();
    const auto found = std::find(columns.begin(), columns.end(), column);
    EXPECT_NE(found, columns.end()) << column;
    return frame.At(row, static_cast<size_t>(found - columns.begin()));
  }
};

TaFrame ComputeTa(const data::Panel& panel) {
  const factors::FactorSet set = factors::BuiltinFactorSet("ta");
  const Program program = Program::Compile(set.names, set.expressions);
  ThreadPool pool(1);
  const auto spans = SpansFromPanel(panel);
  return {Evaluate(program, panel, spans, pool)};
}

void ExpectFloatNear(float actual, double expected, const std::string& label) {
  EXPECT_NEAR(actual, expected, 2e-7 * std::fabs(expected) + 1e-7) << label;
}

TEST(TaSet, ReproducesTheWorkedNumbers) {
  const data::Panel panel = FinmlPanel();
  const TaFrame ta = ComputeTa(panel);
  ASSERT_EQ(ta.frame.rows(), 60u);
  ExpectFloatNear(ta.At(14, "RSI14"), 56.1290322581, "RSI14 at 14");
  ExpectFloatNear(ta.At(59, "RSI14"), 55.7815030262, "RSI14 at 59");
  ExpectFloatNear(ta.At(9, "SMA10"), 101.175, "SMA10 at 9");
  ExpectFloatNear(ta.At(59, "ATR14"), 6.9706074248, "ATR14 at 59");
  ExpectFloatNear(ta.At(33, "MACD"), 1.5643099828, "MACD at 33");
  ExpectFloatNear(ta.At(59, "MACD_SIGNAL"), 1.7282526341, "MACD_SIGNAL at 59");
  ExpectFloatNear(ta.At(59, "MACD_HIST"), 0.3060603470, "MACD_HIST at 59");
  // finml §10 prints these to 6 decimals (Parkinson and Garman-Klass to 9 significant digits).
  EXPECT_NEAR(ta.At(59, "BB_PCTB20"), 0.994035, 1e-6);
  EXPECT_NEAR(ta.At(59, "BB_WIDTH20"), 0.131776, 1e-6);
  EXPECT_NEAR(ta.At(8, "KDJ_K"), 62.222222, 1e-5);
  EXPECT_NEAR(ta.At(8, "KDJ_D"), 54.074074, 1e-5);
  EXPECT_NEAR(ta.At(8, "KDJ_J"), 78.518519, 1e-5);
  EXPECT_NEAR(ta.At(59, "KDJ_J"), 79.937726, 1e-5);
  EXPECT_NEAR(ta.At(59, "PARKINSON20"), 0.015623138, 1e-8);
  EXPECT_NEAR(ta.At(59, "GARMAN_KLASS20"), 0.016563640, 1e-8);
  // The benchmark moves in proportion to the close: no excess return, beta 1.
  EXPECT_NEAR(ta.At(30, "EXCESS_RET20"), 0.0, 1e-7);
  EXPECT_TRUE(std::isnan(ta.At(59, "BENCH_BETA60")));  // 60 returns need 61 bars
}

TEST(TaSet, WarmupRowsAreNaNUpToTheTaLibLookback) {
  const TaFrame ta = ComputeTa(FinmlPanel());
  const std::vector<std::pair<std::string, size_t>> first_outputs = {
      {"SMA10", 9},  {"SMA50", 49}, {"EMA26", 25},       {"RET5", 5},        {"RVOL10", 10}, {"ATR14", 14},
      {"RSI14", 14}, {"MACD", 33},  {"MACD_SIGNAL", 33}, {"BB_PCTB20", 19},  {"KDJ_K", 8},   {"PARKINSON20", 19},
      {"VOLUME_Z20", 19}, {"EXCESS_RET20", 20}};
  for (const auto& [column, first] : first_outputs) {
    EXPECT_TRUE(std::isnan(ta.At(first - 1, column))) << column << " at " << first - 1;
    EXPECT_FALSE(std::isnan(ta.At(first, column))) << column << " at " << first;
  }
  for (size_t row = 0; row < 60; ++row) EXPECT_TRUE(std::isnan(ta.At(row, "SMA200"))) << row;
}

TEST(TaSet, ComposesWithAlpha158) {
  factors::FactorSet set = factors::BuiltinFactorSet("alpha158");
  set.Append(factors::BuiltinFactorSet("ta"));
  const Program program = Program::Compile(set.names, set.expressions);
  EXPECT_EQ(program.names().size(), 158u + factors::BuiltinFactorSet("ta").names.size());
}

TEST(TaOperators, PeriodsMustBeIntegersFromOne) {
  for (const std::string expression : {"TaSMA($close, 0)", "TaEMA($close, 2.5)", "TaRSI($close, -3)",
                                       "TaMACD($close, 12, 26, 100001)", "TaATR($high, $low, $close, $close)"}) {
    const std::vector<std::string> names = {"F"}, expressions = {expression};
    EXPECT_THROW(Program::Compile(names, expressions), Error) << expression;
  }
  try {
    const std::vector<std::string> names = {"F"}, expressions = {"TaSMA($close, 0)"};
    Program::Compile(names, expressions);
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("period must be an integer from 1 to 100000"), std::string::npos)
        << error.what();
  }
}

TEST(TaOperators, ListedWithTheirPolicies) {
  const std::string listing = DescribeOperators(DefaultRegistry(), "markdown");
  for (const char* name : {"TaSMA", "TaEMA", "TaStdDev", "TaRSI", "TaATR", "TaMACD", "TaMACDSignal", "TaMACDHist",
                           "TaStochFastK", "KdjSmooth", "TaBeta"}) {
    const OperatorSpec* spec = DefaultRegistry().Find(name);
    ASSERT_NE(spec, nullptr) << name;
    EXPECT_FALSE(spec->doc.empty() || spec->nan_policy.empty() || spec->warmup.empty()) << name;
    EXPECT_NE(listing.find(spec->signature), std::string::npos) << name;
  }
}

// ---------------------------------------------------------------------------------------------
// Benchmark fields from a store.

data::AdjustedBars Bars(const std::string& symbol, const Calendar& calendar, size_t first, size_t last,
                        double base) {
  data::AdjustedBars bars;
  bars.instrument = symbol;
  for (size_t day = first; day <= last; ++day) {
    const double price = base + static_cast<double>(day);
    bars.dates.push_back(calendar[day]);
    bars.open.push_back(price);
    bars.high.push_back(price + 1);
    bars.low.push_back(price - 1);
    bars.close.push_back(price);
    bars.volume.push_back(1000);
    bars.factor.push_back(1);
    bars.change.push_back(0);
  }
  return bars;
}

class BenchmarkFields : public ::testing::Test {
 protected:
  void Write(const std::string& benchmark) {
    const std::vector<data::AdjustedBars> bars = {Bars("AAA", calendar_, 2, 9, 10), Bars("BBB", calendar_, 0, 9, 50),
                                                  Bars("IDX", calendar_, 1, 8, 1000)};
    data::StoreMetadata metadata;
    metadata.benchmark = benchmark;
    data::WriteQlibStore(dir_ / "store", calendar_, bars, metadata, {});
  }

  test::TempDir dir_;
  Calendar calendar_ = Calendar::Weekdays(Date::FromYmd(2022, 3, 1), Date::FromYmd(2022, 3, 14));
};

TEST_F(BenchmarkFields, AreTheBenchmarksSeriesOnEveryInstrument) {
  Write("IDX");
  const data::QlibStore store = data::QlibStore::Open(dir_ / "store");
  const std::vector<std::string> fields = {"close", "bench_close", "bench_open"};
  const data::Panel panel = store.LoadPanel(fields);
  ASSERT_EQ(panel.instruments(), (std::vector<std::string>{"AAA", "BBB"}));  // the benchmark is not in the market
  for (size_t instrument = 0; instrument < 2; ++instrument) {
    for (size_t day = 0; day < calendar_.size(); ++day) {
      const bool listed = day >= 1 && day <= 8;
      EXPECT_EQ(std::isnan(panel.At(1, instrument, day)), !listed) << day;
      if (listed) EXPECT_EQ(panel.At(1, instrument, day), 1000.0 + static_cast<double>(day));
    }
  }
  // Dates are cut like every other field's.
  const data::Panel late = store.LoadPanel(fields, {}, calendar_[3], calendar_[5]);
  EXPECT_EQ(late.At(1, 0, 0), 1003.0);
  EXPECT_EQ(late.At(1, 1, 2), 1005.0);
  // Rows stay the instrument's own: AAA from its listing.
  EXPECT_EQ(SpansFromPanel(panel)[0].first, 2u);
}

TEST_F(BenchmarkFields, MissingBenchmarkIsOneClearError) {
  Write("");
  const data::QlibStore store = data::QlibStore::Open(dir_ / "store");
  const std::vector<std::string> fields = {"close", "bench_close"};
  try {
    store.LoadPanel(fields, {}, std::nullopt, std::nullopt, true);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("$bench_close"), std::string::npos) << message;
    EXPECT_NE(message.find((dir_ / "store").string()), std::string::npos) << message;
    EXPECT_NE(message.find("--benchmark"), std::string::npos) << message;
  }
}

TEST_F(BenchmarkFields, UnknownBenchmarkFieldNamesTheBenchmark) {
  Write("IDX");
  const data::QlibStore store = data::QlibStore::Open(dir_ / "store");
  const std::vector<std::string> fields = {"bench_amount"};
  try {
    store.LoadPanel(fields);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("benchmark 'IDX'"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace alphaloom::expr
