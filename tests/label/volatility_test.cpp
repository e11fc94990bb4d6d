#include "alphaloom/label/volatility.h"

#include <gtest/gtest.h>

#include <cmath>

namespace alphaloom::label {
namespace {

const double kNaN = std::nan("");

TEST(EwmStd, MatchesPandasReferenceValues) {
  // reference/finml.md section 1.1: pandas ewm(span=3).std().
  const std::vector<double> x = {0.01, -0.02, 0.015, 0.003, -0.007};
  const std::vector<double> expected = {kNaN, 0.0212132, 0.02044155, 0.01340682, 0.01128602};
  const auto got = EwmStd(x, 3);
  ASSERT_EQ(got.size(), x.size());
  EXPECT_TRUE(std::isnan(got[0]));
  for (size_t i = 1; i < x.size(); ++i) EXPECT_NEAR(got[i], expected[i], 5e-9) << i;
}

TEST(EwmStd, SkipsNaNAndIsStableFarFromZero) {
  const std::vector<double> x = {kNaN, 1e4 + 1e-3, kNaN, 1e4 - 1e-3, 1e4 + 1e-3};
  const auto got = EwmStd(x, 3);
  EXPECT_TRUE(std::isnan(got[0]) && std::isnan(got[1]) && std::isnan(got[2]));
  // Same numbers shifted to zero must give the same std (no cancellation at 1e4).
  const auto centred = EwmStd(std::vector<double>{kNaN, 1e-3, kNaN, -1e-3, 1e-3}, 3);
  EXPECT_NEAR(got[3], centred[3], 1e-12);
  EXPECT_NEAR(got[4], centred[4], 1e-12);
  EXPECT_GT(got[4], 0);
}

TEST(BookDailyReturns, MixesOneAndTwoDayReturnsOnDailyBars) {
  // Business days Mon 2024-01-01 .. Wed 2024-01-10 (reference/finml.md section 1.1).
  std::vector<Date> days;
  for (int day : {1, 2, 3, 4, 5, 8, 9, 10}) days.push_back(Date::FromYmd(2024, 1, day));
  const Calendar calendar(days);
  const std::vector<double> close = {100, 101, 102, 103, 104, 105, 106, 107};
  const auto got = BookDailyReturns(close, calendar);
  // Bases: Wed03->Mon01, Thu04->Tue02, Fri05->Wed03, Mon08->Fri05, Tue09->Fri05, Wed10->Mon08.
  EXPECT_TRUE(std::isnan(got[0]) && std::isnan(got[1]));
  EXPECT_DOUBLE_EQ(got[2], 102.0 / 100 - 1);
  EXPECT_DOUBLE_EQ(got[3], 103.0 / 101 - 1);
  EXPECT_DOUBLE_EQ(got[4], 104.0 / 102 - 1);
  EXPECT_DOUBLE_EQ(got[5], 105.0 / 104 - 1);
  EXPECT_DOUBLE_EQ(got[6], 106.0 / 104 - 1);
  EXPECT_DOUBLE_EQ(got[7], 107.0 / 105 - 1);
}

TEST(BarReturns, SkipsMissingBars) {
  const auto got = BarReturns(std::vector<double>{100, kNaN, 110, 99});
  EXPECT_TRUE(std::isnan(got[0]) && std::isnan(got[1]));
  EXPECT_DOUBLE_EQ(got[2], 110.0 / 100 - 1);
  EXPECT_DOUBLE_EQ(got[3], 99.0 / 110 - 1);
}

TEST(WilderAtr, SeedsWithTheMeanTrueRangeThenSmooths) {
  const std::vector<double> high = {11, 12, 13, 12, 14};
  const std::vector<double> low = {9, 10, 11, 10, 12};
  const std::vector<double> close = {10, 11, 12, 11, 13};
  // TR from bar 1: max(2, |12-10|, |10-10|) = 2; bar 2: 2; bar 3: max(2, 0, 2) = 2; bar 4: max(2, 3, 1) = 3.
  const auto got = WilderAtr(high, low, close, 2);
  EXPECT_TRUE(std::isnan(got[0]) && std::isnan(got[1]));
  EXPECT_DOUBLE_EQ(got[2], 2.0);
  EXPECT_DOUBLE_EQ(got[3], 2.0);
  EXPECT_DOUBLE_EQ(got[4], 2.5);
}

}  // namespace
}  // namespace alphaloom::label
