#pragma once
// Pearson and Spearman correlation of two aligned samples, as pandas computes them:
// pairwise-complete (a pair with a NaN on either side is dropped), average ranks for ties.
#include <span>
#include <vector>

namespace alphaloom::metrics {

/// Pearson correlation of the complete pairs. NaN when fewer than 2 complete pairs remain or
/// either side has zero variance. The sizes must match (checked by the caller).
double PearsonCorrelation(std::span<const double> x, std::span<const double> y);

/// Spearman correlation: Pearson correlation of the average ranks (1-based, ties share the mean
/// of their positions) of the complete pairs. NaN under the same conditions as Pearson.
double SpearmanCorrelation(std::span<const double> x, std::span<const double> y);

/// Average ranks of `values` (no NaN): 1 for the smallest, ties get the mean of their positions.
std::vector<double> AverageRanks(std::span<const double> values);

}  // namespace alphaloom::metrics
