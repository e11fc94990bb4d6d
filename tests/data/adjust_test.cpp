#include "alphaloom/data/adjust.h"

#include <gtest/gtest.h>

#include <cmath>

namespace alphaloom::data {
namespace {

RawBars FourBars() {
  RawBars bars;
  bars.instrument = "XYZ";
  for (int day = 0; day < 4; ++day) bars.dates.push_back(Date::FromYmd(2020, 1, 6 + day));
  bars.open = {100, 102, 51, 50};
  bars.high = {101, 103, 52, 51};
  bars.low = {99, 101, 50, 49};
  bars.close = {100, 102, 51, 50};
  bars.volume = {1000, 1000, 2000, 2000};
  return bars;
}

TEST(Adjust, FromAdjCloseFactorIsTheRatio) {
  RawBars bars = FourBars();
  bars.adj_close = {50, 51, 51, 50};
  const AdjustedBars adjusted = Adjust(bars);
  EXPECT_EQ(adjusted.adjustment, AdjustmentSource::kAdjClose);
  EXPECT_DOUBLE_EQ(adjusted.factor[0], 0.5);
  EXPECT_DOUBLE_EQ(adjusted.factor[3], 1.0);
  EXPECT_DOUBLE_EQ(adjusted.close[1], 51);
  EXPECT_DOUBLE_EQ(adjusted.open[0], 50);
  EXPECT_DOUBLE_EQ(adjusted.volume[0], 2000);  // volume / factor
  // Qlib's invariants: $close / $factor is the traded price, $volume * $factor the traded shares.
  for (size_t index = 0; index < 4; ++index) {
    EXPECT_DOUBLE_EQ(adjusted.close[index] / adjusted.factor[index], bars.close[index]);
    EXPECT_DOUBLE_EQ(adjusted.volume[index] * adjusted.factor[index], bars.volume[index]);
  }
  EXPECT_TRUE(std::isnan(adjusted.change[0]));
  EXPECT_NEAR(adjusted.change[2], 0.0, 1e-15);  // the split day is flat once adjusted
}

TEST(Adjust, FromSplitAndDividendColumns) {
  RawBars bars = FourBars();
  bars.split = {1, 1, 2, 1};       // 2-for-1 effective on the third bar
  bars.dividend = {0, 1.02, 0, 0}; // 1% of the previous close, ex on the second bar
  const AdjustedBars adjusted = Adjust(bars);
  EXPECT_EQ(adjusted.adjustment, AdjustmentSource::kSplitDividend);
  EXPECT_DOUBLE_EQ(adjusted.factor[3], 1.0);
  EXPECT_DOUBLE_EQ(adjusted.factor[2], 1.0);
  EXPECT_DOUBLE_EQ(adjusted.factor[1], 0.5);
  EXPECT_DOUBLE_EQ(adjusted.factor[0], 0.5 * (1.0 - 1.02 / 100.0));
  // CRSP/Yahoo convention: the ex-day adjusted return is close_1 / (close_0 - dividend) - 1.
  EXPECT_NEAR(adjusted.close[1] / adjusted.close[0] - 1.0, 102.0 / (100.0 - 1.02) - 1.0, 1e-12);
}

TEST(Adjust, AdjCloseWinsWhenBothKindsArePresent) {
  RawBars bars = FourBars();
  bars.split = {1, 1, 2, 1};
  bars.dividend = {0, 0, 0, 0};
  bars.adj_close = {25, 25.5, 25.5, 25};  // e.g. a spin-off the split column does not know
  EXPECT_EQ(Adjust(bars).adjustment, AdjustmentSource::kAdjClose);
  EXPECT_DOUBLE_EQ(Adjust(bars).factor[0], 0.25);
}

TEST(Adjust, NoAdjustmentInformationMeansFactorOne) {
  const AdjustedBars adjusted = Adjust(FourBars());
  EXPECT_EQ(adjusted.adjustment, AdjustmentSource::kNone);
  for (double factor : adjusted.factor) EXPECT_EQ(factor, 1.0);
  EXPECT_NEAR(adjusted.change[2], 51.0 / 102.0 - 1.0, 1e-15);
}

}  // namespace
}  // namespace alphaloom::data
