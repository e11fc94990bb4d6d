#include "alphaloom/backtest/quantile.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::backtest {

void ValidateQuantileOptions(const QuantileOptions& options) {
  if (!(options.quantile > 0 && options.quantile <= 0.5)) {
    throw Error(ErrorKind::kConfig, fmt::format("quantile must be in (0, 0.5], got {}", options.quantile));
  }
  if (!(options.exposure > 0 && options.exposure <= 1)) {
    throw Error(ErrorKind::kConfig, fmt::format("exposure must be in (0, 1], got {}", options.exposure));
  }
}

QuantileStrategy::QuantileStrategy(QuantileOptions options) : options_(options) { ValidateQuantileOptions(options_); }

std::vector<Order> QuantileStrategy::Decide(const DecisionContext& context) {
  if (!context.signal) return {};
  const std::span<const double> scores = *context.signal;
  std::vector<size_t> scored;
  for (size_t name = 0; name < scores.size(); ++name) {
    if (!std::isnan(scores[name])) scored.push_back(name);
  }
  std::stable_sort(scored.begin(), scored.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  std::vector<double> weights(scores.size(), 0.0);
  if (scored.size() >= 2) {
    const size_t side = std::max<size_t>(1, static_cast<size_t>(std::floor(static_cast<double>(scored.size()) * options_.quantile)));
    for (size_t rank = 0; rank < side; ++rank) {
      weights[scored[rank]] = options_.exposure / static_cast<double>(side);
      if (!options_.long_only) weights[scored[scored.size() - 1 - rank]] = -options_.exposure / static_cast<double>(side);
    }
  }
  TargetWeightsOptions weight_options;
  weight_options.allow_short = !options_.long_only;
  weight_options.max_gross = 2.0 * options_.exposure;
  return OrdersForWeights(weights, context, weight_options, context.exchange->market().dates[context.day]);
}

}  // namespace alphaloom::backtest
