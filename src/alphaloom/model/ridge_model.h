#pragma once
// The linear baseline: ridge regression on standardised features, in closed form (Eigen).
//
// Fit, with weights w (1 when absent) and alpha from params (default 1.0):
//   - per column j, the weighted mean m_j and weighted population std s_j (ddof 0) of its
//     non-NaN values; a column with no non-NaN value or s_j = 0 gets coefficient 0;
//   - z_ij = (x_ij - m_j) / s_j, and NaN -> 0, i.e. a missing value is imputed with the
//     training mean (never with statistics of the rows being predicted);
//   - intercept b = weighted mean of y; the z columns are weighted-centred, so b is exact;
//   - beta = (Z' W Z + alpha I)^-1 Z' W (y - b), solved by LDLT in double. alpha is not scaled
//     by the row count (scikit-learn's Ridge convention).
// Predict: b + sum_j beta_j z_j with the training m, s and the same NaN rule.
// The valid_loss is one value: the weighted mean squared error on the validation set.
#include <memory>

#include "alphaloom/model/model.h"

namespace alphaloom::model {

/// A ridge model for `spec`. Only the regression objective; params: "alpha" (>= 0, default 1).
/// num_rounds, early stopping, seed and threads do not change the result. Throws
/// Error(kConfig) for another objective, another parameter name or a bad alpha. Fit throws
/// Error(kData) when every weight is zero or alpha = 0 leaves the system singular.
std::unique_ptr<Model> MakeRidgeModel(const ModelSpec& spec);

}  // namespace alphaloom::model
