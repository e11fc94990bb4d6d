#include "alphaloom/pipeline/tracking.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "alphaloom/common/error.h"
#include "alphaloom/common/hash.h"
#include "alphaloom/common/log.h"
#include "alphaloom/common/process.h"
#include "alphaloom/data/csv_reader.h"
#include "alphaloom/pipeline/config_section.h"
#include "alphaloom/pipeline/predict.h"
#include "alphaloom/track/file_store.h"
#include "alphaloom/track/rest_store.h"
#include "alphaloom/track/sync.h"
#include "alphaloom/track/validation.h"

namespace alphaloom::pipeline {
namespace fs = std::filesystem;
using nlohmann::json;
using track::KeyValues;
using track::MetricPoint;

namespace {

// Kept equal to the CLI's --version string.
constexpr const char* kAlphaLoomVersion = "0.1.0";

// The tag naming the process that owns a run while it runs (ProcessToken), and the one saying
// why a run ended FAILED or KILLED.
constexpr const char* kProcessTag = "alphaloom.process";
constexpr const char* kEndReasonTag = "alphaloom.end_reason";

json ReadJsonFile(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot read", path.string()));
  try {
    return json::parse(in);
  } catch (const json::exception& error) {
    throw Error(ErrorKind::kData, fmt::format("{}: not valid JSON: {}", path.string(), error.what()));
  }
}

std::optional<double> NumberOf(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (text == "Infinity" || text == "inf") return HUGE_VAL;
    if (text == "-Infinity" || text == "-inf") return -HUGE_VAL;
    if (text == "NaN" || text == "nan") return std::nan("");
  }
  if (value.is_null()) return std::nan("");
  return std::nullopt;
}

std::string GitCommit(const fs::path& dir) {
  std::string command = fmt::format("git -C '{}' rev-parse HEAD 2>/dev/null", dir.empty() ? "." : dir.string());
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::array<char, 128> buffer{};
  std::string out;
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) out += buffer.data();
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out.size() == 40 ? out : "";
}

void Flatten(const YAML::Node& node, const std::string& prefix, KeyValues& out) {
  if (node.IsMap()) {
    for (const auto& item : node) Flatten(item.second, prefix.empty() ? item.first.as<std::string>() : prefix + "." + item.first.as<std::string>(), out);
  } else if (node.IsSequence()) {
    bool scalars = true;
    for (const auto& item : node) scalars = scalars && item.IsScalar();
    if (scalars) {
      std::string joined;
      for (const auto& item : node) joined += (joined.empty() ? "" : ", ") + item.as<std::string>();
      out.emplace_back(track::SanitizeKey(prefix), joined);
    } else {
      for (size_t i = 0; i < node.size(); ++i) Flatten(node[i], prefix + "." + std::to_string(i), out);
    }
  } else if (node.IsScalar()) {
    out.emplace_back(track::SanitizeKey(prefix), node.as<std::string>());
  } else if (node.IsNull() && !prefix.empty()) {
    out.emplace_back(track::SanitizeKey(prefix), "null");
  }
}

// The metric histories of a train folder: per-iteration validation loss of each fold model,
// per-fold scores by fold index, and the overall out-of-fold scores.
std::vector<MetricPoint> TrainMetrics(const fs::path& train_dir, int64_t now, KeyValues& tags) {
  std::vector<MetricPoint> out;
  json metrics = ReadJsonFile(train_dir / "metrics.json");
  const json folds = metrics.value("folds", json::array());
  for (size_t fold = 0; fold < folds.size(); ++fold) {
    for (const auto& [key, value] : folds[fold].items()) {
      if (key == "name") continue;
      if (auto number = NumberOf(value)) out.push_back({"fold/" + key, *number, now, static_cast<int64_t>(fold)});
    }
    std::string name = folds[fold].value("name", fmt::format("fold{}", fold));
    fs::path metadata_path = train_dir / "model" / fmt::format("fold{}", fold) / "metadata.json";
    if (!fs::exists(metadata_path)) continue;
    json metadata = ReadJsonFile(metadata_path);
    const json training = metadata.value("training", json::object());
    const json losses = training.value("valid_loss", json::array());
    std::string loss_key = track::SanitizeKey("valid_loss/" + name);
    for (size_t iteration = 0; iteration < losses.size(); ++iteration) {
      if (auto number = NumberOf(losses[iteration])) out.push_back({loss_key, *number, now, static_cast<int64_t>(iteration)});
    }
    if (fold == 0) {
      if (metadata.contains("data_hash")) tags.emplace_back("alphaloom.data_hash", metadata["data_hash"].get<std::string>());
      if (metadata.contains("factor_set_hash")) {
        tags.emplace_back("alphaloom.factor_set_hash", metadata["factor_set_hash"].get<std::string>());
      }
      if (metadata.contains("library")) {
        tags.emplace_back("alphaloom.library", fmt::format("{} {}", metadata.value("library", std::string()),
                                                           metadata.value("library_version", std::string())));
      }
    }
  }
  const json overall = metrics.value("overall", json::object());
  for (const auto& [key, value] : overall.items()) {
    if (auto number = NumberOf(value)) out.push_back({track::SanitizeKey(key), *number, now, 0});
  }
  return out;
}

// The scalar entries of a backtest summary.json, under their own names (so promotion gates can
// read them back) unless a train metric already has the name.
std::vector<MetricPoint> BacktestMetrics(const fs::path& backtest_dir, int64_t now, const std::set<std::string>& taken) {
  std::vector<MetricPoint> out;
  json summary = ReadJsonFile(backtest_dir / "summary.json");
  for (const auto& [key, value] : summary.items()) {
    if (value.is_object() || value.is_array() || key == "start" || key == "end") continue;
    auto number = NumberOf(value);
    if (!number) continue;
    std::string name = track::SanitizeKey(key);
    if (taken.count(name) != 0) name = "backtest/" + name;
    out.push_back({name, *number, now, 0});
  }
  return out;
}

std::string MlModelText(const std::string& run_id, const fs::path& model_dir, int64_t now) {
  std::string backend = "unknown";
  if (fs::exists(model_dir / "ensemble.json")) backend = ReadJsonFile(model_dir / "ensemble.json").value("backend", backend);
  std::time_t seconds = static_cast<std::time_t>(now / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format(
      "artifact_path: model\n"
      "flavors:\n"
      "  alphaloom:\n"
      "    backend: {}\n"
      "    data: ensemble.json\n"
      "    format: alphaloom-model\n"
      "    alphaloom_version: {}\n"
      "run_id: {}\n"
      "utc_time_created: '{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}000'\n",
      backend, kAlphaLoomVersion, run_id, utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
      utc.tm_sec, now % 1000);
}

// Starts the run of `record` with AlphaLoom's tags (version, config hash, git commit, and the
// process that owns it while it runs).
track::RunInfo StartTracked(track::Tracker& tracker, const TrackingConfig& config, const RunRecord& record, int64_t now) {
  KeyValues tags = {{"alphaloom.version", kAlphaLoomVersion},
                    {"alphaloom.config_sha256", Sha256Hex(record.workflow_text)},
                    {"mlflow.source.name", "alphaloom"},
                    {kProcessTag, ProcessToken()}};
  std::string commit = record.git_commit.empty() ? GitCommit(fs::path(record.workflow_path).parent_path()) : record.git_commit;
  if (!commit.empty()) tags.emplace_back("mlflow.source.git.commit", commit);
  return tracker.StartRun(config.experiment, config.run_name, record.start_time_ms != 0 ? record.start_time_ms : now, tags);
}

// The local file store of `config` (the store itself, or the local copy beside a server).
track::TrackerOptions LocalOptionsOf(const TrackingConfig& config) {
  track::TrackerOptions options = TrackerOptionsOf(config);
  if (track::IsServerUri(config.uri)) options.uri = config.local_store;
  return options;
}

// Sends a run that ended in the local store to the server of `config`, if any; a failure is a
// warning (the run is complete locally and `alphaloom track sync` sends it later).
void SendEndedRun(const TrackingConfig& config, track::FileStoreTracker& local, const std::string& run_id) {
  if (!track::IsServerUri(config.uri)) return;
  try {
    track::RestTracker remote(TrackerOptionsOf(config));
    track::SyncSummary summary;
    track::SyncRun(local, config.experiment, local.GetRun(run_id), remote, summary);
  } catch (const std::exception& error) {
    LogWarn("run {} not sent to {}: {} (`alphaloom track sync --from {} --to {}` sends it later)", run_id, config.uri,
            error.what(), local.root().string(), config.uri);
  }
}

// Everything but registration, into `tracker`; ends the run FAILED when anything throws.
std::string LogInto(track::Tracker& tracker, const TrackingConfig& config, const RunRecord& record,
                    const track::TrackerOptions& options) {
  if (!fs::is_regular_file(record.train_dir / "metrics.json")) {
    throw Error(ErrorKind::kIo, fmt::format("{}: not a train output folder (no metrics.json)", record.train_dir.string()));
  }
  if (record.backtest_dir && !fs::is_regular_file(*record.backtest_dir / "summary.json")) {
    throw Error(ErrorKind::kIo, fmt::format("{}: not a backtest run folder (no summary.json)", record.backtest_dir->string()));
  }
  int64_t now = track::NowMillis(options);
  track::RunInfo run = record.run_id.empty() ? StartTracked(tracker, config, record, now) : tracker.GetRun(record.run_id);
  fs::path scratch;
  try {
    KeyValues params = FlattenWorkflow(LoadYamlText(record.workflow_text, record.workflow_path));
    tracker.LogParams(run.run_id, params);
    KeyValues data_tags;
    std::vector<MetricPoint> metrics = TrainMetrics(record.train_dir, now, data_tags);
    if (record.backtest_dir) {
      std::set<std::string> taken;
      for (const MetricPoint& point : metrics) taken.insert(point.key);
      for (MetricPoint& point : BacktestMetrics(*record.backtest_dir, now, taken)) metrics.push_back(std::move(point));
    }
    tracker.LogMetrics(run.run_id, metrics);
    if (!data_tags.empty()) tracker.SetTags(run.run_id, data_tags);

    scratch = fs::temp_directory_path() / fmt::format("alphaloom-track-{}-{}", getpid(), run.run_id);
    fs::create_directories(scratch / "config");
    std::string config_name = fs::path(record.workflow_path).filename().string();
    { std::ofstream(scratch / "config" / (config_name.empty() ? "workflow.yaml" : config_name), std::ios::binary) << record.workflow_text; }
    tracker.LogArtifact(run.run_id, scratch / "config", "config");
    for (const char* file : {"metrics.json", "importance.csv", "oof_predictions.parquet"}) {
      if (fs::exists(record.train_dir / file)) tracker.LogArtifact(run.run_id, record.train_dir / file, "train");
    }
    if (fs::is_directory(record.train_dir / "model")) {
      tracker.LogArtifact(run.run_id, record.train_dir / "model", "model");
      { std::ofstream(scratch / "MLmodel", std::ios::binary) << MlModelText(run.run_id, record.train_dir / "model", now); }
      tracker.LogArtifact(run.run_id, scratch / "MLmodel", "model");
    }
    if (record.backtest_dir) tracker.LogArtifact(run.run_id, *record.backtest_dir, "backtest");
    if (record.report_dir) tracker.LogArtifact(run.run_id, *record.report_dir, "report");
    std::error_code ignored;
    fs::remove_all(scratch, ignored);
    tracker.EndRun(run.run_id, record.status, track::NowMillis(options));
  } catch (...) {
    std::error_code ignored;
    if (!scratch.empty()) fs::remove_all(scratch, ignored);
    try {
      tracker.EndRun(run.run_id, track::RunStatus::kFailed, track::NowMillis(options));
    } catch (const std::exception& error) {
      LogWarn("run {}: could not mark it FAILED: {}", run.run_id, error.what());
    }
    throw;
  }
  return run.run_id;
}

}  // namespace

TrackingConfig ReadTrackingConfig(const YAML::Node& root, const std::string& source, const std::string& workflow_name,
                                  bool require_token) {
  TrackingConfig config;
  YAML::Node node = root.IsMap() ? root["tracking"] : YAML::Node();
  config.enabled = node.IsDefined() && !node.IsNull();
  ConfigSection section(config.enabled ? node : YAML::Node(), "tracking", source);
  config.uri = section.String("uri");
  config.experiment = section.Has("experiment") ? section.String("experiment") : workflow_name;
  config.run_name = section.Has("run_name") ? section.String("run_name") : workflow_name;
  config.register_as = section.String("register_as");
  config.alias = section.String("alias");
  config.token_env = section.String("token_env");
  config.local_store = section.String("local_store");
  config.max_attempts = section.Int("max_attempts");
  section.RejectUnknownKeys();
  if (config.experiment.empty()) config.experiment = "Default";
  auto check = [&](const char* key, const std::function<void()>& validate) {
    try {
      validate();
    } catch (const Error& error) {
      throw Error(ErrorKind::kConfig, fmt::format("{}: {}", section.Where(key), error.what()));
    }
  };
  check("experiment", [&] { track::ValidateExperimentName(config.experiment); });
  if (!config.register_as.empty()) check("register_as", [&] { track::ValidateModelName(config.register_as); });
  if (!config.alias.empty()) check("alias", [&] { track::ValidateAlias(config.alias); });
  if (!config.token_env.empty()) {
    const char* token = std::getenv(config.token_env.c_str());
    if (token == nullptr || *token == '\0') {
      const std::string problem =
          fmt::format("{}: environment variable {} is not set", section.Where("token_env"), config.token_env);
      if (require_token) throw Error(ErrorKind::kConfig, problem);
      LogWarn("{}", problem);
    } else {
      config.token = token;
    }
  }
  if (const char* user = std::getenv("USER")) config.user = user;
  return config;
}

track::KeyValues FlattenWorkflow(const YAML::Node& root) {
  KeyValues out;
  Flatten(root, "", out);
  return out;
}

track::TrackerOptions TrackerOptionsOf(const TrackingConfig& config) {
  track::TrackerOptions options;
  options.uri = config.uri;
  options.token = config.token;
  options.max_attempts = config.max_attempts;
  options.user = config.user;
  return options;
}

LoggedRun LogRun(const TrackingConfig& config, const RunRecord& record) {
  track::TrackerOptions options = TrackerOptionsOf(config);
  bool server = track::IsServerUri(config.uri);
  track::TrackerOptions local_options = options;
  local_options.uri = server ? config.local_store : config.uri;
  track::FileStoreTracker local(track::FileStoreRoot(local_options.uri), local_options);
  LoggedRun logged;
  logged.experiment = config.experiment;
  logged.local_root = local.root();
  logged.run_id = LogInto(local, config, record, local_options);
  // The registered version carries the ensemble's content version, the model_version that
  // `predict` writes beside every prediction, so a stored prediction leads back to its version.
  track::KeyValues version_tags;
  if (!config.register_as.empty() && record.status == track::RunStatus::kFinished) {
    version_tags = {{"alphaloom.experiment", config.experiment},
                    {kModelVersionTag, EnsembleVersion(data::ReadFileMaybeGzip(record.train_dir / "model" / "ensemble.json"))}};
    track::ModelVersion version = local.RegisterModelVersion(config.register_as, logged.run_id, "model", version_tags);
    if (!config.alias.empty()) local.SetAlias(config.register_as, config.alias, version.version);
    logged.version = version.version;
  }
  if (!server) return logged;
  try {
    track::RestTracker remote(options);
    track::SyncSummary summary;
    logged.server_run_id = track::SyncRun(local, config.experiment, local.GetRun(logged.run_id), remote, summary);
    if (logged.version) {
      version_tags.emplace_back(track::kSourceVersionTag, fmt::format("{}/{}", logged.run_id, *logged.version));
      track::ModelVersion version =
          remote.RegisterModelVersion(config.register_as, logged.server_run_id, "model", version_tags);
      if (!config.alias.empty()) remote.SetAlias(config.register_as, config.alias, version.version);
    }
  } catch (const Error& error) {
    throw Error(error.kind(), fmt::format("{} (run {} is complete in {}; `alphaloom track sync --from {} --to {}` sends "
                                          "it later)",
                                          error.what(), logged.run_id, logged.local_root.string(),
                                          logged.local_root.string(), config.uri));
  }
  return logged;
}

OpenRun OpenTrackedRun(const TrackingConfig& config, const RunRecord& record) {
  const track::TrackerOptions options = LocalOptionsOf(config);
  track::FileStoreTracker local(track::FileStoreRoot(options.uri), options);
  const track::RunInfo run = StartTracked(local, config, record, track::NowMillis(options));
  try {
    local.LogParams(run.run_id, FlattenWorkflow(LoadYamlText(record.workflow_text, record.workflow_path)));
  } catch (...) {
    local.EndRun(run.run_id, track::RunStatus::kFailed, track::NowMillis(options));
    throw;
  }
  LogInfo("MLflow run {} ({}) open in {}", run.run_id, config.experiment, local.root().string());
  return {run.run_id, local.root()};
}

bool EndTrackedRun(const TrackingConfig& config, const OpenRun& run, track::RunStatus status, const std::string& reason,
                   bool send) {
  try {
    const track::TrackerOptions options = LocalOptionsOf(config);
    track::FileStoreTracker local(run.local_root, options);
    if (local.GetRun(run.run_id).status != track::RunStatus::kRunning) return false;
    local.SetTags(run.run_id, {{kEndReasonTag, reason}});
    local.EndRun(run.run_id, status, track::NowMillis(options));
    LogWarn("MLflow run {} ended {}: {}", run.run_id, track::RunStatusName(status), reason);
    if (send) SendEndedRun(config, local, run.run_id);
    return true;
  } catch (const std::exception& error) {
    LogWarn("MLflow run {}: could not end it {}: {}", run.run_id, track::RunStatusName(status), error.what());
    return false;
  }
}

int MarkAbandonedRuns(const TrackingConfig& config) {
  const track::TrackerOptions options = LocalOptionsOf(config);
  const fs::path root = track::FileStoreRoot(options.uri);
  if (!fs::is_directory(root)) return 0;
  track::FileStoreTracker local(root, options);
  int marked = 0;
  for (const track::ExperimentInfo& experiment : local.ListExperiments()) {
    if (experiment.name != config.experiment) continue;
    for (const track::RunInfo& run : local.ListRuns(experiment.experiment_id)) {
      if (run.status != track::RunStatus::kRunning) continue;
      std::string owner;
      for (const auto& [key, value] : local.ReadTags(run.run_id)) {
        if (key == kProcessTag) owner = value;
      }
      if (owner.empty() || ProcessMayBeAlive(owner)) continue;
      const std::string reason = fmt::format("its process ({}) ended without closing the run (killed, or the machine "
                                             "stopped)", owner);
      if (EndTrackedRun(config, {run.run_id, root}, track::RunStatus::kKilled, reason, true)) ++marked;
    }
  }
  return marked;
}

}  // namespace alphaloom::pipeline
