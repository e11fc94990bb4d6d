// LoadMarket against the store's own Panel reader, and the fields the exchange rules need.
#include "alphaloom/backtest/market.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "alphaloom/backtest/exchange.h"
#include "alphaloom/common/error.h"
#include "test_support.h"

namespace alphaloom::backtest {
namespace {

Date Day(int day) { return Date::FromYmd(2021, 3, day); }

// Bars on the given March days; prices differ per instrument, field and day.
data::AdjustedBars Bars(const std::string& name, const std::vector<int>& days, double base, bool vwap) {
  data::AdjustedBars bars;
  bars.instrument = name;
  for (const int day : days) {
    bars.dates.push_back(Day(day));
    bars.open.push_back(base + day + 0.25);
    bars.high.push_back(base + day + 1);
    bars.low.push_back(base + day - 1);
    bars.close.push_back(base + day + 0.5);
    bars.volume.push_back(1000 * base + day);
    if (vwap) bars.vwap.push_back(base + day + 0.375);
    bars.factor.push_back(0.5 + 0.01 * day);
    bars.change.push_back(0.001 * day);
  }
  return bars;
}

class MarketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Date> dates;
    for (int day = 1; day <= 26; ++day) {
      if (Day(day).weekday() < 5) dates.push_back(Day(day));
    }
    calendar_ = Calendar(dates);
    // More instruments than one read block, listed over different spans, some without vwap.
    std::vector<data::AdjustedBars> bars;
    for (int idx = 0; idx < 20; ++idx) {
      std::vector<int> days;
      for (const Date date : dates) {
        const int day = date.day();
        if (day >= 1 + idx % 7 && day <= 26 - idx % 5 && (day + idx) % 9 != 0) days.push_back(day);
      }
      bars.push_back(Bars(fmt::format("S{:02d}", idx), days, 10.0 * (idx + 1), idx % 3 != 0));
    }
    std::vector<int> all_days;
    for (const Date date : dates) all_days.push_back(date.day());
    bars.push_back(Bars("IDX", all_days, 1000, true));
    data::StoreMetadata metadata;
    metadata.benchmark = "IDX";
    data::WriteQlibStore(dir_ / "store", calendar_, bars, metadata, {});
  }

  test::TempDir dir_;
  Calendar calendar_;
};

TEST_F(MarketTest, LoadsEveryFieldDateMajorAsThePanelReaderDoes) {
  const data::QlibStore store = data::QlibStore::Open(dir_ / "store");
  const Market market = LoadMarket(store, Day(3), Day(24));
  EXPECT_EQ(market.dates.front(), Day(3));
  EXPECT_EQ(market.dates.back(), Day(24));
  EXPECT_EQ(market.first_store_index, *calendar_.IndexOf(Day(3)));
  ASSERT_EQ(market.instrument_count(), 20u);
  const std::vector<std::string> fields = {"open", "close", "vwap", "factor", "change", "volume"};
  const data::Panel panel = store.LoadPanel(fields, market.instruments, Day(3), Day(24), true);
  const std::vector<double>* loaded[] = {&market.open, &market.close, &market.vwap,
                                         &market.factor, &market.change, &market.volume};
  size_t present = 0;
  for (size_t field = 0; field < fields.size(); ++field) {
    ASSERT_EQ(loaded[field]->size(), market.day_count() * market.instrument_count()) << fields[field];
    for (size_t instrument = 0; instrument < market.instrument_count(); ++instrument) {
      for (size_t day = 0; day < market.day_count(); ++day) {
        const double expected = panel.At(field, instrument, day);
        const double actual = (*loaded[field])[market.Cell(day, instrument)];
        if (std::isnan(expected)) {
          EXPECT_TRUE(std::isnan(actual)) << fields[field] << " " << instrument << " " << day;
        } else {
          EXPECT_EQ(actual, expected) << fields[field] << " " << instrument << " " << day;
          ++present;
        }
      }
    }
  }
  EXPECT_GT(present, 1000u);
  // The benchmark: the store's previous date gives the window's first day a return.
  EXPECT_FLOAT_EQ(static_cast<float>(market.benchmark[0] + 1.0), static_cast<float>((1003.5) / (1002.5)));
}

TEST_F(MarketTest, LoadsOnlyTheOptionalFieldsAsked) {
  const data::QlibStore store = data::QlibStore::Open(dir_ / "store");
  const Market full = LoadMarket(store, Day(1), Day(26));
  const Market lean = LoadMarket(store, Day(1), Day(26), MarketFields{false, false, false});
  EXPECT_TRUE(lean.open.empty() && lean.vwap.empty() && lean.volume.empty());
  // Equal, NaN where NaN.
  auto same = [](const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (size_t cell = 0; cell < a.size(); ++cell) {
      if (std::isnan(a[cell]) != std::isnan(b[cell]) || (!std::isnan(a[cell]) && a[cell] != b[cell])) return false;
    }
    return true;
  };
  EXPECT_TRUE(same(lean.close, full.close));
  EXPECT_TRUE(same(lean.factor, full.factor));
  EXPECT_TRUE(same(lean.change, full.change));

  ExchangeOptions options;
  EXPECT_FALSE(RequiredMarketFields(options).open || RequiredMarketFields(options).vwap ||
               RequiredMarketFields(options).volume);
  EXPECT_NO_THROW(Exchange(lean, options));
  ExchangeOptions open = options;
  open.deal_price = DealPrice::kOpen;
  EXPECT_TRUE(RequiredMarketFields(open).open);
  ExchangeOptions gap = options;
  gap.limit_rule = LimitRule::kOpenGap;
  EXPECT_TRUE(RequiredMarketFields(gap).open);
  gap.limit_threshold = std::nullopt;
  EXPECT_FALSE(RequiredMarketFields(gap).open);
  ExchangeOptions vwap = options;
  vwap.deal_price = DealPrice::kVwap;
  EXPECT_TRUE(RequiredMarketFields(vwap).vwap);
  ExchangeOptions impact = options;
  impact.impact_cost = 0.1;
  EXPECT_TRUE(RequiredMarketFields(impact).volume);
  for (const ExchangeOptions& needs : {open, vwap, impact}) {
    try {
      Exchange exchange(lean, needs);
      FAIL() << "an exchange without the fields its options read";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInternal);
    }
    EXPECT_NO_THROW(Exchange(full, needs));
  }
}

TEST_F(MarketTest, AnInstrumentWithoutFilesIsNotFound) {
  std::filesystem::remove_all(dir_ / "store" / "features" / "s05");
  const data::QlibStore store = data::QlibStore::Open(dir_ / "store");
  try {
    LoadMarket(store, Day(1), Day(26));
    FAIL() << "loaded a market with a missing instrument";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kNotFound);
    EXPECT_NE(std::string(error.what()).find("unknown instrument 'S05'"), std::string::npos) << error.what();
  }
  EXPECT_THROW(LoadMarket(store, Day(27), Day(28)), Error);
}

}  // namespace
}  // namespace alphaloom::backtest
