#pragma once
// Rule alphas: each a score in [-1, 1] per (date, instrument), written as Qlib expressions over
// $close and the benchmark's $bench_close and evaluated by the expression engine, so every score
// at date t reads bars up to t only. A score is 0 (no opinion) until its windows are full.
#include <string>
#include <vector>

#include "alphaloom/common/thread_pool.h"
#include "alphaloom/data/panel.h"
#include "alphaloom/expr/executor.h"
#include "alphaloom/expr/feature_frame.h"

namespace alphaloom::signal {

/// Output column names of ComputeRuleAlphas, in order: the four scores, then realized_vol.
inline constexpr const char* kTrend = "trend";
inline constexpr const char* kMeanReversion = "mean_reversion";
inline constexpr const char* kVolatility = "volatility";
inline constexpr const char* kRelativeStrength = "relative_strength";
/// Annualized realized volatility of daily log returns (not a score; sizing reads it).
inline constexpr const char* kRealizedVol = "realized_vol";

/// The four score names, in output order.
inline constexpr const char* kAlphaNames[] = {kTrend, kMeanReversion, kVolatility, kRelativeStrength};

/// Parameters of the rule alphas (documented with their formulas in docs/strategy.md).
struct RuleAlphaParams {
  /// Trend: moving-average windows; each contributes 0.5*sign(d) + 0.5*clip(d/trend_scale),
  /// d = close/MA_w - 1, and the score is their mean.
  std::vector<int> trend_windows{20, 50, 200};
  double trend_scale = 0.10;
  /// Mean reversion: z = (r - mean_{w}(r)_{t-1}) / std_{w}(r)_{t-1} of the daily return r; the
  /// score is -clip(z / (2k)) when |z| > k, else 0, and 0 in a strong trend
  /// (|close/MA_{strong_trend_window} - 1| > strong_trend).
  int reversion_window = 20;
  double reversion_k = 2.0;
  int strong_trend_window = 50;
  double strong_trend = 0.10;
  /// Volatility: v = std(r over vol_window); score = clip(-ln(v / mean(v over vol_history)) /
  /// ln(vol_scale)): +1 when v is vol_scale times below its own average, -1 when that much above.
  int vol_window = 20;
  int vol_history = 252;
  double vol_scale = 2.0;
  /// Relative strength: mean over windows w of clip((R_w - B_w) / rs_scale), R_w and B_w the
  /// instrument's and the benchmark's w-day returns.
  std::vector<int> rs_windows{20, 60, 120};
  double rs_scale = 0.10;
  /// realized_vol = std(ln(close_t / close_{t-1}) over realized_vol_window) * sqrt(252).
  int realized_vol_window = 20;
};

/// Throws Error(kConfig) naming the parameter (as signals.<name>) for a window < 2 (< 1 for
/// trend and relative-strength windows), an empty window list, or a scale, k or threshold <= 0.
void ValidateRuleAlphaParams(const RuleAlphaParams& params);

/// Column names and expressions of the alphas and realized_vol (reads $close and $bench_close).
struct AlphaExpressions {
  std::vector<std::string> names;
  std::vector<std::string> expressions;
};
AlphaExpressions RuleAlphaExpressions(const RuleAlphaParams& params);

/// Evaluates the alphas over `panel` (fields close and bench_close) for output rows in `range`:
/// columns kAlphaNames then kRealizedVol. Rows exist where the instrument has bars (as for
/// factors). Scores are in [-1, 1] or NaN where the close is missing inside the window.
expr::FeatureFrame ComputeRuleAlphas(const data::Panel& panel, const RuleAlphaParams& params, ThreadPool& pool,
                                     expr::OutputRange range = {});

}  // namespace alphaloom::signal
