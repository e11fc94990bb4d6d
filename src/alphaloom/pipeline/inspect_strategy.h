#pragma once
// The strategy half of `alphaloom inspect`: what a workflow's hybrid strategy computes for one
// instrument, date by date (its factor values, rule alphas, the market regime, the ML score, the
// alpha score and its contributions, the target weight), taken from RunHybridStrategy itself so
// the numbers are the ones `alphaloom strategy` and `alphaloom run` write.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "alphaloom/common/date.h"
#include "alphaloom/common/thread_pool.h"
#include "alphaloom/data/qlib_store.h"
#include "alphaloom/data/table_io.h"
#include "alphaloom/expr/feature_frame.h"
#include "alphaloom/factors/factor_set.h"
#include "alphaloom/pipeline/strategy.h"
#include "alphaloom/pipeline/tracking.h"
#include "alphaloom/report/inspect.h"

namespace alphaloom::pipeline {

/// ReadHybridConfig of a section holding only `kind: hybrid`: every key at its default.
HybridConfig DefaultHybridConfig();

/// What `alphaloom inspect --workflow` takes from a workflow file.
struct InspectWorkflow {
  std::string source;                 ///< the file
  HybridConfig hybrid;                ///< its hybrid strategy, or DefaultHybridConfig()
  bool hybrid_from_file = false;      ///< strategy.kind is hybrid
  std::string store;                  ///< data.store; empty for a file without a data section
  std::filesystem::path run_model;    ///< output.dir/<name>/model (the run folder's ensemble); may not exist
  TrackingConfig tracking;            ///< for models:/ URIs (defaults: the ./mlruns file store)
  std::filesystem::path cache_dir = ".alphaloom-cache";
};

/// Reads `path` with `overrides` (key.path=value, as `alphaloom run --set`) applied. A whole
/// workflow (one with a data section) is read and checked as `alphaloom run` reads it, except
/// that a missing store or token variable is only a warning; a file without a data section (what
/// `alphaloom strategy --config` reads) gives only its strategy section. A strategy section of
/// another kind, or none, leaves the hybrid defaults. Errors are those of the readers
/// (Error(kConfig) naming file, line and key; Error(kUsage) for a bad override).
InspectWorkflow ReadInspectWorkflow(const std::filesystem::path& path, const std::vector<std::string>& overrides);

/// Predictions of a model, for the ML component.
struct InspectPredictions {
  data::Table table;    ///< datetime, instrument, horizon, yhat, prob_up, ... (empty: no ML component)
  std::string source;   ///< what they came from: "model <dir or uri>" or "predictions <file>"
  std::string version;  ///< the model's version; empty for a file
  std::optional<Date> trained_through;  ///< the latest train_end of the model's folds
};

/// Predictions of `model` for every instrument of its universe on the dates of `store` in
/// [start, end] (pipeline::Predict). `model` is a directory written by `alphaloom train` or `run`
/// (holding ensemble.json), or models:/NAME@ALIAS | models:/NAME/VERSION resolved through the
/// tracker of `tracking` (files fetched under `cache_dir`/models). Errors are Predict's and the
/// tracker's.
InspectPredictions PredictForInspect(const std::string& model, const std::string& store, const TrackingConfig& tracking,
                                     const std::filesystem::path& cache_dir, Date start, Date end, ThreadPool& pool);

/// A predictions file as `alphaloom strategy --predictions` reads it (datetime, instrument, and
/// optionally horizon, yhat, prob_up). Error(kIo) / Error(kData) naming the file.
InspectPredictions ReadPredictionsForInspect(const std::filesystem::path& file);

/// `set`'s values for `instrument` on the dates of [start, end], one vector per factor (NaN where
/// the instrument has no row or the factor is not computable), on `dates`. A set with a
/// cross-sectional operator (CSRank, ...) is computed over the store's whole market; a
/// time-series set over the instrument alone. Every value at date t reads bars up to t only.
std::vector<std::vector<double>> InstrumentFeatures(const data::QlibStore& store, const std::string& instrument,
                                                    const factors::FactorSet& set, const std::vector<Date>& dates,
                                                    ThreadPool& pool);

/// What InspectHybridStrategy looks at.
struct StrategyInspectRequest {
  std::string instrument;  ///< as the store lists it; must be in the store's default market
  Date start, end;         ///< rows: the instrument's bars in [start, end]; nothing after end is read
  const data::Table* predictions = nullptr;  ///< null or empty: no ML component
};

/// The hybrid strategy over the whole market (RunHybridStrategy with `config`, the predictions,
/// start and end), restricted to the instrument: regime, c_* contributions, alpha score,
/// realized volatility and target weight as that table has them. Beside them: the rule alphas
/// (signal::ComputeRuleAlphas with config.signals over the instrument, the inputs the strategy
/// combines, so c_k = w_k(date) * alpha_k), the regime probabilities (ComputeRegimes), the
/// instrument's prediction and the ML score the meta-model reads (from a second strategy pass in
/// which the ML component has weight 1 in every regime, so the score is the strategy's own).
/// Feature columns, config and ml_source are left for the caller. Throws Error(kNotFound) when
/// the instrument is not in the store's default market (the benchmark) or has no bar in the
/// range, and the strategy's errors.
report::StrategyInspection InspectHybridStrategy(const HybridConfig& config, const data::QlibStore& store,
                                                 const StrategyInspectRequest& request, ThreadPool& pool);

}  // namespace alphaloom::pipeline
