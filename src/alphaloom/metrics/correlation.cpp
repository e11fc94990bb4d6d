#include "alphaloom/metrics/correlation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {
namespace {

struct CompletePairs {
  std::vector<double> x, y;
};

CompletePairs Complete(std::span<const double> x, std::span<const double> y) {
  CompletePairs pairs;
  for (size_t index = 0; index < x.size() && index < y.size(); ++index) {
    if (std::isnan(x[index]) || std::isnan(y[index])) continue;
    pairs.x.push_back(x[index]);
    pairs.y.push_back(y[index]);
  }
  return pairs;
}

double PearsonOfComplete(const std::vector<double>& x, const std::vector<double>& y) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (x.size() < 2) return kNaN;
  const double variance_x = Variance(x, 0);
  const double variance_y = Variance(y, 0);
  if (variance_x == 0 || variance_y == 0) return kNaN;
  const double mean_x = Mean(x);
  const double mean_y = Mean(y);
  std::vector<double> products(x.size());
  for (size_t index = 0; index < x.size(); ++index) products[index] = (x[index] - mean_x) * (y[index] - mean_y);
  const double covariance = Sum(products) / static_cast<double>(x.size());
  // Rounding can push |r| a hair past 1 for perfectly correlated samples.
  return std::clamp(covariance / std::sqrt(variance_x * variance_y), -1.0, 1.0);
}

}  // namespace

std::vector<double> AverageRanks(std::span<const double> values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  size_t start = 0;
  while (start < order.size()) {
    size_t end = start + 1;
    while (end < order.size() && values[order[end]] == values[order[start]]) ++end;
    const double rank = (static_cast<double>(start + 1) + static_cast<double>(end)) / 2.0;
    for (size_t position = start; position < end; ++position) ranks[order[position]] = rank;
    start = end;
  }
  return ranks;
}

double PearsonCorrelation(std::span<const double> x, std::span<const double> y) {
  const CompletePairs pairs = Complete(x, y);
  return PearsonOfComplete(pairs.x, pairs.y);
}

double SpearmanCorrelation(std::span<const double> x, std::span<const double> y) {
  const CompletePairs pairs = Complete(x, y);
  return PearsonOfComplete(AverageRanks(pairs.x), AverageRanks(pairs.y));
}

}  // namespace alphaloom::metrics
