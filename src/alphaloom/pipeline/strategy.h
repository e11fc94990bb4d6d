#pragma once
// The hybrid strategy of a workflow's `strategy:` section (kind: hybrid): rule alphas, a regime
// per date from the benchmark, the regime-weighted meta-model and position sizing, producing the
// (datetime, instrument, weight, ...) table the backtest's target-weights strategy reads.
// Keys and defaults: docs/strategy.md.
#include <array>
#include <optional>
#include <string>

#include "alphaloom/common/thread_pool.h"
#include "alphaloom/data/qlib_store.h"
#include "alphaloom/data/table_io.h"
#include "alphaloom/pipeline/config_section.h"
#include "alphaloom/portfolio/meta_model.h"
#include "alphaloom/portfolio/sizing.h"
#include "alphaloom/regime/hmm_regime.h"
#include "alphaloom/regime/rules.h"
#include "alphaloom/signal/rule_alphas.h"

namespace alphaloom::pipeline {

enum class RegimeMethod { kRules, kHmm };

/// The `regime:` subsection: the method, its thresholds, and each regime's id and label.
struct RegimeConfig {
  RegimeMethod method = RegimeMethod::kRules;
  regime::RuleRegimeParams rules;
  regime::HmmRegimeParams hmm;
  /// Id and label of each regime (Regime order); defaults 0..3 and bull, bear, choppy, crash.
  std::array<int, regime::kRegimeCount> ids{0, 1, 2, 3};
  std::array<std::string, regime::kRegimeCount> labels{"bull", "bear", "choppy", "crash"};
};

/// How the ML component's score comes from a prediction row.
enum class MlSignal {
  kProbUp,    ///< 2 * prob_up - 1
  kBetSize,   ///< portfolio::BetSize(prob_up), discretized by bet_step (reference/finml.md §9.3)
  kYhatRank,  ///< yhat's cross-sectional percentile rank that day, mapped to [-1, 1]
};

struct HybridConfig {
  signal::RuleAlphaParams signals;
  RegimeConfig regime;
  portfolio::MetaModelConfig meta = portfolio::DefaultMetaModelConfig();
  MlSignal ml_signal = MlSignal::kProbUp;
  double bet_step = 0;
  /// Prediction rows of this horizon are used when the table has a horizon column.
  int horizon = 1;
  portfolio::SizingConfig sizing;
};

/// Reads a `strategy:` section whose kind is hybrid (Error(kConfig) for another kind) with its
/// subsections signals, regime, meta and sizing. Every error is one line
/// "file:line: strategy.<path>.<key>: ...": unknown keys, out-of-range values, meta weights whose
/// absolute values do not sum to 1, an unknown regime label, a negative target volatility.
HybridConfig ReadHybridConfig(ConfigSection& section);

/// Reads only a `regime:` mapping (for `alphaloom regime --config`).
RegimeConfig ReadRegimeConfig(ConfigSection& section);

/// The benchmark's close on every store calendar date (NaN where it has no bar); Error(kNotFound)
/// when the store has no benchmark.
std::vector<double> BenchmarkCloses(const data::QlibStore& store);

/// Regimes over the store calendar up to `end` (inclusive; the whole calendar when nullopt).
regime::RegimeSeries ComputeRegimes(const RegimeConfig& config, const data::QlibStore& store,
                                    std::optional<Date> end = std::nullopt);

/// datetime, regime_id, regime (label), p_<label> for each regime: dates in [start, end] of
/// `regimes`; warm-up dates have NaN id, an empty label and zero probabilities.
data::Table RegimeTable(const regime::RegimeSeries& regimes, const RegimeConfig& config,
                        std::optional<Date> start = std::nullopt, std::optional<Date> end = std::nullopt);

/// Runs the hybrid strategy over the store's default market for dates in [start, end] (the whole
/// calendar when nullopt; the history before start feeds the windows). `predictions` is the
/// table `predict` writes (datetime, instrument, optional horizon, yhat, prob_up) or empty (no
/// columns) for rule alphas only, in which case the ML component scores nothing. Returns
/// datetime, instrument, weight, alpha_score, regime, c_<component> for each meta-model
/// component (they sum to alpha_score), realized_vol; one row per (date, instrument with a
/// bar), sorted by date then instrument. Every value at date t depends on data up to t only;
/// the backtest trades it on the next day.
data::Table RunHybridStrategy(const HybridConfig& config, const data::QlibStore& store, const data::Table& predictions,
                              std::optional<Date> start, std::optional<Date> end, ThreadPool& pool);

}  // namespace alphaloom::pipeline
