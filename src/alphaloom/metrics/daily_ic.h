#pragma once
// Information coefficient and rank information coefficient per day, cross-sectional.
//   IC_t     = Pearson correlation over the instruments of day t of (score, label)
//   RankIC_t = Spearman correlation: Pearson of the average-tie ranks of score and of label
// Pairs with a NaN score or label are dropped (pandas pairwise-complete semantics); the label is
// the raw forward return the score is meant to predict, aligned to the score's date.
// Edge cases: a day with fewer than 2 complete pairs, or a constant score or label that day ->
// NaN for that day (kept in the output with its pair count, skipped by icir.h).
// Source: Qlib `calc_ic` (reference/qlib.md section 7.2); alphalens
// `factor_information_coefficient` (rank IC only; reference/finml.md section 7).
#include <string>
#include <vector>

#include "alphaloom/common/date.h"

namespace alphaloom::metrics {

/// Long-format predictions: one row per (date, instrument), in any order.
struct ScoredRows {
  std::vector<Date> dates;
  std::vector<std::string> instruments;
  std::vector<double> scores;
  std::vector<double> labels;
};

/// The per-day series, dates ascending.
struct DailyIc {
  std::vector<Date> dates;
  std::vector<double> ic;       ///< Pearson
  std::vector<double> rank_ic;  ///< Spearman
  std::vector<size_t> pairs;    ///< complete (score, label) pairs that day
};

/// IC and rank IC of every date in `rows`. Throws Error(kData) when the four columns differ in
/// length or a (date, instrument) appears twice, naming the date and instrument.
DailyIc ComputeDailyIc(const ScoredRows& rows);

}  // namespace alphaloom::metrics
