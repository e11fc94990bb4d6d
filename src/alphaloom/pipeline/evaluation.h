#pragma once
// Scores of out-of-sample predictions against their labels, as `alphaloom train` reports them
// per fold and overall. Rows with a NaN prediction or label are skipped.
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "alphaloom/common/date.h"
#include "alphaloom/model/model.h"

namespace alphaloom::pipeline {

/// Regression scores. The error scores compare yhat with the training target y (the label, or
/// its per-day normalisation), the ICs with the raw label r:
///   rmse = sqrt(mean((yhat - y)^2)); mae = mean(|yhat - y|)
///   r2 = 1 - sum((yhat - y)^2) / sum((y - mean(y))^2)  (NaN when y is constant)
///   direction_accuracy = share of rows with y != 0 where sign(yhat) == sign(y)
///   ic, rank_ic = means of the daily cross-sectional Pearson / Spearman correlations of
///   (yhat, r) (metrics/daily_ic.h), icir, rank_icir = mean / std (ddof 1) of those series.
nlohmann::json RegressionScores(std::span<const double> yhat, std::span<const double> target,
                                std::span<const double> raw_label, std::span<const Date> dates,
                                std::span<const uint32_t> instruments);

/// The score each row is ranked by: the value (regression, width 1), P(class 1) (binary, width
/// 1), or the expected class value sum_k p_k * class_values[k] (multiclass).
std::vector<double> RowScores(const model::Prediction& prediction, std::span<const double> class_values);

/// Classification scores from probabilities (rows x width, row-major: width 1 is binary,
/// P(class 1); otherwise one column per class) and the true class indices.
///   log_loss = -mean(ln p[true class]) with p clipped to [1e-15, 1 - 1e-15]
///   accuracy = share of rows whose most probable class is the true one
///   auc (binary only) = the probability that a random positive is ranked above a random
///   negative (ties count one half), from the Mann-Whitney rank sum; NaN with one class only.
nlohmann::json ClassificationScores(std::span<const double> probabilities, size_t width,
                                    std::span<const double> class_index);

}  // namespace alphaloom::pipeline
