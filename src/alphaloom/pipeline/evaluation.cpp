#include "alphaloom/pipeline/evaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "alphaloom/metrics/daily_ic.h"
#include "alphaloom/metrics/icir.h"

namespace alphaloom::pipeline {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// JSON has no NaN: undefined scores are written as null.
nlohmann::json Number(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr); }

}  // namespace

nlohmann::json RegressionScores(std::span<const double> yhat, std::span<const double> label,
                                std::span<const double> raw_label, std::span<const Date> dates,
                                std::span<const uint32_t> instruments) {
  double squares = 0, absolute = 0, label_sum = 0;
  size_t count = 0, signed_rows = 0, agreeing = 0;
  for (size_t row = 0; row < yhat.size(); ++row) {
    if (std::isnan(yhat[row]) || std::isnan(label[row])) continue;
    const double error = yhat[row] - label[row];
    squares += error * error;
    absolute += std::abs(error);
    label_sum += label[row];
    ++count;
    if (label[row] != 0) {
      ++signed_rows;
      if ((yhat[row] > 0) == (label[row] > 0) && yhat[row] != 0) ++agreeing;
    }
  }
  const double mean = count ? label_sum / static_cast<double>(count) : kNaN;
  double total = 0;
  for (size_t row = 0; row < yhat.size(); ++row) {
    if (!std::isnan(yhat[row]) && !std::isnan(label[row])) total += (label[row] - mean) * (label[row] - mean);
  }
  metrics::ScoredRows scored;
  scored.dates.assign(dates.begin(), dates.end());
  scored.scores.assign(yhat.begin(), yhat.end());
  scored.labels.assign(raw_label.begin(), raw_label.end());
  scored.instruments.reserve(instruments.size());
  for (const uint32_t instrument : instruments) scored.instruments.push_back(std::to_string(instrument));
  const metrics::DailyIc daily = metrics::ComputeDailyIc(scored);
  const metrics::IcSummary ic = metrics::SummarizeIc(daily.ic);
  const metrics::IcSummary rank_ic = metrics::SummarizeIc(daily.rank_ic);
  const double n = static_cast<double>(count);
  return {{"rows", count},
          {"rmse", Number(count ? std::sqrt(squares / n) : kNaN)},
          {"mae", Number(count ? absolute / n : kNaN)},
          {"r2", Number(total > 0 ? 1.0 - squares / total : kNaN)},
          {"direction_accuracy", Number(signed_rows ? static_cast<double>(agreeing) / static_cast<double>(signed_rows) : kNaN)},
          {"ic", Number(ic.mean)},
          {"icir", Number(ic.ir)},
          {"rank_ic", Number(rank_ic.mean)},
          {"rank_icir", Number(rank_ic.ir)},
          {"ic_days", ic.days}};
}

std::vector<double> RowScores(const model::Prediction& prediction, std::span<const double> class_values) {
  std::vector<double> scores(prediction.rows);
  for (size_t row = 0; row < prediction.rows; ++row) {
    if (prediction.width == 1) {
      scores[row] = prediction.At(row);
    } else {
      double expected = 0;
      for (size_t k = 0; k < prediction.width; ++k) expected += prediction.At(row, k) * class_values[k];
      scores[row] = expected;
    }
  }
  return scores;
}

nlohmann::json ClassificationScores(std::span<const double> probabilities, size_t width,
                                    std::span<const double> class_index) {
  double loss = 0;
  size_t count = 0, correct = 0;
  std::vector<std::pair<double, bool>> scored;  // (P(class 1), is class 1) for the binary AUC
  for (size_t row = 0; row < class_index.size(); ++row) {
    if (std::isnan(class_index[row])) continue;
    const auto truth = static_cast<size_t>(class_index[row]);
    double p_truth, best_p = -1;
    size_t best = 0;
    if (width == 1) {
      const double p1 = probabilities[row];
      p_truth = truth == 1 ? p1 : 1 - p1;
      best = p1 > 0.5 ? 1 : 0;
      scored.emplace_back(p1, truth == 1);
    } else {
      for (size_t k = 0; k < width; ++k) {
        const double p = probabilities[row * width + k];
        if (p > best_p) {
          best_p = p;
          best = k;
        }
      }
      p_truth = probabilities[row * width + truth];
    }
    loss -= std::log(std::clamp(p_truth, 1e-15, 1 - 1e-15));
    correct += best == truth ? 1 : 0;
    ++count;
  }
  nlohmann::json out = {{"rows", count},
                        {"log_loss", Number(count ? loss / static_cast<double>(count) : kNaN)},
                        {"accuracy", Number(count ? static_cast<double>(correct) / static_cast<double>(count) : kNaN)}};
  if (width == 1) {
    std::sort(scored.begin(), scored.end());
    double positive_rank_sum = 0;
    size_t positives = 0;
    for (size_t first = 0; first < scored.size();) {
      size_t last = first;
      while (last + 1 < scored.size() && scored[last + 1].first == scored[first].first) ++last;
      const double rank = (static_cast<double>(first + last) + 2.0) / 2.0;
      for (size_t k = first; k <= last; ++k) {
        if (scored[k].second) {
          positive_rank_sum += rank;
          ++positives;
        }
      }
      first = last + 1;
    }
    const size_t negatives = scored.size() - positives;
    const double auc = positives && negatives
                           ? (positive_rank_sum - static_cast<double>(positives) * static_cast<double>(positives + 1) / 2) /
                                 (static_cast<double>(positives) * static_cast<double>(negatives))
                           : kNaN;
    out["auc"] = Number(auc);
  }
  return out;
}

}  // namespace alphaloom::pipeline
