#pragma once
// The meta-model: rule alphas and the ML signal combined with regime-dependent weights into one
// alpha_score in [-1, 1] per (date, instrument), each component's contribution kept beside it.
#include <array>
#include <span>
#include <string_view>
#include <vector>

#include "alphaloom/regime/regime.h"

namespace alphaloom::portfolio {

/// Components, in order: the four rule alphas (signal::kAlphaNames) and the ML signal.
inline constexpr size_t kComponentCount = 5;
inline constexpr std::array<std::string_view, kComponentCount> kComponentNames = {
    "trend", "mean_reversion", "volatility", "relative_strength", "ml"};
/// Index of the ML component.
inline constexpr size_t kMlComponent = 4;

/// One weight per component. Each set's absolute weights sum to 1, so with every component
/// score in [-1, 1] the alpha_score is in [-1, 1]; a negative weight inverts a component.
using ComponentWeights = std::array<double, kComponentCount>;

struct MetaModelConfig {
  /// Weights in each regime (Regime order).
  std::array<ComponentWeights, regime::kRegimeCount> regime_weights;
  /// Weights on dates without a regime (warm-up).
  ComponentWeights default_weights;
};

/// The shipped weights (docs/strategy.md lists them): trend and relative strength lead in a
/// bull market, mean reversion in a choppy one, the volatility score in a crash.
MetaModelConfig DefaultMetaModelConfig();

/// Throws Error(kConfig) "`where`: ..." when a weight is not finite or the absolute weights do
/// not sum to 1 (within 1e-6).
void ValidateComponentWeights(const ComponentWeights& weights, std::string_view where);

/// The weights of a date: the probability-weighted mix of the regime weights (rules give one
/// regime probability 1; an HMM blends), or the default weights when all probabilities are 0.
ComponentWeights WeightsForDate(const MetaModelConfig& config,
                                const std::array<double, regime::kRegimeCount>& probabilities);

struct MetaScores {
  std::vector<double> alpha_score;
  /// contributions[c][row] = weight_c(date of row) * score_c(row); a NaN score contributes 0.
  /// alpha_score[row] is the sum of the row's contributions.
  std::array<std::vector<double>, kComponentCount> contributions;
};

/// Combines per-row component scores (`scores[c][row]`, NaN = no opinion) for rows dated
/// `row_date[row]` (an index into `regimes`).
MetaScores CombineScores(const std::array<std::span<const double>, kComponentCount>& scores,
                         std::span<const size_t> row_date, const regime::RegimeSeries& regimes,
                         const MetaModelConfig& config);

}  // namespace alphaloom::portfolio
