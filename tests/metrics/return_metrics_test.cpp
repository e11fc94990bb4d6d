// Every per-period return metric: empty input, zero variance, a value worked by hand, and the
// worked example of reference/finml.md section 6 (r = [0.01, -0.02, 0.015, 0.003, -0.007]),
// whose values were produced by empyrical-reloaded and quantstats.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "alphaloom/common/error.h"
#include "alphaloom/metrics/annual_return.h"
#include "alphaloom/metrics/annual_volatility.h"
#include "alphaloom/metrics/calmar_ratio.h"
#include "alphaloom/metrics/conditional_value_at_risk.h"
#include "alphaloom/metrics/conventions.h"
#include "alphaloom/metrics/cumulative_return.h"
#include "alphaloom/metrics/downside_deviation.h"
#include "alphaloom/metrics/excess_return.h"
#include "alphaloom/metrics/information_ratio.h"
#include "alphaloom/metrics/kurtosis.h"
#include "alphaloom/metrics/longest_drawdown_duration.h"
#include "alphaloom/metrics/max_drawdown.h"
#include "alphaloom/metrics/max_drawdown_duration.h"
#include "alphaloom/metrics/omega_ratio.h"
#include "alphaloom/metrics/profit_factor.h"
#include "alphaloom/metrics/sharpe_ratio.h"
#include "alphaloom/metrics/skewness.h"
#include "alphaloom/metrics/sortino_ratio.h"
#include "alphaloom/metrics/tail_ratio.h"
#include "alphaloom/metrics/turnover.h"
#include "alphaloom/metrics/value_at_risk.h"
#include "alphaloom/metrics/win_rate.h"

namespace alphaloom::metrics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
const std::vector<double> kFinml = {0.01, -0.02, 0.015, 0.003, -0.007};
const std::vector<double> kEmpty = {};
const std::vector<double> kFlat = {0.002, 0.002, 0.002, 0.002};
// Tolerance for the 9-significant-digit values printed in finml.md.
constexpr double kPrinted = 6e-10;

Conventions Summed() {
  Conventions conventions;
  conventions.compounding = Compounding::kSum;
  return conventions;
}

TEST(Conventions, PresetsAndValidation) {
  const Conventions qlib = *PresetConventions("qlib");
  EXPECT_EQ(qlib.periods_per_year, 238.0);
  EXPECT_EQ(qlib.compounding, Compounding::kSum);
  EXPECT_FALSE(qlib.initial_capital_is_peak);
  EXPECT_EQ(PresetConventions("default")->periods_per_year, 252.0);
  EXPECT_FALSE(PresetConventions("pandas").has_value());
  Conventions bad;
  bad.periods_per_year = 0;
  EXPECT_THROW(ValidateConventions(bad), Error);
  bad = {};
  bad.ddof = -1;
  EXPECT_THROW(ValidateConventions(bad), Error);
  bad = {};
  bad.risk_free_annual = -1;
  EXPECT_THROW(ValidateConventions(bad), Error);
}

TEST(Conventions, RiskFreeIsDeannualizedByTheCompounding) {
  Conventions conventions;
  conventions.risk_free_annual = 0.05;
  EXPECT_NEAR(RiskFreePerPeriod(conventions), std::pow(1.05, 1.0 / 252) - 1, 1e-18);
  conventions.compounding = Compounding::kSum;
  EXPECT_DOUBLE_EQ(RiskFreePerPeriod(conventions), 0.05 / 252);
}

TEST(Conventions, NanPolicySkipsOrZeroes) {
  const std::vector<double> with_nan = {0.01, kNaN, -0.02, 0.015};
  Conventions zero;
  zero.nan_policy = NanPolicy::kZero;
  EXPECT_EQ(PrepareReturns(with_nan, {}), (std::vector<double>{0.01, -0.02, 0.015}));
  EXPECT_EQ(PrepareReturns(with_nan, zero), (std::vector<double>{0.01, 0.0, -0.02, 0.015}));
  // finml.md section 6: empyrical skips (n = 3), quantstats zero-fills (n = 4).
  EXPECT_NEAR(SharpeRatio(with_nan), 1.397672, 5e-7);
  EXPECT_NEAR(SharpeRatio(with_nan, zero), 1.281982, 5e-7);
}

TEST(CumulativeReturn, CompoundedSummedAndEmpty) {
  EXPECT_NEAR(CumulativeReturn(kFinml), 0.000607314, kPrinted);
  EXPECT_NEAR(CumulativeReturn(std::vector<double>{0.1, -0.1}), 1.1 * 0.9 - 1, 1e-15);
  EXPECT_NEAR(CumulativeReturn(std::vector<double>{0.1, -0.1}, Summed()), 0.0, 1e-17);
  EXPECT_EQ(CumulativeReturn(kEmpty), 0.0);
}

TEST(AnnualReturn, CompoundedAndArithmetic) {
  EXPECT_NEAR(CompoundedAnnualReturn(kFinml), 0.031072328, kPrinted);
  EXPECT_NEAR(ArithmeticAnnualReturn(kFinml), 0.0504, 1e-15);
  EXPECT_DOUBLE_EQ(AnnualReturn(kFinml, Summed()), ArithmeticAnnualReturn(kFinml));
  EXPECT_DOUBLE_EQ(AnnualReturn(kFinml), CompoundedAnnualReturn(kFinml));
  // Two periods of +10% and 0% over a 2-period year: 1.1^(2/2) - 1.
  Conventions two;
  two.periods_per_year = 2;
  EXPECT_NEAR(CompoundedAnnualReturn(std::vector<double>{0.1, 0.0}, two), 0.1, 1e-15);
  EXPECT_NEAR(CompoundedAnnualReturn(kFlat), std::pow(1.002, 252) - 1, 1e-12);
  EXPECT_TRUE(std::isnan(CompoundedAnnualReturn(kEmpty)));
  EXPECT_TRUE(std::isnan(ArithmeticAnnualReturn(kEmpty)));
  EXPECT_EQ(CompoundedAnnualReturn(std::vector<double>{-1.0, 0.5}), -1.0);
  EXPECT_TRUE(std::isnan(CompoundedAnnualReturn(std::vector<double>{-1.5})));
}

TEST(AnnualVolatility, Values) {
  EXPECT_NEAR(AnnualVolatility(kFinml), 0.222072961, kPrinted);
  // [0.1, -0.05]: mean 0.025, sample std 0.075 * sqrt(2).
  EXPECT_NEAR(AnnualVolatility(std::vector<double>{0.1, -0.05}), 0.075 * std::sqrt(2.0) * std::sqrt(252.0), 1e-14);
  Conventions population;
  population.ddof = 0;
  EXPECT_NEAR(AnnualVolatility(std::vector<double>{0.1, -0.05}, population), 0.075 * std::sqrt(252.0), 1e-14);
  EXPECT_EQ(AnnualVolatility(kFlat), 0.0);
  EXPECT_TRUE(std::isnan(AnnualVolatility(kEmpty)));
  EXPECT_TRUE(std::isnan(AnnualVolatility(std::vector<double>{0.01})));
}

TEST(SharpeRatio, Values) {
  EXPECT_NEAR(SharpeRatio(kFinml), 0.226952438, kPrinted);
  EXPECT_NEAR(SharpeRatio(std::vector<double>{0.1, -0.05}), 0.025 / (0.075 * std::sqrt(2.0)) * std::sqrt(252.0),
              1e-13);
  Conventions with_rate;
  with_rate.risk_free_annual = 0.03;
  with_rate.periods_per_year = 12;
  const double rate = std::pow(1.03, 1.0 / 12) - 1;
  EXPECT_NEAR(SharpeRatio(std::vector<double>{0.1, -0.05}, with_rate),
              (0.025 - rate) / (0.075 * std::sqrt(2.0)) * std::sqrt(12.0), 1e-13);
}

TEST(SharpeRatio, EdgeCases) {
  EXPECT_TRUE(std::isnan(SharpeRatio(kEmpty)));
  EXPECT_TRUE(std::isnan(SharpeRatio(std::vector<double>{0.01})));
  EXPECT_EQ(SharpeRatio(kFlat), kInf);
  EXPECT_EQ(SharpeRatio(std::vector<double>{-0.01, -0.01}), -kInf);
  EXPECT_TRUE(std::isnan(SharpeRatio(std::vector<double>{0.0, 0.0, 0.0})));
}

TEST(DownsideDeviation, DividesByAllObservations) {
  EXPECT_NEAR(DownsideDeviation(kFinml), 0.150431380, kPrinted);
  // Only -0.02 and -0.007 are below 0; all five count in the mean of squares.
  EXPECT_NEAR(DownsideDeviation(kFinml), std::sqrt((0.02 * 0.02 + 0.007 * 0.007) / 5) * std::sqrt(252.0), 1e-15);
  EXPECT_EQ(DownsideDeviation(kFlat), 0.0);
  EXPECT_TRUE(std::isnan(DownsideDeviation(kEmpty)));
}

TEST(SortinoRatio, Values) {
  EXPECT_NEAR(SortinoRatio(kFinml), 0.335036480, kPrinted);
  // The wrong variants of finml.md must not be what we compute.
  EXPECT_GT(std::abs(SortinoRatio(kFinml) - 0.211895675), 0.1);
  EXPECT_GT(std::abs(SortinoRatio(kFinml) - 0.345383759), 0.01);
  EXPECT_NEAR(SortinoRatio(std::vector<double>{0.1, -0.05}), 0.025 / std::sqrt(0.05 * 0.05 / 2) * std::sqrt(252.0),
              1e-13);
}

TEST(SortinoRatio, EdgeCases) {
  EXPECT_TRUE(std::isnan(SortinoRatio(kEmpty)));
  EXPECT_TRUE(std::isnan(SortinoRatio(std::vector<double>{-0.01})));
  EXPECT_EQ(SortinoRatio(kFlat), kInf);                                        // no downside, positive mean
  EXPECT_EQ(SortinoRatio(std::vector<double>{0.01, 0.03}), kInf);               // no losses
  EXPECT_TRUE(std::isnan(SortinoRatio(std::vector<double>{0.0, 0.0, 0.0})));    // nothing at all
  EXPECT_LT(SortinoRatio(std::vector<double>{-0.01, -0.01}), 0);
}

TEST(MaxDrawdown, CompoundedFromTheStartingCapital) {
  EXPECT_NEAR(MaxDrawdown(kFinml), -0.02, 1e-15);
  // finml.md section 6: a first-day loss is a drawdown because the starting capital is a peak.
  EXPECT_NEAR(MaxDrawdown(std::vector<double>{-0.1, 0.05, 0.02}), -0.1, 1e-15);
  // Peak 1.1 after +10%, then -10% and -10%: 1.1 * 0.81 / 1.1 - 1.
  EXPECT_NEAR(MaxDrawdown(std::vector<double>{0.1, -0.1, -0.1, 0.3}), 0.81 - 1.0, 1e-15);
  EXPECT_EQ(MaxDrawdown(kFlat), 0.0);
  EXPECT_TRUE(std::isnan(MaxDrawdown(kEmpty)));
}

TEST(MaxDrawdown, SummedAndQlibRunningPeak) {
  const std::vector<double> returns = {-0.1, 0.05, -0.02};
  EXPECT_NEAR(MaxDrawdown(returns, Summed()), -0.1, 1e-15);
  // Qlib: the running peak starts at the first cumulative value (-0.1), so the deepest point is
  // C = -0.07 against the peak -0.05.
  EXPECT_NEAR(MaxDrawdown(returns, QlibConventions()), -0.02, 1e-15);
}

TEST(DrawdownDuration, MaxEpisodeAndLongest) {
  // Under water on periods 1-2 (shallow, recovered on 3), then 5-8 (deep, never recovered)...
  const std::vector<double> deep_last = {0.1, -0.01, -0.01, 0.05, 0.01, -0.2, 0.01, 0.01, 0.01};
  EXPECT_EQ(MaxDrawdownDuration(deep_last), 4.0);
  EXPECT_EQ(LongestDrawdownDuration(deep_last), 4.0);
  // ...and a long shallow episode with a short deep one: the two durations differ.
  const std::vector<double> long_shallow = {0.1, -0.01, 0.001, 0.001, 0.001, 0.001, 0.02, -0.3, 0.5};
  EXPECT_EQ(LongestDrawdownDuration(long_shallow), 5.0);
  EXPECT_EQ(MaxDrawdownDuration(long_shallow), 1.0);
  EXPECT_EQ(MaxDrawdownDuration(kFlat), 0.0);
  EXPECT_EQ(LongestDrawdownDuration(kFlat), 0.0);
  EXPECT_TRUE(std::isnan(MaxDrawdownDuration(kEmpty)));
  EXPECT_TRUE(std::isnan(LongestDrawdownDuration(kEmpty)));
  EXPECT_EQ(MaxDrawdownDuration(kFinml), 4.0);  // below the 1.01 peak from the second period on
}

TEST(CalmarRatio, Values) {
  EXPECT_NEAR(CalmarRatio(kFinml), 1.553616391, kPrinted);
  EXPECT_NEAR(CalmarRatio(kFinml), CompoundedAnnualReturn(kFinml) / 0.02, 1e-13);
  EXPECT_NEAR(CalmarRatio(kFinml, Summed()), ArithmeticAnnualReturn(kFinml) / 0.02, 1e-13);
  EXPECT_TRUE(std::isnan(CalmarRatio(kFlat)));  // no drawdown
  EXPECT_TRUE(std::isnan(CalmarRatio(kEmpty)));
}

TEST(WinRate, ZerosAreNeitherWinsNorLosses) {
  EXPECT_DOUBLE_EQ(WinRate(kFinml), 0.6);
  EXPECT_DOUBLE_EQ(WinRate(std::vector<double>{0.01, 0.0, -0.01, 0.0, 0.02}), 2.0 / 3.0);
  EXPECT_EQ(WinRate(kFlat), 1.0);
  EXPECT_TRUE(std::isnan(WinRate(std::vector<double>{0.0, 0.0})));
  EXPECT_TRUE(std::isnan(WinRate(kEmpty)));
}

TEST(ProfitFactor, Values) {
  EXPECT_NEAR(ProfitFactor(kFinml), 1.037037037, kPrinted);
  EXPECT_NEAR(ProfitFactor(kFinml), 0.028 / 0.027, 1e-14);
  EXPECT_EQ(ProfitFactor(kFlat), kInf);
  EXPECT_EQ(ProfitFactor(std::vector<double>{-0.01, -0.02}), 0.0);
  EXPECT_TRUE(std::isnan(ProfitFactor(std::vector<double>{0.0, 0.0})));
  EXPECT_TRUE(std::isnan(ProfitFactor(kEmpty)));
}

TEST(OmegaRatio, Values) {
  EXPECT_NEAR(OmegaRatio(kFinml), 1.037037037, kPrinted);
  // Against a 10% annual required return over 252 periods.
  const double threshold = std::pow(1.1, 1.0 / 252) - 1;
  double above = 0, below = 0;
  for (const double value : kFinml) {
    above += std::max(value - threshold, 0.0);
    below += std::max(threshold - value, 0.0);
  }
  EXPECT_NEAR(OmegaRatio(kFinml, {}, 0.1), above / below, 1e-13);
  EXPECT_TRUE(std::isnan(OmegaRatio(kFlat)));  // nothing below the threshold
  EXPECT_TRUE(std::isnan(OmegaRatio(kEmpty)));
  EXPECT_TRUE(std::isnan(OmegaRatio(kFinml, {}, -1.0)));
}

TEST(TailRatio, Values) {
  EXPECT_NEAR(TailRatio(kFinml), 0.804597701, kPrinted);
  EXPECT_NEAR(TailRatio(kFinml), 0.014 / 0.0174, 1e-14);
  EXPECT_TRUE(std::isnan(TailRatio(std::vector<double>{0.0, 0.0, 0.1})));  // 5th percentile is 0
  EXPECT_DOUBLE_EQ(TailRatio(kFlat), 1.0);
  EXPECT_TRUE(std::isnan(TailRatio(kEmpty)));
}

TEST(ValueAtRisk, HistoricalAndParametric) {
  EXPECT_NEAR(ValueAtRisk(kFinml), -0.0174, 1e-15);
  EXPECT_NEAR(ValueAtRisk(kFinml, {}, 0.95, TailMethod::kParametric), -0.022810321, kPrinted);
  EXPECT_NEAR(ValueAtRisk(kFinml, {}, 0.99, TailMethod::kParametric), 0.0002 - 0.013989282 * 2.326347874, 3e-9);
  EXPECT_DOUBLE_EQ(ValueAtRisk(kFlat), 0.002);
  EXPECT_DOUBLE_EQ(ValueAtRisk(kFlat, {}, 0.95, TailMethod::kParametric), 0.002);
  EXPECT_TRUE(std::isnan(ValueAtRisk(kEmpty)));
  EXPECT_TRUE(std::isnan(ValueAtRisk(std::vector<double>{0.01}, {}, 0.95, TailMethod::kParametric)));
}

TEST(ConditionalValueAtRisk, HistoricalAndParametric) {
  EXPECT_NEAR(ConditionalValueAtRisk(kFinml), -0.02, 1e-15);  // k = floor(4 * 0.05) = 0: the minimum
  std::vector<double> hundred;
  for (int index = 1; index <= 100; ++index) hundred.push_back(index / 1000.0 - 0.05);
  // k = floor(99 * 0.05) = 4: the mean of the five smallest, -0.049 ... -0.045.
  EXPECT_NEAR(ConditionalValueAtRisk(hundred), -0.047, 1e-15);
  // Normal expected shortfall: mean - sigma * phi(z) / 0.05 with z = Phi^-1(0.05).
  const double z = -1.6448536269514722;
  const double density = std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI);
  EXPECT_NEAR(ConditionalValueAtRisk(kFinml, {}, 0.95, TailMethod::kParametric),
              0.0002 - 0.013989282 * density / 0.05, 3e-9);
  // quantstats 0.0.86 `cvar(r)` (parametric) on the same series, measured in .venv-ref.
  EXPECT_NEAR(ConditionalValueAtRisk(kFinml, {}, 0.95, TailMethod::kParametric), -0.028655870347437735, 1e-15);
  EXPECT_DOUBLE_EQ(ConditionalValueAtRisk(kFlat), 0.002);
  EXPECT_DOUBLE_EQ(ConditionalValueAtRisk(kFlat, {}, 0.95, TailMethod::kParametric), 0.002);
  EXPECT_TRUE(std::isnan(ConditionalValueAtRisk(kEmpty)));
}

TEST(Moments, SkewnessAndKurtosis) {
  EXPECT_NEAR(Skewness(kFinml), -0.450317, 5e-7);
  EXPECT_NEAR(Skewness(kFinml, {}, MomentEstimator::kUnbiased), -0.671293, 5e-7);
  EXPECT_NEAR(Kurtosis(kFinml), -1.152280, 5e-7);
  EXPECT_NEAR(Kurtosis(kFinml, {}, KurtosisForm::kRaw), 1.847720, 5e-7);
  EXPECT_NEAR(Kurtosis(kFinml, {}, KurtosisForm::kExcess, MomentEstimator::kUnbiased), -0.609118, 5e-7);
  // A symmetric two-point distribution: skew 0, raw kurtosis 1.
  const std::vector<double> two_point = {-1, 1, -1, 1};
  EXPECT_NEAR(Skewness(two_point), 0.0, 1e-15);
  EXPECT_NEAR(Kurtosis(two_point, {}, KurtosisForm::kRaw), 1.0, 1e-15);
}

TEST(Moments, EdgeCases) {
  EXPECT_TRUE(std::isnan(Skewness(kEmpty)));
  EXPECT_TRUE(std::isnan(Kurtosis(kEmpty)));
  EXPECT_TRUE(std::isnan(Skewness(kFlat)));
  EXPECT_TRUE(std::isnan(Kurtosis(kFlat)));
  EXPECT_TRUE(std::isnan(Skewness(std::vector<double>{1, 2}, {}, MomentEstimator::kUnbiased)));
  EXPECT_TRUE(std::isnan(Kurtosis(std::vector<double>{1, 2, 4}, {}, KurtosisForm::kExcess, MomentEstimator::kUnbiased)));
}

TEST(Turnover, MeanAndAnnual) {
  const std::vector<double> turnover = {0.2, kNaN, 0.4};
  EXPECT_NEAR(MeanTurnover(turnover), 0.3, 1e-15);
  EXPECT_NEAR(AnnualTurnover(turnover), 0.3 * 252, 1e-12);
  EXPECT_NEAR(AnnualTurnover(turnover, QlibConventions()), 0.3 * 238, 1e-12);
  EXPECT_TRUE(std::isnan(MeanTurnover(kEmpty)));
  EXPECT_EQ(MeanTurnover(std::vector<double>{0.0, 0.0}), 0.0);
}

TEST(InformationRatio, AnnualizedActiveReturn) {
  const std::vector<double> returns = {0.01, 0.02, -0.01};
  const std::vector<double> benchmark = {0.005, 0.01, 0.0};
  // Active: 0.005, 0.01, -0.01; mean 0.005/3; sample std from the deviations.
  const double mean = 0.005 / 3;
  const double variance = (std::pow(0.005 - mean, 2) + std::pow(0.01 - mean, 2) + std::pow(-0.01 - mean, 2)) / 2;
  EXPECT_NEAR(InformationRatio(returns, benchmark), mean / std::sqrt(variance) * std::sqrt(252.0), 1e-12);
  EXPECT_TRUE(std::isnan(InformationRatio(kEmpty, kEmpty)));
  EXPECT_EQ(InformationRatio(std::vector<double>{0.5, 0.75}, std::vector<double>{0.25, 0.5}), kInf);
  EXPECT_TRUE(std::isnan(InformationRatio(kFlat, kFlat)));
  EXPECT_THROW(InformationRatio(returns, std::vector<double>{0.0}), Error);
  // A NaN on either side drops the period under kSkip.
  EXPECT_DOUBLE_EQ(InformationRatio(std::vector<double>{0.01, kNaN, 0.02, -0.01}, std::vector<double>{0.005, 0.0, 0.01, 0.0}),
                   InformationRatio(returns, benchmark));
}

TEST(ExcessReturn, WithAndWithoutCost) {
  const std::vector<double> returns = {0.01, 0.02};
  const std::vector<double> benchmark = {0.005, 0.01};
  const std::vector<double> costs = {0.001, 0.002};
  const std::vector<double> without = ExcessReturns(returns, benchmark);
  const std::vector<double> with = ExcessReturns(returns, benchmark, costs);
  EXPECT_NEAR(without[0], 0.005, 1e-17);
  EXPECT_NEAR(with[1], 0.008, 1e-17);
  EXPECT_NEAR(AnnualExcessReturn(returns, benchmark, costs, QlibConventions()), (0.004 + 0.008) / 2 * 238, 1e-13);
  EXPECT_NEAR(AnnualExcessReturn(returns, benchmark, {}, {}), std::pow(1.005 * 1.01, 252.0 / 2) - 1, 1e-12);
  EXPECT_THROW(ExcessReturns(returns, benchmark, std::vector<double>{0.1}), Error);
  EXPECT_TRUE(std::isnan(AnnualExcessReturn(kEmpty, kEmpty)));
}

}  // namespace
}  // namespace alphaloom::metrics
