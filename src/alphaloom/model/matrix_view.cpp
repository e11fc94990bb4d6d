#include "alphaloom/model/matrix_view.h"

#include <fmt/format.h>

#include "alphaloom/common/error.h"
#include "alphaloom/expr/feature_frame.h"

namespace alphaloom::model {

MatrixView::MatrixView(std::span<const float> values, size_t rows, size_t cols,
                       std::span<const std::string> feature_names)
    : values_(values), rows_(rows), cols_(cols), names_(feature_names) {
  if (values.size() != rows * cols) {
    throw Error(ErrorKind::kData,
                fmt::format("feature matrix: {} values do not fill {} rows x {} columns", values.size(), rows, cols));
  }
  if (!feature_names.empty() && feature_names.size() != cols) {
    throw Error(ErrorKind::kData,
                fmt::format("feature matrix: {} feature names for {} columns", feature_names.size(), cols));
  }
}

MatrixView MatrixView::RowRange(size_t first, size_t count) const {
  if (first > rows_ || count > rows_ - first) {
    throw Error(ErrorKind::kData,
                fmt::format("feature matrix: rows [{}, {}) outside the {} rows", first, first + count, rows_));
  }
  return MatrixView(values_.subspan(first * cols_, count * cols_), count, cols_, names_);
}

MatrixView ViewOf(const expr::FeatureFrame& frame) {
  return MatrixView(frame.matrix(), frame.rows(), frame.cols(), frame.columns());
}

}  // namespace alphaloom::model
