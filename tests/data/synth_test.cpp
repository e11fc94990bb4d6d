#include "alphaloom/data/synth.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

#include "alphaloom/common/error.h"
#include "alphaloom/data/adjust.h"
#include "alphaloom/data/bar_reader.h"
#include "alphaloom/data/qlib_store.h"
#include "test_support.h"

namespace alphaloom::data {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

SynthOptions SmallOptions() {
  SynthOptions options;
  options.instruments = 40;
  options.start = Date::FromYmd(2019, 1, 1);
  options.end = Date::FromYmd(2021, 12, 31);
  options.seed = 11;
  options.sectors = 5;
  return options;
}

// Large enough that the planted IC stands far out of the noise, small enough to run in a blink.
SynthOptions IcOptions(double ic) {
  SynthOptions options;
  options.instruments = 100;
  options.start = Date::FromYmd(2015, 1, 1);
  options.end = Date::FromYmd(2020, 12, 31);
  options.seed = 3;
  options.ic = ic;
  return options;
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool SameBars(const RawBars& a, const RawBars& b) {
  return a.instrument == b.instrument && a.dates == b.dates && a.open == b.open && a.high == b.high &&
         a.low == b.low && a.close == b.close && a.volume == b.volume && a.vwap == b.vwap &&
         a.adj_close == b.adj_close && a.dividend == b.dividend && a.split == b.split;
}

ErrorKind KindOf(const SynthOptions& options) {
  try {
    GenerateMarket(options);
  } catch (const Error& error) {
    return error.kind();
  }
  return ErrorKind::kInternal;
}

// --- An IC computed here from files on disk, sharing no code with the generator. ------------

double Correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t k = 0; k < x.size(); ++k) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) * (x[k] - mx);
    syy += (y[k] - my) * (y[k] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

std::vector<double> Ranks(const std::vector<double>& values) {
  std::vector<double> ranks(values.size());
  for (size_t k = 0; k < values.size(); ++k) {
    double below = 0, equal = 0;
    for (double other : values) {
      below += other < values[k] ? 1 : 0;
      equal += other == values[k] ? 1 : 0;
    }
    ranks[k] = below + (equal + 1) / 2;
  }
  return ranks;
}

struct DailyIc {
  double mean_ic = 0;
  double mean_rank_ic = 0;
  double ic_tstat = 0;
  size_t days = 0;
};

DailyIc IcFromFiles(const std::filesystem::path& dir, const std::vector<std::string>& symbols,
                    const std::vector<Date>& calendar) {
  std::vector<std::vector<double>> closes;
  for (const std::string& symbol : symbols) {
    const ParsedFile parsed = ReadBarsFile(dir / (symbol + ".csv"), FileFormat::kCsv, ReadOptions{});
    EXPECT_EQ(parsed.instruments.size(), 1u);
    const RawBars& bars = parsed.instruments.front();
    std::vector<double> aligned(calendar.size(), kNaN);
    for (size_t row = 0; row < bars.size(); ++row) {
      const auto position = std::lower_bound(calendar.begin(), calendar.end(), bars.dates[row]) - calendar.begin();
      aligned[static_cast<size_t>(position)] = bars.adj_close[row];
    }
    closes.push_back(std::move(aligned));
  }
  std::vector<double> ics, rank_ics;
  for (size_t day = 5; day + 1 < calendar.size(); ++day) {
    std::vector<double> signal, label;
    for (const auto& close : closes) {
      const double s = close[day - 5] / close[day] - 1;  // Ref($close,5)/$close-1
      const double l = close[day + 1] / close[day] - 1;  // Ref($close,-1)/$close-1
      if (std::isnan(s) || std::isnan(l)) continue;
      signal.push_back(s);
      label.push_back(l);
    }
    if (signal.size() < 3) continue;
    ics.push_back(Correlation(signal, label));
    rank_ics.push_back(Correlation(Ranks(signal), Ranks(label)));
  }
  DailyIc result;
  result.days = ics.size();
  const double n = static_cast<double>(ics.size());
  result.mean_ic = std::accumulate(ics.begin(), ics.end(), 0.0) / n;
  result.mean_rank_ic = std::accumulate(rank_ics.begin(), rank_ics.end(), 0.0) / n;
  double squares = 0;
  for (double ic : ics) squares += (ic - result.mean_ic) * (ic - result.mean_ic);
  result.ic_tstat = result.mean_ic / std::sqrt(squares / (n - 1) / n);
  return result;
}

DailyIc WriteAndMeasure(const SynthMarket& market, const test::TempDir& dir) {
  WriteSynthMarket(market, dir / "market", SynthFormat::kCsv);
  std::vector<std::string> symbols;
  for (const RawBars& bars : market.instruments) symbols.push_back(bars.instrument);
  const Calendar weekdays = Calendar::Weekdays(market.calendar.front(), market.calendar.back());
  return IcFromFiles(dir / "market", symbols, weekdays.dates());
}

// --- Tests ----------------------------------------------------------------------------------

TEST(Synth, SameSeedSameBytesOtherSeedOtherMarket) {
  const SynthMarket first = GenerateMarket(SmallOptions());
  const SynthMarket second = GenerateMarket(SmallOptions());
  ASSERT_EQ(first.instruments.size(), second.instruments.size());
  for (size_t stock = 0; stock < first.instruments.size(); ++stock) {
    EXPECT_TRUE(SameBars(first.instruments[stock], second.instruments[stock])) << first.instruments[stock].instrument;
  }
  EXPECT_TRUE(SameBars(first.benchmark, second.benchmark));
  EXPECT_EQ(first.truth.dump(), second.truth.dump());

  test::TempDir dir;
  WriteSynthMarket(first, dir / "a", SynthFormat::kCsv);
  WriteSynthMarket(second, dir / "b", SynthFormat::kCsv);
  for (const char* file : {"S0001.csv", "S0040.csv", "BENCH.csv", "truth.json"}) {
    EXPECT_EQ(ReadText(dir / "a" / file), ReadText(dir / "b" / file)) << file;
  }

  SynthOptions other = SmallOptions();
  other.seed = 12;
  const SynthMarket different = GenerateMarket(other);
  EXPECT_NE(different.instruments.front().close, first.instruments.front().close);
  EXPECT_NE(different.benchmark.close, first.benchmark.close);
}

TEST(Synth, CalendarListingsAndSuspensionsMatchTheTruth) {
  const SynthOptions options = SmallOptions();
  const SynthMarket market = GenerateMarket(options);
  EXPECT_EQ(market.calendar.dates(), Calendar::Weekdays(options.start, options.end).dates());
  ASSERT_EQ(market.instruments.size(), options.instruments);
  EXPECT_EQ(market.benchmark.instrument, "BENCH");
  EXPECT_EQ(market.benchmark.dates, market.calendar.dates());

  const nlohmann::json& truth = market.truth;
  EXPECT_EQ(truth["seed"], options.seed);
  EXPECT_EQ(truth["options"]["instruments"], options.instruments);
  EXPECT_EQ(truth["benchmark"]["symbol"], "BENCH");
  EXPECT_EQ(truth["listings"].size(), 6u);    // round(15% of 40)
  EXPECT_EQ(truth["delistings"].size(), 4u);  // round(10% of 40)
  std::map<std::string, std::string> listed, delisted;
  for (const auto& entry : truth["listings"]) listed[entry["instrument"]] = entry["date"];
  for (const auto& entry : truth["delistings"]) delisted[entry["instrument"]] = entry["date"];

  std::set<size_t> sectors;
  size_t suspended_days = 0;
  for (size_t stock = 0; stock < market.instruments.size(); ++stock) {
    const RawBars& bars = market.instruments[stock];
    const nlohmann::json& detail = truth["instruments"][stock];
    EXPECT_EQ(bars.instrument, fmt::format("S{:04}", stock + 1));
    EXPECT_EQ(detail["symbol"], bars.instrument);
    EXPECT_EQ(truth["sectors"][bars.instrument], detail["sector"]);
    sectors.insert(detail["sector"].get<size_t>());
    ASSERT_GT(bars.size(), 10u);
    EXPECT_TRUE(std::is_sorted(bars.dates.begin(), bars.dates.end(), std::less_equal<>()) &&
                std::adjacent_find(bars.dates.begin(), bars.dates.end()) == bars.dates.end());
    for (Date date : bars.dates) ASSERT_TRUE(market.calendar.IndexOf(date).has_value()) << date.ToString();

    const size_t first = *market.calendar.IndexOf(bars.dates.front());
    const size_t last = *market.calendar.IndexOf(bars.dates.back());
    EXPECT_EQ(first > 0, listed.contains(bars.instrument)) << bars.instrument;
    EXPECT_EQ(last + 1 < market.calendar.size(), delisted.contains(bars.instrument)) << bars.instrument;
    if (listed.contains(bars.instrument)) {
      EXPECT_EQ(listed[bars.instrument], bars.dates.front().ToString());
    }
    if (delisted.contains(bars.instrument)) {
      EXPECT_EQ(delisted[bars.instrument], bars.dates.back().ToString());
    }

    // Every calendar day inside the span without a bar is a recorded suspension day.
    size_t gap_days = 0;
    for (const auto& gap : detail["suspensions"]) gap_days += gap["days"].get<size_t>();
    EXPECT_EQ(last - first + 1 - bars.size(), gap_days) << bars.instrument;
    EXPECT_GE(detail["suspensions"].size(), 1u);
    suspended_days += gap_days;
  }
  EXPECT_EQ(truth["suspended_days"], suspended_days);
  EXPECT_EQ(sectors.size(), options.sectors);
}

TEST(Synth, BarsAreValidMarketData) {
  const SynthMarket market = GenerateMarket(SmallOptions());
  std::vector<RawBars> all = market.instruments;
  all.push_back(market.benchmark);
  size_t splits = 0, dividends = 0;
  for (const RawBars& bars : all) {
    ASSERT_EQ(bars.vwap.size(), bars.size());
    for (size_t row = 0; row < bars.size(); ++row) {
      const double open = bars.open[row], high = bars.high[row], low = bars.low[row], close = bars.close[row];
      const std::string where = bars.instrument + " " + bars.dates[row].ToString();
      ASSERT_TRUE(std::isfinite(open) && std::isfinite(high) && std::isfinite(low) && std::isfinite(close)) << where;
      EXPECT_GT(low, 0) << where;
      EXPECT_GE(high, std::max(open, close)) << where;
      EXPECT_LE(low, std::min(open, close)) << where;
      EXPECT_GE(bars.vwap[row], low) << where;
      EXPECT_LE(bars.vwap[row], high) << where;
      EXPECT_GE(bars.volume[row], 100) << where;
      EXPECT_EQ(bars.volume[row], std::round(bars.volume[row])) << where;
      EXPECT_EQ(close, std::round(close * 1e4) / 1e4) << where << ": prices are quoted to 4 decimals";
      if (bars.split.empty()) continue;
      const double split = bars.split[row];
      EXPECT_TRUE(split == 1 || split == 2 || split == 3 || split == 0.5) << where << " split " << split;
      EXPECT_GE(bars.dividend[row], 0) << where;
      EXPECT_LT(bars.dividend[row], 0.1 * bars.close[row]) << where;
      splits += split != 1 ? 1 : 0;
      dividends += bars.dividend[row] != 0 ? 1 : 0;
    }
    if (!bars.split.empty()) {
      EXPECT_EQ(bars.split.front(), 1) << "no corporate action on a listing day";
      EXPECT_EQ(bars.dividend.front(), 0);
    }
  }
  EXPECT_EQ(market.truth["split_count"], splits);
  EXPECT_EQ(market.truth["dividend_count"], dividends);
  EXPECT_GT(splits, 5u);
  EXPECT_GT(dividends, 50u);
}

TEST(Synth, AdjCloseAgreesWithBothAdjustmentPaths) {
  const SynthMarket market = GenerateMarket(SmallOptions());
  for (const RawBars& bars : market.instruments) {
    const AdjustedBars from_adj_close = Adjust(bars);
    ASSERT_EQ(from_adj_close.adjustment, AdjustmentSource::kAdjClose);
    RawBars without = bars;
    without.adj_close.clear();
    const AdjustedBars from_actions = Adjust(without);
    ASSERT_EQ(from_actions.adjustment, AdjustmentSource::kSplitDividend);
    EXPECT_EQ(bars.adj_close.back(), bars.close.back()) << "factor 1 on the last bar";
    for (size_t row = 0; row < bars.size(); ++row) {
      EXPECT_NEAR(from_actions.factor[row] / from_adj_close.factor[row], 1, 1e-9)
          << bars.instrument << " " << bars.dates[row].ToString();
      if (row > 0) {
        // The adjusted return across an ex-date is the raw move with the split and dividend added back.
        const double split = bars.split[row];
        const double expected = bars.close[row] * split / (bars.close[row - 1] - bars.dividend[row] * split);
        EXPECT_NEAR(bars.adj_close[row] / bars.adj_close[row - 1] / expected, 1, 1e-12);
      }
    }
  }
}

TEST(Synth, BenchmarkIsTheEqualWeightedStockReturn) {
  const SynthMarket market = GenerateMarket(SmallOptions());
  std::vector<std::map<Date, double>> closes;
  for (const RawBars& bars : market.instruments) {
    std::map<Date, double>& by_date = closes.emplace_back();
    for (size_t row = 0; row < bars.size(); ++row) by_date[bars.dates[row]] = bars.adj_close[row];
  }
  const RawBars& benchmark = market.benchmark;
  EXPECT_EQ(benchmark.close.front(), 1000);
  for (size_t day = 1; day < market.calendar.size(); ++day) {
    double sum = 0;
    size_t count = 0;
    for (const auto& by_date : closes) {
      const auto today = by_date.find(market.calendar[day]);
      const auto yesterday = by_date.find(market.calendar[day - 1]);
      if (today == by_date.end() || yesterday == by_date.end()) continue;
      sum += today->second / yesterday->second - 1;
      ++count;
    }
    ASSERT_GT(count, 0u);
    const double expected = benchmark.close[day - 1] * (1 + sum / static_cast<double>(count));
    EXPECT_NEAR(benchmark.close[day], expected, 0.5e-4 + 1e-9 * expected) << market.calendar[day].ToString();
  }
}

TEST(Synth, PlantedIcIsMeasurableFromTheWrittenFiles) {
  test::TempDir dir;
  const SynthMarket market = GenerateMarket(IcOptions(0.05));
  const DailyIc measured = WriteAndMeasure(market, dir);
  const nlohmann::json& signal = market.truth["signal"];
  EXPECT_EQ(signal["formula"], "Ref($close,5)/$close-1");
  EXPECT_EQ(signal["label"], "Ref($close,-1)/$close-1");
  EXPECT_EQ(signal["target_ic"], 0.05);
  EXPECT_GT(signal["planted_loading"].get<double>(), 0);
  EXPECT_EQ(signal["ic_days"], measured.days);
  EXPECT_NEAR(signal["realized_ic"].get<double>(), measured.mean_ic, 1e-9);
  EXPECT_NEAR(signal["realized_rank_ic"].get<double>(), measured.mean_rank_ic, 1e-9);
  EXPECT_NEAR(signal["realized_ic_tstat"].get<double>(), measured.ic_tstat, 1e-6);
  EXPECT_GT(measured.mean_ic, 0.03);
  EXPECT_LT(measured.mean_ic, 0.07);
  EXPECT_GT(measured.ic_tstat, 6);
  EXPECT_GT(measured.mean_rank_ic, 0.015);
  EXPECT_GT(signal["realized_rank_ic_tstat"].get<double>(), 5);
}

TEST(Synth, ZeroIcIsPureNoise) {
  test::TempDir dir;
  const SynthMarket market = GenerateMarket(IcOptions(0));
  const DailyIc measured = WriteAndMeasure(market, dir);
  const nlohmann::json& signal = market.truth["signal"];
  EXPECT_EQ(signal["planted_loading"].get<double>(), 0.0);
  EXPECT_NEAR(signal["realized_ic"].get<double>(), measured.mean_ic, 1e-9);
  EXPECT_LT(std::abs(measured.ic_tstat), 3);
  EXPECT_LT(std::abs(signal["realized_rank_ic_tstat"].get<double>()), 3);
}

TEST(Synth, PlantedSignalReadsOnlyThePast) {
  std::vector<double> closes = {10, 11, kNaN, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  const std::vector<double> signal = PlantedSignal(closes);
  ASSERT_EQ(signal.size(), closes.size());
  for (size_t index = 0; index < 5; ++index) EXPECT_TRUE(std::isnan(signal[index])) << index;
  EXPECT_DOUBLE_EQ(signal[5], 10.0 / 14 - 1);
  EXPECT_DOUBLE_EQ(signal[6], 11.0 / 15 - 1);
  EXPECT_TRUE(std::isnan(signal[7])) << "Ref($close,5) on a missing bar is NaN";
  EXPECT_DOUBLE_EQ(signal[11], 15.0 / 20 - 1);

  for (size_t index = 0; index < closes.size(); ++index) {
    std::vector<double> perturbed = closes;
    for (size_t later = index + 1; later < perturbed.size(); ++later) perturbed[later] = later % 2 ? kNaN : 1e6;
    const double before = PlantedSignalAt(closes, index);
    const double after = PlantedSignalAt(perturbed, index);
    EXPECT_TRUE(before == after || (std::isnan(before) && std::isnan(after))) << index;
  }
  EXPECT_TRUE(std::isnan(PlantedSignalAt(closes, closes.size())));
}

TEST(Synth, RejectsImpossibleOptions) {
  SynthOptions options = SmallOptions();
  options.instruments = 0;
  EXPECT_EQ(KindOf(options), ErrorKind::kUsage);
  options = SmallOptions();
  options.sectors = 0;
  EXPECT_EQ(KindOf(options), ErrorKind::kUsage);
  options = SmallOptions();
  options.ic = 0.5;
  EXPECT_EQ(KindOf(options), ErrorKind::kUsage);
  options = SmallOptions();
  options.end = Date::FromYmd(2018, 1, 1);
  EXPECT_EQ(KindOf(options), ErrorKind::kUsage);
  options = SmallOptions();
  options.end = Date::FromYmd(2019, 1, 10);
  EXPECT_EQ(KindOf(options), ErrorKind::kUsage);
  options = SmallOptions();
  options.benchmark = "S0003";
  EXPECT_EQ(KindOf(options), ErrorKind::kUsage);
  options = SmallOptions();
  options.benchmark = "../x";
  EXPECT_EQ(KindOf(options), ErrorKind::kUsage);
}

TEST(Synth, TinyMarketsStillWork) {
  SynthOptions options = SmallOptions();
  options.instruments = 1;
  options.end = Date::FromYmd(2019, 2, 28);
  const SynthMarket market = GenerateMarket(options);
  ASSERT_EQ(market.instruments.size(), 1u);
  EXPECT_EQ(market.instruments.front().dates.front(), market.calendar.front());
  EXPECT_TRUE(market.truth["signal"]["realized_ic"].is_null()) << "no cross-section, no IC";
  EXPECT_EQ(market.benchmark.size(), market.calendar.size());
}

TEST(Synth, WritesCsvAndParquetDirectoriesWhole) {
  SynthOptions options = SmallOptions();
  options.instruments = 5;
  const SynthMarket market = GenerateMarket(options);
  test::TempDir dir;
  for (SynthFormat format : {SynthFormat::kCsv, SynthFormat::kParquet}) {
    const std::string extension = format == SynthFormat::kCsv ? ".csv" : ".parquet";
    const std::filesystem::path out = dir / std::string(SynthFormatName(format));
    test::WriteText(out / "stale.txt", "left from an earlier run");
    WriteSynthMarket(market, out, format);
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(out)) names.insert(entry.path().filename().string());
    const std::set<std::string> expected = {"S0001" + extension, "S0002" + extension, "S0003" + extension,
                                            "S0004" + extension, "S0005" + extension, "BENCH" + extension,
                                            "truth.json"};
    EXPECT_EQ(names, expected) << "the old directory is replaced, not merged";
    EXPECT_EQ(nlohmann::json::parse(ReadText(out / "truth.json")), market.truth);
    const ParsedFile parsed = ReadBarsFile(out / ("S0003" + extension), FileFormat::kAuto, ReadOptions{});
    ASSERT_EQ(parsed.instruments.size(), 1u);
    EXPECT_TRUE(SameBars(parsed.instruments.front(), market.instruments[2]));
  }
  size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
    ++entries;
  }
  EXPECT_EQ(entries, 2u);
}

TEST(Synth, WritesAQlibStoreWithTheTruthInside) {
  SynthOptions options = SmallOptions();
  options.instruments = 6;
  const SynthMarket market = GenerateMarket(options);
  test::TempDir dir;
  WriteSynthMarket(market, dir / "store", SynthFormat::kQlib);
  WriteSynthMarket(market, dir / "store", SynthFormat::kQlib);  // replacing an existing store works too
  const QlibStore store = QlibStore::Open(dir / "store");
  EXPECT_EQ(store.calendar().dates(), market.calendar.dates());
  EXPECT_EQ(store.metadata().benchmark, "BENCH");
  EXPECT_EQ(store.metadata().source, "synth");
  EXPECT_EQ(store.instruments().size(), 6u) << "the benchmark is stored but not in the market";
  EXPECT_TRUE(store.HasInstrument("BENCH"));
  EXPECT_EQ(nlohmann::json::parse(ReadText(dir / "store" / "truth.json")), market.truth);

  // $close in the store is the adjusted close (float32).
  const RawBars& bars = market.instruments[0];
  const FieldSeries close = store.ReadField("S0001", "close");
  const size_t first = *market.calendar.IndexOf(bars.dates.front());
  EXPECT_EQ(close.start, first);
  for (size_t row = 0; row < bars.size(); ++row) {
    const size_t offset = *market.calendar.IndexOf(bars.dates[row]) - first;
    EXPECT_NEAR(close.values[offset], bars.adj_close[row], 1e-6 * bars.adj_close[row]);
  }
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1u) << "no staging directories left behind";
}

TEST(Synth, FormatNamesRoundTrip) {
  for (SynthFormat format : {SynthFormat::kCsv, SynthFormat::kParquet, SynthFormat::kQlib}) {
    EXPECT_EQ(ParseSynthFormat(SynthFormatName(format)), format);
  }
  EXPECT_FALSE(ParseSynthFormat("xlsx").has_value());
}

}  // namespace
}  // namespace alphaloom::data
