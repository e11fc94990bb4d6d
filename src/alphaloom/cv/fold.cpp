#include "alphaloom/cv/fold.h"

#include <fmt/format.h>

#include <algorithm>

#include "alphaloom/common/error.h"

namespace alphaloom::cv {
namespace {

// Rows dated in `range`, as [begin, end) row indices.
std::pair<size_t, size_t> RowBounds(const SampleIndex& index, DateRange range) {
  if (range.empty()) return {0, 0};
  const auto& dates = index.dates();
  const auto first = std::lower_bound(dates.begin(), dates.end(), range.first) - dates.begin();
  const auto last = std::upper_bound(dates.begin(), dates.end(), range.last) - dates.begin();
  return {index.first_row(static_cast<size_t>(first)), index.first_row(static_cast<size_t>(last))};
}

}  // namespace

void RequireTrainingRows(std::span<const Fold> folds, std::string_view remedy) {
  for (const Fold& fold : folds) {
    if (fold.train.empty()) {
      throw Error(ErrorKind::kConfig, fmt::format("cv: {} has no training rows left after purge and embargo; {}",
                                                  fold.name, remedy));
    }
  }
}

std::vector<uint32_t> RowsIn(const SampleIndex& index, DateRange range) {
  const auto [begin, end] = RowBounds(index, range);
  std::vector<uint32_t> rows(end - begin);
  for (size_t row = begin; row < end; ++row) rows[row - begin] = static_cast<uint32_t>(row);
  return rows;
}

DateRange RangeOfDates(const SampleIndex& index, size_t first_k, size_t last_k) {
  Check(first_k <= last_k && last_k < index.dates().size(), "date block inside the samples");
  return {index.dates()[first_k], index.dates()[last_k]};
}

std::vector<uint32_t> PurgedRows(const SampleIndex& index, std::span<const DateRange> candidate_ranges,
                                 std::span<const HeldOutBlock> blocks, Fold& fold) {
  // Each block's span [T0, T1] and embargo end, T1 = the largest t1 among its rows.
  struct Span {
    int32_t start, end, embargo_end;
  };
  std::vector<Span> spans;
  for (const HeldOutBlock& block : blocks) {
    const auto [begin, end] = RowBounds(index, block.range);
    if (begin == end) continue;
    int32_t last_t1 = block.range.last;
    for (size_t row = begin; row < end; ++row) last_t1 = std::max(last_t1, index.t1(row));
    spans.push_back({index.date(begin), last_t1, last_t1 + block.embargo});
  }
  std::vector<uint32_t> kept;
  for (const DateRange& range : candidate_ranges) {
    const auto [begin, end] = RowBounds(index, range);
    for (size_t row = begin; row < end; ++row) {
      const int32_t t0 = index.date(row), t1 = index.t1(row);
      bool purged = false, embargoed = false;
      for (const Span& span : spans) {
        if (t0 <= span.end && t1 >= span.start) {
          purged = true;
        } else if (t0 > span.end && t0 <= span.embargo_end) {
          embargoed = true;
        }
      }
      if (purged) {
        ++fold.purged;
      } else if (embargoed) {
        ++fold.embargoed;
      } else {
        kept.push_back(static_cast<uint32_t>(row));
      }
    }
  }
  return kept;
}

}  // namespace alphaloom::cv
