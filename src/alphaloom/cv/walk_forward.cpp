#include <fmt/format.h>

#include <algorithm>

#include "alphaloom/common/error.h"
#include "alphaloom/cv/splitters.h"

namespace alphaloom::cv {
namespace {

void CheckAtLeast(int value, int minimum, std::string_view key) {
  if (value < minimum) throw Error(ErrorKind::kConfig, fmt::format("{}: must be at least {}, got {}", key, minimum, value));
}

}  // namespace

FoldPlan WalkForward(const SampleIndex& index, const WalkForwardSpec& spec, ThreadPool* pool) {
  CheckAtLeast(spec.test_days, 1, "cv.test_days");
  CheckAtLeast(spec.step_days, 0, "cv.step_days");
  CheckAtLeast(spec.gap_days, 0, "cv.gap_days");
  CheckAtLeast(spec.valid_days, 0, "cv.valid_days");
  CheckAtLeast(spec.train_days, spec.expanding ? 0 : 1, "cv.train_days");
  const auto& dates = index.dates();
  const auto n = static_cast<long>(dates.size());
  const long gap = spec.gap_days, valid = spec.valid_days, step = spec.step_days > 0 ? spec.step_days : spec.test_days;
  long first = spec.train_days + valid + gap;
  if (spec.first_test) {
    const auto position = static_cast<int32_t>(index.calendar().LowerBound(*spec.first_test));
    first = std::lower_bound(dates.begin(), dates.end(), position) - dates.begin();
  }
  if (first - gap - valid < 1) {
    throw Error(ErrorKind::kConfig, fmt::format("cv: the first test block starts at sample date {} but train, valid and "
                                                "gap need {} dates before it", first, gap + valid + 1));
  }
  if (first >= n) {
    throw Error(ErrorKind::kConfig, fmt::format("cv: no room for a test block: the samples cover {} dates and the first "
                                                "test would start at date {} (cv.train_days + cv.valid_days + "
                                                "cv.gap_days, or cv.first_test)", n, first));
  }
  FoldPlan plan;
  plan.kind = "walk_forward";
  std::vector<long> starts;
  for (long start = first; start < n; start += step) starts.push_back(start);
  plan.folds.resize(starts.size());
  auto build = [&](size_t k) {
    Fold& fold = plan.folds[k];
    const long start = starts[k];
    const DateRange test = RangeOfDates(index, static_cast<size_t>(start), static_cast<size_t>(std::min(start + spec.test_days, n) - 1));
    fold.name = fmt::format("wf{}", k);
    fold.test_blocks = {test};
    fold.test = RowsIn(index, test);
    const long train_end = start - gap - valid - 1;
    const long train_start = spec.expanding ? 0 : std::max(0L, train_end - spec.train_days + 1);
    std::vector<HeldOutBlock> blocks;
    if (valid > 0) {
      fold.valid_range = RangeOfDates(index, static_cast<size_t>(train_end + 1), static_cast<size_t>(start - gap - 1));
      blocks.push_back({fold.valid_range, 0});
    }
    blocks.push_back({test, 0});
    const DateRange train = RangeOfDates(index, static_cast<size_t>(train_start), static_cast<size_t>(train_end));
    fold.train = PurgedRows(index, std::span(&train, 1), blocks, fold);
    if (valid > 0) fold.valid = PurgedRows(index, std::span(&fold.valid_range, 1), std::span(&blocks.back(), 1), fold);
  };
  if (pool) {
    pool->ParallelFor(plan.folds.size(), build);
  } else {
    for (size_t k = 0; k < plan.folds.size(); ++k) build(k);
  }
  RequireTrainingRows(plan.folds, "raise cv.train_days or lower the label horizon");
  return plan;
}

}  // namespace alphaloom::cv
