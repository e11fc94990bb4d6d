#include "alphaloom/metrics/summary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "alphaloom/common/error.h"
#include "alphaloom/metrics/information_ratio.h"
#include "alphaloom/metrics/sharpe_ratio.h"
#include "alphaloom/metrics/sortino_ratio.h"

namespace alphaloom::metrics {
namespace {

const std::vector<double> kReturns = {0.01, -0.02, 0.015, 0.003, -0.007, 0.004};
const std::vector<double> kBenchmark = {0.005, -0.01, 0.01, 0.0, -0.004, 0.002};
const std::vector<double> kCosts = {0.001, 0.0, 0.0005, 0.0, 0.0, 0.001};
const std::vector<double> kTurnover = {1.0, 0.0, 0.5, 0.0, 0.0, 1.0};

TEST(Summary, KeysFollowTheTableAndTheInputs) {
  SummaryInputs inputs;
  inputs.returns = kReturns;
  const nlohmann::ordered_json bare = Summarize(inputs, {}, "default");
  for (const SummaryMetric& metric : SummaryMetrics()) {
    const bool expected = metric.requires_input == SummaryRequirement::kReturns;
    EXPECT_EQ(bare.contains(std::string(metric.key)), expected) << metric.key;
  }
  EXPECT_FALSE(bare.contains("start"));
  EXPECT_TRUE(bare["risk_analysis"].contains("return"));
  EXPECT_FALSE(bare["risk_analysis"].contains("excess_return_with_cost"));

  inputs.benchmark = kBenchmark;
  inputs.costs = kCosts;
  inputs.turnover = kTurnover;
  inputs.trials = 20;
  inputs.trial_sharpe_variance_annual = 0.5;
  const nlohmann::ordered_json full = Summarize(inputs, {}, "default");
  for (const SummaryMetric& metric : SummaryMetrics()) EXPECT_TRUE(full.contains(std::string(metric.key))) << metric.key;
  std::set<std::string> keys;
  for (const SummaryMetric& metric : SummaryMetrics()) EXPECT_TRUE(keys.insert(std::string(metric.key)).second);
}

TEST(Summary, HeadlineMetricsUseReturnsNetOfCosts) {
  std::vector<double> net(kReturns.size());
  for (size_t index = 0; index < net.size(); ++index) net[index] = kReturns[index] - kCosts[index];
  SummaryInputs inputs;
  inputs.returns = kReturns;
  inputs.costs = kCosts;
  inputs.benchmark = kBenchmark;
  const nlohmann::ordered_json summary = Summarize(inputs, {}, "default");
  EXPECT_DOUBLE_EQ(summary["sharpe"].get<double>(), SharpeRatio(net));
  EXPECT_DOUBLE_EQ(summary["sortino"].get<double>(), SortinoRatio(net));
  EXPECT_DOUBLE_EQ(summary["information_ratio"].get<double>(), InformationRatio(net, kBenchmark));
  EXPECT_TRUE(summary["conventions"]["costs_deducted"].get<bool>());
  // Qlib's two excess series differ by the mean cost in mode "sum".
  const nlohmann::ordered_json qlib = Summarize(inputs, QlibConventions(), "qlib");
  const double with = qlib["risk_analysis"]["excess_return_with_cost"]["mean"].get<double>();
  const double without = qlib["risk_analysis"]["excess_return_without_cost"]["mean"].get<double>();
  EXPECT_NEAR(without - with, (0.001 + 0.0005 + 0.001) / 6, 1e-15);
}

TEST(Summary, QlibPresetRiskAnalysisAndConventions) {
  SummaryInputs inputs;
  inputs.returns = kReturns;
  const nlohmann::ordered_json summary = Summarize(inputs, QlibConventions(), "qlib");
  EXPECT_EQ(summary["conventions"]["preset"], "qlib");
  EXPECT_EQ(summary["conventions"]["periods_per_year"].get<double>(), 238.0);
  EXPECT_EQ(summary["conventions"]["compounding"], "sum");
  const auto& risk = summary["risk_analysis"]["return"];
  EXPECT_DOUBLE_EQ(risk["annualized_return"].get<double>(), summary["annual_return"].get<double>());
  EXPECT_DOUBLE_EQ(risk["information_ratio"].get<double>(), summary["sharpe"].get<double>());
  EXPECT_DOUBLE_EQ(risk["max_drawdown"].get<double>(), summary["max_drawdown"].get<double>());
}

TEST(Summary, NonFiniteNumbersAndDates) {
  const std::vector<double> gains = {0.01, 0.02, 0.01};
  const std::vector<Date> dates = {Date::FromYmd(2024, 1, 2), Date::FromYmd(2024, 1, 3), Date::FromYmd(2024, 1, 4)};
  SummaryInputs inputs;
  inputs.returns = gains;
  inputs.dates = dates;
  const nlohmann::ordered_json summary = Summarize(inputs, {}, "default");
  EXPECT_EQ(summary["sortino"], "Infinity");  // no losses
  EXPECT_TRUE(summary["calmar"].is_null());   // no drawdown
  EXPECT_EQ(summary["start"], "2024-01-02");
  EXPECT_EQ(summary["end"], "2024-01-04");
  EXPECT_EQ(*NumberFromJson("Infinity"), INFINITY);
  EXPECT_EQ(*NumberFromJson("-Infinity"), -INFINITY);
  EXPECT_TRUE(std::isnan(*NumberFromJson(nullptr)));
  EXPECT_FALSE(NumberFromJson("high").has_value());
  EXPECT_EQ(NumberToJson(-INFINITY), "-Infinity");
}

TEST(Summary, EmptyReturnsGiveNullsNotCrashes) {
  SummaryInputs inputs;
  const nlohmann::ordered_json summary = Summarize(inputs, {}, "default");
  EXPECT_EQ(summary["observations"].get<double>(), 0.0);
  EXPECT_TRUE(summary["sharpe"].is_null());
  EXPECT_TRUE(summary["max_drawdown"].is_null());
}

TEST(Summary, BadInputs) {
  SummaryInputs inputs;
  inputs.returns = kReturns;
  const std::vector<double> short_benchmark = {0.0};
  inputs.benchmark = short_benchmark;
  EXPECT_THROW(Summarize(inputs, {}, "default"), Error);
  inputs.benchmark = {};
  inputs.trials = 10;  // without a trial variance
  EXPECT_THROW(Summarize(inputs, {}, "default"), Error);
  inputs.trials = 0;
  Conventions bad;
  bad.periods_per_year = -1;
  EXPECT_THROW(Summarize(inputs, bad, "default"), Error);
}

}  // namespace
}  // namespace alphaloom::metrics
