#include <fmt/format.h>

#include "alphaloom/common/error.h"
#include "alphaloom/cv/splitters.h"

namespace alphaloom::cv {
namespace {

// All k-subsets of {0..n-1} in lexicographic order.
std::vector<std::vector<size_t>> Combinations(size_t n, size_t k) {
  std::vector<std::vector<size_t>> all;
  std::vector<size_t> pick(k);
  for (size_t i = 0; i < k; ++i) pick[i] = i;
  while (true) {
    all.push_back(pick);
    size_t i = k;
    while (i > 0 && pick[i - 1] == n - k + i - 1) --i;
    if (i == 0) break;
    ++pick[i - 1];
    for (size_t j = i; j < k; ++j) pick[j] = pick[j - 1] + 1;
  }
  return all;
}

}  // namespace

size_t Binomial(size_t n, size_t k) {
  if (k > n) return 0;
  size_t result = 1;
  for (size_t i = 1; i <= k; ++i) result = result * (n - k + i) / i;
  return result;
}

FoldPlan CombinatorialPurged(const SampleIndex& index, const CpcvSpec& spec, ThreadPool* pool) {
  const size_t dates = index.dates().size();
  if (spec.groups < 2) throw Error(ErrorKind::kConfig, fmt::format("cv.groups: need at least 2, got {}", spec.groups));
  if (spec.test_groups < 1 || spec.test_groups >= spec.groups) {
    throw Error(ErrorKind::kConfig, fmt::format("cv.test_groups: must be in [1, {}), got {}", spec.groups, spec.test_groups));
  }
  if (static_cast<size_t>(spec.groups) > dates) {
    throw Error(ErrorKind::kConfig, fmt::format("cv.groups: {} groups but the samples cover only {} dates", spec.groups, dates));
  }
  const size_t group_count = static_cast<size_t>(spec.groups), test_count = static_cast<size_t>(spec.test_groups);
  const int32_t embargo = EmbargoBars(dates, spec.embargo_pct, "cv.embargo_pct");
  const auto offsets = ArraySplit(dates, group_count);
  FoldPlan plan;
  plan.kind = "cpcv";
  for (size_t g = 0; g < group_count; ++g) plan.groups.push_back(RangeOfDates(index, offsets[g], offsets[g + 1] - 1));
  const auto splits = Combinations(group_count, test_count);
  plan.folds.resize(splits.size());
  auto build = [&](size_t s) {
    Fold& fold = plan.folds[s];
    fold.name = fmt::format("split{}[{}]", s, fmt::join(splits[s], ","));
    std::vector<bool> tested(group_count, false);
    for (size_t g : splits[s]) tested[g] = true;
    // Contiguous runs of test groups form one span each; the other runs are the candidates.
    std::vector<HeldOutBlock> blocks;
    std::vector<DateRange> candidates;
    for (size_t g = 0; g < group_count;) {
      size_t end = g;
      while (end + 1 < group_count && tested[end + 1] == tested[g]) ++end;
      const DateRange run{plan.groups[g].first, plan.groups[end].last};
      if (tested[g]) {
        blocks.push_back({run, embargo});
        fold.test_blocks.push_back(run);
        const auto rows = RowsIn(index, run);
        fold.test.insert(fold.test.end(), rows.begin(), rows.end());
      } else {
        candidates.push_back(run);
      }
      g = end + 1;
    }
    fold.train = PurgedRows(index, candidates, blocks, fold);
  };
  if (pool) {
    pool->ParallelFor(plan.folds.size(), build);
  } else {
    for (size_t s = 0; s < plan.folds.size(); ++s) build(s);
  }
  RequireTrainingRows(plan.folds, "lower cv.embargo_pct or cv.test_groups");
  // Path p takes, for every group, the p-th split (in order) that tested it.
  const size_t path_count = Binomial(group_count - 1, test_count - 1);
  plan.paths.assign(path_count, std::vector<size_t>(group_count, 0));
  std::vector<size_t> seen(group_count, 0);
  for (size_t s = 0; s < splits.size(); ++s) {
    for (size_t g : splits[s]) plan.paths[seen[g]++][g] = s;
  }
  return plan;
}

}  // namespace alphaloom::cv
