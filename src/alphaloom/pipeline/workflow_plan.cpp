#include "alphaloom/pipeline/workflow_plan.h"

#include <fmt/format.h>

#include <cmath>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/data/csv_reader.h"
#include "alphaloom/pipeline/config_section.h"

namespace alphaloom::pipeline {
namespace fs = std::filesystem;

std::string SectionText(const YAML::Node& root, std::string_view name) {
  const YAML::Node node = root[std::string(name)];
  return node ? YAML::Dump(node) : std::string();
}

WorkflowPlan ReadWorkflowPlan(const YAML::Node& root, const std::string& source) {
  WorkflowPlan plan;
  plan.train = ReadTrainConfig(root, source);
  ConfigSection top(root, "", source);
  ConfigSection data_section = top.Child("data");
  const YAML::Node ingest_node = data_section.Raw("ingest");
  ConfigSection universe = top.Child("universe");
  const std::string benchmark = universe.String("benchmark", "");
  if (ingest_node && !ingest_node.IsNull()) {
    ConfigSection ingest(ingest_node, "data.ingest", source);
    IngestPlan ingest_plan;
    data::IngestOptions& options = ingest_plan.options;
    options.input = ingest.String("input", "");
    if (options.input.empty()) throw Error(ErrorKind::kConfig, fmt::format("{}: missing (bar files to ingest)", ingest.Where("input")));
    options.format = data::ParseFileFormat(ingest.Choice("format", "auto", {"auto", "csv", "parquet", "qlib"}));
    options.skip_bad_files = ingest.Choice("on_error", "fail", {"fail", "skip"}) == "skip";
    ingest.RejectUnknownKeys();
    options.out = plan.train.store;
    options.benchmark = benchmark;
    ingest_plan.section_text = YAML::Dump(ingest_node) + "\nbenchmark: " + benchmark;
    plan.ingest = std::move(ingest_plan);
  } else if (!fs::is_directory(plan.train.store)) {
    throw Error(ErrorKind::kNotFound, fmt::format("{}: {}: no such store directory (ingest bars first: data.ingest, "
                                                  "or alphaloom ingest)", data_section.Where("store"), plan.train.store));
  }
  ConfigSection strategy = top.Child("strategy");
  ConfigSection backtest = top.Child("backtest");
  ConfigSection metrics_section = top.Child("metrics");
  ReadTradingStrategy(strategy, plan.backtest);
  if (plan.backtest.strategy == BacktestStrategy::kWeights) {
    plan.hybrid = ReadHybridConfig(strategy);
    plan.backtest.allow_short = !plan.hybrid->sizing.long_only;
  }
  ReadBacktestConfig(backtest, metrics_section, plan.backtest);
  const YAML::Node gates = metrics_section.Raw("gates");
  plan.gates = gates && !gates.IsNull() ? metrics::ParseGatesConfig(YAML::Dump(YAML::Node(root["metrics"])), source)
                                        : metrics::DefaultGates();
  plan.trials = metrics_section.Double("trials", plan.trials);
  if (!(plan.trials >= 1)) throw Error(ErrorKind::kConfig, fmt::format("{}: must be >= 1", metrics_section.Where("trials")));
  plan.trial_sharpe_variance = metrics_section.Double("trial_sharpe_variance", plan.trials > 1 ? std::nan("") : 0.0);
  if (!(plan.trial_sharpe_variance >= 0)) {
    throw Error(ErrorKind::kConfig, fmt::format("{}: needed (>= 0) when trials > 1", metrics_section.Where("trial_sharpe_variance")));
  }
  metrics_section.RejectUnknownKeys();
  ConfigSection report = top.Child("report");
  plan.report_html = report.Bool("html", true);
  report.RejectUnknownKeys();
  plan.tracking = ReadTrackingConfig(root, source, plan.train.name);
  ConfigSection store = top.Child("store");
  plan.store = ReadStoreConfig(store);
  ConfigSection output = top.Child("output");
  plan.output_dir = output.String("dir", plan.output_dir.string());
  plan.cache_dir = output.String("cache", plan.cache_dir.string());
  output.RejectUnknownKeys();
  return plan;
}


std::string PredictionModelName(const WorkflowPlan& plan) {
  if (!plan.store.model_name.empty()) return plan.store.model_name;
  if (!plan.tracking.register_as.empty()) return plan.tracking.register_as;
  return plan.train.name;
}

IngestStage PlanIngestStage(const IngestPlan& ingest, const StageCache& cache) {
  const std::string& store = ingest.options.out.string();
  IngestStage stage;
  stage.key = StageKey("ingest").Add(InputFingerprint(ingest.options.input)).Add(ingest.section_text).Add(store).Finish();
  stage.store_matches = cache.Has("ingest", stage.key) && fs::exists(store) &&
                        data::ReadFileMaybeGzip(cache.Entry("ingest", stage.key) / "store_fingerprint") ==
                            StoreFingerprint(store);
  return stage;
}

void RunIngest(const IngestPlan& ingest, const fs::path& entry_dir, ThreadPool& pool) {
  data::IngestOptions options = ingest.options;
  options.threads = pool.thread_count();
  const data::IngestReport report = data::Ingest(options);
  LogInfo("ingested {} files: {} instruments x {} dates", report.files, report.instruments, report.dates);
  WriteFileAtomic(entry_dir / "store_fingerprint", StoreFingerprint(options.out));
}

}  // namespace alphaloom::pipeline
