#pragma once
// A whole workflow file read and checked into plain values before any stage runs: what
// `alphaloom run` and `alphaloom update` share.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/data/ingest.h"
#include "alphaloom/metrics/gates.h"
#include "alphaloom/common/thread_pool.h"
#include "alphaloom/pipeline/backtest_stage.h"
#include "alphaloom/pipeline/stage_cache.h"
#include "alphaloom/pipeline/store_config.h"
#include "alphaloom/pipeline/strategy.h"
#include "alphaloom/pipeline/tracking.h"
#include "alphaloom/pipeline/train.h"

namespace alphaloom::pipeline {

/// data.ingest, when the workflow has it.
struct IngestPlan {
  data::IngestOptions options;
  std::string section_text;
};

/// Everything a run needs, read and checked before any stage starts.
struct WorkflowPlan {
  TrainConfig train;
  std::optional<IngestPlan> ingest;
  BacktestStageConfig backtest;
  std::optional<HybridConfig> hybrid;  ///< strategy.kind: hybrid
  std::vector<metrics::Gate> gates;
  double trials = 1;                  ///< strategies tried, for the deflated Sharpe ratio
  double trial_sharpe_variance = 0;   ///< variance of their annualized Sharpe ratios
  bool report_html = true;
  TrackingConfig tracking;
  StoreConfig store;
  std::filesystem::path output_dir = "runs";
  std::filesystem::path cache_dir = ".alphaloom-cache";
};

/// What ReadWorkflowPlan checks beyond the file: that data.store exists when there is no
/// data.ingest, and that the variable tracking.token_env names is set.
enum class PlanEnvironment {
  kCheck,  ///< they are errors (Error(kNotFound), Error(kConfig)): a run needs them
  kWarn,   ///< they are warnings (`alphaloom config check`: the file may be meant for another machine)
};

/// Reads every section of a workflow (unknown sections and keys, wrong types and out-of-range
/// values are errors naming file, line and key; workflow_keys.h declares them all).
WorkflowPlan ReadWorkflowPlan(const YAML::Node& root, const std::string& source,
                              PlanEnvironment environment = PlanEnvironment::kCheck);

/// The ingest stage's cache key, and whether the store still is what that ingest wrote (its
/// entry records the store's fingerprint, so a store changed or deleted since is ingested again).
struct IngestStage {
  std::string key;
  bool store_matches = false;
};
IngestStage PlanIngestStage(const IngestPlan& ingest, const StageCache& cache);

/// Ingests the bars into the store and records the store's fingerprint in `entry_dir`.
void RunIngest(const IngestPlan& ingest, const std::filesystem::path& entry_dir, ThreadPool& pool);

/// The model name written with predictions: store.model_name, else tracking.register_as, else
/// the workflow's name.
std::string PredictionModelName(const WorkflowPlan& plan);

/// The YAML text of a section as read (overrides applied), empty when absent: what stage keys hash.
std::string SectionText(const YAML::Node& root, std::string_view name);

}  // namespace alphaloom::pipeline
