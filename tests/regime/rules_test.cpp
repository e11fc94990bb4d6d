// Rule-based regimes on synthetic benchmarks whose regime is obvious, and their causality.
#include "alphaloom/regime/rules.h"

#include <gtest/gtest.h>

#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::regime {
namespace {

std::vector<Date> DaysFrom(size_t count) {
  std::vector<Date> dates;
  for (size_t index = 0; index < count; ++index) dates.push_back(Date(static_cast<int32_t>(15000 + index)));
  return dates;
}

// A path with daily log drift `drift` and a +-`wiggle` alternation (realized vol ~ wiggle*sqrt(252)).
void Extend(std::vector<double>& prices, size_t days, double drift, double wiggle) {
  for (size_t day = 0; day < days; ++day) {
    const double last = prices.empty() ? 100.0 : prices.back();
    const double shock = (prices.size() % 2 == 0 ? 1 : -1) * wiggle;
    prices.push_back(last * std::exp(drift + shock));
  }
}

int At(const RegimeSeries& series, size_t index) {
  return series.regime[index];
}

TEST(RuleRegimes, SteadyUptrendIsBull) {
  std::vector<double> prices;
  Extend(prices, 400, 0.001, 0.004);
  const RegimeSeries series = RuleRegimes(DaysFrom(prices.size()), prices, {});
  EXPECT_EQ(At(series, 150), -1);  // warm-up: the 200-day average is not full yet
  for (size_t index = 199; index < prices.size(); ++index) {
    ASSERT_EQ(At(series, index), static_cast<int>(Regime::kBull)) << index;
    EXPECT_EQ(series.probabilities[index][0], 1.0);
  }
}

TEST(RuleRegimes, DowntrendIsBearAndCrashIsCrash) {
  std::vector<double> prices;
  Extend(prices, 300, 0.0005, 0.004);
  Extend(prices, 200, -0.001, 0.004);  // slow decline: below its average, calm
  const RegimeSeries slow = RuleRegimes(DaysFrom(prices.size()), prices, {});
  EXPECT_EQ(At(slow, prices.size() - 1), static_cast<int>(Regime::kBear));
  Extend(prices, 15, -0.02, 0.03);  // -30% in three weeks with 48% realized vol
  const RegimeSeries crash = RuleRegimes(DaysFrom(prices.size()), prices, {});
  EXPECT_EQ(At(crash, prices.size() - 1), static_cast<int>(Regime::kCrash));
}

TEST(RuleRegimes, FlatAndNervousIsChoppy) {
  std::vector<double> prices;
  Extend(prices, 400, 0.0, 0.012);  // flat, ~19% vol: inside the trend band
  const RegimeSeries series = RuleRegimes(DaysFrom(prices.size()), prices, {});
  EXPECT_EQ(At(series, prices.size() - 1), static_cast<int>(Regime::kChoppy));
}

TEST(RuleRegimes, PerturbingTheFutureChangesNothingBefore) {
  std::vector<double> prices;
  Extend(prices, 300, 0.0008, 0.006);
  Extend(prices, 200, -0.002, 0.02);
  Extend(prices, 200, 0.001, 0.01);
  const RegimeSeries full = RuleRegimes(DaysFrom(prices.size()), prices, {});
  for (size_t cut : {250ul, 420ul, 600ul}) {
    std::vector<double> perturbed = prices;
    for (size_t index = cut + 1; index < prices.size(); ++index) perturbed[index] *= 0.5;
    const RegimeSeries changed = RuleRegimes(DaysFrom(prices.size()), perturbed, {});
    for (size_t index = 0; index <= cut; ++index) ASSERT_EQ(full.regime[index], changed.regime[index]) << index;
  }
}

TEST(RuleRegimes, MissingBarsKeepThePreviousRegimeAndHysteresisHolds) {
  std::vector<double> prices;
  Extend(prices, 400, 0.001, 0.004);
  prices[350] = std::nan("");
  const RegimeSeries series = RuleRegimes(DaysFrom(prices.size()), prices, {});
  EXPECT_EQ(series.regime[350], series.regime[349]);
  RuleRegimeParams sticky;
  sticky.confirm_days = 5;
  std::vector<double> choppy_then_bull;
  Extend(choppy_then_bull, 300, 0.0, 0.012);
  const size_t turn = choppy_then_bull.size();
  Extend(choppy_then_bull, 100, 0.004, 0.004);
  const RegimeSeries plain = RuleRegimes(DaysFrom(choppy_then_bull.size()), choppy_then_bull, {});
  const RegimeSeries delayed = RuleRegimes(DaysFrom(choppy_then_bull.size()), choppy_then_bull, sticky);
  size_t first_plain = 0;
  size_t first_delayed = 0;
  for (size_t index = turn; index < choppy_then_bull.size(); ++index) {
    if (first_plain == 0 && plain.regime[index] == static_cast<int>(Regime::kBull)) first_plain = index;
    if (first_delayed == 0 && delayed.regime[index] == static_cast<int>(Regime::kBull)) first_delayed = index;
  }
  ASSERT_GT(first_plain, 0u);
  EXPECT_EQ(first_delayed, first_plain + 4);
}

TEST(RuleRegimes, BadThresholdsNameTheKey) {
  RuleRegimeParams params;
  params.high_vol = 0.6;
  try {
    ValidateRuleRegimeParams(params);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConfig);
    EXPECT_NE(std::string(error.what()).find("regime.high_vol"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace alphaloom::regime
