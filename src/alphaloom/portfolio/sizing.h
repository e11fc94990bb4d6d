#pragma once
// Position sizing: alpha_score and realized volatility -> target weight per instrument for one
// date, within per-name, gross and net limits (reference/finml.md §9.1-§9.2).
#include <span>

namespace alphaloom::portfolio {

enum class SizingMethod {
  /// w = score * target_vol / max(vol, min_vol): a full-conviction name alone runs at target_vol.
  kVolTarget,
  /// Fractional Kelly, w = kelly_fraction * mu / max(vol, min_vol)^2 with mu = score * kelly_edge
  /// (the annual excess return expected at full conviction).
  kKelly,
};

struct SizingConfig {
  SizingMethod method = SizingMethod::kVolTarget;
  double target_vol = 0.10;     ///< annualized
  double min_vol = 0.05;        ///< volatility floor, so a quiet name is not levered without bound
  double max_weight = 0.05;     ///< |w| per name
  double max_gross = 1.0;       ///< sum of |w|
  double max_net = 1.0;         ///< |sum of w|
  bool long_only = true;        ///< negative weights become 0 (the backtest's default book)
  double min_abs_score = 0;     ///< |score| below this gives weight 0
  double kelly_fraction = 0.5;  ///< c of the fractional Kelly bet
  double kelly_edge = 0.05;     ///< annual excess return expected at score 1
};

/// Throws Error(kConfig) naming sizing.<key> for target_vol, min_vol, max_weight, max_gross,
/// kelly_fraction (also > 1) or kelly_edge not positive, a negative max_net or min_abs_score,
/// and max_net above max_gross.
void ValidateSizingConfig(const SizingConfig& config);

/// Weights of one date for instruments with `scores` and annualized `vols` (same length as
/// `weights`). A NaN score, or a NaN or non-positive vol, gives 0. Steps, in order: raw weight
/// by the method; long_only; clip to +-max_weight; if |net| > max_net, scale down the side in
/// excess until |net| = max_net; if gross > max_gross, scale everything by max_gross / gross.
/// Every limit holds on the result (each step only shrinks weights toward 0).
void SizeCrossSection(std::span<const double> scores, std::span<const double> vols, const SizingConfig& config,
                      std::span<double> weights);

}  // namespace alphaloom::portfolio
