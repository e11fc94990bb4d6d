#pragma once
// The dense feature matrix every model takes: a non-owning view of row-major float32 values, the
// layout LightGBM and XGBoost read without a copy and the layout expr::FeatureFrame stores.
#include <cstddef>
#include <span>
#include <string>

namespace alphaloom::expr {
class FeatureFrame;
}

namespace alphaloom::model {

/// A read-only view of rows x cols float32 values, row `r` at data()[r * cols .. (r + 1) * cols).
/// NaN marks a missing value (every backend treats it as missing); infinities are rejected by
/// Model::Fit and Model::Predict. The viewed memory (and the names) must outlive the view.
class MatrixView {
 public:
  MatrixView() = default;
  /// Views `values` as rows x cols. `feature_names` is either empty (unnamed columns) or holds
  /// one name per column. Throws Error(kData) when values.size() != rows * cols or the name
  /// count differs from cols.
  MatrixView(std::span<const float> values, size_t rows, size_t cols, std::span<const std::string> feature_names = {});

  const float* data() const { return values_.data(); }
  std::span<const float> values() const { return values_; }
  size_t rows() const { return rows_; }
  size_t cols() const { return cols_; }
  /// Empty when the columns are unnamed.
  std::span<const std::string> feature_names() const { return names_; }
  bool has_feature_names() const { return !names_.empty(); }
  float At(size_t row, size_t col) const { return values_[row * cols_ + col]; }

  /// Rows [first, first + count) as another view of the same memory. Throws Error(kData) when
  /// the range runs past rows().
  MatrixView RowRange(size_t first, size_t count) const;

 private:
  std::span<const float> values_;
  size_t rows_ = 0;
  size_t cols_ = 0;
  std::span<const std::string> names_;
};

/// The whole matrix of `frame` with its column names, without copying. The frame must outlive
/// the view and must not be resized while it is in use.
MatrixView ViewOf(const expr::FeatureFrame& frame);

/// Data to fit or evaluate on: features, one label per row and optional sample weights.
/// Labels and weights are converted to float32 for the tree libraries (as their Python packages
/// do); the ridge baseline uses them in double.
struct LabeledMatrix {
  MatrixView x;
  std::span<const double> label;   ///< finite; binary: 0 or 1; multiclass: 0..num_class-1
  std::span<const double> weight;  ///< empty: every row weighs 1; otherwise finite and >= 0
};

}  // namespace alphaloom::model
