// TA-Lib-convention kernels: the worked numbers of reference/finml.md §10 (TA-Lib 0.6 C output
// on its 60-bar test series), warm-up lengths, and the missing-bar policy of kernels_ta.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "alphaloom/expr/kernels_ta.h"

namespace alphaloom::expr::kernels {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
using Series = std::vector<double>;

// reference/finml.md §10: close_t = 100 + ((37 t) mod 23) 0.5 - 5 + 0.25 t,
// high = close + 1 + (t mod 3) 0.5, low = close - 1 - (t mod 4) 0.25.
struct TestBars {
  Series high, low, close;
};

TestBars FinmlBars() {
  TestBars bars;
  for (int t = 0; t < 60; ++t) {
    const double close = 100.0 + ((37 * t) % 23) * 0.5 - 5.0 + 0.25 * t;
    bars.close.push_back(close);
    bars.high.push_back(close + 1.0 + (t % 3) * 0.5);
    bars.low.push_back(close - 1.0 - (t % 4) * 0.25);
  }
  return bars;
}

using OneInput = std::function<void(std::span<const double>, std::span<double>)>;

Series Apply(const OneInput& kernel, const Series& x) {
  Series out(x.size(), -12345.0);
  kernel(x, out);
  return out;
}

// Rows before `first` are NaN and row `first` is not: the TA-Lib lookback.
void ExpectFirstOutputAt(const Series& out, size_t first, const std::string& label) {
  for (size_t row = 0; row < first && row < out.size(); ++row) {
    EXPECT_TRUE(std::isnan(out[row])) << label << ": row " << row << " = " << out[row] << " inside the warm-up";
  }
  ASSERT_LT(first, out.size()) << label;
  EXPECT_FALSE(std::isnan(out[first])) << label << ": no value at row " << first;
}

// The values TA-Lib prints with 10 decimals.
constexpr double kTenDecimals = 1e-9;

TEST(TaKernels, RsiMatchesTaLib) {
  const TestBars bars = FinmlBars();
  const Series rsi = Apply([](auto x, auto out) { TaRsi(x, 14, out); }, bars.close);
  ExpectFirstOutputAt(rsi, 14, "RSI(14)");
  EXPECT_NEAR(rsi[14], 56.1290322581, kTenDecimals);
  EXPECT_NEAR(rsi[20], 52.1080247264, kTenDecimals);
  EXPECT_NEAR(rsi[59], 55.7815030262, kTenDecimals);
}

TEST(TaKernels, RsiOfFlatPricesIsZero) {
  const Series flat(20, 42.5);
  const Series rsi = Apply([](auto x, auto out) { TaRsi(x, 14, out); }, flat);
  ExpectFirstOutputAt(rsi, 14, "RSI flat");
  for (size_t row = 14; row < flat.size(); ++row) EXPECT_EQ(rsi[row], 0.0) << row;
}

TEST(TaKernels, EmaIsSeededBySma) {
  const TestBars bars = FinmlBars();
  const Series ema = Apply([](auto x, auto out) { TaEma(x, 10, out); }, bars.close);
  ExpectFirstOutputAt(ema, 9, "EMA(10)");
  EXPECT_EQ(ema[9], 101.175);  // exactly the mean of the first 10 closes
  EXPECT_NEAR(ema[20], 104.4777984417, kTenDecimals);
  EXPECT_NEAR(ema[59], 114.6640316909, kTenDecimals);
}

TEST(TaKernels, MacdLineSignalAndHistogramMatchTaLib) {
  const TestBars bars = FinmlBars();
  auto macd = [&](MacdOutput which, size_t fast, size_t slow) {
    return Apply([&](auto x, auto out) { TaMacd(x, fast, slow, 9, which, out); }, bars.close);
  };
  const Series line = macd(MacdOutput::kLine, 12, 26);
  const Series signal = macd(MacdOutput::kSignal, 12, 26);
  const Series histogram = macd(MacdOutput::kHistogram, 12, 26);
  ExpectFirstOutputAt(line, 33, "MACD line");
  ExpectFirstOutputAt(signal, 33, "MACD signal");
  ExpectFirstOutputAt(histogram, 33, "MACD histogram");
  EXPECT_NEAR(line[33], 1.5643099828, kTenDecimals);
  EXPECT_NEAR(signal[33], 1.7971737145, kTenDecimals);
  EXPECT_NEAR(histogram[33], -0.2328637316, kTenDecimals);
  EXPECT_NEAR(line[59], 2.0343129812, kTenDecimals);
  EXPECT_NEAR(signal[59], 1.7282526341, kTenDecimals);
  EXPECT_NEAR(histogram[59], 0.3060603470, kTenDecimals);
  // TA-Lib swaps fast and slow when slow < fast.
  const Series swapped = macd(MacdOutput::kLine, 26, 12);
  for (size_t row = 0; row < line.size(); ++row) {
    if (std::isnan(line[row])) {
      EXPECT_TRUE(std::isnan(swapped[row])) << row;
    } else {
      EXPECT_EQ(swapped[row], line[row]) << row;
    }
  }
}

TEST(TaKernels, AtrUsesWilderSmoothingWithoutTheFirstBar) {
  const TestBars bars = FinmlBars();
  Series atr(bars.close.size());
  TaAtr(bars.high, bars.low, bars.close, 14, atr);
  ExpectFirstOutputAt(atr, 14, "ATR(14)");
  EXPECT_NEAR(atr[14], 6.9464285714, kTenDecimals);
  EXPECT_NEAR(atr[20], 6.8091548332, kTenDecimals);
  EXPECT_NEAR(atr[59], 6.9706074248, kTenDecimals);
}

TEST(TaKernels, BollingerBandsFromSmaAndPopulationSigma) {
  const TestBars bars = FinmlBars();
  const Series middle = Apply([](auto x, auto out) { TaSma(x, 20, out); }, bars.close);
  const Series sigma = Apply([](auto x, auto out) { TaStdDev(x, 20, out); }, bars.close);
  ExpectFirstOutputAt(middle, 19, "SMA(20)");
  ExpectFirstOutputAt(sigma, 19, "STDDEV(20)");
  EXPECT_NEAR(middle[19], 102.925, 1e-12);
  EXPECT_NEAR(middle[19] + 2 * sigma[19], 110.9905130029, kTenDecimals);
  EXPECT_NEAR(middle[19] - 2 * sigma[19], 94.8594869971, kTenDecimals);
  EXPECT_NEAR(middle[59], 112.9, 1e-12);
  EXPECT_NEAR(middle[59] + 2 * sigma[59], 120.3387498950, kTenDecimals);
  EXPECT_NEAR(middle[59] - 2 * sigma[59], 105.4612501050, kTenDecimals);
  // finml §10: %B = 0.994035 and (U - L)/M = 0.131776 at row 59.
  const double lower = middle[59] - 2 * sigma[59];
  EXPECT_NEAR((bars.close[59] - lower) / (4 * sigma[59]), 0.994035, 1e-6);
  EXPECT_NEAR(4 * sigma[59] / middle[59], 0.131776, 1e-6);
}

TEST(TaKernels, StdDevKeepsDigitsOnLargePricesWithTinyVariance) {
  // Prices near 1e4 moving by 1e-3: E[x^2] - E[x]^2 would lose about 11 of 16 digits.
  Series x;
  for (int t = 0; t < 200; ++t) x.push_back(10000.0 + ((t % 2 == 0) ? 0.001 : -0.001));
  const Series sigma = Apply([](auto in, auto out) { TaStdDev(in, 20, out); }, x);
  for (size_t row = 19; row < x.size(); ++row) EXPECT_NEAR(sigma[row], 0.001, 1e-12) << row;
  const Series flat = Apply([](auto in, auto out) { TaStdDev(in, 5, out); }, Series(10, 0.1));
  for (size_t row = 4; row < flat.size(); ++row) EXPECT_EQ(flat[row], 0.0) << row;
}

TEST(TaKernels, StochasticAndKdjMatchTheWorkedNumbers) {
  const TestBars bars = FinmlBars();
  Series fast_k(bars.close.size());
  TaStochFastK(bars.high, bars.low, bars.close, 9, fast_k);
  ExpectFirstOutputAt(fast_k, 8, "fast %K(9)");
  // TA-Lib STOCH(9, 3 SMA, 3 SMA) = SMA(3) of fast %K, and SMA(3) of that.
  const Series slow_k = Apply([](auto x, auto out) { TaSma(x, 3, out); }, fast_k);
  const Series slow_d = Apply([](auto x, auto out) { TaSma(x, 3, out); }, slow_k);
  ExpectFirstOutputAt(slow_d, 12, "STOCH slow D");
  EXPECT_NEAR(slow_k[12], 47.5308641975, kTenDecimals);
  EXPECT_NEAR(slow_d[12], 50.7818930041, kTenDecimals);
  EXPECT_NEAR(slow_k[59], 73.3312983313, kTenDecimals);
  EXPECT_NEAR(slow_d[59], 60.9822276489, kTenDecimals);
  // KDJ(9, 3, 3) seeded at 50, J = 3K - 2D (finml §10 prints 6 decimals).
  const Series k = Apply([](auto x, auto out) { KdjSmooth(x, 3, out); }, fast_k);
  const Series d = Apply([](auto x, auto out) { KdjSmooth(x, 3, out); }, k);
  ExpectFirstOutputAt(k, 8, "KDJ K");
  ExpectFirstOutputAt(d, 8, "KDJ D");
  EXPECT_NEAR(k[8], 62.222222, 1e-6);
  EXPECT_NEAR(d[8], 54.074074, 1e-6);
  EXPECT_NEAR(3 * k[8] - 2 * d[8], 78.518519, 1e-6);
  EXPECT_NEAR(k[59], 67.893495, 1e-6);
  EXPECT_NEAR(d[59], 61.871379, 1e-6);
  EXPECT_NEAR(3 * k[59] - 2 * d[59], 79.937726, 1e-6);
}

TEST(TaKernels, StochasticOfAFlatRangeIsZero) {
  const Series flat(12, 7.0);
  Series fast_k(flat.size());
  TaStochFastK(flat, flat, flat, 5, fast_k);
  ExpectFirstOutputAt(fast_k, 4, "flat %K");
  for (size_t row = 4; row < flat.size(); ++row) EXPECT_EQ(fast_k[row], 0.0) << row;
}

TEST(TaKernels, BetaIsTheSlopeOfAssetReturnsOnMarketReturns) {
  // Asset returns = 1.5 x market returns + 0.001 exactly in the window, so beta = 1.5.
  Series market = {100.0}, asset = {50.0};
  for (int t = 1; t < 40; ++t) {
    const double market_return = 0.01 * std::sin(0.9 * t);
    market.push_back(market.back() * (1 + market_return));
    asset.push_back(asset.back() * (1 + 1.5 * market_return + 0.001));
  }
  Series beta(market.size());
  TaBeta(asset, market, 10, beta);
  ExpectFirstOutputAt(beta, 10, "BETA(10)");
  for (size_t row = 10; row < beta.size(); ++row) EXPECT_NEAR(beta[row], 1.5, 1e-9) << row;
  // A flat market has no variance: TA-Lib reports 0.
  TaBeta(asset, Series(market.size(), 100.0), 10, beta);
  for (size_t row = 10; row < beta.size(); ++row) EXPECT_EQ(beta[row], 0.0) << row;
}

// ---------------------------------------------------------------------------------------------
// Warm-up and missing rows, for every kernel.

struct NamedKernel {
  std::string name;
  size_t lookback;  // for period 5
  OneInput run;     // close-only view: multi-input kernels get derived high/low or a market
};

std::vector<NamedKernel> AllKernels() {
  auto high = [](std::span<const double> close) {
    Series out(close.begin(), close.end());
    for (double& value : out) value += 1.0;
    return out;
  };
  auto low = [](std::span<const double> close) {
    Series out(close.begin(), close.end());
    for (double& value : out) value -= 1.5;
    return out;
  };
  auto market = [](std::span<const double> close) {
    Series out(close.begin(), close.end());
    for (double& value : out) value = 0.5 * value + std::cos(value);  // from the value alone, not the row
    return out;
  };
  return {
      {"TaSMA", 4, [](auto x, auto out) { TaSma(x, 5, out); }},
      {"TaEMA", 4, [](auto x, auto out) { TaEma(x, 5, out); }},
      {"TaStdDev", 4, [](auto x, auto out) { TaStdDev(x, 5, out); }},
      {"TaRSI", 5, [](auto x, auto out) { TaRsi(x, 5, out); }},
      {"TaATR", 5, [=](auto x, auto out) { TaAtr(high(x), low(x), x, 5, out); }},
      {"TaMACD", 6, [](auto x, auto out) { TaMacd(x, 3, 5, 3, MacdOutput::kLine, out); }},
      {"TaMACDSignal", 6, [](auto x, auto out) { TaMacd(x, 3, 5, 3, MacdOutput::kSignal, out); }},
      {"TaMACDHist", 6, [](auto x, auto out) { TaMacd(x, 3, 5, 3, MacdOutput::kHistogram, out); }},
      {"TaStochFastK", 4, [=](auto x, auto out) { TaStochFastK(high(x), low(x), x, 5, out); }},
      {"KdjSmooth", 0, [](auto x, auto out) { KdjSmooth(x, 5, out); }},
      {"TaBeta", 5, [=](auto x, auto out) { TaBeta(x, market(x), 5, out); }},
  };
}

Series Prices(size_t rows) {
  Series x;
  for (size_t row = 0; row < rows; ++row)
    x.push_back(50.0 + 3.0 * std::sin(0.7 * static_cast<double>(row)) + 0.1 * static_cast<double>(row));
  return x;
}

void ExpectSame(const Series& actual, const Series& expected, const std::string& label) {
  ASSERT_EQ(actual.size(), expected.size()) << label;
  for (size_t row = 0; row < actual.size(); ++row) {
    if (std::isnan(expected[row])) {
      EXPECT_TRUE(std::isnan(actual[row])) << label << " row " << row << ": got " << actual[row];
    } else {
      EXPECT_EQ(actual[row], expected[row]) << label << " row " << row;
    }
  }
}

TEST(TaKernels, WarmupIsTheTaLibLookback) {
  for (const NamedKernel& kernel : AllKernels()) {
    const Series out = Apply(kernel.run, Prices(30));
    ExpectFirstOutputAt(out, kernel.lookback, kernel.name);
    for (size_t row = kernel.lookback; row < out.size(); ++row) {
      EXPECT_TRUE(std::isfinite(out[row])) << kernel.name << " row " << row;
    }
  }
}

TEST(TaKernels, TooShortOrEmptyHistoryGivesNaN) {
  for (const NamedKernel& kernel : AllKernels()) {
    EXPECT_TRUE(Apply(kernel.run, Series{}).empty()) << kernel.name;
    if (kernel.lookback == 0) continue;
    const Series out = Apply(kernel.run, Prices(kernel.lookback));
    for (double value : out) EXPECT_TRUE(std::isnan(value)) << kernel.name;
  }
}

// The missing-bar policy: NaN and +-inf rows output NaN, and every other row equals the kernel
// over the series with those rows removed (leading, interior and trailing gaps alike).
TEST(TaKernels, MissingRowsAreSkippedNotPoisoning) {
  const Series dense = Prices(40);
  const std::vector<size_t> missing_at = {0, 1, 7, 8, 9, 20, 39};
  for (const NamedKernel& kernel : AllKernels()) {
    Series gappy;
    std::vector<size_t> kept_rows;
    size_t next = 0;
    for (size_t row = 0; row < dense.size() + missing_at.size(); ++row) {
      if (std::find(missing_at.begin(), missing_at.end(), row) != missing_at.end()) {
        gappy.push_back(row == 8 ? kInf : kNaN);
      } else {
        kept_rows.push_back(row);
        gappy.push_back(dense[next++]);
      }
    }
    const Series expected_dense = Apply(kernel.run, Series(dense.begin(), dense.begin() + static_cast<long>(next)));
    const Series out = Apply(kernel.run, gappy);
    Series expected(gappy.size(), kNaN);
    for (size_t index = 0; index < kept_rows.size(); ++index) expected[kept_rows[index]] = expected_dense[index];
    ExpectSame(out, expected, kernel.name);
    EXPECT_FALSE(std::isnan(out[kept_rows.back()])) << kernel.name << ": a gap poisoned the last value";
  }
}

TEST(TaKernels, AllMissingGivesAllNaN) {
  for (const NamedKernel& kernel : AllKernels()) {
    const Series out = Apply(kernel.run, Series(12, kNaN));
    for (double value : out) EXPECT_TRUE(std::isnan(value)) << kernel.name;
  }
}

}  // namespace
}  // namespace alphaloom::expr::kernels
