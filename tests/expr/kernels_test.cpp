// Golden values produced by the real Qlib operator code (reference/qlib.md §2.7 and §2.8) and
// the named quirks of §2.2 / §2.5. The brute-force comparisons live in kernels_reference_test.cpp.
#include "alphaloom/expr/kernels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace alphaloom::expr::kernels {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Series = std::vector<double>;

using UnaryKernel = std::function<void(std::span<const double>, size_t, std::span<double>)>;

Series Compute(const UnaryKernel& kernel, const Series& x, size_t window) {
  Series out(x.size(), -12345.0);
  kernel(x, window, out);
  return out;
}

Series ComputePair(void (*kernel)(std::span<const double>, std::span<const double>, size_t, std::span<double>),
                   const Series& x, const Series& y, size_t window) {
  Series out(x.size(), -12345.0);
  kernel(x, y, window, out);
  return out;
}

// Qlib casts every result to float32; the golden tables print those floats.
void ExpectFloat32Near(const Series& actual, const Series& expected, double relative, const std::string& label) {
  ASSERT_EQ(actual.size(), expected.size()) << label;
  for (size_t row = 0; row < actual.size(); ++row) {
    if (std::isnan(expected[row])) {
      EXPECT_TRUE(std::isnan(actual[row])) << label << " row " << row << ": got " << actual[row];
      continue;
    }
    const double rounded = static_cast<float>(actual[row]);
    EXPECT_NEAR(rounded, expected[row], relative * std::fabs(expected[row]) + 1e-9)
        << label << " row " << row << ": got " << actual[row];
  }
}

// reference/qlib.md §2.7: window 3 over a tiny series with one suspended row.
const Series kClose = {10, 11, 10.5, kNaN, 12, 12, 11, 13.5};
const Series kVolume = {100, 120, 90, kNaN, 150, 150, 80, 200};

void ExpectGolden(const Series& actual, const Series& expected, const std::string& label) {
  ASSERT_EQ(actual.size(), expected.size()) << label;
  for (size_t row = 0; row < actual.size(); ++row) {
    if (std::isnan(expected[row])) {
      EXPECT_TRUE(std::isnan(actual[row])) << label << " row " << row << ": got " << actual[row];
    } else {
      // Printed with 6 decimals.
      EXPECT_NEAR(static_cast<float>(actual[row]), expected[row], 1e-6) << label << " row " << row;
    }
  }
}

TEST(KernelsGoldenTest, QlibTinySeriesWindowThree) {
  Series ref1(kClose.size());
  Ref(kClose, 1, ref1);
  ExpectGolden(ref1, {kNaN, 10, 11, 10.5, kNaN, 12, 12, 11}, "Ref");
  ExpectGolden(Compute(RollingMean, kClose, 3), {10, 10.5, 10.5, 10.75, 11.25, 12, 11.666667, 12.166667}, "Mean");
  ExpectGolden(Compute(RollingStd, kClose, 3), {kNaN, 0.707107, 0.5, 0.353553, 1.06066, 0, 0.57735, 1.258306}, "Std");
  ExpectGolden(Compute(RollingSum, kClose, 3), {10, 21, 31.5, 21.5, 22.5, 24, 35, 36.5}, "Sum");
  ExpectGolden(Compute(RollingMax, kClose, 3), {10, 11, 11, 11, 12, 12, 12, 13.5}, "Max");
  const auto quantile = [](std::span<const double> x, size_t window, std::span<double> out) {
    RollingQuantile(x, window, 0.8, out);
  };
  ExpectGolden(Compute(quantile, kClose, 3), {10, 10.8, 10.8, 10.9, 11.7, 12, 12, 12.9}, "Quantile");
  ExpectGolden(Compute(RollingRank, kClose, 3), {1, 1, 0.666667, kNaN, 1, 0.75, 0.333333, 1}, "Rank");
  ExpectGolden(Compute(RollingIdxMax, kClose, 3), {1, 2, 2, 3, 2, 1, 1, 3}, "IdxMax");
  ExpectGolden(Compute(RollingIdxMin, kClose, 3), {1, 1, 1, 3, 2, 1, 3, 2}, "IdxMin");
  ExpectGolden(Compute(RollingSlope, kClose, 3), {kNaN, 1, 0.25, -0.5, 0.75, 0, -0.5, 0.75}, "Slope");
  ExpectGolden(Compute(RollingRsquare, kClose, 3), {kNaN, 1, 0.25, 1, 1, kNaN, 0.75, 0.355263}, "Rsquare");
  ExpectGolden(Compute(RollingResi, kClose, 3), {kNaN, 0, -0.25, kNaN, 0, 0, -0.166667, 0.583333}, "Resi");
  ExpectGolden(ComputePair(RollingCorr, kClose, kVolume, 3), {kNaN, 1, 0.654654, 1, 1, kNaN, 1, 0.977845}, "Corr");
  ExpectGolden(Compute(RollingWmaQlib, kClose, 3), {10, 5.333334, 3.527778, 2.666667, 3.875, 5, 3.833333, 4.138889},
               "WMA");
  Series ema(kClose.size());
  Ema(kClose, 3, ema);
  ExpectGolden(ema, {10, 10.666667, 10.571428, 10.571428, 11.565217, 11.818182, 11.378151, 12.477733}, "EMA");
}

TEST(KernelsGoldenTest, QlibTinySeriesComposites) {
  Series previous(kClose.size());
  Ref(kClose, 1, previous);
  // $close > Ref($close, 1): a comparison with NaN is False, so NaN rows count as "not up".
  Series up(kClose.size());
  Series gain(kClose.size());
  for (size_t row = 0; row < kClose.size(); ++row) {
    up[row] = kClose[row] > previous[row] ? 1.0 : 0.0;
    const double change = kClose[row] - previous[row];
    gain[row] = std::isnan(change) ? kNaN : std::max(change, 0.0);  // Greater propagates NaN
  }
  ExpectGolden(Compute(RollingMean, up, 3), {0, 0.5, 0.333333, 0.333333, 0, 0, 0, 0.333333}, "Mean(up)");
  ExpectGolden(Compute(RollingSum, gain, 3), {kNaN, 1, 1, 1, 0, 0, 0, 2.5}, "Sum(gain)");
  Series two_back(kClose.size());
  Ref(kClose, 2, two_back);
  Series delta(kClose.size());
  for (size_t row = 0; row < kClose.size(); ++row) delta[row] = kClose[row] - two_back[row];
  ExpectGolden(delta, {kNaN, kNaN, 0.5, kNaN, 1.5, kNaN, -1, 1.5}, "Delta");
}

// reference/qlib.md §2.8: the synthetic instrument, its fields stored as float32, row 70 a
// suspension, row 90 zero volume; Alpha158 features built from one kernel each, combined the
// way Qlib's float32 / float64 arithmetic combines them.
struct Bars {
  Series open, high, low, close, volume;
};

Bars SyntheticInstrument() {
  constexpr size_t kRows = 130;
  Bars bars;
  for (size_t row = 0; row < kRows; ++row) {
    const double t = static_cast<double>(row);
    const double close = 10 + std::sin(t / 3) + 0.05 * t + 0.3 * std::cos(1.7 * t);
    const double open = close - 0.2 * std::sin(1.3 * t);
    const double high = std::max(open, close) + 0.15 + 0.1 * std::fabs(std::sin(0.7 * t));
    const double low = std::min(open, close) - 0.12 - 0.1 * std::fabs(std::cos(0.9 * t));
    const double volume = 1e6 * (1.5 + std::sin(t / 5)) + 1000 * t;
    const auto store = [](double value) { return static_cast<double>(static_cast<float>(value)); };
    bars.open.push_back(store(open));
    bars.high.push_back(store(high));
    bars.low.push_back(store(low));
    bars.close.push_back(store(close));
    bars.volume.push_back(store(volume));
  }
  for (Series* field : {&bars.open, &bars.high, &bars.low, &bars.close, &bars.volume}) (*field)[70] = kNaN;
  bars.volume[90] = 0.0;
  return bars;
}

constexpr size_t kGoldenRows[] = {0, 1, 2, 70, 71, 100};

Series AtGoldenRows(const Series& feature) {
  Series picked;
  for (size_t row : kGoldenRows) picked.push_back(feature[row]);
  return picked;
}

Series Divide(const Series& numerator, const Series& denominator) {
  Series out(numerator.size());
  for (size_t row = 0; row < out.size(); ++row) out[row] = numerator[row] / denominator[row];
  return out;
}

Series Scale(const Series& x, double factor) {
  Series out(x.size());
  for (size_t row = 0; row < out.size(); ++row) out[row] = x[row] * factor;
  return out;
}

TEST(KernelsGoldenTest, QlibAlpha158SyntheticRows) {
  const Bars bars = SyntheticInstrument();
  const Series& close = bars.close;
  const auto per_close = [&](const UnaryKernel& kernel, const Series& x, size_t window) {
    return AtGoldenRows(Divide(Compute(kernel, x, window), close));
  };
  const auto quantile = [](double q) {
    return [q](std::span<const double> x, size_t window, std::span<double> out) { RollingQuantile(x, window, q, out); };
  };
  // $volume + 1e-12 stays float32: the constant vanishes unless the volume is 0.
  Series volume_guarded(close.size());
  Series log_volume(close.size());
  Series up(close.size());
  for (size_t row = 0; row < close.size(); ++row) {
    const auto volume = static_cast<float>(bars.volume[row]);
    volume_guarded[row] = static_cast<float>(volume + 1e-12f);
    log_volume[row] = std::log(volume + 1.0f);
    up[row] = row > 0 && close[row] > close[row - 1] ? 1.0 : 0.0;
  }
  Series roc5(close.size());
  Series roc60(close.size());
  Ref(close, 5, roc5);
  Ref(close, 60, roc60);

  constexpr double kPrinted = 2e-6;  // 7 significant digits, then float32
  ExpectFloat32Near(per_close(RollingMean, close, 5), {1, 0.998136, 0.993028, kNaN, 1.006412, 0.9751106}, kPrinted,
                    "MA5");
  ExpectFloat32Near(per_close(RollingMean, close, 60), {1, 0.998136, 0.993028, kNaN, 0.9509212, 0.8381699}, kPrinted,
                    "MA60");
  ExpectFloat32Near(per_close(RollingStd, close, 5), {kNaN, 0.002636009, 0.006314389, kNaN, 0.02758946, 0.01770953},
                    kPrinted, "STD5");
  ExpectFloat32Near(per_close(RollingStd, close, 60), {kNaN, 0.002636009, 0.006314389, kNaN, 0.09471174, 0.07156631},
                    kPrinted, "STD60");
  ExpectFloat32Near(per_close(RollingSlope, close, 5), {kNaN, 0.00372788, 0.006152961, kNaN, -0.009125011, 0.009318314},
                    kPrinted, "BETA5");
  ExpectFloat32Near(per_close(RollingSlope, close, 60), {kNaN, 0.00372788, 0.006152961, kNaN, 0.004280848, 0.00306442},
                    kPrinted, "BETA60");
  ExpectFloat32Near(AtGoldenRows(Compute(RollingRsquare, close, 5)),
                    {kNaN, 1, 0.9495234, 0.9181611, 0.3190562, 0.6921504}, kPrinted, "RSQR5");
  ExpectFloat32Near(AtGoldenRows(Compute(RollingRsquare, close, 20)),
                    {kNaN, 1, 0.9495234, 0.2971204, 0.1389762, 0.2515671}, kPrinted, "RSQR20");
  ExpectFloat32Near(AtGoldenRows(Compute(RollingRsquare, close, 60)),
                    {kNaN, 1, 0.9495234, 0.6280223, 0.60474, 0.5688491}, kPrinted, "RSQR60");
  ExpectFloat32Near(per_close(RollingResi, close, 5), {kNaN, 0, 0.0008190597, kNaN, 0.01411957, 0.006252785}, kPrinted,
                    "RESI5");
  ExpectFloat32Near(per_close(RollingResi, close, 60), {kNaN, 0, 0.0008190597, kNaN, -0.07927415, 0.07145572}, kPrinted,
                    "RESI60");
  ExpectFloat32Near(per_close(RollingMax, bars.high, 5), {1.014563, 1.02074, 1.023834, kNaN, 1.072618, 1.025485},
                    kPrinted, "MAX5");
  ExpectFloat32Near(per_close(RollingMax, bars.high, 60), {1.014563, 1.02074, 1.023834, kNaN, 1.147905, 1.025485},
                    kPrinted, "MAX60");
  ExpectFloat32Near(per_close(RollingMin, bars.low, 5), {0.9786407, 0.9637403, 0.9554424, kNaN, 0.9553151, 0.9330629},
                    kPrinted, "MIN5");
  ExpectFloat32Near(per_close(RollingMin, bars.low, 60), {0.9786407, 0.9637403, 0.9554424, kNaN, 0.7314285, 0.6810746},
                    kPrinted, "MIN60");
  ExpectFloat32Near(per_close(quantile(0.8), close, 5), {1, 0.9992544, 0.9965559, kNaN, 1.018775, 0.9898831}, kPrinted,
                    "QTLU5");
  ExpectFloat32Near(per_close(quantile(0.2), close, 60), {1, 0.9970177, 0.9891724, kNaN, 0.8740937, 0.7712321},
                    kPrinted, "QTLD60");
  ExpectFloat32Near(AtGoldenRows(Compute(RollingRank, close, 5)), {1, 1, 1, kNaN, 0.75, 1}, kPrinted, "RANK5");
  ExpectFloat32Near(AtGoldenRows(Compute(RollingRank, close, 60)), {1, 1, 1, kNaN, 0.6949152, 1}, kPrinted, "RANK60");
  ExpectFloat32Near(AtGoldenRows(Scale(Compute(RollingIdxMax, bars.high, 5), 1.0 / 5)), {0.2, 0.4, 0.6, 1, 0.8, 1},
                    kPrinted, "IMAX5");
  // Row 100: the suspension 30 rows back still pins IdxMax / IdxMin to its position.
  ExpectFloat32Near(AtGoldenRows(Scale(Compute(RollingIdxMax, bars.high, 60), 1.0 / 60)),
                    {0.01666667, 0.03333334, 0.05, 1, 0.9833333, 0.5}, kPrinted, "IMAX60");
  ExpectFloat32Near(AtGoldenRows(Scale(Compute(RollingIdxMin, bars.low, 5), 1.0 / 5)), {0.2, 0.4, 0.4, 1, 0.8, 0.6},
                    kPrinted, "IMIN5");
  ExpectFloat32Near(AtGoldenRows(Scale(Compute(RollingIdxMin, bars.low, 60), 1.0 / 60)),
                    {0.01666667, 0.03333334, 0.03333334, 1, 0.9833333, 0.5}, kPrinted, "IMIN60");
  ExpectFloat32Near(AtGoldenRows(ComputePair(RollingCorr, close, log_volume, 5)),
                    {kNaN, 1, 0.9633465, -0.9628853, -0.8030671, 0.7574266}, kPrinted, "CORR5");
  // numpy's float32 log and libm's differ by an ulp now and then; a correlation of 0.004 turns
  // that into a few 1e-6 of itself.
  ExpectFloat32Near(AtGoldenRows(ComputePair(RollingCorr, close, log_volume, 60)),
                    {kNaN, 1, 0.9633465, -0.03322312, 0.003970579, 0.08429325}, 2e-5, "CORR60");
  ExpectFloat32Near(AtGoldenRows(Compute(RollingMean, up, 5)), {0, 0.5, 0.6666667, 0.2, 0, 0.8}, kPrinted, "CNTP5");
  ExpectFloat32Near(AtGoldenRows(Divide(Compute(RollingMean, bars.volume, 5), volume_guarded)),
                    {1, 0.9412623, 0.8972257, kNaN, 0.9552509, 0.8965546}, kPrinted, "VMA5");
  ExpectFloat32Near(AtGoldenRows(Divide(Compute(RollingStd, bars.volume, 5), volume_guarded)),
                    {kNaN, 0.08306766, 0.1034792, kNaN, 0.04432195, 0.09114988}, kPrinted, "VSTD5");
  ExpectFloat32Near(AtGoldenRows(Divide(roc5, close)), {kNaN, kNaN, kNaN, kNaN, 1.067155, 0.9192345}, kPrinted, "ROC5");
  ExpectFloat32Near(AtGoldenRows(Divide(roc60, close)), {kNaN, kNaN, kNaN, kNaN, 0.8191059, 0.7906579}, kPrinted,
                    "ROC60");
  // Zero volume explodes through the 1e-12 guard instead of giving inf (§2.5).
  const Series vma5 = Divide(Compute(RollingMean, bars.volume, 5), volume_guarded);
  const Series vstd5 = Divide(Compute(RollingStd, bars.volume, 5), volume_guarded);
  EXPECT_NEAR(static_cast<float>(vma5[90]), 5.088788e17, 1e11);
  EXPECT_NEAR(static_cast<float>(vstd5[90]), 2.893974e17, 1e11);
}

TEST(KernelsQuirkTest, QlibWmaDividesByValidCount) {
  const Series x = {10, 11};
  // Weights 1/3 and 2/3, then nanmean: (10/3 + 22/3) / 2, not 32/3.
  EXPECT_DOUBLE_EQ(Compute(RollingWmaQlib, x, 3)[1], 16.0 / 3.0);
  EXPECT_DOUBLE_EQ(Compute(RollingWma, x, 3)[1], 32.0 / 3.0);
  // A NaN row keeps its weight slot: [11, NaN, 12] weighs 1/6, -, 3/6 and divides by 2 values.
  const Series gap = {11, kNaN, 12};
  EXPECT_DOUBLE_EQ(Compute(RollingWmaQlib, gap, 3)[2], (11.0 / 6 + 36.0 / 6) / 2);
  EXPECT_DOUBLE_EQ(Compute(RollingWma, gap, 3)[2], (11.0 + 36.0) / 4);
}

TEST(KernelsQuirkTest, RefZeroBroadcastsFirstRow) {
  const Series x = {3, kNaN, 5, 7};
  Series out(x.size());
  Ref(x, 0, out);
  EXPECT_EQ(out, Series({3, 3, 3, 3}));
  const Series leading_nan = {kNaN, 1, 2};
  Series nan_out(leading_nan.size(), 0.0);
  Ref(leading_nan, 0, nan_out);
  for (double v : nan_out) EXPECT_TRUE(std::isnan(v));
}

TEST(KernelsQuirkTest, RefLooksAheadForNegativeShift) {
  const Series x = {1, 2, 3, 4};
  Series out(x.size());
  Ref(x, -1, out);
  EXPECT_EQ(out[0], 2);
  EXPECT_EQ(out[2], 4);
  EXPECT_TRUE(std::isnan(out[3]));
  Ref(x, std::numeric_limits<long>::min(), out);
  for (double v : out) EXPECT_TRUE(std::isnan(v));
  Ref(x, std::numeric_limits<long>::max(), out);
  for (double v : out) EXPECT_TRUE(std::isnan(v));
}

TEST(KernelsQuirkTest, RankOfFirstRowIsOne) {
  const Series x = {42, kNaN, 41};
  const Series rank = Compute(RollingRank, x, 5);
  EXPECT_EQ(rank[0], 1.0);
  EXPECT_TRUE(std::isnan(rank[1]));  // current value NaN
  EXPECT_EQ(rank[2], 0.5);           // NaN excluded from the count
}

TEST(KernelsQuirkTest, IdxMaxReportsFirstNaNInWindow) {
  const Series x = {10.5, kNaN, 12, 9, kNaN, kNaN, kNaN};
  const Series idx_max = Compute(RollingIdxMax, x, 3);
  EXPECT_EQ(idx_max[2], 2.0);           // [10.5, NaN, 12]: the NaN wins over the true max at 3
  EXPECT_EQ(idx_max[3], 1.0);           // [NaN, 12, 9]
  EXPECT_EQ(idx_max[4], 3.0);           // [12, 9, NaN]
  EXPECT_EQ(idx_max[5], 2.0);           // [9, NaN, NaN]
  EXPECT_TRUE(std::isnan(idx_max[6]));  // all NaN
  const Series idx_min = Compute(RollingIdxMin, x, 3);
  EXPECT_EQ(idx_min[2], 2.0);
  EXPECT_EQ(idx_min[4], 3.0);
  const Series skip_max = Compute(RollingIdxMaxSkipNaN, x, 3);
  EXPECT_EQ(skip_max[2], 3.0);
  EXPECT_EQ(skip_max[4], 1.0);
  EXPECT_EQ(skip_max[5], 1.0);
  EXPECT_TRUE(std::isnan(skip_max[6]));
  EXPECT_EQ(Compute(RollingIdxMinSkipNaN, x, 3)[4], 2.0);
}

TEST(KernelsQuirkTest, IdxMaxTiesGoToEarliest) {
  const Series x = {5, 7, 7, 3, 7};
  EXPECT_EQ(Compute(RollingIdxMax, x, 3), Series({1, 2, 2, 1, 1}));
  EXPECT_EQ(Compute(RollingIdxMin, Series({2, 2, 1, 1, 1}), 0), Series({1, 1, 3, 3, 3}));
}

TEST(KernelsQuirkTest, TwoPointsFitExactly) {
  const Series x = {3, 8, kNaN};
  const Series y = {1, -4, 2};
  EXPECT_EQ(ComputePair(RollingCorr, x, y, 5)[1], -1.0);
  EXPECT_EQ(ComputePair(RollingCorr, x, Series({1, 4, 2}), 5)[1], 1.0);
  EXPECT_EQ(Compute(RollingRsquare, x, 5)[1], 1.0);
  EXPECT_EQ(Compute(RollingResi, x, 5)[1], 0.0);
  EXPECT_EQ(Compute(RollingSlope, x, 5)[1], 5.0);
  // The current row is NaN: Slope and Rsquare still use the two others, Resi is NaN.
  EXPECT_EQ(Compute(RollingSlope, x, 5)[2], 5.0);
  EXPECT_EQ(Compute(RollingRsquare, x, 5)[2], 1.0);
  EXPECT_TRUE(std::isnan(Compute(RollingResi, x, 5)[2]));
}

TEST(KernelsQuirkTest, WarmUpNeedsEnoughValues) {
  const Series x = {4, 6, 5, 9, 2};
  EXPECT_TRUE(std::isnan(Compute(RollingStd, x, 5)[0]));
  EXPECT_TRUE(std::isnan(Compute(RollingVar, x, 5)[0]));
  EXPECT_TRUE(std::isnan(Compute(RollingSlope, x, 5)[0]));
  EXPECT_TRUE(std::isnan(Compute(RollingRsquare, x, 5)[0]));
  EXPECT_TRUE(std::isnan(Compute(RollingResi, x, 5)[0]));
  EXPECT_TRUE(std::isnan(ComputePair(RollingCorr, x, x, 5)[0]));
  EXPECT_TRUE(std::isnan(ComputePair(RollingCov, x, x, 5)[0]));
  EXPECT_TRUE(std::isnan(Compute(RollingSkew, x, 5)[1]));
  EXPECT_FALSE(std::isnan(Compute(RollingSkew, x, 5)[2]));
  EXPECT_TRUE(std::isnan(Compute(RollingKurt, x, 5)[2]));
  EXPECT_FALSE(std::isnan(Compute(RollingKurt, x, 5)[3]));
  // Window 1: one value per window, never a variance.
  for (double v : Compute(RollingStd, x, 1)) EXPECT_TRUE(std::isnan(v));
  EXPECT_EQ(Compute(RollingMean, x, 1), x);
}

TEST(KernelsQuirkTest, AllNaNWindow) {
  const Series x = {1, kNaN, kNaN, kNaN, 2};
  const std::vector<std::pair<std::string, UnaryKernel>> nan_kernels = {
      {"Sum", RollingSum},       {"Mean", RollingMean},       {"Max", RollingMax},   {"Min", RollingMin},
      {"Median", RollingMedian}, {"Mad", RollingMad},         {"Rank", RollingRank}, {"IdxMax", RollingIdxMax},
      {"Slope", RollingSlope},   {"WmaQlib", RollingWmaQlib}, {"Wma", RollingWma},   {"Std", RollingStd},
  };
  for (const auto& [name, kernel] : nan_kernels) {
    const Series out = Compute(kernel, x, 2);
    EXPECT_TRUE(std::isnan(out[2])) << name << " of an all-NaN window: " << out[2];
    EXPECT_TRUE(std::isnan(out[3])) << name;
  }
  EXPECT_EQ(Compute(RollingCount, x, 2), Series({1, 1, 0, 0, 1}));
  // The value after the gap starts afresh.
  EXPECT_EQ(Compute(RollingSum, x, 2)[4], 2.0);
  EXPECT_EQ(Compute(RollingMean, x, 2)[4], 2.0);
}

TEST(KernelsQuirkTest, FlatWindowsAreMaskedForRsquareAndCorr) {
  // Std of [1, 1 + 1e-5, 1 + 2e-5] is 1e-5: within Qlib's absolute 2e-5 of 0.
  const Series flat = {1, 1 + 1e-5, 1 + 2e-5, 1 + 1e-5, 5, 9};
  const Series rsquare = Compute(RollingRsquare, flat, 3);
  EXPECT_TRUE(std::isnan(rsquare[1]));
  EXPECT_TRUE(std::isnan(rsquare[2]));
  EXPECT_TRUE(std::isnan(rsquare[3]));
  EXPECT_FALSE(std::isnan(rsquare[4]));
  // Expanding Rsquare has no mask.
  EXPECT_NEAR(Compute(RollingRsquare, flat, 0)[2], 1.0, 1e-9);
  const Series moving = {3, 1, 4, 1, 5, 9};
  const Series corr = ComputePair(RollingCorr, moving, flat, 3);
  EXPECT_TRUE(std::isnan(corr[2]));
  EXPECT_TRUE(std::isnan(corr[3]));
  EXPECT_FALSE(std::isnan(corr[5]));
  EXPECT_TRUE(std::isnan(ComputePair(RollingCorr, flat, moving, 3)[2]));
  // Std 3e-5 is past the mask.
  const Series wider = {1, 1 + 3e-5, 1 + 6e-5};
  EXPECT_NEAR(Compute(RollingRsquare, wider, 3)[2], 1.0, 1e-9);
  // The mask looks at each input's own rows, not the complete pairs: x varies on its own rows
  // but is constant where y exists.
  const Series x = {2, 7, 7, 7};
  const Series y = {kNaN, 1, 2, 4};
  EXPECT_FALSE(std::isnan(Compute(RollingStd, x, 4)[3]));
  EXPECT_TRUE(std::isnan(ComputePair(RollingCorr, x, y, 4)[3]));  // undefined: x has no spread over the pairs
  EXPECT_EQ(ComputePair(RollingCov, x, y, 4)[3], 0.0);
}

TEST(KernelsQuirkTest, ConstantWindowsAreExact) {
  // Values that do not add up exactly in binary, preceded by different values that leave the window.
  Series x = {3.7, 1e4 + 0.3, 2.2};
  for (int k = 0; k < 8; ++k) x.push_back(0.1);
  for (int k = 0; k < 8; ++k) x.push_back(1e4 + 0.1);
  const size_t last = x.size() - 1;
  constexpr size_t kWindow = 5;
  EXPECT_EQ(Compute(RollingVar, x, kWindow)[last], 0.0);
  EXPECT_EQ(Compute(RollingStd, x, kWindow)[last], 0.0);
  EXPECT_EQ(Compute(RollingVar, x, kWindow)[10], 0.0);
  EXPECT_EQ(Compute(RollingSkew, x, kWindow)[last], 0.0);
  EXPECT_EQ(Compute(RollingKurt, x, kWindow)[last], -3.0);
  EXPECT_EQ(Compute(RollingMean, x, kWindow)[last], 1e4 + 0.1);
  EXPECT_EQ(Compute(RollingSum, x, kWindow)[last], (1e4 + 0.1) * 5);
  EXPECT_EQ(Compute(RollingMedian, x, kWindow)[last], 1e4 + 0.1);
  EXPECT_EQ(Compute(RollingMad, x, kWindow)[last], 0.0);
  EXPECT_EQ(Compute(RollingSlope, x, kWindow)[last], 0.0);
  EXPECT_EQ(Compute(RollingResi, x, kWindow)[last], 0.0);
  EXPECT_TRUE(std::isnan(Compute(RollingRsquare, x, kWindow)[last]));
  EXPECT_EQ(ComputePair(RollingCov, x, Compute(RollingCount, x, 0), kWindow)[last], 0.0);
  EXPECT_TRUE(std::isnan(ComputePair(RollingCorr, x, Compute(RollingCount, x, 0), kWindow)[last]));
  // A NaN inside a constant window changes nothing.
  x[last - 1] = kNaN;
  EXPECT_EQ(Compute(RollingStd, x, kWindow)[last], 0.0);
  EXPECT_EQ(Compute(RollingKurt, x, kWindow)[last], -3.0);
}

TEST(KernelsQuirkTest, QuantileEndsAndInvalidQ) {
  const Series x = {3, 1, 2, kNaN, 5};
  const auto quantile = [](double q) {
    return [q](std::span<const double> values, size_t window, std::span<double> out) {
      RollingQuantile(values, window, q, out);
    };
  };
  EXPECT_EQ(Compute(quantile(0.0), x, 3), Series({3, 1, 1, 1, 2}));
  EXPECT_EQ(Compute(quantile(1.0), x, 3), Series({3, 3, 3, 2, 5}));
  EXPECT_EQ(Compute(quantile(0.5), x, 3), Compute(RollingMedian, x, 3));
  for (double q : {-0.1, 1.5, kNaN}) {
    for (double v : Compute(quantile(q), x, 3)) EXPECT_TRUE(std::isnan(v)) << "q = " << q;
  }
}

TEST(KernelsQuirkTest, EmaSpansAlphasAndQlibExpanding) {
  const Series x = {kNaN, 2, kNaN, 4};
  Series out(x.size());
  Ema(x, 3, out);  // alpha 0.5; the NaN row still ages the old weight
  EXPECT_TRUE(std::isnan(out[0]));
  EXPECT_EQ(out[1], 2.0);
  EXPECT_EQ(out[2], 2.0);
  EXPECT_DOUBLE_EQ(out[3], (0.25 * 2 + 4) / 1.25);
  Ema(x, 0.5, out);  // 0 < value < 1 is alpha itself
  EXPECT_DOUBLE_EQ(out[3], (0.25 * 2 + 4) / 1.25);
  Ema(x, 1, out);  // span 1: alpha 1, the last value carried forward
  EXPECT_EQ(out[2], 2.0);
  EXPECT_EQ(out[3], 4.0);
  for (double bad : {-1.0, kNaN}) {
    Ema(x, bad, out);
    for (double v : out) EXPECT_TRUE(std::isnan(v)) << bad;
  }
  // EMA(x, 0): a = 1 - 2/(1+L) over the L rows so far, weights a^(L-1-k) normalised.
  const Series y = {1, 2, 3};
  Series expanding(y.size());
  Ema(y, 0, expanding);
  EXPECT_DOUBLE_EQ(expanding[0], 1.0);
  EXPECT_DOUBLE_EQ(expanding[1], 0.25 * 1 + 0.75 * 2);
  EXPECT_DOUBLE_EQ(expanding[2], (0.25 * 1 + 0.5 * 2 + 1 * 3) / 1.75);
}

TEST(KernelsEdgeTest, EmptyAndTinySeriesNeverFail) {
  const Series empty;
  Series none;
  for (size_t window : {0, 1, 5}) {
    for (const UnaryKernel& kernel : std::vector<UnaryKernel>{
             RollingSum,    RollingMean,          RollingVar,          RollingStd,     RollingSkew, RollingKurt,
             RollingMax,    RollingMin,           RollingCount,        RollingMedian,  RollingMad,  RollingRank,
             RollingIdxMax, RollingIdxMin,        RollingSlope,        RollingRsquare, RollingResi, RollingWmaQlib,
             RollingWma,    RollingIdxMaxSkipNaN, RollingIdxMinSkipNaN}) {
      kernel(empty, window, none);
    }
    RollingQuantile(empty, window, 0.5, none);
    RollingCorr(empty, empty, window, none);
    RollingCov(empty, empty, window, none);
  }
  Ema(empty, 3, none);
  Ema(empty, 0, none);
  Ref(empty, 1, none);
  Ref(empty, 0, none);
  // A window far longer than the series behaves as expanding.
  const Series x = {1, 4, 2};
  EXPECT_EQ(Compute(RollingMax, x, 1000), Compute(RollingMax, x, 0));
  EXPECT_EQ(Compute(RollingSum, x, 1000), Compute(RollingSum, x, 0));
}

}  // namespace
}  // namespace alphaloom::expr::kernels
