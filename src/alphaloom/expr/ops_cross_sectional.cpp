// Cross-sectional operators: the value of an instrument at t from every instrument's input at
// t (instruments with NaN inputs take no part and get NaN). The executor places a barrier
// before each of them: all instruments' inputs are complete before one runs.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "alphaloom/expr/registry.h"

namespace alphaloom::expr {
namespace {

OperatorSpec CrossSectional(std::string name, std::string doc, std::string nan_policy,
                            void (*compute)(std::span<const double>, std::span<double>)) {
  OperatorSpec spec;
  spec.signature = name + "(x)";
  spec.name = std::move(name);
  spec.doc = std::move(doc);
  spec.nan_policy = std::move(nan_policy);
  spec.warmup = "none";
  spec.kind = OperatorKind::kCrossSectional;
  spec.series_arity = 1;
  spec.evaluate = [compute](const OperatorCall& call, std::span<double> out) { compute(call.inputs[0], out); };
  spec.lookback = [](const std::vector<double>&) { return 0L; };
  return spec;
}

// pandas rank(pct=True): average 1-based rank among non-NaN values / their count.
void PercentRank(std::span<const double> x, std::span<double> out) {
  std::vector<size_t> order;
  order.reserve(x.size());
  for (size_t index = 0; index < x.size(); ++index) {
    if (!std::isnan(x[index])) order.push_back(index);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::fill(out.begin(), out.end(), std::nan(""));
  const double count = static_cast<double>(order.size());
  for (size_t first = 0; first < order.size();) {
    size_t last = first;
    while (last + 1 < order.size() && x[order[last + 1]] == x[order[first]]) ++last;
    const double average_rank = (static_cast<double>(first + last) / 2.0 + 1.0) / count;
    for (size_t k = first; k <= last; ++k) out[order[k]] = average_rank;
    first = last + 1;
  }
}

struct Moments {
  double mean = std::nan("");
  double std = std::nan("");
};

// Mean and sample std (ddof 1) of the non-NaN values; std is NaN with fewer than 2.
Moments CrossSectionMoments(std::span<const double> x) {
  double sum = 0;
  size_t count = 0;
  for (double value : x) {
    if (!std::isnan(value)) {
      sum += value;
      ++count;
    }
  }
  Moments moments;
  if (count == 0) return moments;
  moments.mean = sum / static_cast<double>(count);
  if (count < 2) return moments;
  double squares = 0;
  for (double value : x) {
    if (!std::isnan(value)) squares += (value - moments.mean) * (value - moments.mean);
  }
  moments.std = std::sqrt(squares / static_cast<double>(count - 1));
  return moments;
}

void ZScore(std::span<const double> x, std::span<double> out) {
  const Moments moments = CrossSectionMoments(x);
  for (size_t index = 0; index < x.size(); ++index) out[index] = (x[index] - moments.mean) / moments.std;
}

void Demean(std::span<const double> x, std::span<double> out) {
  const Moments moments = CrossSectionMoments(x);
  for (size_t index = 0; index < x.size(); ++index) out[index] = x[index] - moments.mean;
}

}  // namespace

void RegisterCrossSectionalOps(Registry& registry) {
  registry.Add(CrossSectional("CSRank", "percentile rank across instruments at each date (pandas rank(pct=True))",
                              "NaN inputs are not ranked and stay NaN", PercentRank));
  registry.Add(CrossSectional("CSZScore", "(x - mean) / std across instruments at each date, std with ddof 1",
                              "NaN inputs are skipped and stay NaN; one instrument gives NaN", ZScore));
  registry.Add(CrossSectional("CSDemean", "x minus the mean across instruments at each date",
                              "NaN inputs are skipped and stay NaN", Demean));
}

}  // namespace alphaloom::expr
