#include "alphaloom/pipeline/workflow_plan.h"

#include <fmt/format.h>

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

WorkflowPlan ReadWorkflowPlan(const YAML::Node& root, const std::string& source, PlanEnvironment environment) {
  WorkflowPlan plan;
  plan.train = ReadTrainConfig(root, source);
  ConfigSection top(root, "", source);
  ConfigSection data_section = top.Child("data");
  ConfigSection universe = top.Child("universe");
  const std::string benchmark = universe.String("benchmark");
  if (data_section.Has("ingest")) {
    ConfigSection ingest = data_section.Child("ingest");
    IngestPlan ingest_plan;
    data::IngestOptions& options = ingest_plan.options;
    options.input = ingest.String("input");
    options.format = data::ParseFileFormat(ingest.String("format"));
    options.skip_bad_files = ingest.String("on_error") == "skip";
    ingest.RejectUnknownKeys();
    options.out = plan.train.store;
    options.benchmark = benchmark;
    ingest_plan.section_text = SectionText(root["data"], "ingest") + "\nbenchmark: " + benchmark;
    plan.ingest = std::move(ingest_plan);
  } else if (!fs::is_directory(plan.train.store)) {
    const std::string problem = fmt::format("{}: {}: no such store directory (ingest bars first: data.ingest, or "
                                            "alphaloom ingest)", data_section.Where("store"), plan.train.store);
    if (environment == PlanEnvironment::kCheck) throw Error(ErrorKind::kNotFound, problem);
    LogWarn("{}", problem);
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
  plan.trials = metrics_section.Double("trials");
  plan.trial_sharpe_variance = metrics_section.Double("trial_sharpe_variance");
  if (plan.trials > 1 && !metrics_section.Has("trial_sharpe_variance")) {
    throw Error(ErrorKind::kConfig,
                fmt::format("{}: needed (>= 0) when trials > 1", metrics_section.Where("trial_sharpe_variance")));
  }
  metrics_section.RejectUnknownKeys();
  ConfigSection report = top.Child("report");
  plan.report_html = report.Bool("html");
  report.RejectUnknownKeys();
  plan.tracking = ReadTrackingConfig(root, source, plan.train.name, environment == PlanEnvironment::kCheck);
  ConfigSection store = top.Child("store");
  plan.store = ReadStoreConfig(store);
  ConfigSection output = top.Child("output");
  plan.output_dir = output.String("dir");
  plan.cache_dir = output.String("cache");
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
