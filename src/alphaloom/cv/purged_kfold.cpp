#include <fmt/format.h>

#include <cmath>

#include "alphaloom/common/error.h"
#include "alphaloom/cv/splitters.h"

namespace alphaloom::cv {

std::vector<size_t> ArraySplit(size_t n, size_t parts) {
  std::vector<size_t> offsets(parts + 1, 0);
  for (size_t part = 0; part < parts; ++part) {
    offsets[part + 1] = offsets[part] + n / parts + (part < n % parts ? 1 : 0);
  }
  return offsets;
}

int32_t EmbargoBars(size_t date_count, double pct, std::string_view key) {
  if (!(pct >= 0 && pct < 1)) throw Error(ErrorKind::kConfig, fmt::format("{}: must be in [0, 1), got {}", key, pct));
  return static_cast<int32_t>(std::floor(static_cast<double>(date_count) * pct));
}

FoldPlan PurgedKFold(const SampleIndex& index, const PurgedKFoldSpec& spec, ThreadPool* pool) {
  const size_t dates = index.dates().size();
  if (spec.folds < 2) throw Error(ErrorKind::kConfig, fmt::format("cv.folds: need at least 2, got {}", spec.folds));
  if (static_cast<size_t>(spec.folds) > dates) {
    throw Error(ErrorKind::kConfig, fmt::format("cv.folds: {} folds but the samples cover only {} dates", spec.folds, dates));
  }
  const int32_t embargo = EmbargoBars(dates, spec.embargo_pct, "cv.embargo_pct");
  const auto offsets = ArraySplit(dates, static_cast<size_t>(spec.folds));
  FoldPlan plan;
  plan.kind = "purged_kfold";
  for (size_t k = 0; k < static_cast<size_t>(spec.folds); ++k) {
    plan.groups.push_back(RangeOfDates(index, offsets[k], offsets[k + 1] - 1));
  }
  plan.folds.resize(plan.groups.size());
  auto build = [&](size_t k) {
    Fold& fold = plan.folds[k];
    fold.name = fmt::format("fold{}", k);
    const DateRange test = plan.groups[k];
    fold.test_blocks = {test};
    fold.test = RowsIn(index, test);
    std::vector<DateRange> candidates;
    if (k > 0) candidates.push_back({plan.groups.front().first, plan.groups[k - 1].last});
    if (k + 1 < plan.groups.size()) candidates.push_back({plan.groups[k + 1].first, plan.groups.back().last});
    const HeldOutBlock block{test, embargo};
    fold.train = PurgedRows(index, candidates, std::span(&block, 1), fold);
  };
  if (pool) {
    pool->ParallelFor(plan.folds.size(), build);
  } else {
    for (size_t k = 0; k < plan.folds.size(); ++k) build(k);
  }
  RequireTrainingRows(plan.folds, fmt::format("lower cv.embargo_pct (embargo {} bars) or the label horizon", embargo));
  return plan;
}

}  // namespace alphaloom::cv
