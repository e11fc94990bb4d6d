#pragma once
// Uncertainty of a prediction from an ensemble of fold models, and the probability that the
// predicted return is positive.
//
// Regressors (docs/models.md, "Uncertainty"):
//   yhat      = mean of the K fold models' predictions for the row;
//   yhat_std  = their sample standard deviation (ddof = 1): how much the models disagree;
//   sigma     = sqrt(yhat_std^2 + rmse_oof^2), rmse_oof being the root mean squared
//               out-of-fold residual: the model spread plus the error a model makes on rows it
//               never saw;
//   prob_up   = Phi(yhat / sigma), the normal approximation P(return > 0) for
//               return ~ N(yhat, sigma^2).
// Classifiers: prob_up is the predicted probability of the "up" class(es), averaged over folds.
// Every prob_up is clipped to [0.01, 0.99]: no model is that sure.
#include <span>
#include <vector>

#include "alphaloom/model/model.h"

namespace alphaloom::model {

inline constexpr double kMinProbability = 0.01;
inline constexpr double kMaxProbability = 0.99;

/// Row-wise mean and sample standard deviation (ddof = 1) over fold models.
struct FoldSpread {
  std::vector<double> mean;
  std::vector<double> std;  ///< NaN for a row with fewer than two finite predictions
};

/// The spread of `fold_predictions` (one vector per fold model, one value per row). NaN values
/// are skipped row by row; a row with no finite value has mean NaN. Throws Error(kData) for no
/// folds or folds of different lengths.
FoldSpread SpreadOfFolds(std::span<const std::vector<double>> fold_predictions);

/// The same for multi-output predictions (e.g. class probabilities): element by element over
/// folds of equal shape; mean and std are rows x width. Throws Error(kData) for no folds or
/// different shapes.
FoldSpread SpreadOfFolds(std::span<const Prediction> fold_predictions);

/// sqrt(mean((prediction - label)^2)) over the rows where both are finite: the out-of-fold
/// RMSE. Throws Error(kData) when the lengths differ or no row has both.
double OutOfFoldRmse(std::span<const double> prediction, std::span<const double> label);

/// sqrt(yhat_std^2 + rmse_oof^2) per row; a NaN yhat_std (one fold) counts as 0.
std::vector<double> CombinedSigma(std::span<const double> yhat_std, double rmse_oof);

/// `probability` clipped to [kMinProbability, kMaxProbability]; NaN stays NaN.
double ClipProbability(double probability);

/// Phi(yhat / sigma), clipped. sigma <= 0 or NaN gives the sure answer, clipped (0.99 for
/// yhat > 0, 0.01 for yhat < 0, 0.5 for yhat = 0); NaN yhat gives NaN.
double ProbUpNormal(double yhat, double sigma);

/// ProbUpNormal row by row. Throws Error(kData) when the lengths differ.
std::vector<double> ProbUpNormal(std::span<const double> yhat, std::span<const double> sigma);

/// For classifiers: per row, the sum of the probabilities of the classes in `up_classes`
/// (binary: width 1, the probability itself when up_classes is {1}), clipped. Throws
/// Error(kData) for a class outside the prediction's width (binary counts as classes 0 and 1).
std::vector<double> ProbUpFromClasses(const Prediction& probabilities, std::span<const int> up_classes);

}  // namespace alphaloom::model
