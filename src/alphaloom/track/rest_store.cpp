#include "alphaloom/track/rest_store.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/track/file_store.h"
#include "alphaloom/track/validation.h"

namespace alphaloom::track {
namespace fs = std::filesystem;
using nlohmann::json;
namespace {

size_t AppendBody(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

std::string UrlEncode(CURL* curl, const std::string& text) {
  char* escaped = curl_easy_escape(curl, text.c_str(), static_cast<int>(text.size()));
  std::string out = escaped ? escaped : "";
  curl_free(escaped);
  return out;
}

// Artifact paths keep their '/' separators; each segment is escaped.
std::string EncodePath(CURL* curl, const std::string& path) {
  std::string out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string segment = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    out += UrlEncode(curl, segment);
    if (slash == std::string::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

json MetricJson(const MetricPoint& point) {
  json value;
  if (std::isnan(point.value)) {
    value = "NaN";
  } else if (std::isinf(point.value)) {
    value = std::copysign(std::numeric_limits<double>::max(), point.value);  // what the SQL store keeps
  } else {
    value = point.value;
  }
  return {{"key", point.key}, {"value", value}, {"timestamp", point.timestamp_ms}, {"step", point.step}};
}

json KeyValuesJson(const KeyValues& pairs) {
  json out = json::array();
  for (const auto& [key, value] : pairs) out.push_back({{"key", key}, {"value", value}});
  return out;
}

int64_t Int64(const json& value) {
  if (value.is_string()) return std::stoll(value.get<std::string>());
  return value.get<int64_t>();
}

std::string StringOr(const json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? "" : it->get<std::string>();
}

RunInfo ParseRunInfo(const json& info) {
  RunInfo out;
  out.run_id = info.at("run_id").get<std::string>();
  out.experiment_id = info.at("experiment_id").get<std::string>();
  out.run_name = StringOr(info, "run_name");
  out.status = ParseRunStatus(info.value("status", std::string("RUNNING")));
  out.start_time_ms = info.contains("start_time") ? Int64(info.at("start_time")) : 0;
  if (info.contains("end_time") && !info.at("end_time").is_null()) out.end_time_ms = Int64(info.at("end_time"));
  out.artifact_uri = StringOr(info, "artifact_uri");
  return out;
}

ModelVersion ParseVersion(const json& version) {
  ModelVersion out;
  out.name = version.at("name").get<std::string>();
  out.version = static_cast<int>(Int64(version.at("version")));
  out.source = StringOr(version, "source");
  out.run_id = StringOr(version, "run_id");
  out.status = StringOr(version, "status");
  out.creation_timestamp_ms = version.contains("creation_timestamp") ? Int64(version.at("creation_timestamp")) : 0;
  out.storage_location = out.source;
  for (const json& tag : version.value("tags", json::array())) {
    out.tags[tag.at("key").get<std::string>()] = StringOr(tag, "value");
  }
  for (const json& alias : version.value("aliases", json::array())) out.aliases.push_back(alias.get<std::string>());
  return out;
}

const char* ContentType(const fs::path& file) {
  std::string extension = file.extension().string();
  if (extension == ".png") return "image/png";
  if (extension == ".json") return "application/json";
  if (extension == ".csv") return "text/csv";
  if (extension == ".html") return "text/html";
  if (extension == ".txt" || extension == ".yaml" || extension == ".yml" || file.filename() == "MLmodel") {
    return "text/plain";
  }
  return "application/octet-stream";
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

RestTracker::RestTracker(TrackerOptions options) : options_(std::move(options)), base_(options_.uri) {
  static CurlGlobal global;
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw Error(ErrorKind::kExternal, "libcurl: cannot create a handle");
  if (options_.max_attempts < 1) options_.max_attempts = 1;
}

RestTracker::~RestTracker() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse RestTracker::Call(const std::string& method, const std::string& path, const std::string& body,
                               const std::string& content_type, bool allow_not_found) {
  CURL* curl = static_cast<CURL*>(curl_);
  std::string url = base_ + path;
  int delay_ms = options_.initial_backoff_ms;
  std::string last_failure;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    curl_easy_reset(curl);
    HttpResponse response;
    struct curl_slist* headers = nullptr;
    if (!content_type.empty()) headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
    if (!options_.token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + options_.token).c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method != "GET") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout_seconds));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (code == CURLE_OK) {
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
      if (response.status < 400 || (allow_not_found && response.status == 404)) return response;
      if (response.status < 500) {
        std::string detail = response.body.substr(0, 500);
        try {
          json error = json::parse(response.body);
          detail = fmt::format("{}: {}", error.value("error_code", std::string("ERROR")),
                               error.value("message", std::string(response.body.substr(0, 500))));
        } catch (const json::exception&) {
        }
        throw Error(ErrorKind::kExternal,
                    fmt::format("MLflow server refused {} {}: HTTP {} {}", method, path.substr(0, path.find('?')),
                                response.status, detail));
      }
      last_failure = fmt::format("HTTP {} {}", response.status, response.body.substr(0, 300));
    } else {
      last_failure = curl_easy_strerror(code);
    }
    if (attempt < options_.max_attempts) {
      LogWarn("MLflow server {}: {} {} failed ({}); retry {} of {} in {} ms", base_, method,
              path.substr(0, path.find('?')), last_failure, attempt, options_.max_attempts - 1, delay_ms);
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      delay_ms *= 2;
    }
  }
  throw Error(ErrorKind::kExternal, fmt::format("MLflow server {} unreachable: {} {} failed {} times, last: {}", base_,
                                                method, path.substr(0, path.find('?')), options_.max_attempts,
                                                last_failure));
}

json RestTracker::Json(const std::string& method, const std::string& endpoint, const json& body, bool allow_not_found) {
  std::string path = "/api/2.0/mlflow/" + endpoint;
  HttpResponse response;
  if (method == "GET") {
    std::string query;
    for (const auto& [key, value] : body.items()) {
      query += (query.empty() ? "?" : "&") + key + "=" +
               UrlEncode(static_cast<CURL*>(curl_), value.is_string() ? value.get<std::string>() : value.dump());
    }
    response = Call(method, path + query, "", "", allow_not_found);
  } else {
    response = Call(method, path, body.dump(), "application/json", allow_not_found);
  }
  if (response.status == 404) return nullptr;
  if (response.body.empty()) return json::object();
  try {
    return json::parse(response.body);
  } catch (const json::exception&) {
    throw Error(ErrorKind::kExternal, fmt::format("MLflow server {}: {} {} answered non-JSON: {}", base_, method, endpoint,
                                                  response.body.substr(0, 200)));
  }
}

std::optional<std::string> RestTracker::FindExperimentId(const std::string& name) {
  json found = Json("GET", "experiments/get-by-name", {{"experiment_name", name}}, true);
  if (found.is_null()) return std::nullopt;
  return found.at("experiment").at("experiment_id").get<std::string>();
}

RunInfo RestTracker::StartRun(const std::string& experiment, const std::string& run_name, int64_t start_time_ms,
                              const KeyValues& tags) {
  ValidateExperimentName(experiment);
  for (const auto& [key, value] : tags) ValidateKey("tag", key);
  std::optional<std::string> experiment_id = FindExperimentId(experiment);
  if (!experiment_id) {
    experiment_id = Json("POST", "experiments/create", {{"name", experiment}}).at("experiment_id").get<std::string>();
  }
  KeyValues all;
  for (const auto& [key, value] : tags) all.emplace_back(key, TruncateValue(value, kMaxTagValueLength));
  if (!options_.user.empty()) all.emplace_back("mlflow.user", options_.user);
  all.emplace_back("mlflow.source.type", "LOCAL");
  json body = {{"experiment_id", *experiment_id}, {"start_time", start_time_ms}, {"tags", KeyValuesJson(all)}};
  if (!run_name.empty()) body["run_name"] = run_name;
  if (!options_.user.empty()) body["user_id"] = options_.user;
  return ParseRunInfo(Json("POST", "runs/create", body).at("run").at("info"));
}

void RestTracker::LogBatch(const std::string& run_id, const KeyValues& params, const std::vector<MetricPoint>& metrics,
                           const KeyValues& tags) {
  KeyValues checked_params;
  KeyValues checked_tags;
  for (const auto& [key, value] : params) {
    ValidateKey("param", key);
    checked_params.emplace_back(key, TruncateValue(value, kMaxParamValueLength));
  }
  for (const auto& [key, value] : tags) {
    ValidateKey("tag", key);
    checked_tags.emplace_back(key, TruncateValue(value, kMaxTagValueLength));
  }
  for (const MetricPoint& point : metrics) ValidateKey("metric", point.key);
  size_t param_at = 0;
  size_t tag_at = 0;
  size_t metric_at = 0;
  while (param_at < checked_params.size() || tag_at < checked_tags.size() || metric_at < metrics.size()) {
    json body = {{"run_id", run_id}, {"params", json::array()}, {"tags", json::array()}, {"metrics", json::array()}};
    size_t entities = 0;
    // Values are at most 8000 characters (<= 32 KB of UTF-8), so 20 params and 20 tags keep a
    // request far below the 1 MB body limit while staying within the count limits.
    size_t bytes = 0;
    auto fits = [&](size_t more) { return bytes + more < kMaxBatchBytes / 2; };
    while (param_at < checked_params.size() && body["params"].size() < kMaxBatchParams &&
           fits(checked_params[param_at].second.size() * 4 + 300)) {
      bytes += checked_params[param_at].second.size() * 4 + 300;
      body["params"].push_back({{"key", checked_params[param_at].first}, {"value", checked_params[param_at].second}});
      ++param_at;
      ++entities;
    }
    while (tag_at < checked_tags.size() && body["tags"].size() < kMaxBatchTags &&
           fits(checked_tags[tag_at].second.size() * 4 + 300)) {
      bytes += checked_tags[tag_at].second.size() * 4 + 300;
      body["tags"].push_back({{"key", checked_tags[tag_at].first}, {"value", checked_tags[tag_at].second}});
      ++tag_at;
      ++entities;
    }
    while (metric_at < metrics.size() && entities < kMaxBatchEntities && fits(400)) {
      bytes += 400;
      body["metrics"].push_back(MetricJson(metrics[metric_at]));
      ++metric_at;
      ++entities;
    }
    Json("POST", "runs/log-batch", body);
  }
}

void RestTracker::LogBatchUnchecked(const std::string& run_id, const KeyValues& params,
                                    const std::vector<MetricPoint>& metrics, const KeyValues& tags) {
  json body = {{"run_id", run_id}, {"params", KeyValuesJson(params)}, {"tags", KeyValuesJson(tags)},
               {"metrics", json::array()}};
  for (const MetricPoint& point : metrics) body["metrics"].push_back(MetricJson(point));
  Json("POST", "runs/log-batch", body);
}

void RestTracker::LogParams(const std::string& run_id, const KeyValues& params) { LogBatch(run_id, params, {}, {}); }

void RestTracker::LogMetrics(const std::string& run_id, const std::vector<MetricPoint>& metrics) {
  LogBatch(run_id, {}, metrics, {});
}

void RestTracker::SetTags(const std::string& run_id, const KeyValues& tags) { LogBatch(run_id, {}, {}, tags); }

void RestTracker::UploadFile(const fs::path& file, const std::string& artifact_uri, const std::string& relative) {
  if (artifact_uri.rfind("file:", 0) == 0) {
    fs::path target = PathOfFileUri(artifact_uri) / relative;
    std::error_code error;
    fs::create_directories(target.parent_path(), error);
    fs::copy_file(file, target, fs::copy_options::overwrite_existing, error);
    if (error) throw Error(ErrorKind::kIo, fmt::format("cannot copy {} to {}: {}", file.string(), target.string(), error.message()));
    return;
  }
  std::string prefix = "mlflow-artifacts:";
  if (artifact_uri.rfind(prefix, 0) != 0) {
    throw Error(ErrorKind::kExternal,
                fmt::format("artifact uri '{}' is neither mlflow-artifacts: (a server serving artifacts) nor file:; "
                            "start the server with artifact serving on",
                            artifact_uri));
  }
  std::string rest = artifact_uri.substr(prefix.size());
  if (rest.rfind("//", 0) == 0) rest = rest.substr(rest.find('/', 2));  // mlflow-artifacts://host:port/path
  while (!rest.empty() && rest.front() == '/') rest.erase(rest.begin());
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot read artifact", file.string()));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  Call("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + EncodePath(static_cast<CURL*>(curl_), rest + "/" + relative),
       bytes.str(), ContentType(file));
}

void RestTracker::LogArtifact(const std::string& run_id, const fs::path& local, const std::string& artifact_path) {
  ValidateArtifactPath(artifact_path);
  if (!fs::exists(local)) throw Error(ErrorKind::kIo, fmt::format("artifact {} does not exist", local.string()));
  std::string artifact_uri = GetRun(run_id).artifact_uri;
  std::string prefix = artifact_path.empty() ? "" : artifact_path + "/";
  if (fs::is_directory(local)) {
    for (const auto& entry : fs::recursive_directory_iterator(local)) {
      if (!entry.is_regular_file()) continue;
      UploadFile(entry.path(), artifact_uri, prefix + fs::relative(entry.path(), local).generic_string());
    }
  } else {
    UploadFile(local, artifact_uri, prefix + local.filename().string());
  }
}

void RestTracker::EndRun(const std::string& run_id, RunStatus status, int64_t end_time_ms) {
  Json("POST", "runs/update", {{"run_id", run_id}, {"status", RunStatusName(status)}, {"end_time", end_time_ms}});
}

RunInfo RestTracker::GetRun(const std::string& run_id) {
  json found = Json("GET", "runs/get", {{"run_id", run_id}}, true);
  if (found.is_null()) throw Error(ErrorKind::kNotFound, fmt::format("run {} not found on {}", run_id, base_));
  return ParseRunInfo(found.at("run").at("info"));
}

std::optional<RunInfo> RestTracker::FindRunByTag(const std::string& experiment, const std::string& key,
                                                 const std::string& value) {
  std::optional<std::string> experiment_id = FindExperimentId(experiment);
  if (!experiment_id) return std::nullopt;
  json body = {{"experiment_ids", json::array({*experiment_id})},
               {"filter", fmt::format("tags.`{}` = '{}'", key, value)},
               {"run_view_type", "ACTIVE_ONLY"},
               {"max_results", 10}};
  json found = Json("POST", "runs/search", body);
  if (!found.contains("runs") || found["runs"].empty()) return std::nullopt;
  return ParseRunInfo(found["runs"][0].at("info"));
}

ModelVersion RestTracker::RegisterModelVersion(const std::string& name, const std::string& run_id,
                                               const std::string& artifact_path, const KeyValues& tags) {
  ValidateModelName(name);
  ValidateArtifactPath(artifact_path);
  RunInfo run = GetRun(run_id);
  json existing = Json("GET", "registered-models/get", {{"name", name}}, true);
  if (existing.is_null()) Json("POST", "registered-models/create", {{"name", name}});
  json body = {{"name", name},
               {"source", run.artifact_uri + (artifact_path.empty() ? "" : "/" + artifact_path)},
               {"run_id", run_id},
               {"tags", KeyValuesJson(tags)}};
  return ParseVersion(Json("POST", "model-versions/create", body).at("model_version"));
}

void RestTracker::SetAlias(const std::string& name, const std::string& alias, int version) {
  ValidateAlias(alias);
  Json("POST", "registered-models/alias", {{"name", name}, {"alias", alias}, {"version", std::to_string(version)}});
}

std::optional<ModelVersion> RestTracker::GetVersionByAlias(const std::string& name, const std::string& alias) {
  ValidateAlias(alias);
  json found = Json("GET", "registered-models/alias", {{"name", name}, {"alias", alias}}, true);
  if (found.is_null()) return std::nullopt;
  return ParseVersion(found.at("model_version"));
}

ModelVersion RestTracker::GetVersion(const std::string& name, int version) {
  json found = Json("GET", "model-versions/get", {{"name", name}, {"version", std::to_string(version)}}, true);
  if (found.is_null()) {
    throw Error(ErrorKind::kNotFound, fmt::format("registered model '{}' version {} not found on {}", name, version, base_));
  }
  return ParseVersion(found.at("model_version"));
}

std::vector<RegisteredModel> RestTracker::ListModels() {
  std::vector<RegisteredModel> out;
  json models = Json("GET", "registered-models/search", {{"max_results", "1000"}});
  for (const json& model : models.value("registered_models", json::array())) {
    RegisteredModel entry;
    entry.name = model.at("name").get<std::string>();
    entry.creation_timestamp_ms = model.contains("creation_timestamp") ? Int64(model.at("creation_timestamp")) : 0;
    json versions = Json("GET", "model-versions/search",
                         {{"filter", fmt::format("name='{}'", entry.name)}, {"max_results", "1000"}});
    for (const json& version : versions.value("model_versions", json::array())) {
      entry.versions.push_back(ParseVersion(version));
    }
    std::sort(entry.versions.begin(), entry.versions.end(),
              [](const ModelVersion& a, const ModelVersion& b) { return a.version < b.version; });
    out.push_back(std::move(entry));
  }
  return out;
}

std::unique_ptr<Tracker> OpenTracker(const TrackerOptions& options) {
  if (IsServerUri(options.uri)) return std::make_unique<RestTracker>(options);
  return std::make_unique<FileStoreTracker>(FileStoreRoot(options.uri), options);
}

}  // namespace alphaloom::track

namespace alphaloom::track {

std::filesystem::path RestTracker::FetchModel(const ModelVersion& version, const std::filesystem::path& cache_dir) {
  std::string uri = version.storage_location.empty() ? version.source : version.storage_location;
  if (uri.rfind("file:", 0) == 0) return PathOfFileUri(uri);
  std::string prefix = "mlflow-artifacts:";
  if (uri.rfind(prefix, 0) != 0) {
    throw Error(ErrorKind::kExternal, fmt::format("model '{}' version {}: cannot download from '{}'", version.name,
                                                  version.version, uri));
  }
  std::string root = uri.substr(prefix.size());
  if (root.rfind("//", 0) == 0) root = root.substr(root.find('/', 2));
  while (!root.empty() && root.front() == '/') root.erase(root.begin());
  std::filesystem::path destination = cache_dir / version.name / std::to_string(version.version);
  if (std::filesystem::is_directory(destination)) return destination;
  std::filesystem::create_directories(destination.parent_path());
  StagingDirectory staging(destination);
  CURL* curl = static_cast<CURL*>(curl_);
  std::vector<std::string> pending = {""};
  while (!pending.empty()) {
    std::string relative = pending.back();
    pending.pop_back();
    std::string listing_path = root + (relative.empty() ? "" : "/" + relative);
    HttpResponse listing =
        Call("GET", "/api/2.0/mlflow-artifacts/artifacts?path=" + UrlEncode(curl, listing_path), "", "");
    json files = json::parse(listing.body).value("files", json::array());
    for (const json& file : files) {
      std::string name = file.at("path").get<std::string>();
      std::string child = relative.empty() ? name : relative + "/" + name;
      if (file.value("is_dir", false)) {
        pending.push_back(child);
        continue;
      }
      HttpResponse bytes = Call("GET", "/api/2.0/mlflow-artifacts/artifacts/" + EncodePath(curl, root + "/" + child), "", "");
      std::filesystem::path target = staging.path() / child;
      std::filesystem::create_directories(target.parent_path());
      std::ofstream out(target, std::ios::binary);
      out << bytes.body;
      if (!out) throw Error(ErrorKind::kIo, fmt::format("{}: cannot write", target.string()));
    }
  }
  staging.Commit();
  return destination;
}

}  // namespace alphaloom::track

namespace alphaloom::track {

std::map<std::string, double> RestTracker::LatestMetrics(const std::string& run_id) {
  json found = Json("GET", "runs/get", {{"run_id", run_id}}, true);
  if (found.is_null()) throw Error(ErrorKind::kNotFound, fmt::format("run {} not found on {}", run_id, base_));
  std::map<std::string, double> out;
  for (const json& metric : found.at("run").value("data", json::object()).value("metrics", json::array())) {
    const json& value = metric.at("value");
    double number = std::nan("");
    if (value.is_number()) {
      number = value.get<double>();
    } else if (value.is_string()) {
      std::string text = value.get<std::string>();
      number = text == "Infinity" ? HUGE_VAL : text == "-Infinity" ? -HUGE_VAL : std::nan("");
    }
    out[metric.at("key").get<std::string>()] = number;
  }
  return out;
}

}  // namespace alphaloom::track
