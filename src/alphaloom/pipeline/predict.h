#pragma once
// The prediction stage: a trained fold ensemble (the model/ directory `train` writes) applied to
// the features of a date range.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "alphaloom/common/thread_pool.h"
#include "alphaloom/data/qlib_store.h"
#include "alphaloom/data/table_io.h"

namespace alphaloom::pipeline {

struct PredictRequest {
  std::filesystem::path model_dir;  ///< holds ensemble.json and the fold artifacts
  std::string store;
  std::string instruments;          ///< empty: the universe the model was trained on
  Date start, end;                  ///< output dates, inclusive
};

/// The version of a fold ensemble: the first 12 hex digits of the SHA-256 of its ensemble.json text.
std::string EnsembleVersion(std::string_view ensemble_json);

/// Predictions for every (date, instrument) row with features in [start, end]:
///   datetime, instrument, horizon, yhat, yhat_std, prob_up, model_version
/// yhat is the mean of the fold models' scores, yhat_std their sample std (ddof 1), prob_up
/// P(return > 0) (model/uncertainty.h: normal approximation with the out-of-fold RMSE for
/// regressors, class probabilities for classifiers), model_version the first 12 hex digits of
/// the SHA-256 of ensemble.json. Each fold model is loaded with the features on hand and refuses
/// a mismatch (naming the first). Throws Error(kNotFound) when the range has no rows.
data::Table Predict(const PredictRequest& request, ThreadPool& pool);

}  // namespace alphaloom::pipeline
