#include "alphaloom/pipeline/run.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/common/hash.h"
#include "alphaloom/common/interrupt.h"
#include "alphaloom/common/log.h"
#include "alphaloom/data/csv_reader.h"
#include "alphaloom/data/ingest.h"
#include "alphaloom/data/table_io.h"
#include "alphaloom/expr/feature_frame.h"
#include "alphaloom/label/label_frame.h"
#include "alphaloom/metrics/conventions.h"
#include "alphaloom/metrics/gates.h"
#include "alphaloom/metrics/summary.h"
#include "alphaloom/model/uncertainty.h"
#include "alphaloom/pipeline/backtest_stage.h"
#include "alphaloom/pipeline/config_section.h"
#include "alphaloom/pipeline/features.h"
#include "alphaloom/pipeline/predict.h"
#include "alphaloom/pipeline/stage_cache.h"
#include "alphaloom/pipeline/store_config.h"
#include "alphaloom/pipeline/strategy.h"
#include "alphaloom/pipeline/tracking.h"
#include "alphaloom/pipeline/workflow_plan.h"
#include "alphaloom/pipeline/train.h"
#include "alphaloom/report/report.h"
#include "alphaloom/store/sql_store.h"
#include "alphaloom/store/uri.h"

namespace alphaloom::pipeline {
namespace fs = std::filesystem;
namespace {

constexpr std::array<std::string_view, 9> kStages = {"ingest",   "features", "labels",   "train",   "strategy",
                                                     "backtest", "report",   "tracking", "store"};

// Hard links where the file system allows them (cache entries are never modified in place, so
// sharing their bytes is safe), copies elsewhere.
void LinkFile(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::create_hard_link(from, to, error);
  if (!error) return;
  error.clear();
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
  if (error) throw Error(ErrorKind::kIo, fmt::format("{}: cannot copy: {}", to.string(), error.message()));
}

void LinkTree(const fs::path& from, const fs::path& to) {
  if (fs::is_regular_file(from)) return LinkFile(from, to);
  std::error_code error;
  fs::create_directories(to, error);
  if (error) throw Error(ErrorKind::kIo, fmt::format("{}: cannot create directory: {}", to.string(), error.message()));
  for (const auto& entry : fs::recursive_directory_iterator(from)) {
    const fs::path target = to / fs::relative(entry.path(), from);
    if (entry.is_directory()) {
      fs::create_directories(target);
      continue;
    }
    LinkFile(entry.path(), target);
  }
}

// The backtest's scores from the out-of-fold predictions, the rows without a label included (a
// signal without them would tell the strategy in advance which names lose their next bars): one
// score per (date, instrument), the mean over the folds that tested it (walk-forward tests a row
// once; CPCV several times). For a regressor, prob_up as `predict` computes it, Phi(yhat / RMSE),
// with the RMSE of the out-of-fold errors known at the date's close (those whose label ended on or
// before it; NaN before the first): an RMSE over every fold would carry later errors into earlier
// dates. NaN for a classifier's scores (the hybrid strategy's ML component then scores nothing).
void WriteSignal(const fs::path& oof_file, const fs::path& unlabelled_file, bool regressor, const fs::path& out) {
  const std::array<data::ColumnRequest, 5> oof_requests = {
      data::ColumnRequest{"datetime", data::ColumnType::kDate}, data::ColumnRequest{"instrument", data::ColumnType::kString},
      data::ColumnRequest{"yhat", data::ColumnType::kNumber}, data::ColumnRequest{"target", data::ColumnType::kNumber},
      data::ColumnRequest{"t1", data::ColumnType::kDate}};
  const data::Table oof = data::ReadTable(oof_file, oof_requests);
  const data::Table unlabelled = data::ReadTable(unlabelled_file, std::span(oof_requests).first(3));
  std::map<std::pair<Date, std::string>, std::pair<double, int>> sums;
  for (const data::Table* table : {&oof, &unlabelled}) {
    for (size_t row = 0; row < table->rows(); ++row) {
      auto& [sum, count] = sums[{table->columns[0].dates[row], table->columns[1].strings[row]}];
      sum += table->columns[2].numbers[row];
      ++count;
    }
  }
  // Squared out-of-fold errors by the date they become known.
  std::vector<std::pair<Date, double>> errors;
  for (size_t row = 0; row < oof.rows(); ++row) {
    const double error = oof.columns[2].numbers[row] - oof.columns[3].numbers[row];
    if (std::isfinite(error)) errors.emplace_back(oof.columns[4].dates[row], error * error);
  }
  std::sort(errors.begin(), errors.end());
  std::vector<Date> dates;
  std::vector<std::string> instruments;
  std::vector<double> scores, prob_up;
  size_t known = 0;
  double squares = 0;
  for (const auto& [key, value] : sums) {
    while (known < errors.size() && errors[known].first <= key.first) squares += errors[known++].second;
    dates.push_back(key.first);
    instruments.push_back(key.second);
    const double score = value.first / value.second;
    scores.push_back(score);
    const bool defined = regressor && known > 0;
    prob_up.push_back(defined ? model::ProbUpNormal(score, std::sqrt(squares / static_cast<double>(known))) : std::nan(""));
  }
  data::Table signal;
  signal.columns.push_back(data::TableColumn::Dates("datetime", std::move(dates)));
  signal.columns.push_back(data::TableColumn::Strings("instrument", std::move(instruments)));
  signal.columns.push_back(data::TableColumn::Numbers("score", scores));
  signal.columns.push_back(data::TableColumn::Numbers("yhat", std::move(scores)));
  signal.columns.push_back(data::TableColumn::Numbers("prob_up", std::move(prob_up)));
  data::WriteTable(signal, out);
}

// Is the strategy's edge over its benchmark, net of costs, significant once the number of trials
// is accounted for? The deflated Sharpe ratio of the daily excess return with cost (a long-only
// book's own Sharpe would mostly measure the market's drift).
nlohmann::ordered_json Significance(const fs::path& daily_file, const WorkflowPlan& plan) {
  const std::array<data::ColumnRequest, 2> requests = {
      data::ColumnRequest{"datetime", data::ColumnType::kDate},
      data::ColumnRequest{"excess_return_with_cost", data::ColumnType::kNumber}};
  const data::Table daily = data::ReadTable(daily_file, requests);
  metrics::SummaryInputs inputs;
  inputs.returns = daily.columns[1].numbers;
  inputs.dates = daily.columns[0].dates;
  inputs.trials = plan.trials;
  inputs.trial_sharpe_variance_annual = plan.trial_sharpe_variance;
  const nlohmann::ordered_json summary =
      metrics::Summarize(inputs, *metrics::PresetConventions(plan.backtest.preset), plan.backtest.preset);
  nlohmann::ordered_json significance = {{"series", "excess_return_with_cost"}, {"trials", plan.trials}};
  for (const char* key : {"sharpe", "probabilistic_sharpe_ratio", "expected_max_sharpe", "deflated_sharpe_ratio"}) {
    significance[key] = summary.contains(key) ? summary[key] : nlohmann::ordered_json();
  }
  const std::optional<double> dsr = metrics::NumberFromJson(significance["deflated_sharpe_ratio"]);
  significance["significant_at_95"] = dsr && *dsr >= 0.95;
  return significance;
}

std::string DateText(const std::optional<Date>& date) { return date ? date->ToString() : std::string("-"); }

// Runs each stage through the cache and records what happened, for the summary.
class StageRunner {
 public:
  /// `before_compute` (may be empty) is called before a stage up to tracking computes.
  StageRunner(const StageCache& cache, std::optional<size_t> force_from, std::function<void()> before_compute)
      : cache_(cache), force_from_(force_from), before_compute_(std::move(before_compute)) {}

  /// `reusable` false: an existing entry is stale for a reason its key cannot see.
  fs::path Run(std::string_view stage, const std::string& key, const std::function<void(const fs::path&)>& build,
               bool reusable = true) {
    const size_t index = StageIndex(stage);
    const bool forced = force_from_ && index >= *force_from_;
    const std::string label = fmt::format("[{}/{}] {}", index + 1, kStages.size(), stage);
    if (!forced && reusable && cache_.Has(stage, key)) {
      LogInfo("{}: cached ({})", label, key.substr(0, 12));
      Record(stage, key, "cached", 0.0);
      return cache_.Entry(stage, key);
    }
    LogInfo("{}: computing{}", label, forced ? " (forced)" : "");
    if (before_compute_ && index <= StageIndex("tracking")) before_compute_();
    const auto started = std::chrono::steady_clock::now();
    fs::path entry = cache_.Build(stage, key, build);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    LogInfo("{}: done in {:.1f} s", label, seconds);
    Record(stage, key, "computed", seconds);
    return entry;
  }

  void Record(std::string_view stage, const std::string& key, std::string_view status, double seconds) {
    stages_[std::string(stage)] = {{"key", key}, {"status", status}, {"seconds", std::round(seconds * 1000) / 1000}};
  }

  static size_t StageIndex(std::string_view stage) {
    return static_cast<size_t>(std::find(kStages.begin(), kStages.end(), stage) - kStages.begin());
  }

  const nlohmann::ordered_json& stages() const { return stages_; }

 private:
  const StageCache& cache_;
  std::optional<size_t> force_from_;
  std::function<void()> before_compute_;
  nlohmann::ordered_json stages_ = nlohmann::ordered_json::object();
};

// The MLflow run of one `alphaloom run` while it computes: opened at the first stage that
// computes (an unchanged rerun, all cached, opens none), completed by the tracking stage, ended
// FAILED by an error and KILLED by SIGINT/SIGTERM (from the interrupt thread, hence the mutex).
class TrackedRunLife {
 public:
  TrackedRunLife(const TrackingConfig& config, RunRecord record) : config_(config), record_(std::move(record)) {}

  void Open() {
    std::lock_guard lock(mutex_);
    if (!run_) run_ = OpenTrackedRun(config_, record_);
  }
  /// The open run's id; empty when none was opened.
  std::string run_id() {
    std::lock_guard lock(mutex_);
    return run_ ? run_->run_id : std::string();
  }
  /// Ends the open run (if any, and if still RUNNING) with `status`.
  void End(track::RunStatus status, const std::string& reason, bool send) {
    std::lock_guard lock(mutex_);
    if (run_) EndTrackedRun(config_, *run_, status, reason, send);
  }

 private:
  const TrackingConfig& config_;
  const RunRecord record_;
  std::mutex mutex_;
  std::optional<OpenRun> run_;
};

}  // namespace

std::span<const std::string_view> StageNames() { return kStages; }

void ApplyOverrides(YAML::Node& root, const std::vector<std::string>& overrides) {
  for (const std::string& text : overrides) {
    const size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw Error(ErrorKind::kUsage, fmt::format("--set {}: expected key.path=value", text));
    }
    const std::string path = text.substr(0, equals);
    YAML::Node value;
    try {
      value = YAML::Load(text.substr(equals + 1));
    } catch (const YAML::Exception& error) {
      throw Error(ErrorKind::kUsage, fmt::format("--set {}: the value is not YAML: {}", text, error.msg));
    }
    // yaml-cpp nodes are handles: walking with operator[] on copies rebinds; build the chain of
    // parents instead and assign at the end.
    std::vector<std::string> keys;
    size_t begin = 0;
    while (true) {
      const size_t dot = path.find('.', begin);
      keys.push_back(path.substr(begin, dot == std::string::npos ? std::string::npos : dot - begin));
      if (dot == std::string::npos) break;
      begin = dot + 1;
    }
    if (std::any_of(keys.begin(), keys.end(), [](const std::string& key) { return key.empty(); })) {
      throw Error(ErrorKind::kUsage, fmt::format("--set {}: empty key in '{}'", text, path));
    }
    std::vector<YAML::Node> chain = {root};
    for (size_t depth = 0; depth + 1 < keys.size(); ++depth) {
      YAML::Node parent = chain.back();
      YAML::Node child = parent[keys[depth]];
      if (child && !child.IsMap() && !child.IsNull()) {
        throw Error(ErrorKind::kUsage, fmt::format("--set {}: '{}' is not a mapping", text, keys[depth]));
      }
      if (!child || child.IsNull()) {
        parent[keys[depth]] = YAML::Node(YAML::NodeType::Map);
        child = parent[keys[depth]];
      }
      chain.push_back(child);
    }
    YAML::Node parent = chain.back();
    parent[keys.back()] = value;
  }
}

namespace {

// Every stage of a validated workflow; `life` (null without tracking) is the MLflow run.
RunOutcome RunStages(const RunRequest& request, const YAML::Node& root, const WorkflowPlan& plan,
                     std::optional<size_t> force_from, TrackedRunLife* life, ThreadPool& pool) {
  const TrainConfig& train = plan.train;
  const fs::path run_dir = request.out.empty() ? plan.output_dir / train.name : request.out;
  const StageCache cache(plan.cache_dir);
  StageRunner runner(cache, force_from, life ? std::function<void()>([life] { life->Open(); }) : std::function<void()>());

  // ingest: the store is the output; the entry records the store's fingerprint after ingest, so
  // a store changed or deleted since is ingested again.
  if (plan.ingest) {
    const IngestStage stage = PlanIngestStage(*plan.ingest, cache);
    runner.Run("ingest", stage.key, [&](const fs::path& staging) { RunIngest(*plan.ingest, staging, pool); },
               stage.store_matches);
  } else {
    runner.Record("ingest", "", "skipped", 0.0);
  }

  const std::string store_fingerprint = StoreFingerprint(train.store);
  const std::string end_text = DateText(train.cv.end);
  const std::string features_key = StageKey("features").Add(store_fingerprint).Add(FactorSetHash(train.factors))
                                       .Add(train.market).Add(end_text).Finish();
  const fs::path features_entry = runner.Run("features", features_key, [&](const fs::path& staging) {
    ComputeTrainFeatures(train, pool).Save(staging / "features.alf");
  });
  const std::string labels_key = StageKey("labels").Add(store_fingerprint).Add(SectionText(root, "label"))
                                     .Add(train.market).Add(end_text).Finish();
  const fs::path labels_entry = runner.Run("labels", labels_key, [&](const fs::path& staging) {
    const label::LabelFrame labels = ComputeTrainLabels(train, pool);
    labels.Write(staging / "labels.parquet");
    WriteFileAtomic(staging / "name", labels.name);
  });
  const std::string train_key = StageKey("train").Add(features_key).Add(labels_key).Add(SectionText(root, "label"))
                                    .Add(SectionText(root, "processors")).Add(SectionText(root, "cv"))
                                    .Add(SectionText(root, "model")).Add(train.name).Add(train.market).Finish();
  const fs::path train_entry = runner.Run("train", train_key, [&](const fs::path& staging) {
    const expr::FeatureFrame features = expr::FeatureFrame::Load(features_entry / "features.alf");
    label::LabelFrame labels = label::LabelFrame::Read(labels_entry / "labels.parquet");
    labels.name = data::ReadFileMaybeGzip(labels_entry / "name");
    TrainOn(train, features, std::move(labels), staging, pool);
    const nlohmann::json ensemble = nlohmann::json::parse(data::ReadFileMaybeGzip(staging / "model" / "ensemble.json"));
    WriteSignal(staging / "oof_predictions.parquet", staging / "unlabelled_predictions.parquet",
                ensemble.value("oof_rmse", 0.0) > 0, staging / "signal.parquet");
  });
  // strategy (hybrid only): target weights from the rule alphas, the regime, the model's
  // out-of-fold P(up) and sizing, over the dates the model was tested on.
  std::optional<fs::path> weights_file;
  std::string strategy_key;
  if (plan.hybrid) {
    strategy_key = StageKey("strategy").Add(train_key).Add(store_fingerprint).Add(SectionText(root, "strategy")).Finish();
    const fs::path entry = runner.Run("strategy", strategy_key, [&](const fs::path& staging) {
      const std::array<data::ColumnRequest, 4> requests = {
          data::ColumnRequest{"datetime", data::ColumnType::kDate}, data::ColumnRequest{"instrument", data::ColumnType::kString},
          data::ColumnRequest{"yhat", data::ColumnType::kNumber}, data::ColumnRequest{"prob_up", data::ColumnType::kNumber}};
      const data::Table predictions = data::ReadTable(train_entry / "signal.parquet", requests);
      const std::vector<Date>& dates = predictions.columns[0].dates;
      const auto [first, last] = std::minmax_element(dates.begin(), dates.end());
      const data::QlibStore store = data::QlibStore::Open(train.store);
      const data::Table weights = RunHybridStrategy(*plan.hybrid, store, predictions, *first, *last, pool);
      data::WriteTable(weights, staging / "weights.parquet");
    });
    weights_file = entry / "weights.parquet";
  } else {
    runner.Record("strategy", "", "skipped", 0.0);
  }
  const std::string backtest_key = StageKey("backtest").Add(train_key).Add(strategy_key).Add(store_fingerprint)
                                       .Add(SectionText(root, "strategy")).Add(SectionText(root, "backtest"))
                                       .Add(plan.backtest.preset).Finish();
  const fs::path backtest_entry = runner.Run("backtest", backtest_key, [&](const fs::path& staging) {
    RunBacktestStage(plan.backtest, {train.store, train_entry / "signal.parquet", weights_file.value_or(fs::path())},
                     staging / "backtest");
  });
  std::optional<fs::path> report_entry;
  if (plan.report_html) {
    const std::string report_key = StageKey("report").Add(backtest_key).Add(SectionText(root, "report")).Finish();
    report_entry = runner.Run("report", report_key, [&](const fs::path& staging) {
      report::ReportOptions options;
      options.importance = (train_entry / "importance.csv").string();
      report::WriteReport(backtest_entry / "backtest", staging / "report", options);
    });
  } else {
    runner.Record("report", "", "skipped", 0.0);
  }

  const nlohmann::json backtest_summary = nlohmann::json::parse(data::ReadFileMaybeGzip(backtest_entry / "backtest" / "summary.json"));
  const nlohmann::json train_metrics = nlohmann::json::parse(data::ReadFileMaybeGzip(train_entry / "metrics.json"));
  const std::vector<metrics::GateResult> gate_results = metrics::EvaluateGates(plan.gates, backtest_summary);
  LogInfo("promotion gates:\n{}", metrics::FormatGateResults(gate_results));
  const bool gates_passed = std::all_of(gate_results.begin(), gate_results.end(),
                                        [](const metrics::GateResult& result) { return result.passed; });

  // tracking: one MLflow run per distinct result (a rerun of an unchanged workflow logs nothing
  // new); the entry records the run, and is redone when that run has left the local store.
  nlohmann::json logged;
  if (plan.tracking.enabled) {
    const std::string key = StageKey("tracking").Add(backtest_key).Add(report_entry ? report_entry->string() : "")
                                .Add(SectionText(root, "tracking")).Add(SectionText(root, "name"))
                                .Add(SectionText(root, "metrics")).Finish();
    bool reusable = false;
    if (cache.Has("tracking", key)) {
      const nlohmann::json previous = nlohmann::json::parse(data::ReadFileMaybeGzip(cache.Entry("tracking", key) / "run.json"));
      const fs::path local_root = previous.value("local_root", "");
      std::error_code error;
      for (const auto& experiment : fs::directory_iterator(local_root, error)) {
        reusable = reusable || fs::is_directory(experiment.path() / previous.value("run_id", "-"));
      }
    }
    // A run opened by an earlier stage that computed is completed, not left empty.
    reusable = reusable && life->run_id().empty();
    const fs::path entry = runner.Run("tracking", key, [&](const fs::path& staging) {
      RunRecord record;
      record.workflow_path = request.workflow.string();
      record.workflow_text = YAML::Dump(root);
      record.run_id = life->run_id();
      record.train_dir = train_entry;
      record.backtest_dir = backtest_entry / "backtest";
      if (report_entry) record.report_dir = *report_entry / "report";
      // An alias (e.g. production) is a promotion: it is set only when the gates pass, as
      // `alphaloom models promote` does.
      TrackingConfig tracking = plan.tracking;
      if (!tracking.alias.empty() && !gates_passed) {
        LogWarn("tracking.alias '{}' not set: the promotion gates failed (alphaloom models promote --force overrides)",
                tracking.alias);
        tracking.alias.clear();
      }
      const LoggedRun run = LogRun(tracking, record);
      nlohmann::json json = {{"experiment", run.experiment}, {"run_id", run.run_id},
                             {"local_root", fs::absolute(run.local_root).string()}, {"server_run_id", run.server_run_id}};
      if (run.version) json["version"] = *run.version;
      WriteFileAtomic(staging / "run.json", json.dump(2));
    }, reusable);
    logged = nlohmann::json::parse(data::ReadFileMaybeGzip(entry / "run.json"));
  } else {
    runner.Record("tracking", "", "skipped", 0.0);
  }

  // store: the out-of-fold predictions (and the hybrid target weights) upserted into the SQL
  // store; idempotent, so a forced rerun changes nothing.
  if (plan.store.enabled()) {
    const std::string key = StageKey("store").Add(train_key).Add(strategy_key).Add(SectionText(root, "store"))
                                .Add(plan.store.uri).Finish();
    runner.Run("store", key, [&](const fs::path& staging) {
      std::unique_ptr<store::SqlStore> sql = store::OpenStore(plan.store.uri);
      sql->Migrate();
      nlohmann::json written = nlohmann::json::object();
      if (plan.store.Writes(store::StoreTable::kPreds)) {
        data::Table preds = data::ReadTable(train_entry / "signal.parquet",
                                            std::array<data::ColumnRequest, 4>{
                                                data::ColumnRequest{"datetime", data::ColumnType::kDate},
                                                data::ColumnRequest{"instrument", data::ColumnType::kString},
                                                data::ColumnRequest{"yhat", data::ColumnType::kNumber},
                                                data::ColumnRequest{"prob_up", data::ColumnType::kNumber}});
        const size_t rows = preds.rows();
        const std::string version = EnsembleVersion(data::ReadFileMaybeGzip(train_entry / "model" / "ensemble.json"));
        const std::string model_name = PredictionModelName(plan);
        preds.columns.push_back(data::TableColumn::Numbers("horizon", std::vector<double>(rows, train.label.horizons.front())));
        preds.columns.push_back(data::TableColumn::Strings("model_name", std::vector<std::string>(rows, model_name)));
        preds.columns.push_back(data::TableColumn::Strings("model_version", std::vector<std::string>(rows, version)));
        sql->Put(store::StoreTable::kPreds, preds);
        written["preds"] = rows;
      }
      if (weights_file && plan.store.Writes(store::StoreTable::kTargetWeights)) {
        data::Table weights = data::ReadTable(*weights_file, std::array<data::ColumnRequest, 4>{
                                                                 data::ColumnRequest{"datetime", data::ColumnType::kDate},
                                                                 data::ColumnRequest{"instrument", data::ColumnType::kString},
                                                                 data::ColumnRequest{"weight", data::ColumnType::kNumber},
                                                                 data::ColumnRequest{"alpha_score", data::ColumnType::kNumber}});
        const size_t rows = weights.rows();
        weights.columns.push_back(data::TableColumn::Strings("strategy", std::vector<std::string>(rows, train.name)));
        sql->Put(store::StoreTable::kTargetWeights, weights);
        written["target_weights"] = rows;
      }
      WriteFileAtomic(staging / "written.json", nlohmann::json{{"uri", sql->uri()}, {"rows", written}}.dump(2));
    });
  } else {
    runner.Record("store", "", "skipped", 0.0);
  }

  RunOutcome outcome;
  outcome.run_dir = run_dir;
  nlohmann::ordered_json gates = nlohmann::ordered_json::array();
  for (const metrics::GateResult& result : gate_results) {
    outcome.gates_passed = outcome.gates_passed && result.passed;
    gates.push_back({{"gate", result.gate.key}, {"value", metrics::NumberToJson(result.value)},
                     {"threshold", result.gate.threshold}, {"passed", result.passed}});
  }
  outcome.summary = {{"workflow", train.name},
                     {"stages", runner.stages()},
                     {"training", train_metrics["overall"]},
                     {"backtest", backtest_summary},
                     {"significance", Significance(backtest_entry / "backtest" / "daily.parquet", plan)},
                     {"gates", gates},
                     {"gates_passed", outcome.gates_passed}};
  if (!logged.is_null()) outcome.summary["mlflow"] = logged;

  StagingDirectory folder(run_dir);
  WriteFileAtomic(folder.path() / "workflow.yaml", YAML::Dump(root) + "\n");
  for (const char* name :
       {"metrics.json", "importance.csv", "oof_predictions.parquet", "unlabelled_predictions.parquet"}) {
    fs::create_directories(folder.path() / "train");
    LinkTree(train_entry / name, folder.path() / "train" / name);
  }
  LinkTree(train_entry / "model", folder.path() / "model");
  LinkTree(train_entry / "signal.parquet", folder.path() / "signal.parquet");
  if (weights_file) LinkTree(*weights_file, folder.path() / "weights.parquet");
  LinkTree(backtest_entry / "backtest", folder.path() / "backtest");
  if (report_entry) LinkTree(*report_entry / "report", folder.path() / "report");
  WriteFileAtomic(folder.path() / "summary.json", outcome.summary.dump(2) + "\n");
  folder.Commit();
  LogInfo("run folder {}: out-of-fold IC {}, excess return net of costs {}, its deflated Sharpe {}, gates {}",
          run_dir.string(), train_metrics["overall"].value("ic", nlohmann::json()).dump(),
          backtest_summary.value("excess_return_with_cost", nlohmann::json()).dump(),
          outcome.summary["significance"]["deflated_sharpe_ratio"].dump(),
          outcome.gates_passed ? "passed" : "FAILED");
  return outcome;
}

}  // namespace

RunOutcome RunWorkflow(const RunRequest& request, ThreadPool& pool) {
  YAML::Node root = LoadYamlFile(request.workflow.string());
  ApplyOverrides(root, request.overrides);
  const WorkflowPlan plan = ReadWorkflowPlan(root, request.workflow.string());
  std::optional<size_t> force_from;
  if (request.force) {
    const size_t index = StageRunner::StageIndex(*request.force);
    if (index == kStages.size()) {
      throw Error(ErrorKind::kUsage, fmt::format("--force: unknown stage '{}' (stages: {})", *request.force,
                                                 fmt::join(kStages, ", ")));
    }
    force_from = index;
  }
  // A PostgreSQL store that cannot be reached fails the run before anything is computed.
  if (plan.store.enabled() && store::ParseStoreUri(plan.store.uri).backend == store::Backend::kPostgres) {
    store::OpenStore(plan.store.uri);
  }
  if (!plan.tracking.enabled) return RunStages(request, root, plan, force_from, nullptr, pool);

  // A run of this experiment left RUNNING by a process killed outright is ended KILLED first.
  MarkAbandonedRuns(plan.tracking);
  RunRecord record;
  record.workflow_path = request.workflow.string();
  record.workflow_text = YAML::Dump(root);
  TrackedRunLife life(plan.tracking, record);
  InterruptWatcher watcher([&life](int signal) {
    life.End(track::RunStatus::kKilled, signal == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)", false);
  });
  try {
    return RunStages(request, root, plan, force_from, &life, pool);
  } catch (const std::exception& error) {
    life.End(track::RunStatus::kFailed, error.what(), true);
    throw;
  }
}

}  // namespace alphaloom::pipeline
