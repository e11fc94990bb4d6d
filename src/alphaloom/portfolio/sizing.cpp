#include "alphaloom/portfolio/sizing.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::portfolio {
namespace {

void RequirePositive(std::string_view key, double value) {
  if (!(value > 0) || !std::isfinite(value)) {
    throw Error(ErrorKind::kConfig, fmt::format("sizing.{}: must be a positive number, got {}", key, value));
  }
}

}  // namespace

void ValidateSizingConfig(const SizingConfig& config) {
  RequirePositive("target_vol", config.target_vol);
  RequirePositive("min_vol", config.min_vol);
  RequirePositive("max_weight", config.max_weight);
  RequirePositive("max_gross", config.max_gross);
  RequirePositive("kelly_fraction", config.kelly_fraction);
  RequirePositive("kelly_edge", config.kelly_edge);
  if (config.kelly_fraction > 1) {
    throw Error(ErrorKind::kConfig,
                fmt::format("sizing.kelly_fraction: {} is above 1 (full Kelly)", config.kelly_fraction));
  }
  if (!(config.max_net >= 0)) throw Error(ErrorKind::kConfig, "sizing.max_net: must be >= 0");
  if (!(config.min_abs_score >= 0)) throw Error(ErrorKind::kConfig, "sizing.min_abs_score: must be >= 0");
  if (config.max_net > config.max_gross) {
    throw Error(ErrorKind::kConfig,
                fmt::format("sizing.max_net: {} is above max_gross {}", config.max_net, config.max_gross));
  }
}

void SizeCrossSection(std::span<const double> scores, std::span<const double> vols, const SizingConfig& config,
                      std::span<double> weights) {
  Check(scores.size() == weights.size() && vols.size() == weights.size(), "SizeCrossSection: equal lengths");
  double longs = 0;
  double shorts = 0;
  for (size_t index = 0; index < weights.size(); ++index) {
    const double score = scores[index];
    const double vol = vols[index];
    double weight = 0;
    if (!std::isnan(score) && vol > 0 && std::fabs(score) >= config.min_abs_score) {
      const double floored = std::max(vol, config.min_vol);
      weight = config.method == SizingMethod::kVolTarget
                   ? score * config.target_vol / floored
                   : config.kelly_fraction * score * config.kelly_edge / (floored * floored);
    }
    if (config.long_only) weight = std::max(weight, 0.0);
    weight = std::clamp(weight, -config.max_weight, config.max_weight);
    weights[index] = weight;
    (weight > 0 ? longs : shorts) += weight;
  }
  const double net = longs + shorts;
  if (net > config.max_net && longs > 0) {
    const double factor = std::clamp((config.max_net - shorts) / longs, 0.0, 1.0);
    for (double& weight : weights) weight = weight > 0 ? weight * factor : weight;
    longs *= factor;
  } else if (net < -config.max_net && shorts < 0) {
    const double factor = std::clamp((config.max_net + longs) / -shorts, 0.0, 1.0);
    for (double& weight : weights) weight = weight < 0 ? weight * factor : weight;
    shorts *= factor;
  }
  const double gross = longs - shorts;
  if (gross > config.max_gross) {
    // A hair under the limit, so that summing the scaled weights again cannot land above it.
    const double factor = config.max_gross / gross * (1 - 1e-12);
    for (double& weight : weights) weight *= factor;
  }
}

}  // namespace alphaloom::portfolio
