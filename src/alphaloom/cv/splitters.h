#pragma once
// Date-based splitters over a SampleIndex: walk-forward, purged k-fold with embargo,
// combinatorial purged CV and fixed segments. Every splitter purges training (and validation)
// rows whose label span reaches into a later held-out set, so no fold can leak.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "alphaloom/common/thread_pool.h"
#include "alphaloom/cv/fold.h"

namespace alphaloom::cv {

/// Walk-forward: test blocks of `test_days` distinct dates every `step_days`, training on the
/// past only. Day counts are distinct sample dates (trading days with rows).
struct WalkForwardSpec {
  bool expanding = true;  ///< expanding window from the first date; false: the last train_days
  int train_days = 250;   ///< rolling window length; for expanding, the minimum before the first test
  int test_days = 250;
  int step_days = 0;      ///< 0: test_days (back-to-back test blocks)
  int gap_days = 0;       ///< dates left out between the training (or validation) end and the test start
  int valid_days = 0;     ///< the last dates before the gap form the validation set
  std::optional<Date> first_test;  ///< first test date; default: as soon as train_days + valid_days + gap_days allow
};

/// Purged k-fold (AFML ch. 7): `folds` contiguous date blocks as numpy's array_split (the first
/// n mod k blocks one date longer); each block is the test set once; training rows overlapping a
/// test span are purged and floor(n * embargo_pct) dates after it embargoed (n = distinct dates).
struct PurgedKFoldSpec {
  int folds = 5;
  double embargo_pct = 0.01;
};

/// Combinatorial purged CV (AFML ch. 12): `groups` date blocks (array_split), every choice of
/// `test_groups` of them one split, in lexicographic order; purge and embargo per contiguous run
/// of test groups.
struct CpcvSpec {
  int groups = 6;
  int test_groups = 2;
  double embargo_pct = 0.01;
};

/// Fixed date segments, as Qlib's configs (inclusive dates). Unlike Qlib, rows whose span reaches
/// into a later segment are purged unless `purge` is false.
struct SegmentsSpec {
  Date train_start, train_end;
  std::optional<Date> valid_start, valid_end;
  Date test_start, test_end;
  int embargo_days = 0;  ///< also drop rows starting within this many bars after a later segment's span
  bool purge = true;
};

using SplitSpec = std::variant<WalkForwardSpec, PurgedKFoldSpec, CpcvSpec, SegmentsSpec>;

struct FoldPlan {
  std::string kind;  ///< walk_forward, purged_kfold, cpcv, segments
  std::vector<Fold> folds;
  std::vector<DateRange> groups;  ///< the date blocks (k-fold and CPCV)
  /// CPCV backtest paths: paths[p][g] = the fold whose test predictions of group g path p uses
  /// (the p-th split, in order, that tests g). Empty for other splitters.
  std::vector<std::vector<size_t>> paths;
};

/// Each throws Error(kConfig) naming the key for an impossible spec (no room for a fold, a
/// fold with no training rows, embargo larger than the data, ...). Folds are computed in
/// parallel on `pool` when given; the plan does not depend on the thread count.
FoldPlan WalkForward(const SampleIndex& index, const WalkForwardSpec& spec, ThreadPool* pool = nullptr);
FoldPlan PurgedKFold(const SampleIndex& index, const PurgedKFoldSpec& spec, ThreadPool* pool = nullptr);
FoldPlan CombinatorialPurged(const SampleIndex& index, const CpcvSpec& spec, ThreadPool* pool = nullptr);
FoldPlan Segments(const SampleIndex& index, const SegmentsSpec& spec);
FoldPlan MakePlan(const SampleIndex& index, const SplitSpec& spec, ThreadPool* pool = nullptr);

/// n choose k (exact for the sizes CPCV uses).
size_t Binomial(size_t n, size_t k);

/// floor(date_count * pct): the embargo in bars. Throws Error(kConfig) naming `key` unless
/// 0 <= pct < 1.
int32_t EmbargoBars(size_t date_count, double pct, std::string_view key);

/// numpy.array_split boundaries: `parts` blocks of [0, n), the first n mod parts one longer;
/// returns parts + 1 offsets.
std::vector<size_t> ArraySplit(size_t n, size_t parts);

}  // namespace alphaloom::cv
