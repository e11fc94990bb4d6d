#pragma once
// A saved model: one directory holding the library's native model file and metadata.json,
// written whole or not at all. Layout and fields: docs/models.md, "Artifacts".
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/common/date.h"
#include "alphaloom/model/model.h"

namespace alphaloom::model {

/// Provenance the caller knows and the model does not; stored verbatim in metadata.json.
struct ArtifactInfo {
  std::string factor_set_hash;      ///< hash of the factor names and expressions the features came from
  std::string label_name;           ///< e.g. "forward_qlib_h1"
  int horizon = 0;                  ///< label horizon in bars
  std::optional<Date> train_start;  ///< first and last date of the training rows
  std::optional<Date> train_end;
  std::string data_hash;                     ///< hash of the training matrix and labels (see DataHash)
  std::map<std::string, std::string> extra;  ///< anything else worth keeping (universe, run id, ...)
};

/// Everything metadata.json holds.
struct ModelMetadata {
  ModelSpec spec;
  std::string library;                ///< Model::library()
  std::string library_version;        ///< Model::library_version() at save time
  std::vector<std::string> features;  ///< training features, in order
  TrainingLog log;
  ArtifactInfo info;
  std::string model_file;    ///< the native file's name inside the directory
  std::string model_sha256;  ///< SHA-256 of the native file, checked on load
};

/// metadata.json's text for `metadata` (keys sorted, so equal metadata gives equal bytes).
std::string MetadataJson(const ModelMetadata& metadata);
/// Parses MetadataJson's output. Throws Error(kData) naming `source` and the key for a missing
/// or mistyped field.
ModelMetadata ParseMetadata(std::string_view text, std::string_view source);

/// SHA-256 of a training set (shape, float32 feature bytes, labels, weights, feature names): the
/// data_hash of ArtifactInfo. Equal data gives an equal hash on every machine of one endianness.
std::string DataHash(const LabeledMatrix& data);

/// Writes `model` (fitted) and its metadata into `dir`, replacing an existing directory
/// atomically: readers see the old artifact or the new one, never a mix. Throws Error(kUsage)
/// for an unfitted model and Error(kIo) when the directory cannot be written.
void SaveModel(const Model& model, const ArtifactInfo& info, const std::filesystem::path& dir);

/// A model read back with its metadata.
struct LoadedModel {
  std::unique_ptr<Model> model;
  ModelMetadata metadata;
};

/// Reads metadata.json of the artifact in `dir`. Throws Error(kIo) when it is missing and
/// Error(kData) when it is malformed.
ModelMetadata ReadMetadata(const std::filesystem::path& dir);

/// Loads the artifact in `dir`. Throws Error(kIo) for a missing file, Error(kData) when the
/// native file's hash differs from the metadata or the library cannot read it. A library version
/// different from the one that saved the model is logged as a warning.
LoadedModel LoadModel(const std::filesystem::path& dir);

/// LoadModel, refusing unless `features` (the features on hand, in order) equal the model's:
/// Error(kData) "<dir>: features differ from the model's: feature <position>: expected '<name>',
/// got '<name>'" for the first mismatch.
LoadedModel LoadModel(const std::filesystem::path& dir, std::span<const std::string> features);

}  // namespace alphaloom::model
