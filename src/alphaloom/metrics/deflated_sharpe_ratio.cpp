#include "alphaloom/metrics/deflated_sharpe_ratio.h"

#include <cmath>
#include <limits>
#include <numbers>

#include "alphaloom/common/error.h"
#include "alphaloom/metrics/probabilistic_sharpe_ratio.h"
#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

double ExpectedMaxSharpe(double trials, double trial_sharpe_variance) {
  if (!(trials >= 1) || !(trial_sharpe_variance >= 0)) return std::numeric_limits<double>::quiet_NaN();
  // Phi^-1(1 - 1/N) is -inf at N = 1: a single trial has nothing to deflate.
  if (trials == 1 || trial_sharpe_variance == 0) return 0.0;
  const double gamma = std::numbers::egamma;
  const double factor = (1.0 - gamma) * NormalQuantile(1.0 - 1.0 / trials) +
                        gamma * NormalQuantile(1.0 - 1.0 / (trials * std::numbers::e));
  return std::sqrt(trial_sharpe_variance) * factor;
}

double DeflatedSharpeRatio(std::span<const double> returns, double trials, double trial_sharpe_variance,
                           const Conventions& conventions) {
  return ProbabilisticSharpeRatio(returns, conventions, ExpectedMaxSharpe(trials, trial_sharpe_variance));
}

double DeflatedSharpeRatio(std::span<const double> returns, std::span<const double> trial_sharpes,
                           const Conventions& conventions) {
  for (const double sharpe : trial_sharpes) {
    if (std::isnan(sharpe)) throw Error(ErrorKind::kData, "deflated Sharpe ratio: a trial Sharpe ratio is NaN");
  }
  return DeflatedSharpeRatio(returns, static_cast<double>(trial_sharpes.size()), Variance(trial_sharpes, 0),
                             conventions);
}

}  // namespace alphaloom::metrics
