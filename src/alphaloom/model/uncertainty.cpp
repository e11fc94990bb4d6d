#include "alphaloom/model/uncertainty.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::model {
namespace {

// Mean and sample std over the finite values of one cell across folds; two passes for accuracy.
void CellSpread(const std::vector<const double*>& folds, size_t index, double& mean, double& std_dev) {
  double sum = 0;
  size_t count = 0;
  for (const double* fold : folds) {
    if (std::isfinite(fold[index])) {
      sum += fold[index];
      ++count;
    }
  }
  mean = count > 0 ? sum / static_cast<double>(count) : std::nan("");
  if (count < 2) {
    std_dev = std::nan("");
    return;
  }
  double squares = 0;
  for (const double* fold : folds) {
    if (std::isfinite(fold[index])) squares += (fold[index] - mean) * (fold[index] - mean);
  }
  std_dev = std::sqrt(squares / static_cast<double>(count - 1));
}

FoldSpread Spread(const std::vector<const double*>& folds, size_t cells) {
  FoldSpread spread{std::vector<double>(cells), std::vector<double>(cells)};
  for (size_t cell = 0; cell < cells; ++cell) CellSpread(folds, cell, spread.mean[cell], spread.std[cell]);
  return spread;
}

}  // namespace

FoldSpread SpreadOfFolds(std::span<const std::vector<double>> fold_predictions) {
  if (fold_predictions.empty()) throw Error(ErrorKind::kData, "fold spread: no fold predictions");
  std::vector<const double*> folds;
  for (size_t fold = 0; fold < fold_predictions.size(); ++fold) {
    if (fold_predictions[fold].size() != fold_predictions[0].size()) {
      throw Error(ErrorKind::kData, fmt::format("fold spread: fold {} has {} predictions, fold 0 has {}", fold,
                                                fold_predictions[fold].size(), fold_predictions[0].size()));
    }
    folds.push_back(fold_predictions[fold].data());
  }
  return Spread(folds, fold_predictions[0].size());
}

FoldSpread SpreadOfFolds(std::span<const Prediction> fold_predictions) {
  if (fold_predictions.empty()) throw Error(ErrorKind::kData, "fold spread: no fold predictions");
  std::vector<const double*> folds;
  for (size_t fold = 0; fold < fold_predictions.size(); ++fold) {
    const Prediction& prediction = fold_predictions[fold];
    if (prediction.rows != fold_predictions[0].rows || prediction.width != fold_predictions[0].width ||
        prediction.values.size() != prediction.rows * prediction.width) {
      throw Error(ErrorKind::kData,
                  fmt::format("fold spread: fold {} predicts {} x {}, fold 0 {} x {}", fold, prediction.rows,
                              prediction.width, fold_predictions[0].rows, fold_predictions[0].width));
    }
    folds.push_back(prediction.values.data());
  }
  return Spread(folds, fold_predictions[0].values.size());
}

double OutOfFoldRmse(std::span<const double> prediction, std::span<const double> label) {
  if (prediction.size() != label.size()) {
    throw Error(ErrorKind::kData,
                fmt::format("out-of-fold RMSE: {} predictions but {} labels", prediction.size(), label.size()));
  }
  double squares = 0;
  size_t count = 0;
  for (size_t row = 0; row < label.size(); ++row) {
    if (std::isfinite(prediction[row]) && std::isfinite(label[row])) {
      squares += (prediction[row] - label[row]) * (prediction[row] - label[row]);
      ++count;
    }
  }
  if (count == 0) throw Error(ErrorKind::kData, "out-of-fold RMSE: no row has both a prediction and a label");
  return std::sqrt(squares / static_cast<double>(count));
}

std::vector<double> CombinedSigma(std::span<const double> yhat_std, double rmse_oof) {
  std::vector<double> sigma(yhat_std.size());
  for (size_t row = 0; row < yhat_std.size(); ++row) {
    const double spread = std::isnan(yhat_std[row]) ? 0.0 : yhat_std[row];
    sigma[row] = std::sqrt(spread * spread + rmse_oof * rmse_oof);
  }
  return sigma;
}

double ClipProbability(double probability) {
  if (std::isnan(probability)) return probability;
  return std::clamp(probability, kMinProbability, kMaxProbability);
}

double ProbUpNormal(double yhat, double sigma) {
  if (std::isnan(yhat)) return yhat;
  if (!(sigma > 0)) return ClipProbability(yhat > 0 ? 1.0 : yhat < 0 ? 0.0 : 0.5);
  // Phi(t) = erfc(-t / sqrt(2)) / 2, accurate in both tails.
  return ClipProbability(0.5 * std::erfc(-yhat / sigma / std::sqrt(2.0)));
}

std::vector<double> ProbUpNormal(std::span<const double> yhat, std::span<const double> sigma) {
  if (yhat.size() != sigma.size()) {
    throw Error(ErrorKind::kData, fmt::format("prob_up: {} predictions but {} sigmas", yhat.size(), sigma.size()));
  }
  std::vector<double> probability(yhat.size());
  for (size_t row = 0; row < yhat.size(); ++row) probability[row] = ProbUpNormal(yhat[row], sigma[row]);
  return probability;
}

std::vector<double> ProbUpFromClasses(const Prediction& probabilities, std::span<const int> up_classes) {
  const bool binary = probabilities.width == 1;
  const int classes = binary ? 2 : static_cast<int>(probabilities.width);
  for (const int up : up_classes) {
    if (up < 0 || up >= classes) {
      throw Error(ErrorKind::kData,
                  fmt::format("prob_up: class {} outside the model's classes 0..{}", up, classes - 1));
    }
  }
  std::vector<double> out(probabilities.rows, 0.0);
  for (size_t row = 0; row < probabilities.rows; ++row) {
    double sum = 0;
    for (const int up : up_classes) {
      if (binary) {
        sum += up == 1 ? probabilities.At(row) : 1.0 - probabilities.At(row);
      } else {
        sum += probabilities.At(row, static_cast<size_t>(up));
      }
    }
    out[row] = ClipProbability(sum);
  }
  return out;
}

}  // namespace alphaloom::model
