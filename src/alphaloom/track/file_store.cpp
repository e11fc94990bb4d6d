#include "alphaloom/track/file_store.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <tuple>
#include <sstream>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/track/validation.h"

namespace alphaloom::track {
namespace fs = std::filesystem;
namespace {

// meta.yaml values are rendered by the caller and written with keys sorted, as PyYAML's
// safe_dump does; strings are always single-quoted so ids like '0' stay strings.
using YamlFields = std::map<std::string, std::string>;

std::string Quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  out.push_back('\'');
  return out;
}

std::string QuotedOrNull(const std::string& text) { return text.empty() ? "null" : Quoted(text); }

void WriteYaml(const fs::path& path, const YamlFields& fields) {
  std::string text;
  for (const auto& [key, value] : fields) text += key + ": " + value + "\n";
  WriteFileAtomic(path, text);
}

YAML::Node ReadYaml(const fs::path& path) {
  try {
    return YAML::LoadFile(path.string());
  } catch (const YAML::Exception& error) {
    throw Error(ErrorKind::kData, fmt::format("{}: not a readable meta.yaml: {}", path.string(), error.what()));
  }
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot read", path.string()));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string RandomHex(size_t digits) {
  static thread_local std::mt19937_64 engine{std::random_device{}() ^
                                             (static_cast<uint64_t>(std::random_device{}()) << 32)};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < digits; ++i) out.push_back(kHex[engine() & 15U]);
  return out;
}

std::string RandomExperimentId() {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<uint64_t> digits(100000000000000000ULL, 999999999999999999ULL);
  return std::to_string(digits(engine));
}

bool AllDigits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// +-inf is stored as +-DBL_MAX, as MLflow's SQL stores do: the MLflow UI's GraphQL layer cannot
// serialize an infinite float and refuses to show the whole run otherwise.
std::string FormatMetricValue(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) value = std::copysign(std::numeric_limits<double>::max(), value);
  return fmt::format("{}", value);
}

double ParseMetricValue(const std::string& text) {
  if (text == "nan" || text == "NaN" || text == "-nan") return std::nan("");
  if (text == "inf" || text == "Infinity") return HUGE_VAL;
  if (text == "-inf" || text == "-Infinity") return -HUGE_VAL;
  return std::stod(text);
}

// Values and keys of one folder of plain files (params, tags), keys rebuilt from nested folders.
KeyValues ReadKeyValueFolder(const fs::path& dir) {
  KeyValues out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    out.emplace_back(fs::relative(entry.path(), dir).generic_string(), ReadText(entry.path()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

void CopyInto(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::create_directories(to.parent_path(), error);
  if (fs::is_directory(from)) {
    fs::create_directories(to, error);
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing, error);
  } else {
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
  }
  if (error) {
    throw Error(ErrorKind::kIo, fmt::format("cannot copy artifact {} to {}: {}", from.string(), to.string(), error.message()));
  }
}

ModelVersion ReadVersion(const fs::path& dir) {
  YAML::Node meta = ReadYaml(dir / "meta.yaml");
  ModelVersion out;
  out.name = meta["name"].as<std::string>();
  out.version = meta["version"].as<int>();
  out.source = meta["source"].IsNull() ? "" : meta["source"].as<std::string>();
  out.run_id = (!meta["run_id"] || meta["run_id"].IsNull()) ? "" : meta["run_id"].as<std::string>();
  out.status = meta["status"] ? meta["status"].as<std::string>() : "READY";
  out.creation_timestamp_ms = meta["creation_timestamp"].as<int64_t>();
  out.storage_location =
      (!meta["storage_location"] || meta["storage_location"].IsNull()) ? out.source : meta["storage_location"].as<std::string>();
  for (const auto& [key, value] : ReadKeyValueFolder(dir / "tags")) out.tags[key] = value;
  return out;
}

}  // namespace

std::string LocalFileUri(const fs::path& absolute) {
  std::string out = "file://";
  for (unsigned char c : absolute.generic_string()) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

fs::path PathOfFileUri(const std::string& uri) {
  std::string rest;
  if (uri.rfind("file://", 0) == 0) {
    rest = uri.substr(7);
  } else if (uri.rfind("file:", 0) == 0) {
    rest = uri.substr(5);
  } else {
    throw Error(ErrorKind::kData, fmt::format("'{}' is not a file: URI", uri));
  }
  std::string decoded;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size()) {
      decoded.push_back(static_cast<char>(std::stoi(rest.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      decoded.push_back(rest[i]);
    }
  }
  return fs::path(decoded);
}

FileStoreTracker::FileStoreTracker(fs::path root, TrackerOptions options)
    : root_(fs::absolute(root).lexically_normal()), options_(std::move(options)) {
  if (root_.has_filename() == false) root_ = root_.parent_path();
  std::error_code error;
  fs::create_directories(root_ / ".trash", error);
  if (error) throw Error(ErrorKind::kIo, fmt::format("cannot create tracking store {}: {}", root_.string(), error.message()));
  if (!fs::exists(root_ / "0" / "meta.yaml")) {
    fs::create_directories(root_ / "0", error);
    int64_t now = NowMillis(options_);
    WriteYaml(root_ / "0" / "meta.yaml", {{"artifact_location", Quoted(LocalFileUri(root_ / "0"))},
                                          {"creation_time", std::to_string(now)},
                                          {"experiment_id", Quoted("0")},
                                          {"last_update_time", std::to_string(now)},
                                          {"lifecycle_stage", "active"},
                                          {"name", Quoted("Default")}});
  }
}

std::vector<ExperimentInfo> FileStoreTracker::ListExperiments() const {
  std::vector<ExperimentInfo> out;
  for (const auto& entry : fs::directory_iterator(root_)) {
    std::string id = entry.path().filename().string();
    if (!entry.is_directory() || !AllDigits(id) || !fs::exists(entry.path() / "meta.yaml")) continue;
    YAML::Node meta = ReadYaml(entry.path() / "meta.yaml");
    if (meta["lifecycle_stage"] && meta["lifecycle_stage"].as<std::string>() != "active") continue;
    out.push_back({id, meta["name"].as<std::string>(), meta["artifact_location"].as<std::string>()});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.experiment_id < b.experiment_id; });
  return out;
}

std::string FileStoreTracker::FindOrCreateExperiment(const std::string& name) {
  ValidateExperimentName(name);
  for (const ExperimentInfo& experiment : ListExperiments()) {
    if (experiment.name == name) return experiment.experiment_id;
  }
  std::string id = RandomExperimentId();
  while (fs::exists(root_ / id)) id = RandomExperimentId();
  fs::path dir = root_ / id;
  std::error_code error;
  fs::create_directories(dir / "tags", error);
  if (error) throw Error(ErrorKind::kIo, fmt::format("cannot create {}: {}", dir.string(), error.message()));
  int64_t now = NowMillis(options_);
  WriteYaml(dir / "meta.yaml", {{"artifact_location", Quoted(LocalFileUri(dir))},
                                {"creation_time", std::to_string(now)},
                                {"experiment_id", Quoted(id)},
                                {"last_update_time", std::to_string(now)},
                                {"lifecycle_stage", "active"},
                                {"name", Quoted(name)}});
  return id;
}

void FileStoreTracker::WriteRunMeta(const fs::path& dir, const RunInfo& info) {
  WriteYaml(dir / "meta.yaml",
            {{"artifact_uri", Quoted(info.artifact_uri)},
             {"deleted_time", "null"},
             {"end_time", info.end_time_ms ? std::to_string(*info.end_time_ms) : "null"},
             {"entry_point_name", "''"},
             {"experiment_id", Quoted(info.experiment_id)},
             {"lifecycle_stage", "active"},
             {"run_id", Quoted(info.run_id)},
             {"run_name", Quoted(info.run_name)},
             {"run_uuid", Quoted(info.run_id)},
             {"source_name", "''"},
             {"source_type", "4"},
             {"source_version", "''"},
             {"start_time", std::to_string(info.start_time_ms)},
             {"status", std::to_string(static_cast<int>(info.status))},
             {"tags", "[]"},
             {"user_id", Quoted(options_.user)}});
}

RunInfo FileStoreTracker::StartRun(const std::string& experiment, const std::string& run_name, int64_t start_time_ms,
                                   const KeyValues& tags) {
  for (const auto& [key, value] : tags) ValidateKey("tag", key);
  std::string experiment_id = FindOrCreateExperiment(experiment);
  RunInfo info;
  info.run_id = RandomHex(32);
  info.experiment_id = experiment_id;
  info.run_name = run_name;
  info.start_time_ms = start_time_ms;
  fs::path dir = root_ / experiment_id / info.run_id;
  info.artifact_uri = LocalFileUri(dir / "artifacts");
  std::error_code error;
  for (const char* sub : {"metrics", "params", "artifacts", "tags"}) fs::create_directories(dir / sub, error);
  if (error) throw Error(ErrorKind::kIo, fmt::format("cannot create run folder {}: {}", dir.string(), error.message()));
  WriteRunMeta(dir, info);
  KeyValues all = tags;
  if (!run_name.empty()) all.emplace_back("mlflow.runName", run_name);
  if (!options_.user.empty()) all.emplace_back("mlflow.user", options_.user);
  all.emplace_back("mlflow.source.type", "LOCAL");
  SetTags(info.run_id, all);
  return info;
}

fs::path FileStoreTracker::RunDirectory(const std::string& run_id) const {
  if (run_id.size() != 32 || run_id.find_first_not_of("0123456789abcdef") != std::string::npos) {
    throw Error(ErrorKind::kNotFound, fmt::format("'{}' is not a run id (32 lower-case hex digits)", run_id));
  }
  for (const auto& entry : fs::directory_iterator(root_)) {
    fs::path dir = entry.path() / run_id;
    if (entry.is_directory() && fs::is_regular_file(dir / "meta.yaml")) return dir;
  }
  throw Error(ErrorKind::kNotFound, fmt::format("run {} not found in {}", run_id, root_.string()));
}

fs::path FileStoreTracker::ArtifactDirectory(const std::string& run_id) const { return RunDirectory(run_id) / "artifacts"; }

RunInfo FileStoreTracker::GetRun(const std::string& run_id) {
  fs::path dir = RunDirectory(run_id);
  YAML::Node meta = ReadYaml(dir / "meta.yaml");
  RunInfo info;
  info.run_id = meta["run_id"].as<std::string>();
  info.experiment_id = meta["experiment_id"].as<std::string>();
  info.run_name = meta["run_name"] ? meta["run_name"].as<std::string>() : "";
  info.status = static_cast<RunStatus>(meta["status"] ? meta["status"].as<int>() : 1);
  info.start_time_ms = meta["start_time"].as<int64_t>();
  if (meta["end_time"] && !meta["end_time"].IsNull()) info.end_time_ms = meta["end_time"].as<int64_t>();
  info.artifact_uri = meta["artifact_uri"].as<std::string>();
  return info;
}

std::vector<RunInfo> FileStoreTracker::ListRuns(const std::string& experiment_id) const {
  std::vector<RunInfo> out;
  fs::path dir = root_ / experiment_id;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name.size() != 32 || !fs::exists(entry.path() / "meta.yaml")) continue;
    out.push_back(const_cast<FileStoreTracker*>(this)->GetRun(name));
  }
  std::sort(out.begin(), out.end(), [](const RunInfo& a, const RunInfo& b) {
    return a.start_time_ms != b.start_time_ms ? a.start_time_ms < b.start_time_ms : a.run_id < b.run_id;
  });
  return out;
}

void FileStoreTracker::CheckActive(const std::string& run_id) {
  YAML::Node meta = ReadYaml(RunDirectory(run_id) / "meta.yaml");
  if (meta["lifecycle_stage"] && meta["lifecycle_stage"].as<std::string>() != "active") {
    throw Error(ErrorKind::kData, fmt::format("run {} is deleted; it cannot be logged to", run_id));
  }
}

void FileStoreTracker::LogParams(const std::string& run_id, const KeyValues& params) {
  for (const auto& [key, value] : params) ValidateKey("param", key);
  CheckActive(run_id);
  fs::path dir = RunDirectory(run_id) / "params";
  for (const auto& [key, raw] : params) {
    std::string value = TruncateValue(raw, kMaxParamValueLength);
    if (value.size() != raw.size()) {
      LogWarn("param '{}': value truncated to MLflow's limit of {} characters", key, kMaxParamValueLength);
    }
    fs::path file = dir / key;
    if (fs::exists(file)) {
      std::string existing = ReadText(file);
      if (existing == value) continue;
      throw Error(ErrorKind::kData,
                  fmt::format("param '{}' of run {} was already logged with value '{}'; MLflow does not allow changing it "
                              "to '{}'",
                              key, run_id, existing.substr(0, 200), value.substr(0, 200)));
    }
    fs::create_directories(file.parent_path());
    WriteFileAtomic(file, value);
  }
}

void FileStoreTracker::LogMetrics(const std::string& run_id, const std::vector<MetricPoint>& metrics) {
  for (const MetricPoint& point : metrics) {
    ValidateKey("metric", point.key);
    if (point.timestamp_ms < 0) {
      throw Error(ErrorKind::kData, fmt::format("metric '{}': negative timestamp {}", point.key, point.timestamp_ms));
    }
  }
  CheckActive(run_id);
  fs::path dir = RunDirectory(run_id) / "metrics";
  std::map<std::string, std::string> lines;
  for (const MetricPoint& point : metrics) {
    lines[point.key] += fmt::format("{} {} {}\n", point.timestamp_ms, FormatMetricValue(point.value), point.step);
  }
  for (const auto& [key, text] : lines) {
    fs::path file = dir / key;
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out << text;
    if (!out) throw Error(ErrorKind::kIo, fmt::format("{}: cannot append metric points", file.string()));
  }
}

void FileStoreTracker::SetTags(const std::string& run_id, const KeyValues& tags) {
  for (const auto& [key, value] : tags) ValidateKey("tag", key);
  fs::path dir = RunDirectory(run_id);
  for (const auto& [key, raw] : tags) {
    std::string value = TruncateValue(raw, kMaxTagValueLength);
    if (value.size() != raw.size()) {
      LogWarn("tag '{}': value truncated to MLflow's limit of {} characters", key, kMaxTagValueLength);
    }
    fs::path file = dir / "tags" / key;
    fs::create_directories(file.parent_path());
    WriteFileAtomic(file, value);
    if (key == "mlflow.runName") {
      RunInfo info = GetRun(run_id);
      if (info.run_name != value) {
        info.run_name = value;
        WriteRunMeta(dir, info);
      }
    }
  }
}

void FileStoreTracker::LogArtifact(const std::string& run_id, const fs::path& local, const std::string& artifact_path) {
  ValidateArtifactPath(artifact_path);
  if (!fs::exists(local)) throw Error(ErrorKind::kIo, fmt::format("artifact {} does not exist", local.string()));
  fs::path target = ArtifactDirectory(run_id);
  if (!artifact_path.empty()) target /= artifact_path;
  if (fs::is_directory(local)) {
    CopyInto(local, target);
  } else {
    CopyInto(local, target / local.filename());
  }
}

void FileStoreTracker::EndRun(const std::string& run_id, RunStatus status, int64_t end_time_ms) {
  RunInfo info = GetRun(run_id);
  info.status = status;
  info.end_time_ms = end_time_ms;
  WriteRunMeta(RunDirectory(run_id), info);
}

fs::path FileStoreTracker::ModelDirectory(const std::string& name) const {
  ValidateModelName(name);
  return root_ / "models" / name;
}

ModelVersion FileStoreTracker::RegisterModelVersion(const std::string& name, const std::string& run_id,
                                                    const std::string& artifact_path, const KeyValues& tags) {
  ValidateArtifactPath(artifact_path);
  for (const auto& [key, value] : tags) {
    ValidateKey("model version tag", key);
    if (CodePointCount(value) > kMaxModelTagValueLength) {
      throw Error(ErrorKind::kData, fmt::format("model version tag '{}': value longer than {} characters", key,
                                                kMaxModelTagValueLength));
    }
  }
  fs::path model_dir = ModelDirectory(name);
  RunInfo run = GetRun(run_id);
  if (!fs::is_directory(ArtifactDirectory(run_id) / artifact_path)) {
    throw Error(ErrorKind::kNotFound, fmt::format("run {} has no artifact folder '{}' to register", run_id, artifact_path));
  }
  int64_t now = NowMillis(options_);
  std::error_code error;
  fs::create_directories(model_dir / "tags", error);
  fs::create_directories(model_dir / "aliases", error);
  if (error) throw Error(ErrorKind::kIo, fmt::format("cannot create {}: {}", model_dir.string(), error.message()));
  int64_t created = now;
  if (fs::exists(model_dir / "meta.yaml")) created = ReadYaml(model_dir / "meta.yaml")["creation_timestamp"].as<int64_t>();
  int next = 1;
  for (const auto& entry : fs::directory_iterator(model_dir)) {
    std::string folder = entry.path().filename().string();
    if (folder.rfind("version-", 0) == 0 && AllDigits(folder.substr(8))) next = std::max(next, std::stoi(folder.substr(8)) + 1);
  }
  WriteYaml(model_dir / "meta.yaml", {{"creation_timestamp", std::to_string(created)},
                                      {"description", "null"},
                                      {"last_updated_timestamp", std::to_string(now)},
                                      {"name", Quoted(name)}});
  fs::path version_dir = model_dir / fmt::format("version-{}", next);
  fs::create_directories(version_dir / "tags", error);
  if (error) throw Error(ErrorKind::kIo, fmt::format("cannot create {}: {}", version_dir.string(), error.message()));
  for (const auto& [key, value] : tags) {
    fs::create_directories((version_dir / "tags" / key).parent_path());
    WriteFileAtomic(version_dir / "tags" / key, value);
  }
  std::string source = run.artifact_uri + (artifact_path.empty() ? "" : "/" + artifact_path);
  WriteYaml(version_dir / "meta.yaml", {{"creation_timestamp", std::to_string(now)},
                                        {"current_stage", Quoted("None")},
                                        {"description", "null"},
                                        {"last_updated_timestamp", std::to_string(now)},
                                        {"model_id", "null"},
                                        {"name", Quoted(name)},
                                        {"run_id", Quoted(run_id)},
                                        {"run_link", "null"},
                                        {"source", Quoted(source)},
                                        {"status", Quoted("READY")},
                                        {"status_message", "null"},
                                        {"storage_location", Quoted(source)},
                                        {"user_id", QuotedOrNull(options_.user)},
                                        {"version", std::to_string(next)}});
  return GetVersion(name, next);
}

void FileStoreTracker::SetAlias(const std::string& name, const std::string& alias, int version) {
  ValidateAlias(alias);
  GetVersion(name, version);
  WriteFileAtomic(ModelDirectory(name) / "aliases" / alias, std::to_string(version));
}

ModelVersion FileStoreTracker::GetVersion(const std::string& name, int version) {
  fs::path model_dir = ModelDirectory(name);
  if (!fs::exists(model_dir / "meta.yaml")) {
    throw Error(ErrorKind::kNotFound, fmt::format("registered model '{}' not found in {}", name, root_.string()));
  }
  fs::path dir = model_dir / fmt::format("version-{}", version);
  if (!fs::exists(dir / "meta.yaml")) {
    throw Error(ErrorKind::kNotFound, fmt::format("registered model '{}' has no version {}", name, version));
  }
  ModelVersion out = ReadVersion(dir);
  if (fs::is_directory(model_dir / "aliases")) {
    for (const auto& entry : fs::directory_iterator(model_dir / "aliases")) {
      if (ReadText(entry.path()) == std::to_string(version)) out.aliases.push_back(entry.path().filename().string());
    }
  }
  std::sort(out.aliases.begin(), out.aliases.end());
  return out;
}

std::optional<ModelVersion> FileStoreTracker::GetVersionByAlias(const std::string& name, const std::string& alias) {
  ValidateAlias(alias);
  fs::path model_dir = ModelDirectory(name);
  if (!fs::exists(model_dir / "meta.yaml")) {
    throw Error(ErrorKind::kNotFound, fmt::format("registered model '{}' not found in {}", name, root_.string()));
  }
  fs::path file = model_dir / "aliases" / alias;
  if (!fs::exists(file)) return std::nullopt;
  return GetVersion(name, std::stoi(ReadText(file)));
}

std::vector<RegisteredModel> FileStoreTracker::ListModels() {
  std::vector<RegisteredModel> out;
  if (!fs::is_directory(root_ / "models")) return out;
  for (const auto& entry : fs::directory_iterator(root_ / "models")) {
    if (!fs::exists(entry.path() / "meta.yaml")) continue;
    RegisteredModel model;
    model.name = entry.path().filename().string();
    model.creation_timestamp_ms = ReadYaml(entry.path() / "meta.yaml")["creation_timestamp"].as<int64_t>();
    for (const auto& version_entry : fs::directory_iterator(entry.path())) {
      std::string folder = version_entry.path().filename().string();
      if (folder.rfind("version-", 0) == 0 && AllDigits(folder.substr(8))) {
        model.versions.push_back(GetVersion(model.name, std::stoi(folder.substr(8))));
      }
    }
    std::sort(model.versions.begin(), model.versions.end(),
              [](const ModelVersion& a, const ModelVersion& b) { return a.version < b.version; });
    out.push_back(std::move(model));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

KeyValues FileStoreTracker::ReadParams(const std::string& run_id) const { return ReadKeyValueFolder(RunDirectory(run_id) / "params"); }

KeyValues FileStoreTracker::ReadTags(const std::string& run_id) const { return ReadKeyValueFolder(RunDirectory(run_id) / "tags"); }

std::vector<MetricPoint> FileStoreTracker::ReadMetrics(const std::string& run_id) const {
  fs::path dir = RunDirectory(run_id) / "metrics";
  std::vector<MetricPoint> out;
  for (const auto& [key, text] : ReadKeyValueFolder(dir)) {
    std::istringstream lines(text);
    std::string line;
    int line_number = 0;
    while (std::getline(lines, line)) {
      ++line_number;
      if (line.empty()) continue;
      std::istringstream fields(line);
      std::string timestamp, value, step;
      fields >> timestamp >> value >> step;
      try {
        out.push_back({key, ParseMetricValue(value), std::stoll(timestamp), step.empty() ? 0 : std::stoll(step)});
      } catch (const std::exception&) {
        throw Error(ErrorKind::kData, fmt::format("{}:{}: not a metric line '{}'", (dir / key).string(), line_number, line));
      }
    }
  }
  return out;
}

bool IsServerUri(const std::string& uri) { return uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0; }

fs::path FileStoreRoot(const std::string& uri) {
  if (uri.rfind("file:", 0) == 0) return PathOfFileUri(uri);
  if (uri.find("://") != std::string::npos) {
    throw Error(ErrorKind::kConfig, fmt::format("tracking uri '{}': use a path, file:, http:// or https://", uri));
  }
  return fs::path(uri.empty() ? "./mlruns" : uri);
}

int64_t NowMillis(const TrackerOptions& options) {
  if (options.clock) return options.clock();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string RunStatusName(RunStatus status) {
  switch (status) {
    case RunStatus::kRunning: return "RUNNING";
    case RunStatus::kScheduled: return "SCHEDULED";
    case RunStatus::kFinished: return "FINISHED";
    case RunStatus::kFailed: return "FAILED";
    case RunStatus::kKilled: return "KILLED";
  }
  return "RUNNING";
}

RunStatus ParseRunStatus(const std::string& name) {
  for (RunStatus status : {RunStatus::kRunning, RunStatus::kScheduled, RunStatus::kFinished, RunStatus::kFailed,
                           RunStatus::kKilled}) {
    if (RunStatusName(status) == name) return status;
  }
  throw Error(ErrorKind::kData, fmt::format("unknown run status '{}'", name));
}

}  // namespace alphaloom::track

namespace alphaloom::track {

std::filesystem::path FileStoreTracker::FetchModel(const ModelVersion& version, const std::filesystem::path& /*cache_dir*/) {
  std::filesystem::path dir = PathOfFileUri(version.storage_location.empty() ? version.source : version.storage_location);
  if (!std::filesystem::is_directory(dir)) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("model '{}' version {}: folder {} is missing", version.name, version.version, dir.string()));
  }
  return dir;
}

}  // namespace alphaloom::track

namespace alphaloom::track {

std::map<std::string, double> FileStoreTracker::LatestMetrics(const std::string& run_id) {
  std::map<std::string, MetricPoint> latest;
  for (const MetricPoint& point : ReadMetrics(run_id)) {
    auto [it, inserted] = latest.emplace(point.key, point);
    const MetricPoint& best = it->second;
    if (!inserted && std::tie(point.step, point.timestamp_ms) >= std::tie(best.step, best.timestamp_ms)) it->second = point;
  }
  std::map<std::string, double> out;
  for (const auto& [key, point] : latest) out[key] = point.value;
  return out;
}

}  // namespace alphaloom::track
