// alphaloom track log --config YAML --train DIR [--backtest DIR] [--report DIR] [--status S]
// alphaloom track sync --from ./mlruns --to http://HOST:PORT [--token-env VAR]
// alphaloom track run --uri URI --experiment NAME [--param K=V]... [--metric K=V[@STEP]]...
//                     [--tag K=V]... [--artifact PATH]... [--status S] [--server-checks-only]
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/pipeline/config_section.h"
#include "alphaloom/pipeline/tracking.h"
#include "alphaloom/track/file_store.h"
#include "alphaloom/track/rest_store.h"
#include "alphaloom/track/sync.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot read", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string TokenFrom(const std::string& env_name) {
  if (env_name.empty()) return "";
  const char* value = std::getenv(env_name.c_str());
  if (value == nullptr || *value == '\0') {
    throw Error(ErrorKind::kUsage, fmt::format("--token-env: environment variable {} is not set", env_name));
  }
  return value;
}

std::pair<std::string, std::string> SplitPair(const std::string& text, const char* flag) {
  size_t equals = text.find('=');
  if (equals == std::string::npos) throw Error(ErrorKind::kUsage, fmt::format("{} '{}': expected KEY=VALUE", flag, text));
  return {text.substr(0, equals), text.substr(equals + 1)};
}

struct LogArgs {
  std::string config;
  std::string train;
  std::string backtest;
  std::string report;
  std::string status = "FINISHED";
};

struct SyncArgs {
  std::string from = "./mlruns";
  std::string to;
  std::string token_env;
  int max_attempts = 5;
};

struct RunArgs {
  std::string uri = "./mlruns";
  std::string experiment = "Default";
  std::string name;
  std::string run_id;
  std::vector<std::string> params;
  std::vector<std::string> metrics;
  std::vector<std::string> tags;
  std::vector<std::string> artifacts;
  std::string status;
  std::string token_env;
  bool server_checks_only = false;
  int max_attempts = 5;
  int64_t start_ms = 0;
};

void RunLog(const LogArgs& args) {
  std::string text = ReadWhole(args.config);
  YAML::Node root = pipeline::LoadYamlText(text, args.config);
  std::string name = root["name"] && root["name"].IsScalar() ? root["name"].as<std::string>() : "alphaloom";
  pipeline::TrackingConfig config = pipeline::ReadTrackingConfig(root, args.config, name);
  pipeline::RunRecord record;
  record.workflow_path = args.config;
  record.workflow_text = text;
  record.train_dir = args.train;
  if (!args.backtest.empty()) record.backtest_dir = args.backtest;
  if (!args.report.empty()) record.report_dir = args.report;
  record.status = track::ParseRunStatus(args.status);
  pipeline::LoggedRun logged = pipeline::LogRun(config, record);
  LogInfo("logged run {} in experiment '{}' ({})", logged.run_id, logged.experiment, logged.local_root.string());
  if (logged.version) LogInfo("registered {} version {}", config.register_as, *logged.version);
  if (!logged.server_run_id.empty()) LogInfo("sent to {} as run {}", config.uri, logged.server_run_id);
  fmt::print("{}\n", logged.run_id);
}

void RunSync(const SyncArgs& args) {
  if (!track::IsServerUri(args.to)) throw Error(ErrorKind::kUsage, fmt::format("--to '{}': expected http(s)://HOST:PORT", args.to));
  track::TrackerOptions local_options;
  local_options.uri = args.from;
  track::FileStoreTracker from(track::FileStoreRoot(args.from), local_options);
  track::TrackerOptions options;
  options.uri = args.to;
  options.token = TokenFrom(args.token_env);
  options.max_attempts = args.max_attempts;
  track::RestTracker to(options);
  track::SyncSummary summary = track::SyncStore(from, to);
  fmt::print("runs: {} created, {} completed, {} already there; model versions: {} created, {} already there; "
             "aliases set: {}\n",
             summary.runs_created, summary.runs_completed, summary.runs_skipped, summary.versions_created,
             summary.versions_skipped, summary.aliases_set);
}

void RunRun(const RunArgs& args) {
  track::TrackerOptions options;
  options.uri = args.uri;
  options.token = TokenFrom(args.token_env);
  options.max_attempts = args.max_attempts;
  if (const char* user = std::getenv("USER")) options.user = user;
  std::unique_ptr<track::Tracker> tracker = track::OpenTracker(options);
  auto* rest = dynamic_cast<track::RestTracker*>(tracker.get());
  if (args.server_checks_only && rest == nullptr) {
    throw Error(ErrorKind::kUsage, "--server-checks-only needs an http(s):// --uri");
  }
  track::KeyValues params, tags;
  std::vector<track::MetricPoint> metrics;
  for (const std::string& text : args.params) params.push_back(SplitPair(text, "--param"));
  for (const std::string& text : args.tags) tags.push_back(SplitPair(text, "--tag"));
  int64_t now = track::NowMillis(options);
  for (const std::string& text : args.metrics) {
    auto [key, rest_text] = SplitPair(text, "--metric");
    int64_t step = 0;
    if (size_t at = rest_text.find('@'); at != std::string::npos) {
      step = std::stoll(rest_text.substr(at + 1));
      rest_text = rest_text.substr(0, at);
    }
    try {
      metrics.push_back({key, std::stod(rest_text), now, step});
    } catch (const std::exception&) {
      throw Error(ErrorKind::kUsage, fmt::format("--metric '{}': value is not a number", text));
    }
  }
  std::string run_id = args.run_id;
  if (run_id.empty()) run_id = tracker->StartRun(args.experiment, args.name, args.start_ms > 0 ? args.start_ms : now, {}).run_id;
  fmt::print("{}\n", run_id);
  std::fflush(stdout);
  if (rest != nullptr && args.server_checks_only) {
    rest->LogBatchUnchecked(run_id, params, metrics, tags);
  } else if (rest != nullptr) {
    rest->LogBatch(run_id, params, metrics, tags);
  } else {
    if (!params.empty()) tracker->LogParams(run_id, params);
    if (!metrics.empty()) tracker->LogMetrics(run_id, metrics);
    if (!tags.empty()) tracker->SetTags(run_id, tags);
  }
  for (const std::string& artifact : args.artifacts) {
    auto at = artifact.find('=');
    if (at == std::string::npos) {
      tracker->LogArtifact(run_id, artifact, "");
    } else {
      tracker->LogArtifact(run_id, artifact.substr(0, at), artifact.substr(at + 1));
    }
  }
  if (!args.status.empty()) tracker->EndRun(run_id, track::ParseRunStatus(args.status), track::NowMillis(options));
}

}  // namespace

void AddTrackCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  CLI::App* track = app.add_subcommand("track", "Log runs to MLflow (file store or tracking server) and sync them");
  track->require_subcommand(1);

  auto log_args = std::make_shared<LogArgs>();
  CLI::App* log = track->add_subcommand("log", "Log a finished train (and backtest) run as the workflow's tracking: says");
  log->add_option("--config", log_args->config, "Workflow YAML (its tracking: section says where)")->required();
  log->add_option("--train", log_args->train, "Folder written by `alphaloom train --out`")->required();
  log->add_option("--backtest", log_args->backtest, "Folder written by `alphaloom backtest --out`");
  log->add_option("--report", log_args->report, "Folder written by `alphaloom report --out`");
  log->add_option("--status", log_args->status, "Final status")->check(CLI::IsMember({"FINISHED", "FAILED", "KILLED"}));
  log->callback([log_args] { RunLog(*log_args); });

  auto sync_args = std::make_shared<SyncArgs>();
  CLI::App* sync = track->add_subcommand("sync", "Replay a local file store to a tracking server (idempotent)");
  sync->add_option("--from", sync_args->from, "Local file store (default ./mlruns)");
  sync->add_option("--to", sync_args->to, "Server URL, http(s)://HOST:PORT")->required();
  sync->add_option("--token-env", sync_args->token_env, "Environment variable holding a bearer token");
  sync->add_option("--max-attempts", sync_args->max_attempts, "Attempts per request")->check(CLI::PositiveNumber);
  sync->callback([sync_args] { RunSync(*sync_args); });

  auto run_args = std::make_shared<RunArgs>();
  CLI::App* run = track->add_subcommand("run", "Log values by hand to a new run (printed) or to --run-id");
  run->add_option("--uri", run_args->uri, "Tracking store: path, file: or http(s)://");
  run->add_option("--experiment", run_args->experiment, "Experiment name (created when missing)");
  run->add_option("--name", run_args->name, "Run name");
  run->add_option("--run-id", run_args->run_id, "Log to this existing run instead of starting one");
  run->add_option("--start-ms", run_args->start_ms, "Start time of a new run, ms since the epoch (default now)");
  run->add_option("--param", run_args->params, "KEY=VALUE (repeatable)");
  run->add_option("--metric", run_args->metrics, "KEY=VALUE or KEY=VALUE@STEP (repeatable)");
  run->add_option("--tag", run_args->tags, "KEY=VALUE (repeatable)");
  run->add_option("--artifact", run_args->artifacts, "PATH or PATH=ARTIFACT_DIR (repeatable)");
  run->add_option("--status", run_args->status, "End the run with this status")
      ->check(CLI::IsMember({"FINISHED", "FAILED", "KILLED"}));
  run->add_option("--token-env", run_args->token_env, "Environment variable holding a bearer token");
  run->add_option("--max-attempts", run_args->max_attempts, "Attempts per request")->check(CLI::PositiveNumber);
  run->add_flag("--server-checks-only", run_args->server_checks_only,
                "Send params/metrics/tags in ONE log-batch without local checks (to see the server's own errors)");
  run->callback([run_args] { RunRun(*run_args); });
}

}  // namespace alphaloom::cli
