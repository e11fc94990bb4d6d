#include "alphaloom/metrics/qlib_risk_analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "alphaloom/metrics/annual_return.h"
#include "alphaloom/metrics/max_drawdown.h"
#include "alphaloom/metrics/sharpe_ratio.h"

namespace alphaloom::metrics {
namespace {

TEST(QlibRiskAnalysis, SumModeByHand) {
  const std::vector<double> returns = {-0.1, 0.05, -0.02};
  const RiskAnalysis analysis = QlibRiskAnalysis(returns);
  const double mean = -0.07 / 3;
  const double std = std::sqrt((std::pow(-0.1 - mean, 2) + std::pow(0.05 - mean, 2) + std::pow(-0.02 - mean, 2)) / 2);
  EXPECT_NEAR(analysis.mean, mean, 1e-17);
  EXPECT_NEAR(analysis.std, std, 1e-16);
  EXPECT_NEAR(analysis.annualized_return, mean * 238, 1e-14);
  EXPECT_NEAR(analysis.information_ratio, mean / std * std::sqrt(238.0), 1e-13);
  EXPECT_NEAR(analysis.max_drawdown, -0.02, 1e-16);  // the first-day loss is no drawdown in Qlib
}

TEST(QlibRiskAnalysis, TheQlibPresetGivesTheSameNumbers) {
  const std::vector<double> returns = {0.01, -0.02, 0.015, NAN, 0.003, -0.007};
  const RiskAnalysis analysis = QlibRiskAnalysis(returns);
  const Conventions qlib = QlibConventions();
  EXPECT_DOUBLE_EQ(AnnualReturn(returns, qlib), analysis.annualized_return);
  EXPECT_DOUBLE_EQ(SharpeRatio(returns, qlib), analysis.information_ratio);
  EXPECT_DOUBLE_EQ(MaxDrawdown(returns, qlib), analysis.max_drawdown);
}

TEST(QlibRiskAnalysis, ProductModeByHand) {
  const std::vector<double> returns = {0.1, -0.2, 0.05};
  const RiskAnalysis analysis = QlibRiskAnalysis(returns, 238, QlibAccumulation::kProduct);
  const double wealth = 1.1 * 0.8 * 1.05;
  EXPECT_NEAR(analysis.mean, std::pow(wealth, 1.0 / 3) - 1, 1e-15);
  EXPECT_NEAR(analysis.annualized_return, std::pow(wealth, 238.0 / 3) - 1, 1e-12);
  const double l1 = std::log(1.1), l2 = std::log(0.8), l3 = std::log(1.05);
  const double log_mean = (l1 + l2 + l3) / 3;
  const double log_std =
      std::sqrt((std::pow(l1 - log_mean, 2) + std::pow(l2 - log_mean, 2) + std::pow(l3 - log_mean, 2)) / 2);
  EXPECT_NEAR(analysis.std, log_std, 1e-15);
  EXPECT_NEAR(analysis.max_drawdown, -0.2, 1e-15);
  EXPECT_NEAR(analysis.information_ratio, analysis.mean / log_std * std::sqrt(238.0), 1e-12);
}

TEST(QlibRiskAnalysis, ProductModeKeepsQlibsLengthQuirk) {
  // len(r) counts the NaN: n = 3 although two returns are valid.
  const RiskAnalysis analysis = QlibRiskAnalysis(std::vector<double>{0.1, NAN, 0.1}, 238, QlibAccumulation::kProduct);
  EXPECT_NEAR(analysis.mean, std::pow(1.21, 1.0 / 3) - 1, 1e-15);
  // A NaN last return leaves the curve's last value NaN in pandas.
  EXPECT_TRUE(std::isnan(QlibRiskAnalysis(std::vector<double>{0.1, 0.1, NAN}, 238, QlibAccumulation::kProduct).mean));
}

TEST(QlibRiskAnalysis, EmptyAndConstant) {
  const RiskAnalysis empty = QlibRiskAnalysis(std::vector<double>{});
  EXPECT_TRUE(std::isnan(empty.mean));
  EXPECT_TRUE(std::isnan(empty.max_drawdown));
  const RiskAnalysis constant = QlibRiskAnalysis(std::vector<double>{0.5, 0.5});
  EXPECT_EQ(constant.std, 0.0);
  EXPECT_EQ(constant.information_ratio, INFINITY);
  EXPECT_EQ(constant.max_drawdown, 0.0);
  EXPECT_TRUE(std::isnan(QlibRiskAnalysis(std::vector<double>{0.01}).std));
}

}  // namespace
}  // namespace alphaloom::metrics
