// Rule alphas on synthetic markets whose answer is obvious, their range, and their causality.
#include "alphaloom/signal/rule_alphas.h"

#include <gtest/gtest.h>

#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::signal {
namespace {

constexpr size_t kDays = 400;

// Instruments: UP (strong uptrend, the same drop on day 350), FLAT (flat, +-0.5% alternating
// returns, a 3% drop on day 350: about 6 standard deviations),
// DOWN (steady downtrend); the benchmark drifts up slowly.
data::Panel MakePanel() {
  const Calendar calendar = Calendar::Weekdays(Date::FromYmd(2020, 1, 1), Date::FromYmd(2022, 12, 31));
  std::vector<Date> dates(calendar.dates().begin(), calendar.dates().begin() + kDays);
  data::Panel panel(Calendar(dates), {"UP", "FLAT", "DOWN"}, {"close", "bench_close"});
  uint64_t state = 99;
  const auto noise = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0 - 0.5;
  };
  double up = 50, flat = 80, down = 120, bench = 1000;
  for (size_t day = 0; day < kDays; ++day) {
    up *= std::exp(0.007 + 0.01 * noise() + (day == 350 ? -0.03 : 0.0));
    flat *= std::exp((day % 2 == 0 ? 0.005 : -0.005) + (day == 350 ? -0.03 : 0.0));
    down *= std::exp(-0.004 + 0.01 * noise());
    bench *= std::exp(0.0003 + 0.005 * noise());
    panel.Series(0, 0)[day] = up;
    panel.Series(0, 1)[day] = flat;
    panel.Series(0, 2)[day] = down;
    for (size_t instrument = 0; instrument < 3; ++instrument) panel.Series(1, instrument)[day] = bench;
  }
  return panel;
}

// Value of column `column` for `instrument` on calendar day `day` (rows are date-major).
double Score(const expr::FeatureFrame& frame, size_t day, size_t instrument, size_t column) {
  return frame.At(day * 3 + instrument, column);
}

TEST(RuleAlphas, TrendFollowsTheDirection) {
  ThreadPool pool(1);
  const expr::FeatureFrame frame = ComputeRuleAlphas(MakePanel(), {}, pool);
  ASSERT_EQ(frame.rows(), kDays * 3);
  EXPECT_EQ(Score(frame, 150, 0, 0), 0.0f);  // the 200-day window is not full: no opinion
  for (size_t day = 250; day < kDays; ++day) {
    ASSERT_GT(Score(frame, day, 0, 0), 0.5f) << day;
    ASSERT_LT(Score(frame, day, 2, 0), -0.5f) << day;
  }
  // Outperforming the benchmark is relative strength; underperforming is weakness.
  EXPECT_GT(Score(frame, 380, 0, 3), 0.3f);
  EXPECT_LT(Score(frame, 380, 2, 3), -0.3f);
}

TEST(RuleAlphas, ThreeSigmaDropInAFlatMarketFiresMeanReversion) {
  ThreadPool pool(1);
  const expr::FeatureFrame frame = ComputeRuleAlphas(MakePanel(), {}, pool);
  EXPECT_GT(Score(frame, 350, 1, 1), 0.9f);
  for (size_t day = 300; day < 350; ++day) EXPECT_EQ(Score(frame, day, 1, 1), 0.0f) << day;
  // The trending names are in strong trends: mean reversion stays silent for them.
  for (size_t day = 300; day < kDays; ++day) EXPECT_EQ(Score(frame, day, 0, 1), 0.0f) << day;
}

TEST(RuleAlphas, ScoresStayInRangeAndVolatilityReactsToAShock) {
  ThreadPool pool(2);
  const expr::FeatureFrame frame = ComputeRuleAlphas(MakePanel(), {}, pool);
  for (size_t row = 0; row < frame.rows(); ++row) {
    for (size_t column = 0; column < 4; ++column) {
      const float value = frame.At(row, column);
      ASSERT_TRUE(std::isnan(value) || (value >= -1 && value <= 1)) << row << " " << column;
    }
  }
  // The drop lifts FLAT's 20-day volatility far above its own history: a negative score.
  EXPECT_LT(Score(frame, 352, 1, 2), Score(frame, 349, 1, 2) - 0.3f);
  EXPECT_NEAR(Score(frame, 300, 0, 4), 0.01 / std::sqrt(12.0) * std::sqrt(252.0), 0.03);
}

TEST(RuleAlphas, PerturbingTheFutureChangesNothingBefore) {
  ThreadPool pool(2);
  const data::Panel panel = MakePanel();
  const expr::FeatureFrame base = ComputeRuleAlphas(panel, {}, pool);
  for (size_t cut : {260ul, 349ul, 390ul}) {
    data::Panel changed = panel;
    for (size_t field = 0; field < 2; ++field) {
      for (size_t instrument = 0; instrument < 3; ++instrument) {
        auto series = changed.Series(field, instrument);
        for (size_t day = cut + 1; day < kDays; ++day) series[day] *= 1.7 + 0.01 * static_cast<double>(day % 7);
      }
    }
    const expr::FeatureFrame after = ComputeRuleAlphas(changed, {}, pool);
    for (size_t row = 0; row < (cut + 1) * 3; ++row) {
      for (size_t column = 0; column < after.cols(); ++column) {
        const float a = base.At(row, column);
        const float b = after.At(row, column);
        ASSERT_TRUE((std::isnan(a) && std::isnan(b)) || a == b) << "cut " << cut << " row " << row << " col " << column;
      }
    }
  }
}

TEST(RuleAlphas, BadParametersNameTheKey) {
  RuleAlphaParams params;
  params.reversion_k = -1;
  try {
    ValidateRuleAlphaParams(params);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConfig);
    EXPECT_NE(std::string(error.what()).find("signals.reversion_k"), std::string::npos) << error.what();
  }
  params = {};
  params.trend_windows.clear();
  EXPECT_THROW(ValidateRuleAlphaParams(params), Error);
}

}  // namespace
}  // namespace alphaloom::signal
