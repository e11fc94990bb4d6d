// Meta-model and sizing: bet sizes from reference/finml.md §9.3, contributions summing to the
// score, weights following the regime, and every sizing limit holding on random books.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "alphaloom/common/error.h"
#include "alphaloom/portfolio/bet_size.h"
#include "alphaloom/portfolio/meta_model.h"
#include "alphaloom/portfolio/sizing.h"

namespace alphaloom::portfolio {
namespace {

TEST(BetSize, BookValues) {
  EXPECT_NEAR(BetSize(0.6), 0.161744, 1e-6);
  EXPECT_NEAR(BetSize(0.75), 0.436297, 1e-6);
  EXPECT_NEAR(BetSize(0.9), 0.817578, 1e-6);
  EXPECT_EQ(BetSize(0.5), 0.0);
  EXPECT_NEAR(BetSize(0.4), -0.161744, 1e-6);
  EXPECT_EQ(BetSize(1.0), 1.0);
  EXPECT_TRUE(std::isnan(BetSize(std::nan(""))));
  EXPECT_DOUBLE_EQ(DiscretizeBetSize(0.436297, 0.1), 0.4);
  EXPECT_DOUBLE_EQ(DiscretizeBetSize(0.96, 0.25), 1.0);
}

regime::RegimeSeries TwoDates(regime::Regime first, regime::Regime second) {
  regime::RegimeSeries series = regime::EmptyRegimes({Date(18000), Date(18001), Date(18002)});
  series.regime = {static_cast<int>(first), static_cast<int>(second), -1};
  series.probabilities[0][static_cast<size_t>(first)] = 1;
  series.probabilities[1][static_cast<size_t>(second)] = 1;
  return series;
}

TEST(MetaModel, WeightsFollowTheRegimeAndContributionsSum) {
  const MetaModelConfig config = DefaultMetaModelConfig();
  // The same scores on a bull date, a choppy date and a warm-up date.
  const std::vector<double> trend = {0.8, 0.8, 0.8};
  const std::vector<double> reversion = {0.5, 0.5, 0.5};
  const std::vector<double> vol = {-0.2, -0.2, -0.2};
  const std::vector<double> strength = {0.1, 0.1, std::nan("")};
  const std::vector<double> ml = {std::nan(""), 0.4, 0.4};
  const std::array<std::span<const double>, kComponentCount> scores = {trend, reversion, vol, strength, ml};
  const std::vector<size_t> row_date = {0, 1, 2};
  const MetaScores out =
      CombineScores(scores, row_date, TwoDates(regime::Regime::kBull, regime::Regime::kChoppy), config);
  for (size_t row = 0; row < 3; ++row) {
    double sum = 0;
    for (const auto& contribution : out.contributions) sum += contribution[row];
    EXPECT_EQ(sum, out.alpha_score[row]);
    EXPECT_LE(std::fabs(out.alpha_score[row]), 1.0);
  }
  EXPECT_DOUBLE_EQ(out.contributions[0][0], 0.40 * 0.8);      // bull: trend weight 0.4
  EXPECT_DOUBLE_EQ(out.contributions[1][0], 0.0);             // bull: no mean reversion
  EXPECT_DOUBLE_EQ(out.contributions[kMlComponent][0], 0.0);  // NaN ML score contributes nothing
  EXPECT_DOUBLE_EQ(out.contributions[0][1], 0.10 * 0.8);      // choppy: trend weight 0.1
  EXPECT_DOUBLE_EQ(out.contributions[1][1], 0.40 * 0.5);      // choppy: mean reversion leads
  EXPECT_DOUBLE_EQ(out.contributions[0][2], 0.30 * 0.8);      // warm-up: default weights
  EXPECT_DOUBLE_EQ(out.alpha_score[0], 0.32 + 0.1 * -0.2 + 0.3 * 0.1);
}

TEST(MetaModel, HmmProbabilitiesBlendTheWeights) {
  const MetaModelConfig config = DefaultMetaModelConfig();
  std::array<double, regime::kRegimeCount> probabilities{0.25, 0, 0.75, 0};
  const ComponentWeights weights = WeightsForDate(config, probabilities);
  EXPECT_DOUBLE_EQ(weights[0], 0.25 * 0.40 + 0.75 * 0.10);
  EXPECT_DOUBLE_EQ(weights[1], 0.75 * 0.40);
  double total = 0;
  for (double weight : weights) total += std::fabs(weight);
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST(MetaModel, WeightsMustSumToOne) {
  try {
    ValidateComponentWeights({0.5, 0.2, 0.1, 0.1, 0.0}, "meta.weights.bull");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConfig);
    EXPECT_NE(std::string(error.what()).find("meta.weights.bull: absolute weights sum to 0.9"), std::string::npos)
        << error.what();
  }
  EXPECT_NO_THROW(ValidateComponentWeights({0.5, -0.2, 0.1, 0.1, 0.1}, "x"));
}

TEST(Sizing, VolatilityTargetFormula) {
  SizingConfig config;
  config.max_weight = 1;
  const std::vector<double> scores = {0.5, 1.0, -0.5, std::nan(""), 0.3};
  const std::vector<double> vols = {0.20, 0.40, 0.20, 0.2, std::nan("")};
  std::vector<double> weights(5);
  SizeCrossSection(scores, vols, config, weights);
  EXPECT_DOUBLE_EQ(weights[0], 0.5 * 0.10 / 0.20);
  EXPECT_DOUBLE_EQ(weights[1], 1.0 * 0.10 / 0.40);
  EXPECT_EQ(weights[2], 0.0);  // long only by default
  EXPECT_EQ(weights[3], 0.0);  // NaN score
  EXPECT_EQ(weights[4], 0.0);  // NaN vol
  config.method = SizingMethod::kKelly;
  config.long_only = false;
  SizeCrossSection(scores, vols, config, weights);
  EXPECT_DOUBLE_EQ(weights[0], 0.5 * 0.5 * 0.05 / 0.04);
  EXPECT_DOUBLE_EQ(weights[2], -0.5 * 0.5 * 0.05 / 0.04);
}

TEST(Sizing, EveryLimitHoldsOnRandomBooks) {
  uint64_t state = 2024;
  const auto uniform = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (int trial = 0; trial < 500; ++trial) {
    SizingConfig config;
    config.long_only = trial % 3 == 0;
    config.method = trial % 4 == 0 ? SizingMethod::kKelly : SizingMethod::kVolTarget;
    config.target_vol = 0.05 + uniform();
    config.max_weight = 0.01 + 0.5 * uniform();
    config.max_gross = 0.2 + 2 * uniform();
    config.max_net = config.max_gross * uniform();
    const size_t names = 1 + static_cast<size_t>(uniform() * 60);
    std::vector<double> scores(names), vols(names), weights(names);
    for (size_t index = 0; index < names; ++index) {
      scores[index] = uniform() < 0.05 ? std::nan("") : 2 * uniform() - 1 + (trial % 5 == 0 ? 0.6 : 0);
      scores[index] = std::clamp(scores[index], -1.0, 1.0);
      vols[index] = uniform() < 0.05 ? 0.0 : 0.5 * uniform();
    }
    SizeCrossSection(scores, vols, config, weights);
    double gross = 0;
    double net = 0;
    for (size_t index = 0; index < names; ++index) {
      ASSERT_TRUE(std::isfinite(weights[index]));
      ASSERT_LE(std::fabs(weights[index]), config.max_weight + 1e-15);
      if (config.long_only) ASSERT_GE(weights[index], 0.0);
      if (std::isnan(scores[index]) || !(vols[index] > 0)) ASSERT_EQ(weights[index], 0.0);
      if (weights[index] != 0) ASSERT_EQ(weights[index] > 0, scores[index] > 0);
      gross += std::fabs(weights[index]);
      net += weights[index];
    }
    ASSERT_LE(gross, config.max_gross) << "trial " << trial;
    ASSERT_LE(std::fabs(net), config.max_net + 1e-12) << "trial " << trial;
  }
}

TEST(Sizing, NegativeTargetVolatilityIsRefused) {
  SizingConfig config;
  config.target_vol = -0.1;
  try {
    ValidateSizingConfig(config);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("sizing.target_vol"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace alphaloom::portfolio
