// The Gaussian HMM: the reference/finml.md §8.2 test vector, Baum-Welch behaviour, and the
// walk-forward regimes never reading the future.
#include "alphaloom/regime/gaussian_hmm.h"

#include <gtest/gtest.h>

#include <cmath>

#include "alphaloom/common/error.h"
#include "alphaloom/regime/hmm_regime.h"

namespace alphaloom::regime {
namespace {

GaussianHmmParams BookParams() {
  GaussianHmmParams params;
  params.states = 2;
  params.features = 1;
  params.startprob = {0.5, 0.5};
  params.transmat = {0.95, 0.05, 0.10, 0.90};
  params.means = {0.001, -0.002};
  params.covars = {0.01 * 0.01, 0.03 * 0.03};
  return params;
}

// A deterministic two-regime return series: calm up-drift, then a volatile down-drift, repeated.
std::vector<double> TwoRegimeReturns(size_t count) {
  std::vector<double> out(count);
  uint64_t state = 12345;
  for (size_t index = 0; index < count; ++index) {
    // Irwin-Hall(12) - 6 approximates a standard normal with a fixed LCG.
    double sum = 0;
    for (int draw = 0; draw < 12; ++draw) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      sum += static_cast<double>(state >> 11) / 9007199254740992.0;
    }
    const bool calm = (index / 150) % 2 == 0;
    out[index] = calm ? 0.05 + 0.6 * (sum - 6) : -0.2 + 2.5 * (sum - 6);
  }
  return out;
}

TEST(GaussianHmm, BookTestVector) {
  const std::vector<double> x = {0.002, -0.05, 0.01, -0.03, 0.004};
  const Observations obs{x, 1};
  EXPECT_NEAR(HmmLogLikelihood(obs, BookParams()), 10.480545, 1e-6);
  const std::vector<double> filtered = FilteredProbabilities(obs, BookParams());
  const double expected[] = {0.249272, 0.999932, 0.805803, 0.986489, 0.731462};
  for (size_t t = 0; t < 5; ++t) {
    EXPECT_NEAR(filtered[t * 2 + 1], expected[t], 1e-6) << "t=" << t;
    EXPECT_NEAR(filtered[t * 2] + filtered[t * 2 + 1], 1.0, 1e-12);
  }
}

TEST(GaussianHmm, FilteredRowDependsOnPastOnly) {
  std::vector<double> x = TwoRegimeReturns(200);
  const GaussianHmmParams params = InitialHmmParams(Observations{x, 1}, 2);
  const std::vector<double> before = FilteredProbabilities(Observations{x, 1}, params);
  for (size_t index = 120; index < x.size(); ++index) x[index] = -x[index] * 3 + 1;
  const std::vector<double> after = FilteredProbabilities(Observations{x, 1}, params);
  for (size_t index = 0; index < 120 * 2; ++index) EXPECT_EQ(before[index], after[index]);
}

TEST(GaussianHmm, BaumWelchRecoversTwoRegimes) {
  const std::vector<double> x = TwoRegimeReturns(1200);
  const Observations obs{x, 1};
  const GaussianHmmParams start = InitialHmmParams(obs, 2);
  HmmFitOptions options;
  options.n_iter = 200;
  options.tol = 1e-6;
  const HmmFitResult fit = FitGaussianHmm(obs, start, options);
  EXPECT_TRUE(fit.converged);
  EXPECT_GT(fit.log_likelihood, HmmLogLikelihood(obs, start));
  // State 0 started as the low-mean group: it becomes the volatile down state.
  const size_t calm = fit.params.covars[0] < fit.params.covars[1] ? 0 : 1;
  const size_t wild = 1 - calm;
  EXPECT_NEAR(std::sqrt(fit.params.covars[calm]), 0.6, 0.08);
  EXPECT_NEAR(std::sqrt(fit.params.covars[wild]), 2.5, 0.3);
  EXPECT_GT(fit.params.transmat[calm * 2 + calm], 0.97);
  EXPECT_GT(fit.params.transmat[wild * 2 + wild], 0.97);
}

TEST(GaussianHmm, EachIterationRaisesTheLikelihood) {
  const std::vector<double> x = TwoRegimeReturns(600);
  const Observations obs{x, 1};
  GaussianHmmParams params = InitialHmmParams(obs, 3);
  HmmFitOptions options;
  options.n_iter = 1;
  double previous = HmmLogLikelihood(obs, params);
  for (int step = 0; step < 15; ++step) {
    params = FitGaussianHmm(obs, params, options).params;
    // The variance prior makes EM maximize a posterior, so allow rounding-size dips only.
    const double current = HmmLogLikelihood(obs, params);
    EXPECT_GE(current, previous - 1e-2) << "step " << step;
    previous = current;
  }
}

TEST(GaussianHmm, BadParametersAreRefused) {
  GaussianHmmParams params = BookParams();
  params.transmat = {0.5, 0.4, 0.1, 0.9};
  const std::vector<double> x = {0.1, 0.2, 0.3};
  EXPECT_THROW(FitGaussianHmm(Observations{x, 1}, params, {}), Error);
  params = BookParams();
  const std::vector<double> with_nan = {0.1, std::nan(""), 0.3};
  EXPECT_THROW(FitGaussianHmm(Observations{with_nan, 1}, params, {}), Error);
}

std::vector<double> PricesFromReturns(const std::vector<double>& percent_returns) {
  std::vector<double> prices(percent_returns.size() + 1, 100.0);
  for (size_t index = 0; index < percent_returns.size(); ++index) {
    prices[index + 1] = prices[index] * std::exp(percent_returns[index] / 100);
  }
  return prices;
}

std::vector<Date> DaysFrom(size_t count) {
  std::vector<Date> dates;
  for (size_t index = 0; index < count; ++index) dates.push_back(Date(static_cast<int32_t>(15000 + index)));
  return dates;
}

TEST(HmmRegimes, WalkForwardNeverReadsTheFuture) {
  const std::vector<double> prices = PricesFromReturns(TwoRegimeReturns(900));
  const std::vector<Date> dates = DaysFrom(prices.size());
  HmmRegimeParams params;
  params.states = 2;
  params.min_train = 300;
  params.refit_every = 50;
  const RegimeSeries full = HmmRegimes(dates, prices, params);
  for (size_t cut : {350ul, 499ul, 640ul}) {
    std::vector<double> perturbed = prices;
    for (size_t index = cut + 1; index < perturbed.size(); ++index) perturbed[index] *= 1.5 + 0.01 * index;
    const RegimeSeries changed = HmmRegimes(dates, perturbed, params);
    for (size_t index = 0; index <= cut; ++index) {
      ASSERT_EQ(full.regime[index], changed.regime[index]) << "cut " << cut << " date " << index;
      for (size_t label = 0; label < kRegimeCount; ++label) {
        ASSERT_EQ(full.probabilities[index][label], changed.probabilities[index][label]);
      }
    }
  }
  for (size_t index = 0; index < 300; ++index) EXPECT_EQ(full.regime[index], -1);
  size_t bull = 0;
  size_t other = 0;
  for (size_t index = 300; index < full.size(); ++index) {
    // Date i carries return i - 1; returns alternate 150 calm up-drift days and 150 volatile
    // down-drift days.
    const bool calm = ((index - 1) / 150) % 2 == 0;
    const bool is_bull = full.regime[index] == static_cast<int>(Regime::kBull);
    if (calm) bull += is_bull ? 1 : 0;
    if (!calm) other += is_bull ? 0 : 1;
  }
  EXPECT_GT(bull, 250u);
  EXPECT_GT(other, 250u);
}

TEST(HmmRegimes, StatesMapByMeanAndVolatility) {
  GaussianHmmParams params;
  params.states = 4;
  params.features = 1;
  params.startprob = {0.25, 0.25, 0.25, 0.25};
  params.transmat.assign(16, 0.25);
  params.means = {0.08, -0.5, 0.01, -0.05};  // percent per day
  params.covars = {0.5, 16.0, 1.0, 1.5};     // crash state: 4% daily, ~63% annualized
  const std::vector<Regime> mapping = MapStatesToRegimes(params, 100, 0.45);
  EXPECT_EQ(mapping[0], Regime::kBull);
  EXPECT_EQ(mapping[1], Regime::kCrash);
  EXPECT_EQ(mapping[2], Regime::kChoppy);
  EXPECT_EQ(mapping[3], Regime::kBear);
}

}  // namespace
}  // namespace alphaloom::regime
