// Daily IC / rank IC and their summary, against reference/finml.md section 7's test vector.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "alphaloom/common/error.h"
#include "alphaloom/metrics/correlation.h"
#include "alphaloom/metrics/daily_ic.h"
#include "alphaloom/metrics/icir.h"

namespace alphaloom::metrics {
namespace {

ScoredRows FinmlRows() {
  ScoredRows rows;
  const Date first = Date::FromYmd(2024, 1, 2);
  const Date second = Date::FromYmd(2024, 1, 3);
  const std::vector<std::string> names = {"A", "B", "C", "D", "E"};
  const std::vector<double> factor2 = {5, 3, 3, 1, 2};
  const std::vector<double> forward2 = {-0.01, 0.02, 0.01, 0.03, 0.00};
  const std::vector<double> forward1 = {0.01, 0.00, 0.02, 0.03, 0.05};
  // Second day first and instruments reversed: the order of rows must not matter.
  for (size_t index = 5; index-- > 0;) {
    rows.dates.push_back(second);
    rows.instruments.push_back(names[index]);
    rows.scores.push_back(factor2[index]);
    rows.labels.push_back(forward2[index]);
  }
  for (size_t index = 0; index < 5; ++index) {
    rows.dates.push_back(first);
    rows.instruments.push_back(names[index]);
    rows.scores.push_back(static_cast<double>(index + 1));
    rows.labels.push_back(forward1[index]);
  }
  return rows;
}

TEST(Correlation, AverageRanksAndEdgeCases) {
  EXPECT_EQ(AverageRanks(std::vector<double>{5, 3, 3, 1, 2}), (std::vector<double>{5, 3.5, 3.5, 1, 2}));
  EXPECT_DOUBLE_EQ(PearsonCorrelation(std::vector<double>{1, 2, 3}, std::vector<double>{2, 4, 6}), 1.0);
  EXPECT_TRUE(std::isnan(PearsonCorrelation(std::vector<double>{1, 1, 1}, std::vector<double>{1, 2, 3})));
  EXPECT_TRUE(std::isnan(SpearmanCorrelation(std::vector<double>{1}, std::vector<double>{2})));
  // Pairwise complete: the NaN pair is dropped, leaving a perfect negative relation.
  EXPECT_DOUBLE_EQ(SpearmanCorrelation(std::vector<double>{1, NAN, 2, 3}, std::vector<double>{3, 0, 2, 1}), -1.0);
}

TEST(DailyIc, FinmlVector) {
  const DailyIc daily = ComputeDailyIc(FinmlRows());
  ASSERT_EQ(daily.dates.size(), 2u);
  EXPECT_EQ(daily.dates[0], Date::FromYmd(2024, 1, 2));
  EXPECT_NEAR(daily.rank_ic[0], 0.9, 1e-15);
  EXPECT_NEAR(daily.ic[0], 0.904194, 5e-7);
  EXPECT_NEAR(daily.rank_ic[1], -0.666886, 5e-7);
  EXPECT_NEAR(daily.ic[1], -0.746203, 5e-7);
  EXPECT_EQ(daily.pairs[1], 5u);
  const IcSummary rank = SummarizeIc(daily.rank_ic);
  EXPECT_NEAR(rank.mean, 0.116557, 5e-7);
  EXPECT_NEAR(rank.std, 1.107956, 5e-7);
  EXPECT_NEAR(rank.ir, 0.105200, 5e-7);
  EXPECT_EQ(rank.days, 2u);
}

TEST(DailyIc, DegenerateDaysAreNanAndSkipped) {
  ScoredRows rows = FinmlRows();
  const Date third = Date::FromYmd(2024, 1, 4);
  for (const char* name : {"A", "B", "C"}) {  // a constant score that day
    rows.dates.push_back(third);
    rows.instruments.push_back(name);
    rows.scores.push_back(1.0);
    rows.labels.push_back(0.01 * static_cast<double>(rows.labels.size()));
  }
  rows.dates.push_back(Date::FromYmd(2024, 1, 5));  // a single instrument
  rows.instruments.push_back("A");
  rows.scores.push_back(1.0);
  rows.labels.push_back(0.1);
  const DailyIc daily = ComputeDailyIc(rows);
  ASSERT_EQ(daily.dates.size(), 4u);
  EXPECT_TRUE(std::isnan(daily.ic[2]));
  EXPECT_TRUE(std::isnan(daily.rank_ic[3]));
  EXPECT_EQ(SummarizeIc(daily.rank_ic).days, 2u);
  EXPECT_NEAR(SummarizeIc(daily.rank_ic).mean, 0.116557, 5e-7);
}

TEST(DailyIc, BadInput) {
  ScoredRows rows = FinmlRows();
  rows.dates.push_back(Date::FromYmd(2024, 1, 2));
  rows.instruments.push_back("C");
  rows.scores.push_back(1.0);
  rows.labels.push_back(0.0);
  try {
    ComputeDailyIc(rows);
    FAIL() << "a duplicate row must be an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kData);
    EXPECT_NE(std::string(error.what()).find("C on 2024-01-02"), std::string::npos) << error.what();
  }
  rows.labels.pop_back();
  EXPECT_THROW(ComputeDailyIc(rows), Error);
  EXPECT_TRUE(ComputeDailyIc(ScoredRows{}).dates.empty());
}

TEST(IcSummary, EdgeCases) {
  const IcSummary empty = SummarizeIc(std::vector<double>{});
  EXPECT_TRUE(std::isnan(empty.mean));
  EXPECT_EQ(empty.days, 0u);
  const IcSummary one = SummarizeIc(std::vector<double>{0.05, NAN});
  EXPECT_DOUBLE_EQ(one.mean, 0.05);
  EXPECT_TRUE(std::isnan(one.std));
  EXPECT_TRUE(std::isnan(one.ir));
  EXPECT_EQ(SummarizeIc(std::vector<double>{0.05, 0.05}).ir, INFINITY);  // not annualized, zero std
}

}  // namespace
}  // namespace alphaloom::metrics
