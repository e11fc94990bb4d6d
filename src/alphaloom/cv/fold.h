#pragma once
// Folds and the purge/embargo rule every splitter applies (reference/finml.md section 4).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/cv/sample_index.h"

namespace alphaloom::cv {

/// Calendar positions first..last, both inclusive.
struct DateRange {
  int32_t first = 0;
  int32_t last = -1;
  bool empty() const { return last < first; }
};

/// One split: row indices (ascending) into the SampleIndex.
struct Fold {
  std::string name;
  std::vector<uint32_t> train;
  std::vector<uint32_t> valid;
  std::vector<uint32_t> test;
  std::vector<DateRange> test_blocks;  ///< the contiguous date blocks of the test set
  DateRange valid_range;               ///< empty when there is no validation set
  size_t purged = 0;     ///< candidate training rows removed because their span overlaps a later set
  size_t embargoed = 0;  ///< candidate training rows removed only by the embargo
};

/// A protected block: rows of `range` are held out; candidates whose span [t0, t1] meets
/// [range.first, T1] are purged, T1 being the largest t1 of the block's rows, and candidates
/// starting in (T1, T1 + embargo] are embargoed. Overlapping or adjacent blocks should be merged
/// by the caller.
struct HeldOutBlock {
  DateRange range;
  int32_t embargo = 0;  ///< bars after T1
};

/// The candidate rows (dates in `candidate_dates`, a range of distinct-date indices of the
/// index) that survive every held-out block: the closed-interval rule of AFML Snippet 7.1, with
/// the embargo after each block only. Counts what it removes into `fold`.
std::vector<uint32_t> PurgedRows(const SampleIndex& index, std::span<const DateRange> candidate_ranges,
                                 std::span<const HeldOutBlock> blocks, Fold& fold);

/// Throws Error(kConfig) naming the first fold with no training rows, followed by `remedy`.
void RequireTrainingRows(std::span<const Fold> folds, std::string_view remedy);

/// Row indices of the rows dated within `range`.
std::vector<uint32_t> RowsIn(const SampleIndex& index, DateRange range);

/// The rows whose dates fall in distinct-date indices [first_k, last_k] as a calendar range.
DateRange RangeOfDates(const SampleIndex& index, size_t first_k, size_t last_k);

}  // namespace alphaloom::cv
