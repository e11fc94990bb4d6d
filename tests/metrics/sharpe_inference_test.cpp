// PSR, DSR and MinTRL against the worked numbers of reference/finml.md section 5.2.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "alphaloom/common/error.h"
#include "alphaloom/metrics/deflated_sharpe_ratio.h"
#include "alphaloom/metrics/minimum_track_record_length.h"
#include "alphaloom/metrics/probabilistic_sharpe_ratio.h"

namespace alphaloom::metrics {
namespace {

// The DSR paper example: annualized SR 2.5, 100 trials, annualized trial variance 0.5, five years
// of 250 daily returns, skew -3, kurtosis 10 (raw).
const double kSharpe = 2.5 / std::sqrt(250.0);
constexpr double kTrials = 100;
constexpr double kVariance = 0.5 / 250.0;
constexpr double kObservations = 1250;
constexpr double kSkew = -3;
constexpr double kKurtosis = 10;

TEST(ExpectedMaxSharpe, PaperExampleAndFactors) {
  EXPECT_NEAR(kSharpe, 0.158113883, 5e-10);
  EXPECT_NEAR(ExpectedMaxSharpe(kTrials, kVariance), 0.113172002, 5e-10);
  EXPECT_NEAR(ExpectedMaxSharpe(kTrials, kVariance) * std::sqrt(250.0), 1.789406, 5e-7);
  // The factor multiplying sqrt(V), tabulated for N = 2, 10, 100, 1000.
  EXPECT_NEAR(ExpectedMaxSharpe(2, 1.0), 0.519755, 5e-7);
  EXPECT_NEAR(ExpectedMaxSharpe(10, 1.0), 1.574598, 5e-7);
  EXPECT_NEAR(ExpectedMaxSharpe(100, 1.0), 2.530602893, 5e-10);
  EXPECT_NEAR(ExpectedMaxSharpe(1000, 1.0), 3.255122, 5e-7);
}

TEST(ExpectedMaxSharpe, EdgeCases) {
  EXPECT_EQ(ExpectedMaxSharpe(1, 0.5), 0.0);   // one trial: nothing to deflate
  EXPECT_EQ(ExpectedMaxSharpe(50, 0.0), 0.0);  // identical trials
  EXPECT_TRUE(std::isnan(ExpectedMaxSharpe(0, 0.5)));
  EXPECT_TRUE(std::isnan(ExpectedMaxSharpe(10, -0.1)));
  EXPECT_TRUE(std::isnan(ExpectedMaxSharpe(10, NAN)));
}

TEST(ProbabilisticSharpeRatio, PaperExample) {
  const double threshold = ExpectedMaxSharpe(kTrials, kVariance);
  const double deflated = ProbabilisticSharpeRatio(kSharpe, threshold, kObservations, kSkew, kKurtosis);
  EXPECT_NEAR(deflated, 0.900397, 5e-7);
  // The wrong conventions of finml.md give visibly different numbers; we are none of them.
  EXPECT_GT(std::abs(deflated - 0.901779), 1e-4);  // excess kurtosis (7)
  EXPECT_GT(std::abs(deflated - 0.900487), 5e-5);  // sqrt(T) instead of sqrt(T - 1)
  EXPECT_NEAR(ProbabilisticSharpeRatio(kSharpe, 0.0, kObservations, kSkew, kKurtosis), 0.9999969, 5e-8);
  EXPECT_NEAR(ProbabilisticSharpeRatio(0.3, 0.1, 60, -1, 6), 0.901924, 5e-7);
  EXPECT_NEAR(ProbabilisticSharpeRatio(0.3, 0.1, 60, -1, 3), 0.907353, 5e-7);
}

TEST(ProbabilisticSharpeRatio, FromAReturnSeries) {
  const std::vector<double> returns = {0.01, -0.02, 0.015, 0.003, -0.007};
  const SharpeStatistics statistics = ComputeSharpeStatistics(returns, {});
  EXPECT_NEAR(statistics.sharpe, 0.014296660, 5e-10);
  EXPECT_NEAR(statistics.skewness, -0.450317, 5e-7);
  EXPECT_NEAR(statistics.kurtosis, 1.847720, 5e-7);
  EXPECT_EQ(statistics.observations, 5);
  EXPECT_NEAR(ProbabilisticSharpeRatio(returns), 0.511369, 5e-7);
  // One trial: the DSR is the PSR against 0.
  EXPECT_DOUBLE_EQ(DeflatedSharpeRatio(returns, 1.0, 0.3), ProbabilisticSharpeRatio(returns));
}

TEST(ProbabilisticSharpeRatio, EdgeCases) {
  EXPECT_TRUE(std::isnan(ProbabilisticSharpeRatio(std::vector<double>{})));
  EXPECT_TRUE(std::isnan(ProbabilisticSharpeRatio(std::vector<double>{0.01})));
  EXPECT_TRUE(std::isnan(ProbabilisticSharpeRatio(std::vector<double>{0.01, 0.01, 0.01})));  // zero variance
  // Extreme positive skew drives 1 - g3 SR + (g4 - 1)/4 SR^2 below 0.
  EXPECT_TRUE(std::isnan(ProbabilisticSharpeRatio(1.0, 0.0, 100, 5.0, 3.0)));
  EXPECT_TRUE(std::isnan(ProbabilisticSharpeRatio(0.1, 0.0, 1, 0.0, 3.0)));
}

TEST(DeflatedSharpeRatio, FromTrialSharpes) {
  const std::vector<double> returns = {0.01, -0.02, 0.015, 0.003, -0.007, 0.012, 0.004};
  const std::vector<double> trials = {0.01, 0.05, -0.02, 0.03};
  const double mean = (0.01 + 0.05 - 0.02 + 0.03) / 4;
  double variance = 0;
  for (const double sharpe : trials) variance += (sharpe - mean) * (sharpe - mean) / 4;  // ddof 0
  EXPECT_DOUBLE_EQ(DeflatedSharpeRatio(returns, trials), DeflatedSharpeRatio(returns, 4.0, variance));
  EXPECT_LT(DeflatedSharpeRatio(returns, trials), ProbabilisticSharpeRatio(returns));
  EXPECT_THROW(DeflatedSharpeRatio(returns, std::vector<double>{0.1, NAN}), Error);
}

TEST(MinimumTrackRecordLength, PaperExample) {
  EXPECT_NEAR(MinimumTrackRecordLength(kSharpe, 0.0, kSkew, kKurtosis, 0.05), 166.64, 5e-3);
  EXPECT_EQ(MinimumTrackRecordLength(0.1, 0.2, 0.0, 3.0), INFINITY);
  EXPECT_TRUE(std::isnan(MinimumTrackRecordLength(NAN, 0.0, 0.0, 3.0)));
  // With normal returns (skew 0, kurtosis 3) and SR* = 0: 1 + (1 + SR^2/2) (z / SR)^2.
  const double z = 1.6448536269514722;
  EXPECT_NEAR(MinimumTrackRecordLength(0.1, 0.0, 0.0, 3.0), 1 + (1 + 0.005) * (z / 0.1) * (z / 0.1), 1e-9);
}

}  // namespace
}  // namespace alphaloom::metrics
