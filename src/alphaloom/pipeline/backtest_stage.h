#pragma once
// The backtest stage: a signal (scores) or target-weights file traded on a store with the
// exchange rules, one strategy, and the summary under a metric convention, written as a run
// folder (backtest/run_folder.h). `alphaloom backtest` and `alphaloom run` both go through here.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

#include "alphaloom/backtest/engine.h"
#include "alphaloom/backtest/quantile.h"
#include "alphaloom/backtest/topk_dropout.h"
#include "alphaloom/common/date.h"
#include "alphaloom/pipeline/config_section.h"

namespace alphaloom::pipeline {

enum class BacktestStrategy { kTopk, kQuantile, kWeights };

struct BacktestStageConfig {
  BacktestStrategy strategy = BacktestStrategy::kTopk;
  backtest::TopkDropoutOptions topk;
  backtest::QuantileOptions quantile;
  bool allow_short = false;           ///< weights: accept negative weights
  backtest::BacktestOptions options;  ///< cash, timing, exchange rules
  std::string preset = "qlib";        ///< summary conventions (metrics::PresetConventions)
  std::string score_column;           ///< empty: score, else yhat (weight for weights files)
  std::optional<double> horizon;      ///< rows of this horizon when the file has several
  std::optional<Date> start, end;     ///< window; default: first signal date .. the day after the last
  bool ic = true;                     ///< compute the signal's daily IC (scores only)
};

/// The configuration as the run folder's config.json records it (plus the input file names).
nlohmann::ordered_json BacktestConfigJson(const BacktestStageConfig& config);

/// Reads the workflow's `strategy` section for the strategies the backtest runs itself (kind:
/// topk_dropout | quantile) into `config`. kind hybrid (the strategy layer's target weights,
/// pipeline/strategy.h) sets the weights strategy and reads nothing else; the caller reads the rest
/// of the section.
void ReadTradingStrategy(ConfigSection& strategy, BacktestStageConfig& config);

/// Reads the workflow's `backtest` section, and preset (qlib | default) from `metrics`, into
/// `config`. Keys and defaults: the workflow key table (docs/workflow.md shows it).
void ReadBacktestConfig(ConfigSection& backtest, ConfigSection& metrics, BacktestStageConfig& config);

struct BacktestInputs {
  std::string store;                 ///< store directory
  std::filesystem::path signal;      ///< scores (datetime, instrument, score|yhat); required but for weights
  std::filesystem::path weights;     ///< target weights (datetime, instrument, weight); for weights
};

/// Runs the backtest and writes the run folder at `out` atomically; returns its summary. Errors:
/// Error(kUsage) when the strategy's input file is not given, Error(kConfig) for an unknown
/// preset, and those of ReadSignal, LoadMarket and RunBacktest.
nlohmann::ordered_json RunBacktestStage(const BacktestStageConfig& config, const BacktestInputs& inputs,
                                        const std::filesystem::path& out);

}  // namespace alphaloom::pipeline
