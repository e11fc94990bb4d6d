#pragma once
// `alphaloom run`: one workflow file through every stage, each stage's outputs cached by a
// content hash of what they depend on, and the results gathered in one run folder.
//
//   ingest -> features -> labels -> train (folds, out-of-fold predictions) -> strategy (hybrid
//   target weights) -> backtest -> report -> gates -> tracking (MLflow) -> store (SQL) -> run folder
//
// Stage keys (stage_cache.h): ingest = bar files + data.ingest; features = store + factors +
// universe + cv.end; labels = store + label + universe + cv.end; train = features + labels +
// label + processors + cv + model; strategy = train + store + strategy; backtest = train +
// strategy stage + store + strategy and backtest sections + metrics.preset; report = backtest + report;
// tracking = backtest + report + tracking + metrics + name; store = train + strategy + store.
// Rerunning an unchanged workflow recomputes nothing; changing only the model retrains and
// re-backtests without recomputing features.
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/common/thread_pool.h"

namespace alphaloom::pipeline {

/// The cached stages, in order (the names --force and `cache clear --stage` take).
std::span<const std::string_view> StageNames();

/// Applies `key.path=value` overrides (the value is read as YAML: numbers, lists, maps) to
/// `root`, creating mappings along the path. Throws Error(kUsage) naming the override when it
/// has no '=' or an empty key, or when the path runs through a value that is not a mapping.
void ApplyOverrides(YAML::Node& root, const std::vector<std::string>& overrides);

struct RunRequest {
  std::filesystem::path workflow;        ///< the YAML file
  std::vector<std::string> overrides;    ///< --set key.path=value, applied in order
  std::optional<std::string> force;      ///< recompute this stage and every stage after it
  std::filesystem::path out;             ///< run folder; empty = output.dir / name
};

struct RunOutcome {
  std::filesystem::path run_dir;
  nlohmann::ordered_json summary;  ///< what run_dir/summary.json holds
  bool gates_passed = true;
};

/// Reads and checks the whole workflow before any work (a bad key stops it with nothing
/// written), runs the stages through the cache, and writes the run folder atomically:
///   workflow.yaml   the effective workflow (overrides applied)
///   summary.json    name, each stage's key / status (cached or computed) / seconds, the
///                   out-of-fold scores, the backtest summary, the gate results
///   train/          metrics.json, importance.csv, oof_predictions.parquet
///   model/          the fold ensemble (`alphaloom predict --model`)
///   signal.parquet  the out-of-fold scores: datetime, instrument, score = yhat (averaged over the
///                   folds where a scheme tests a row more than once), prob_up (Phi(yhat / RMSE))
///   weights.parquet the hybrid strategy's target weights and components (strategy.kind: hybrid)
///   backtest/       the backtest run folder (backtest/run_folder.h)
///   report/         index.html and the charts (when report.html is true)
/// Throws Error(kConfig) for a bad workflow, Error(kUsage) for an unknown --force stage, and the
/// errors of the stages.
RunOutcome RunWorkflow(const RunRequest& request, ThreadPool& pool);

}  // namespace alphaloom::pipeline
