#include "alphaloom/metrics/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace alphaloom::metrics {
namespace {

TEST(Statistics, SumKeepsDigitsNaiveSummationLoses) {
  // 1 + 1e-16 * 10 loses every small term when added left to right.
  std::vector<double> values = {1.0};
  for (int index = 0; index < 10; ++index) values.push_back(1e-16);
  EXPECT_DOUBLE_EQ(Sum(values), 1.0 + 1e-15);
  EXPECT_EQ(Sum({}), 0.0);
}

TEST(Statistics, MeanAndVarianceEdgeCases) {
  EXPECT_TRUE(std::isnan(Mean({})));
  EXPECT_TRUE(std::isnan(Variance(std::vector<double>{1.0}, 1)));
  EXPECT_EQ(Variance(std::vector<double>{1.0}, 0), 0.0);
  // A constant series has exactly zero variance, even where 0.1 * 3 / 3 != 0.1 in floating point.
  EXPECT_EQ(Variance(std::vector<double>{0.1, 0.1, 0.1}, 1), 0.0);
  EXPECT_DOUBLE_EQ(Variance(std::vector<double>{1, 2, 3, 4}, 1), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(Variance(std::vector<double>{1, 2, 3, 4}, 0), 1.25);
}

TEST(Statistics, PercentileInterpolatesLinearlyLikeNumpy) {
  const std::vector<double> values = {4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(Percentile(values, 0), 1.0);
  EXPECT_DOUBLE_EQ(Percentile(values, 100), 4.0);
  EXPECT_DOUBLE_EQ(Percentile(values, 50), 2.5);
  EXPECT_NEAR(Percentile(values, 5), 1.15, 1e-15);   // h = 3 * 0.05 = 0.15
  EXPECT_NEAR(Percentile(values, 95), 3.85, 1e-15);  // h = 2.85
  EXPECT_TRUE(std::isnan(Percentile({}, 50)));
  EXPECT_EQ(Percentile(std::vector<double>{7}, 5), 7.0);
}

TEST(Statistics, NormalQuantileMatchesPublishedValues) {
  // reference/finml.md section 5.2.
  EXPECT_NEAR(NormalQuantile(0.99), 2.326347874, 1e-9);
  EXPECT_NEAR(NormalQuantile(1.0 - 1.0 / (100.0 * std::exp(1.0))), 2.680210445, 1e-9);
  EXPECT_NEAR(NormalQuantile(0.975), 1.959963984540054, 1e-14);
  EXPECT_EQ(NormalQuantile(0.5), 0.0);
  EXPECT_EQ(NormalQuantile(0.0), -INFINITY);
  EXPECT_EQ(NormalQuantile(1.0), INFINITY);
  EXPECT_TRUE(std::isnan(NormalQuantile(1.5)));
  EXPECT_TRUE(std::isnan(NormalQuantile(NAN)));
}

TEST(Statistics, NormalQuantileInvertsTheCdfAcrossTheRange) {
  for (const double p : {1e-12, 1e-6, 0.001, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575, 0.999, 1 - 1e-9}) {
    const double x = NormalQuantile(p);
    const double tail = p > 0.5 ? 1.0 - p : p;
    const double back = p > 0.5 ? 1.0 - NormalCdf(x) : NormalCdf(x);
    EXPECT_NEAR(back / tail, 1.0, 1e-12) << "p = " << p;
  }
  EXPECT_NEAR(NormalQuantile(0.05), -NormalQuantile(0.95), 1e-14);
}

}  // namespace
}  // namespace alphaloom::metrics
