#include "alphaloom/portfolio/meta_model.h"

#include <fmt/format.h>

#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::portfolio {

MetaModelConfig DefaultMetaModelConfig() {
  MetaModelConfig config;
  //                       trend mean_rev vol  rel_str ml
  config.regime_weights = {{{0.40, 0.00, 0.10, 0.30, 0.20},    // bull
                            {0.30, 0.10, 0.20, 0.20, 0.20},    // bear
                            {0.10, 0.40, 0.10, 0.20, 0.20},    // choppy
                            {0.20, 0.00, 0.50, 0.10, 0.20}}};  // crash
  config.default_weights = {0.30, 0.15, 0.15, 0.20, 0.20};
  return config;
}

void ValidateComponentWeights(const ComponentWeights& weights, std::string_view where) {
  double total = 0;
  for (size_t component = 0; component < kComponentCount; ++component) {
    if (!std::isfinite(weights[component])) {
      throw Error(ErrorKind::kConfig,
                  fmt::format("{}.{}: weight is not a finite number", where, kComponentNames[component]));
    }
    total += std::fabs(weights[component]);
  }
  if (std::fabs(total - 1) > 1e-6) {
    throw Error(ErrorKind::kConfig,
                fmt::format("{}: absolute weights sum to {:.6g}, they must sum to 1 (so alpha_score stays in [-1, 1])",
                            where, total));
  }
}

ComponentWeights WeightsForDate(const MetaModelConfig& config,
                                const std::array<double, regime::kRegimeCount>& probabilities) {
  ComponentWeights weights{};
  double total = 0;
  for (size_t regime_idx = 0; regime_idx < regime::kRegimeCount; ++regime_idx) {
    const double probability = probabilities[regime_idx];
    if (!(probability > 0)) continue;
    total += probability;
    for (size_t component = 0; component < kComponentCount; ++component) {
      weights[component] += probability * config.regime_weights[regime_idx][component];
    }
  }
  if (total == 0) return config.default_weights;
  for (double& weight : weights) weight /= total;
  return weights;
}

MetaScores CombineScores(const std::array<std::span<const double>, kComponentCount>& scores,
                         std::span<const size_t> row_date, const regime::RegimeSeries& regimes,
                         const MetaModelConfig& config) {
  const size_t rows = row_date.size();
  for (const auto& component : scores) Check(component.size() == rows, "CombineScores: one score per row");
  std::vector<ComponentWeights> date_weights(regimes.size());
  for (size_t date_idx = 0; date_idx < regimes.size(); ++date_idx) {
    date_weights[date_idx] = WeightsForDate(config, regimes.probabilities[date_idx]);
  }
  MetaScores out;
  out.alpha_score.assign(rows, 0);
  for (auto& contribution : out.contributions) contribution.assign(rows, 0);
  for (size_t row = 0; row < rows; ++row) {
    Check(row_date[row] < regimes.size(), "CombineScores: row date outside the regime series");
    const ComponentWeights& weights = date_weights[row_date[row]];
    double sum = 0;
    for (size_t component = 0; component < kComponentCount; ++component) {
      const double score = scores[component][row];
      const double contribution = std::isnan(score) ? 0.0 : weights[component] * score;
      out.contributions[component][row] = contribution;
      sum += contribution;
    }
    out.alpha_score[row] = sum;
  }
  return out;
}

}  // namespace alphaloom::portfolio
