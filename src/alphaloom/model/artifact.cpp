#include "alphaloom/model/artifact.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/common/hash.h"
#include "alphaloom/common/log.h"

namespace alphaloom::model {
namespace {

constexpr std::string_view kFormat = "alphaloom-model";
constexpr int kFormatVersion = 1;
constexpr std::string_view kMetadataFile = "metadata.json";

using Json = nlohmann::json;

// JSON has no NaN; a missing loss is stored as null.
Json Number(double value) {
  return std::isfinite(value) ? Json(value) : Json(nullptr);
}
double NumberOf(const Json& value) {
  return value.is_null() ? std::nan("") : value.get<double>();
}

Json DateJson(const std::optional<Date>& date) {
  return date ? Json(date->ToString()) : Json(nullptr);
}

std::optional<Date> DateOf(const Json& value, std::string_view source, std::string_view key) {
  if (value.is_null()) return std::nullopt;
  const std::optional<Date> date = ParseDate(value.get<std::string>());
  if (!date) throw Error(ErrorKind::kData, fmt::format("{}: '{}' is not a date", source, key));
  return date;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, fmt::format("{}: cannot read", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const std::filesystem::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.flush();
  if (!out) throw Error(ErrorKind::kIo, fmt::format("{}: write failed", path.string()));
}

}  // namespace

std::string MetadataJson(const ModelMetadata& metadata) {
  Json valid_loss = Json::array();
  for (const double loss : metadata.log.valid_loss) valid_loss.push_back(Number(loss));
  const Json document = {
      {"format", kFormat},
      {"format_version", kFormatVersion},
      {"backend", metadata.spec.backend},
      {"library", metadata.library},
      {"library_version", metadata.library_version},
      {"objective", ObjectiveName(metadata.spec.objective)},
      {"num_class", metadata.spec.num_class},
      {"num_rounds", metadata.spec.num_rounds},
      {"early_stopping_rounds", metadata.spec.early_stopping_rounds},
      {"seed", metadata.spec.seed},
      {"threads", metadata.spec.threads},
      {"params", metadata.spec.params},
      {"features", metadata.features},
      {"training",
       {{"metric", metadata.log.metric},
        {"valid_loss", valid_loss},
        {"rounds_trained", metadata.log.rounds_trained},
        {"best_iteration", metadata.log.best_iteration}}},
      {"label", {{"name", metadata.info.label_name}, {"horizon", metadata.info.horizon}}},
      {"factor_set_hash", metadata.info.factor_set_hash},
      {"data_hash", metadata.info.data_hash},
      {"train_window", {{"start", DateJson(metadata.info.train_start)}, {"end", DateJson(metadata.info.train_end)}}},
      {"extra", metadata.info.extra},
      {"model_file", metadata.model_file},
      {"model_sha256", metadata.model_sha256},
  };
  return document.dump(2) + "\n";
}

ModelMetadata ParseMetadata(std::string_view text, std::string_view source) {
  std::string key;
  try {
    const Json document = Json::parse(text);
    const auto field = [&](std::string_view name) -> const Json& {
      key = name;
      return document.at(std::string(name));
    };
    if (field("format").get<std::string>() != kFormat) {
      throw Error(ErrorKind::kData, fmt::format("{}: not an AlphaLoom model (format is not '{}')", source, kFormat));
    }
    if (field("format_version").get<int>() != kFormatVersion) {
      throw Error(ErrorKind::kData, fmt::format("{}: format_version {} is not supported (expected {})", source,
                                                document.at("format_version").get<int>(), kFormatVersion));
    }
    ModelMetadata metadata;
    metadata.spec.backend = field("backend").get<std::string>();
    metadata.library = field("library").get<std::string>();
    metadata.library_version = field("library_version").get<std::string>();
    metadata.spec.objective = ParseObjective(field("objective").get<std::string>());
    metadata.spec.num_class = field("num_class").get<int>();
    metadata.spec.num_rounds = field("num_rounds").get<int>();
    metadata.spec.early_stopping_rounds = field("early_stopping_rounds").get<int>();
    metadata.spec.seed = field("seed").get<int>();
    metadata.spec.threads = field("threads").get<int>();
    metadata.spec.params = field("params").get<std::map<std::string, std::string>>();
    metadata.features = field("features").get<std::vector<std::string>>();
    const Json& training = field("training");
    key = "training";
    metadata.log.metric = training.at("metric").get<std::string>();
    for (const Json& loss : training.at("valid_loss")) metadata.log.valid_loss.push_back(NumberOf(loss));
    metadata.log.rounds_trained = training.at("rounds_trained").get<int>();
    metadata.log.best_iteration = training.at("best_iteration").get<int>();
    const Json& label = field("label");
    metadata.info.label_name = label.at("name").get<std::string>();
    metadata.info.horizon = label.at("horizon").get<int>();
    metadata.info.factor_set_hash = field("factor_set_hash").get<std::string>();
    metadata.info.data_hash = field("data_hash").get<std::string>();
    const Json& window = field("train_window");
    metadata.info.train_start = DateOf(window.at("start"), source, "train_window.start");
    metadata.info.train_end = DateOf(window.at("end"), source, "train_window.end");
    metadata.info.extra = field("extra").get<std::map<std::string, std::string>>();
    metadata.model_file = field("model_file").get<std::string>();
    metadata.model_sha256 = field("model_sha256").get<std::string>();
    return metadata;
  } catch (const Json::exception& error) {
    throw Error(ErrorKind::kData, fmt::format("{}: bad or missing '{}': {}", source, key, error.what()));
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::kConfig) {
      throw Error(ErrorKind::kData, fmt::format("{}: {}", source, error.what()));
    }
    throw;
  }
}

std::string DataHash(const LabeledMatrix& data) {
  ContentHasher hasher;
  hasher.UpdateField(fmt::format("{}x{}", data.x.rows(), data.x.cols()));
  for (const std::string& name : data.x.feature_names()) hasher.UpdateField(name);
  const auto bytes = [](const auto* values, size_t count) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(values), count * sizeof(*values));
  };
  hasher.Update(bytes(data.x.data(), data.x.rows() * data.x.cols()));
  hasher.UpdateField("label");
  hasher.Update(bytes(data.label.data(), data.label.size()));
  hasher.UpdateField("weight");
  hasher.Update(bytes(data.weight.data(), data.weight.size()));
  return hasher.HexDigest();
}

void SaveModel(const Model& model, const ArtifactInfo& info, const std::filesystem::path& dir) {
  const std::string native = model.Serialize();
  ModelMetadata metadata{
      model.spec(), std::string(model.library()),   model.library_version(), model.feature_names(), model.log(),
      info,         std::string(model.file_name()), Sha256Hex(native)};
  if (dir.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(dir.parent_path(), error);
    if (error)
      throw Error(ErrorKind::kIo,
                  fmt::format("{}: cannot create directory: {}", dir.parent_path().string(), error.message()));
  }
  StagingDirectory staging(dir);
  WriteFile(staging.path() / metadata.model_file, native);
  WriteFile(staging.path() / kMetadataFile, MetadataJson(metadata));
  staging.Commit();
}

ModelMetadata ReadMetadata(const std::filesystem::path& dir) {
  const std::filesystem::path path = dir / kMetadataFile;
  if (!std::filesystem::is_regular_file(path)) {
    throw Error(ErrorKind::kIo, fmt::format("{}: no model here ({} missing)", dir.string(), kMetadataFile));
  }
  return ParseMetadata(ReadFile(path), path.string());
}

LoadedModel LoadModel(const std::filesystem::path& dir) {
  ModelMetadata metadata = ReadMetadata(dir);
  const std::filesystem::path native_path = dir / metadata.model_file;
  if (metadata.model_file.find('/') != std::string::npos || !std::filesystem::is_regular_file(native_path)) {
    throw Error(ErrorKind::kIo, fmt::format("{}: model file '{}' missing", dir.string(), metadata.model_file));
  }
  const std::string native = ReadFile(native_path);
  if (Sha256Hex(native) != metadata.model_sha256) {
    throw Error(ErrorKind::kData, fmt::format("{}: content differs from the hash in {} (file changed after saving)",
                                              native_path.string(), kMetadataFile));
  }
  std::unique_ptr<Model> model;
  try {
    model = MakeModel(metadata.spec);
    model->Deserialize(native, metadata.features, metadata.log);
  } catch (const Error& error) {
    throw Error(error.kind() == ErrorKind::kConfig ? ErrorKind::kData : error.kind(),
                fmt::format("{}: {}", dir.string(), error.what()));
  }
  if (model->library_version() != metadata.library_version) {
    LogWarn("{}: saved by {} {}, loaded by {}", dir.string(), metadata.library, metadata.library_version,
            model->library_version());
  }
  return {std::move(model), std::move(metadata)};
}

LoadedModel LoadModel(const std::filesystem::path& dir, std::span<const std::string> features) {
  const ModelMetadata metadata = ReadMetadata(dir);
  try {
    CheckFeatures(metadata.features, features);
  } catch (const Error& error) {
    throw Error(error.kind(), fmt::format("{}: {}", dir.string(), error.what()));
  }
  return LoadModel(dir);
}

}  // namespace alphaloom::model
