#include "alphaloom/metrics/daily_ic.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "alphaloom/common/error.h"
#include "alphaloom/metrics/correlation.h"

namespace alphaloom::metrics {

DailyIc ComputeDailyIc(const ScoredRows& rows) {
  const size_t count = rows.dates.size();
  if (rows.instruments.size() != count || rows.scores.size() != count || rows.labels.size() != count) {
    throw Error(ErrorKind::kData, "IC input columns differ in length: dates " + std::to_string(count) +
                                      ", instruments " + std::to_string(rows.instruments.size()) + ", scores " +
                                      std::to_string(rows.scores.size()) + ", labels " +
                                      std::to_string(rows.labels.size()));
  }
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (rows.dates[a] != rows.dates[b]) return rows.dates[a] < rows.dates[b];
    return rows.instruments[a] < rows.instruments[b];
  });
  DailyIc daily;
  std::vector<double> scores;
  std::vector<double> labels;
  size_t start = 0;
  while (start < count) {
    const Date date = rows.dates[order[start]];
    size_t end = start;
    scores.clear();
    labels.clear();
    while (end < count && rows.dates[order[end]] == date) {
      if (end > start && rows.instruments[order[end]] == rows.instruments[order[end - 1]]) {
        throw Error(ErrorKind::kData,
                    "duplicate IC row for " + rows.instruments[order[end]] + " on " + date.ToString());
      }
      scores.push_back(rows.scores[order[end]]);
      labels.push_back(rows.labels[order[end]]);
      ++end;
    }
    size_t complete = 0;
    for (size_t index = 0; index < scores.size(); ++index) {
      if (!std::isnan(scores[index]) && !std::isnan(labels[index])) ++complete;
    }
    daily.dates.push_back(date);
    daily.ic.push_back(PearsonCorrelation(scores, labels));
    daily.rank_ic.push_back(SpearmanCorrelation(scores, labels));
    daily.pairs.push_back(complete);
    start = end;
  }
  return daily;
}

}  // namespace alphaloom::metrics
