#pragma once
// The training stage: features + labels -> folds -> one model per fold, out-of-fold
// predictions and scores, and the fold ensemble saved as a model directory that `predict` uses.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "alphaloom/common/thread_pool.h"
#include "alphaloom/dataset/processors.h"
#include "alphaloom/factors/factor_set.h"
#include "alphaloom/model/model.h"
#include "alphaloom/pipeline/labels.h"
#include "alphaloom/pipeline/splits.h"

namespace alphaloom::pipeline {

/// The sections `alphaloom train` reads from a workflow file.
struct TrainConfig {
  std::string name = "alphaloom";   ///< workflow name
  std::string store;                ///< data.store
  std::string market = "all";       ///< universe.market: the instrument spec
  factors::FactorSet factors;       ///< factors
  LabelConfig label;                ///< label
  std::vector<dataset::ProcessorStep> processors;  ///< processors.steps
  SplitConfig cv;                   ///< cv
  model::ModelSpec model;           ///< model
};

/// Reads name, data, universe, factors, label, processors, cv and model, checking every key
/// against the workflow key table (other workflow sections are allowed and ignored), e.g.
///   processors: {fit_on: train, steps: [dropna_label, robust_zscore, {fillna: {value: 0}}, ...]}
///   model: {kind: lightgbm, num_rounds: 300, early_stopping: 30, params: {num_leaves: 63}}
/// `source` names the file in messages.
TrainConfig ReadTrainConfig(const YAML::Node& root, const std::string& source);

/// Called after each fold with its name and scores (for progress on a terminal).
using FoldCallback = std::function<void(size_t fold, size_t folds, const std::string& name, const nlohmann::json& scores)>;

struct TrainSummary {
  nlohmann::json metrics;  ///< what metrics.json holds
  std::filesystem::path model_dir;
};

/// Runs the stage and writes into `out_dir` (created; every file written atomically):
///   metrics.json           per-fold and overall scores, the plan, the label, the model spec, and
///                          seconds: prepare (store -> features, labels, learning set), fit and
///                          predict (summed over folds), total
///   oof_predictions.parquet datetime, instrument, fold, yhat, label (raw), target (what the model
///                           learned: the normalised label, or the class index), t1 (the label's
///                           last date: when the row's error is known), one row per test row and
///                           fold
///   unlabelled_predictions.parquet datetime, instrument, fold, yhat: the feature rows without a
///                           target on the dates a fold tests (a suspension, a delisting or the
///                           data's end removes the bars their label needs), predicted by the first
///                           fold that tests the date with the test rows' processors (applied to
///                           both together) and never scored; the signal trades them like the rest
///   importance.csv          feature, gain, split: means over the fold models
///   model/                  ensemble.json + fold<k>/ model artifacts (see docs/models.md)
/// With several label horizons, the first is trained (the workflow trains one model per horizon).
TrainSummary Train(const TrainConfig& config, const std::filesystem::path& out_dir, ThreadPool& pool,
                   const FoldCallback& on_fold = {});

/// The features Train computes from the store: the factors of `config` for its universe, through
/// cv.end.
expr::FeatureFrame ComputeTrainFeatures(const TrainConfig& config, ThreadPool& pool);

/// The label Train learns, raw (the per-day normalisation is applied when training): the first
/// configured horizon, through cv.end.
label::LabelFrame ComputeTrainLabels(const TrainConfig& config, ThreadPool& pool);

/// Train on features and labels computed beforehand (by the two functions above, possibly read
/// back from the workflow's stage cache); the same outputs as Train.
TrainSummary TrainOn(const TrainConfig& config, const expr::FeatureFrame& features, label::LabelFrame labels,
                     const std::filesystem::path& out_dir, ThreadPool& pool, const FoldCallback& on_fold = {});

}  // namespace alphaloom::pipeline
