// Properties every splitter must have on random panels with random label spans.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "alphaloom/common/error.h"
#include "alphaloom/cv/splitters.h"

namespace alphaloom::cv {
namespace {

// Random panel: `dates` days, up to `instruments` rows per day (some missing), spans of 0..max_span.
SampleIndex RandomIndex(uint32_t seed, size_t dates, size_t instruments, int32_t max_span) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int32_t> span(0, max_span);
  std::bernoulli_distribution present(0.8);
  std::vector<Date> days;
  for (size_t i = 0; i < dates + static_cast<size_t>(max_span); ++i) days.push_back(Date(19000 + static_cast<int32_t>(i)));
  std::vector<int32_t> row_date, row_t1;
  for (int32_t d = 0; d < static_cast<int32_t>(dates); ++d) {
    for (size_t i = 0; i < instruments; ++i) {
      if (!present(rng)) continue;
      row_date.push_back(d);
      row_t1.push_back(d + span(rng));
    }
  }
  return SampleIndex(Calendar(days), row_date, row_t1);
}

bool Overlaps(const SampleIndex& index, uint32_t a, uint32_t b) {
  return index.date(a) <= index.t1(b) && index.t1(a) >= index.date(b);
}

// No training (or validation) row's span meets a test row's span; no training row meets a
// validation row's span; the embargo after each test block holds; sets are disjoint.
void CheckFold(const SampleIndex& index, const Fold& fold, int32_t embargo) {
  for (const uint32_t train : fold.train) {
    for (const uint32_t test : fold.test) ASSERT_FALSE(Overlaps(index, train, test)) << fold.name << " rows " << train << "/" << test;
    for (const uint32_t valid : fold.valid) ASSERT_FALSE(Overlaps(index, train, valid)) << fold.name;
  }
  for (const uint32_t valid : fold.valid) {
    for (const uint32_t test : fold.test) ASSERT_FALSE(Overlaps(index, valid, test)) << fold.name;
  }
  for (const DateRange& block : fold.test_blocks) {
    int32_t last_t1 = block.last;
    for (const uint32_t test : fold.test) {
      if (index.date(test) >= block.first && index.date(test) <= block.last) last_t1 = std::max(last_t1, index.t1(test));
    }
    for (const uint32_t train : fold.train) {
      ASSERT_FALSE(index.date(train) > last_t1 && index.date(train) <= last_t1 + embargo)
          << fold.name << ": row " << train << " inside the embargo";
    }
  }
  std::vector<uint32_t> all = fold.train;
  all.insert(all.end(), fold.valid.begin(), fold.valid.end());
  all.insert(all.end(), fold.test.begin(), fold.test.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(std::adjacent_find(all.begin(), all.end()), all.end()) << fold.name << ": a row in two sets";
}

bool SamePlan(const FoldPlan& a, const FoldPlan& b) {
  if (a.folds.size() != b.folds.size() || a.paths != b.paths) return false;
  for (size_t k = 0; k < a.folds.size(); ++k) {
    if (a.folds[k].train != b.folds[k].train || a.folds[k].valid != b.folds[k].valid ||
        a.folds[k].test != b.folds[k].test || a.folds[k].purged != b.folds[k].purged ||
        a.folds[k].embargoed != b.folds[k].embargoed) {
      return false;
    }
  }
  return true;
}

TEST(SplitterProperties, PurgedKFoldOnRandomPanels) {
  ThreadPool pool(3);
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    const SampleIndex index = RandomIndex(seed, 40 + seed * 5, 4, static_cast<int32_t>(seed % 6));
    const PurgedKFoldSpec spec{static_cast<int>(2 + seed % 5), 0.02 * (seed % 3)};
    const FoldPlan plan = PurgedKFold(index, spec);
    const int32_t embargo = EmbargoBars(index.dates().size(), spec.embargo_pct, "");
    std::vector<int> tested(index.rows(), 0);
    for (const Fold& fold : plan.folds) {
      CheckFold(index, fold, embargo);
      for (const uint32_t row : fold.test) ++tested[row];
    }
    EXPECT_TRUE(std::all_of(tested.begin(), tested.end(), [](int n) { return n == 1; })) << "seed " << seed;
    EXPECT_TRUE(SamePlan(plan, PurgedKFold(index, spec, &pool))) << "seed " << seed;
  }
}

TEST(SplitterProperties, CpcvOnRandomPanels) {
  ThreadPool pool(3);
  for (uint32_t seed = 1; seed <= 8; ++seed) {
    const SampleIndex index = RandomIndex(seed + 100, 60, 3, static_cast<int32_t>(seed % 4));
    const CpcvSpec spec{static_cast<int>(4 + seed % 4), static_cast<int>(1 + seed % 3), 0.02};
    const FoldPlan plan = CombinatorialPurged(index, spec);
    const int32_t embargo = EmbargoBars(index.dates().size(), spec.embargo_pct, "");
    const auto n = static_cast<size_t>(spec.groups), k = static_cast<size_t>(spec.test_groups);
    EXPECT_EQ(plan.folds.size(), Binomial(n, k));
    EXPECT_EQ(plan.paths.size(), Binomial(n - 1, k - 1));
    // phi(N, k) = k/N * C(N, k)
    EXPECT_EQ(plan.paths.size() * n, k * Binomial(n, k));
    for (const Fold& fold : plan.folds) CheckFold(index, fold, embargo);
    EXPECT_TRUE(SamePlan(plan, CombinatorialPurged(index, spec, &pool))) << "seed " << seed;
  }
}

TEST(SplitterProperties, WalkForwardOnRandomPanels) {
  ThreadPool pool(2);
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    const SampleIndex index = RandomIndex(seed + 200, 80, 4, static_cast<int32_t>(seed % 7));
    WalkForwardSpec spec;
    spec.expanding = seed % 2 == 0;
    spec.train_days = 20;
    spec.test_days = 7 + static_cast<int>(seed % 4);
    spec.step_days = seed % 3 == 0 ? 5 : 0;
    spec.valid_days = static_cast<int>(seed % 3) * 4;
    spec.gap_days = static_cast<int>(seed % 2);
    const FoldPlan plan = WalkForward(index, spec);
    ASSERT_FALSE(plan.folds.empty());
    for (const Fold& fold : plan.folds) {
      CheckFold(index, fold, 0);
      // Training is in the past only.
      for (const uint32_t train : fold.train) ASSERT_LT(index.t1(train), index.date(fold.test.front()));
    }
    EXPECT_TRUE(SamePlan(plan, WalkForward(index, spec, &pool))) << "seed " << seed;
  }
}

TEST(SplitterProperties, EmptySamplesAreAnError) {
  const SampleIndex empty(Calendar(std::vector<Date>{Date(19000)}), {}, {});
  EXPECT_THROW(MakePlan(empty, PurgedKFoldSpec{}), Error);
}

}  // namespace
}  // namespace alphaloom::cv
