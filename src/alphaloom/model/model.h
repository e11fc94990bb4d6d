#pragma once
// One interface over every learner: LightGBM and XGBoost through their C APIs and a ridge
// baseline. The base class owns input validation, feature bookkeeping and the training log, so
// every backend rejects bad input with the same errors; backends only talk to their library.
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/model/matrix_view.h"

namespace alphaloom::model {

/// What the model learns. Each backend maps it to its library's objective (docs/models.md).
enum class Objective {
  kRegression,  ///< squared error; predicts the conditional mean
  kHuber,       ///< robust regression: LightGBM "huber", XGBoost "reg:pseudohubererror"
  kBinary,      ///< labels 0/1; predicts P(label = 1)
  kMulticlass,  ///< labels 0..num_class-1; predicts one probability per class
};

/// "regression", "huber", "binary", "multiclass".
std::string_view ObjectiveName(Objective objective);
/// Inverse of ObjectiveName; throws Error(kConfig) listing the names for anything else.
Objective ParseObjective(std::string_view name);

/// Everything that decides a model besides its data. Same spec + same data = same model bytes.
struct ModelSpec {
  std::string backend = "lightgbm";  ///< a name from Backends(): "lightgbm", "xgboost", "ridge"
  Objective objective = Objective::kRegression;
  int num_class = 0;              ///< multiclass: >= 2; every other objective: 0
  int num_rounds = 100;           ///< maximum boosting rounds (ignored by ridge)
  int early_stopping_rounds = 0;  ///< stop after this many rounds without a better validation loss; 0: off
  int seed = 0;                   ///< >= 0; seeds every random choice of the library
  int threads = 1;                ///< >= 1; training and prediction threads
  /// Library parameters by the library's own names, passed through as text ("num_leaves" ->
  /// "63"). Unknown names, and names the spec fields above own (objective, seed, threads, ...),
  /// are Error(kConfig) naming the parameter.
  std::map<std::string, std::string> params;
};

/// Predictions, rows x width, row-major: width 1 (regression value, or P(label = 1) for binary)
/// or num_class (class probabilities summing to 1 per row).
struct Prediction {
  size_t rows = 0;
  size_t width = 1;
  std::vector<double> values;

  double At(size_t row, size_t col = 0) const { return values[row * width + col]; }
};

/// Per-feature importance in training order. `gain` is the total loss reduction of the splits
/// on the feature, `split` the number of those splits (ridge: |standardised coefficient| and 1
/// for a non-zero coefficient). Both are >= 0; an unused feature has 0.
struct FeatureImportance {
  std::vector<std::string> features;
  std::vector<double> gain;
  std::vector<double> split;
};

/// The mean importance over fold models, feature by feature. Throws Error(kData) for an empty
/// list or fold models with different features (naming the first mismatch).
FeatureImportance AggregateImportance(std::span<const FeatureImportance> folds);

/// What training did. With a validation set, `valid_loss[i]` is the loss after round i + 1 in
/// `metric` (the library's metric, lower is better); without one it is empty.
struct TrainingLog {
  std::string metric;
  std::vector<double> valid_loss;
  int rounds_trained = 0;  ///< rounds run before stopping (ridge: 1)
  int best_iteration =
      0;  ///< rounds the model keeps: the best validation round with early stopping, else rounds_trained
};

/// Throws Error(kData) unless `got` equals `expected` name by name, naming the first mismatch:
/// "feature 3: expected 'KMID', got 'KLEN'" (or a missing / extra feature at the end).
void CheckFeatures(std::span<const std::string> expected, std::span<const std::string> got);

/// A learner. Fit, then Predict / Importance / Serialize; or Deserialize a saved model.
/// Not safe to Fit concurrently; Predict is safe to call from several threads at once.
class Model {
 public:
  virtual ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const ModelSpec& spec() const { return spec_; }
  /// "lightgbm", "xgboost", "ridge".
  virtual std::string_view library() const = 0;
  /// The linked library's version, e.g. "4.6.0" (ridge: Eigen's).
  virtual std::string library_version() const = 0;
  /// Name of the native model file inside an artifact directory (model.txt, model.json, ...).
  virtual std::string_view file_name() const = 0;

  /// Trains on `train`, evaluating on `valid` after every round when given (required when
  /// early stopping is on). Replaces any earlier fit. Throws Error(kData) naming the set, row
  /// and column for zero rows or columns, a label/weight count that differs from the rows, a
  /// non-finite label, a NaN/negative weight, an infinite feature, a label outside the
  /// objective's classes, or validation features that differ from the training features;
  /// Error(kConfig) for early stopping without a validation set or an unknown parameter;
  /// Error(kExternal) with the library's own message when the library fails.
  void Fit(const LabeledMatrix& train, const LabeledMatrix* valid = nullptr);

  /// Predictions for every row of `x` (zero rows: an empty Prediction). Throws Error(kUsage)
  /// before a fit, Error(kData) when the column count differs from training or, when `x` has
  /// names, the names differ (first mismatch named), or a feature is infinite.
  Prediction Predict(const MatrixView& x) const;

  /// Importance of every training feature. Throws Error(kUsage) before a fit.
  FeatureImportance Importance() const;

  /// The native model bytes (what the library itself saves). Deterministic: the same spec and
  /// data give the same bytes. Throws Error(kUsage) before a fit.
  std::string Serialize() const;
  /// Replaces this model with saved bytes of the same backend and spec, trained on
  /// `feature_names` (in order). Throws Error(kData) when the bytes do not parse or hold a
  /// different feature count.
  void Deserialize(std::string_view bytes, std::vector<std::string> feature_names, TrainingLog log);

  /// Called after every boosting round with the round (1-based), the maximum and the validation
  /// loss of that round (NaN without a validation set): progress for a terminal. Ridge never
  /// calls it. The callback must not throw.
  using RoundCallback = std::function<void(int round, int num_rounds, double valid_loss)>;
  void SetRoundCallback(RoundCallback callback) { on_round_ = std::move(callback); }

  bool fitted() const { return fitted_; }
  /// The training features in order: the training view's names, or "f0", "f1", ... when it had none.
  const std::vector<std::string>& feature_names() const { return feature_names_; }
  const TrainingLog& log() const { return log_; }
  /// Columns of a Prediction: num_class for multiclass, else 1.
  size_t output_width() const;

 protected:
  explicit Model(ModelSpec spec);

  /// Backends call this after each round (see SetRoundCallback).
  void ReportRound(int round, double valid_loss) const {
    if (on_round_) on_round_(round, spec_.num_rounds, valid_loss);
  }

  /// Called with validated inputs; returns what training did.
  virtual TrainingLog DoFit(const LabeledMatrix& train, const LabeledMatrix* valid) = 0;
  /// Called with a validated, non-empty matrix; returns rows x output_width() values.
  virtual std::vector<double> DoPredict(const MatrixView& x) const = 0;
  /// Fills gain and split, one value per training feature.
  virtual void DoImportance(std::vector<double>& gain, std::vector<double>& split) const = 0;
  virtual std::string DoSerialize() const = 0;
  /// Loads native bytes; returns the feature count the model was trained on.
  virtual size_t DoDeserialize(std::string_view bytes) = 0;

 private:
  ModelSpec spec_;
  bool fitted_ = false;
  std::vector<std::string> feature_names_;
  TrainingLog log_;
  RoundCallback on_round_;
};

/// A registered backend: its name, a one-line description and its constructor. The constructor
/// validates the spec's parameters against the library and throws Error(kConfig) naming the
/// first bad one.
struct Backend {
  std::string_view name;
  std::string_view description;
  std::unique_ptr<Model> (*make)(const ModelSpec& spec);
};

/// Every backend, in the order docs and errors list them.
const std::vector<Backend>& Backends();

/// A new unfitted model for `spec`. Throws Error(kConfig) for an unknown backend (listing the
/// known ones), an objective the backend does not support, num_class inconsistent with the
/// objective, num_rounds < 1, early_stopping_rounds < 0, seed < 0, threads < 1, or a bad
/// parameter.
std::unique_ptr<Model> MakeModel(const ModelSpec& spec);

}  // namespace alphaloom::model
