// alphaloom models list [--uri URI]
// alphaloom models show NAME [--version V]
// alphaloom models promote NAME --version V [--alias production] [--gates FILE] [--force]
// alphaloom models resolve models:/NAME@ALIAS | models:/NAME/V [--cache DIR]
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/metrics/gates.h"
#include "alphaloom/pipeline/config_section.h"
#include "alphaloom/pipeline/tracking.h"
#include "alphaloom/track/model_uri.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct ModelsArgs {
  std::string uri;
  std::string config;
  std::string token_env;
  std::string name;
  int version = 0;
  std::string alias = "production";
  std::string gates;
  bool force = false;
  std::string model_uri;
  std::string cache = ".alphaloom/model-cache";
};

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot read", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// --uri wins; else the workflow's tracking section; else ./mlruns.
std::unique_ptr<track::Tracker> Open(const ModelsArgs& args) {
  track::TrackerOptions options;
  if (!args.config.empty()) {
    YAML::Node root = pipeline::LoadYamlText(ReadWhole(args.config), args.config);
    std::string name = root["name"] && root["name"].IsScalar() ? root["name"].as<std::string>() : "alphaloom";
    options = pipeline::TrackerOptionsOf(pipeline::ReadTrackingConfig(root, args.config, name));
  }
  if (!args.uri.empty()) options.uri = args.uri;
  if (!args.token_env.empty()) {
    const char* token = std::getenv(args.token_env.c_str());
    if (token == nullptr || *token == '\0') {
      throw Error(ErrorKind::kUsage, fmt::format("--token-env: environment variable {} is not set", args.token_env));
    }
    options.token = token;
  }
  return track::OpenTracker(options);
}

std::string Describe(const track::ModelVersion& version) {
  std::string aliases;
  for (const std::string& alias : version.aliases) aliases += (aliases.empty() ? "" : ",") + alias;
  return fmt::format("{}  version {}  {}  run {}  aliases [{}]  {}", version.name, version.version, version.status,
                     version.run_id.empty() ? "-" : version.run_id, aliases, version.source);
}

void List(const ModelsArgs& args) {
  auto tracker = Open(args);
  for (const track::RegisteredModel& model : tracker->ListModels()) {
    fmt::print("{}  ({} versions)\n", model.name, model.versions.size());
    for (const track::ModelVersion& version : model.versions) fmt::print("  {}\n", Describe(version));
  }
}

void Show(const ModelsArgs& args) {
  auto tracker = Open(args);
  std::vector<track::ModelVersion> versions;
  if (args.version > 0) {
    versions.push_back(tracker->GetVersion(args.name, args.version));
  } else {
    bool found = false;
    for (const track::RegisteredModel& model : tracker->ListModels()) {
      if (model.name != args.name) continue;
      versions = model.versions;
      found = true;
    }
    if (!found) throw Error(ErrorKind::kNotFound, fmt::format("registered model '{}' not found", args.name));
  }
  for (const track::ModelVersion& version : versions) {
    fmt::print("{}\n", Describe(version));
    for (const auto& [key, value] : version.tags) fmt::print("    tag {} = {}\n", key, value);
    if (args.version > 0 && !version.run_id.empty()) {
      for (const auto& [key, value] : tracker->LatestMetrics(version.run_id)) {
        if (key.find('/') == std::string::npos) fmt::print("    metric {} = {}\n", key, value);
      }
    }
  }
}

void Promote(const ModelsArgs& args) {
  auto tracker = Open(args);
  track::ModelVersion version = tracker->GetVersion(args.name, args.version);
  std::vector<metrics::Gate> gates = metrics::DefaultGates();
  if (!args.gates.empty()) gates = metrics::ParseGatesConfig(ReadWhole(args.gates), args.gates);
  nlohmann::json summary = nlohmann::json::object();
  if (!version.run_id.empty()) {
    for (const auto& [key, value] : tracker->LatestMetrics(version.run_id)) {
      summary[key] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
    }
  }
  std::vector<metrics::GateResult> results = metrics::EvaluateGates(gates, summary);
  fmt::print("{}", metrics::FormatGateResults(results));
  std::string failed;
  for (const metrics::GateResult& result : results) {
    if (!result.passed) failed += (failed.empty() ? "" : ", ") + result.gate.key;
  }
  if (!failed.empty() && !args.force) {
    fmt::print(stderr, "alphaloom: {} version {} not promoted to '{}': failed gates: {} (--force overrides)\n", args.name,
               args.version, args.alias, failed);
    throw ExitStatus{1};
  }
  if (!failed.empty()) LogWarn("promoting despite failed gates ({}) because of --force", failed);
  tracker->SetAlias(args.name, args.alias, args.version);
  fmt::print("{} version {} is now '{}' (models:/{}@{})\n", args.name, args.version, args.alias, args.name, args.alias);
}

void Resolve(const ModelsArgs& args) {
  auto tracker = Open(args);
  fmt::print("{}\n", track::ResolveModelDirectory(*tracker, args.model_uri, args.cache).string());
}

}  // namespace

void AddModelsCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  auto args = std::make_shared<ModelsArgs>();
  CLI::App* models = app.add_subcommand("models", "The MLflow model registry: list, show, promote, resolve");
  models->require_subcommand(1);
  auto common = [&](CLI::App* command) {
    command->add_option("--uri", args->uri, "Tracking store: path, file: or http(s):// (default: ./mlruns)");
    command->add_option("--config", args->config, "Workflow YAML whose tracking: section names the store");
    command->add_option("--token-env", args->token_env, "Environment variable holding a bearer token");
  };
  CLI::App* list = models->add_subcommand("list", "Registered models and their versions");
  common(list);
  list->callback([args] { List(*args); });

  CLI::App* show = models->add_subcommand("show", "One model's versions, or one version with its run's metrics");
  common(show);
  show->add_option("name", args->name, "Registered model name")->required();
  show->add_option("--version", args->version, "Version number")->check(CLI::PositiveNumber);
  show->callback([args] { Show(*args); });

  CLI::App* promote = models->add_subcommand("promote", "Point an alias at a version if its run passes the promotion gates");
  common(promote);
  promote->add_option("name", args->name, "Registered model name")->required();
  promote->add_option("--version", args->version, "Version number")->required()->check(CLI::PositiveNumber);
  promote->add_option("--alias", args->alias, "Alias to set (default production)");
  promote->add_option("--gates", args->gates, "Gates config (YAML/JSON, or a workflow with metrics.gates)");
  promote->add_flag("--force", args->force, "Promote even when gates fail");
  promote->callback([args] { Promote(*args); });

  CLI::App* resolve = models->add_subcommand("resolve", "Print the local folder of models:/NAME@ALIAS or models:/NAME/V");
  common(resolve);
  resolve->add_option("uri", args->model_uri, "models:/NAME@ALIAS or models:/NAME/VERSION")->required();
  resolve->add_option("--cache", args->cache, "Where models from a server are downloaded");
  resolve->callback([args] { Resolve(*args); });
}

}  // namespace alphaloom::cli
