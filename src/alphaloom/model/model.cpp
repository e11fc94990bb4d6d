#include "alphaloom/model/model.h"

#include <fmt/format.h>

#include <cmath>
#include <utility>

#include "alphaloom/common/error.h"

namespace alphaloom::model {
namespace {

constexpr std::pair<Objective, std::string_view> kObjectiveNames[] = {
    {Objective::kRegression, "regression"},
    {Objective::kHuber, "huber"},
    {Objective::kBinary, "binary"},
    {Objective::kMulticlass, "multiclass"},
};

std::string FeatureLabel(std::span<const std::string> names, size_t col) {
  if (names.empty()) return fmt::format("column {}", col);
  return fmt::format("feature '{}' (column {})", names[col], col);
}

// Infinite values have no missing-value meaning in either library (LightGBM bins them as huge
// numbers, XGBoost rejects them), so they are refused everywhere for one behaviour.
void CheckFiniteFeatures(const MatrixView& x, std::string_view set) {
  const float* values = x.data();
  for (size_t row = 0; row < x.rows(); ++row) {
    for (size_t col = 0; col < x.cols(); ++col) {
      if (std::isinf(values[row * x.cols() + col])) {
        throw Error(ErrorKind::kData, fmt::format("{} set: {} at row {} is infinite (use NaN for a missing value)", set,
                                                  FeatureLabel(x.feature_names(), col), row));
      }
    }
  }
}

void CheckLabeled(const LabeledMatrix& data, std::string_view set, const ModelSpec& spec) {
  if (data.x.rows() == 0) throw Error(ErrorKind::kData, fmt::format("{} set has zero rows", set));
  if (data.x.cols() == 0) throw Error(ErrorKind::kData, fmt::format("{} set has zero feature columns", set));
  if (data.label.size() != data.x.rows()) {
    throw Error(ErrorKind::kData, fmt::format("{} set: {} rows but {} labels", set, data.x.rows(), data.label.size()));
  }
  if (!data.weight.empty() && data.weight.size() != data.x.rows()) {
    throw Error(ErrorKind::kData,
                fmt::format("{} set: {} rows but {} weights", set, data.x.rows(), data.weight.size()));
  }
  for (size_t row = 0; row < data.label.size(); ++row) {
    const double label = data.label[row];
    if (!std::isfinite(label)) {
      throw Error(ErrorKind::kData, fmt::format("{} set: label at row {} is {}", set, row, label));
    }
    if (spec.objective == Objective::kBinary && label != 0.0 && label != 1.0) {
      throw Error(ErrorKind::kData, fmt::format("{} set: binary label at row {} is {}, not 0 or 1", set, row, label));
    }
    if (spec.objective == Objective::kMulticlass &&
        (label != std::floor(label) || label < 0 || label >= spec.num_class)) {
      throw Error(ErrorKind::kData, fmt::format("{} set: multiclass label at row {} is {}, not a class 0..{}", set, row,
                                                label, spec.num_class - 1));
    }
  }
  for (size_t row = 0; row < data.weight.size(); ++row) {
    if (!(data.weight[row] >= 0) || std::isinf(data.weight[row])) {
      throw Error(ErrorKind::kData, fmt::format("{} set: weight at row {} is {}; weights must be finite and >= 0", set,
                                                row, data.weight[row]));
    }
  }
  CheckFiniteFeatures(data.x, set);
}

void RequireFitted(bool fitted, std::string_view what) {
  if (!fitted) throw Error(ErrorKind::kUsage, fmt::format("model: {} before the model is fitted or loaded", what));
}

}  // namespace

std::string_view ObjectiveName(Objective objective) {
  for (const auto& [value, name] : kObjectiveNames) {
    if (value == objective) return name;
  }
  return "unknown";
}

Objective ParseObjective(std::string_view name) {
  std::string known;
  for (const auto& [value, known_name] : kObjectiveNames) {
    if (known_name == name) return value;
    known += known.empty() ? "" : ", ";
    known += known_name;
  }
  throw Error(ErrorKind::kConfig, fmt::format("unknown objective '{}' (known: {})", name, known));
}

void CheckFeatures(std::span<const std::string> expected, std::span<const std::string> got) {
  const size_t common = std::min(expected.size(), got.size());
  for (size_t position = 0; position < common; ++position) {
    if (expected[position] != got[position]) {
      throw Error(ErrorKind::kData, fmt::format("features differ from the model's: feature {}: expected '{}', got '{}'",
                                                position, expected[position], got[position]));
    }
  }
  if (expected.size() > got.size()) {
    throw Error(ErrorKind::kData,
                fmt::format("features differ from the model's: feature {}: expected '{}', got none ({} of {} features)",
                            common, expected[common], got.size(), expected.size()));
  }
  if (got.size() > expected.size()) {
    throw Error(
        ErrorKind::kData,
        fmt::format("features differ from the model's: feature {}: expected none, got '{}' ({} features, model has {})",
                    common, got[common], got.size(), expected.size()));
  }
}

FeatureImportance AggregateImportance(std::span<const FeatureImportance> folds) {
  if (folds.empty()) throw Error(ErrorKind::kData, "importance: no fold models to aggregate");
  FeatureImportance mean{folds[0].features, std::vector<double>(folds[0].features.size(), 0.0),
                         std::vector<double>(folds[0].features.size(), 0.0)};
  for (const FeatureImportance& fold : folds) {
    CheckFeatures(mean.features, fold.features);
    for (size_t feature = 0; feature < mean.features.size(); ++feature) {
      mean.gain[feature] += fold.gain[feature];
      mean.split[feature] += fold.split[feature];
    }
  }
  const double count = static_cast<double>(folds.size());
  for (size_t feature = 0; feature < mean.features.size(); ++feature) {
    mean.gain[feature] /= count;
    mean.split[feature] /= count;
  }
  return mean;
}

Model::Model(ModelSpec spec) : spec_(std::move(spec)) {}

Model::~Model() = default;

size_t Model::output_width() const {
  return spec_.objective == Objective::kMulticlass ? static_cast<size_t>(spec_.num_class) : 1;
}

void Model::Fit(const LabeledMatrix& train, const LabeledMatrix* valid) {
  CheckLabeled(train, "training", spec_);
  if (valid != nullptr) {
    CheckLabeled(*valid, "validation", spec_);
    if (valid->x.cols() != train.x.cols()) {
      throw Error(ErrorKind::kData, fmt::format("validation set has {} feature columns, training set {}",
                                                valid->x.cols(), train.x.cols()));
    }
    if (valid->x.has_feature_names() && train.x.has_feature_names()) {
      CheckFeatures(train.x.feature_names(), valid->x.feature_names());
    }
  } else if (spec_.early_stopping_rounds > 0) {
    throw Error(ErrorKind::kConfig,
                fmt::format("early_stopping_rounds = {} needs a validation set", spec_.early_stopping_rounds));
  }
  std::vector<std::string> names;
  if (train.x.has_feature_names()) {
    names.assign(train.x.feature_names().begin(), train.x.feature_names().end());
  } else {
    for (size_t col = 0; col < train.x.cols(); ++col) names.push_back(fmt::format("f{}", col));
  }
  fitted_ = false;
  log_ = DoFit(train, valid);
  feature_names_ = std::move(names);
  fitted_ = true;
}

Prediction Model::Predict(const MatrixView& x) const {
  RequireFitted(fitted_, "Predict");
  if (x.cols() != feature_names_.size()) {
    throw Error(ErrorKind::kData, fmt::format("prediction matrix has {} feature columns, the model was trained on {}",
                                              x.cols(), feature_names_.size()));
  }
  if (x.has_feature_names()) CheckFeatures(feature_names_, x.feature_names());
  Prediction prediction{x.rows(), output_width(), {}};
  if (x.rows() == 0) return prediction;
  CheckFiniteFeatures(x, "prediction");
  prediction.values = DoPredict(x);
  Check(prediction.values.size() == prediction.rows * prediction.width, "backend returned a wrong prediction count");
  return prediction;
}

FeatureImportance Model::Importance() const {
  RequireFitted(fitted_, "Importance");
  FeatureImportance importance{feature_names_, std::vector<double>(feature_names_.size(), 0.0),
                               std::vector<double>(feature_names_.size(), 0.0)};
  DoImportance(importance.gain, importance.split);
  return importance;
}

std::string Model::Serialize() const {
  RequireFitted(fitted_, "Serialize");
  return DoSerialize();
}

void Model::Deserialize(std::string_view bytes, std::vector<std::string> feature_names, TrainingLog log) {
  fitted_ = false;
  const size_t feature_count = DoDeserialize(bytes);
  if (feature_count != feature_names.size()) {
    throw Error(ErrorKind::kData, fmt::format("{} model holds {} features but {} feature names were given", library(),
                                              feature_count, feature_names.size()));
  }
  feature_names_ = std::move(feature_names);
  log_ = std::move(log);
  fitted_ = true;
}

}  // namespace alphaloom::model
