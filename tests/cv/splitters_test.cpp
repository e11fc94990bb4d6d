#include "alphaloom/cv/splitters.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "alphaloom/common/error.h"

namespace alphaloom::cv {
namespace {

// A calendar of `n` consecutive days from 2024-01-01 (weekends included: only positions matter).
Calendar Days(size_t n) {
  std::vector<Date> days;
  for (size_t i = 0; i < n; ++i) days.push_back(Date(Date::FromYmd(2024, 1, 1).days() + static_cast<int32_t>(i)));
  return Calendar(days);
}

// reference/finml.md section 4.1: 10 observations, t1_i = min(i + 2, 9).
SampleIndex TenObservations() {
  std::vector<int32_t> dates, ends;
  for (int32_t i = 0; i < 10; ++i) {
    dates.push_back(i);
    ends.push_back(std::min(i + 2, 9));
  }
  return SampleIndex(Days(10), dates, ends);
}

std::vector<uint32_t> Seq(uint32_t first, uint32_t last) {
  std::vector<uint32_t> out;
  for (uint32_t i = first; i <= last; ++i) out.push_back(i);
  return out;
}

TEST(PurgedKFold, ReferenceExampleWithEmbargo) {
  const FoldPlan plan = PurgedKFold(TenObservations(), PurgedKFoldSpec{3, 0.1});
  ASSERT_EQ(plan.folds.size(), 3u);
  EXPECT_EQ(plan.folds[0].test, Seq(0, 3));
  EXPECT_EQ(plan.folds[1].test, Seq(4, 6));
  EXPECT_EQ(plan.folds[2].test, Seq(7, 9));
  EXPECT_EQ(plan.folds[0].train, Seq(7, 9));
  EXPECT_EQ(plan.folds[1].train, Seq(0, 1));
  EXPECT_EQ(plan.folds[2].train, Seq(0, 4));
  // Fold 0: 4, 5 purged (start within [0, 5]), 6 embargoed.
  EXPECT_EQ(plan.folds[0].purged, 2u);
  EXPECT_EQ(plan.folds[0].embargoed, 1u);
  // Fold 1: 2, 3 (end inside) and 7, 8 purged, 9 embargoed.
  EXPECT_EQ(plan.folds[1].purged, 4u);
  EXPECT_EQ(plan.folds[1].embargoed, 1u);
}

// Open mlfinlab's PurgedKFold as reference/finml.md section 4.1 describes it: the purge window
// starts at the first test label's END time and ends at the last test element's t1, and the
// embargo shifts that end. Kept only to show the leak.
std::vector<uint32_t> MlfinlabTrain(const SampleIndex& index, uint32_t first, uint32_t last, int32_t embargo) {
  const int32_t window_start = index.t1(first);
  const int32_t window_end = index.t1(last) + embargo;
  std::vector<uint32_t> train;
  for (uint32_t row = 0; row < index.rows(); ++row) {
    if (row >= first && row <= last) continue;
    const bool left = index.t1(row) < window_start;
    const bool right = index.date(row) > window_end;
    if (left || right) train.push_back(row);
  }
  return train;
}

TEST(PurgedKFold, MlfinlabVariantLeaksWhereOursDoesNot) {
  const SampleIndex index = TenObservations();
  const FoldPlan plan = PurgedKFold(index, PurgedKFoldSpec{3, 0.1});
  EXPECT_EQ(MlfinlabTrain(index, 4, 6, 1), (std::vector<uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(MlfinlabTrain(index, 7, 9, 1), Seq(0, 6));
  for (const uint32_t leaked : {2u, 3u}) {
    // Rows 2 and 3 end on days 4 and 5, inside fold 1's test block [4, 6].
    EXPECT_GE(index.t1(leaked), 4);
    EXPECT_EQ(std::count(plan.folds[1].train.begin(), plan.folds[1].train.end(), leaked), 0);
  }
  EXPECT_EQ(std::count(plan.folds[2].train.begin(), plan.folds[2].train.end(), 5u), 0);
}

TEST(PurgedKFold, BadSpecs) {
  const SampleIndex index = TenObservations();
  EXPECT_THROW(PurgedKFold(index, PurgedKFoldSpec{1, 0}), Error);
  EXPECT_THROW(PurgedKFold(index, PurgedKFoldSpec{11, 0}), Error);
  EXPECT_THROW(PurgedKFold(index, PurgedKFoldSpec{3, 1.0}), Error);
  EXPECT_THROW(PurgedKFold(index, PurgedKFoldSpec{3, -0.1}), Error);
  try {
    PurgedKFold(index, PurgedKFoldSpec{2, 0.9});  // embargo of 9 bars swallows every training row
    FAIL() << "a fold without training rows was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kConfig);
    EXPECT_NE(std::string(error.what()).find("no training rows"), std::string::npos) << error.what();
  }
}

TEST(WalkForward, MatchesTimeSeriesSplitWithoutOverlap) {
  // t1 = t0: no label overlap, so the folds are scikit-learn's TimeSeriesSplit(n_splits=3).
  std::vector<int32_t> dates;
  for (int32_t i = 0; i < 10; ++i) dates.push_back(i);
  const SampleIndex index(Days(10), dates, dates);
  WalkForwardSpec spec;
  spec.train_days = 4;
  spec.test_days = 2;
  FoldPlan plan = WalkForward(index, spec);
  ASSERT_EQ(plan.folds.size(), 3u);
  EXPECT_EQ(plan.folds[0].train, Seq(0, 3));
  EXPECT_EQ(plan.folds[0].test, Seq(4, 5));
  EXPECT_EQ(plan.folds[2].train, Seq(0, 7));
  EXPECT_EQ(plan.folds[2].test, Seq(8, 9));
  spec.first_test = Date::FromYmd(2024, 1, 5);
  spec.gap_days = 1;
  plan = WalkForward(index, spec);
  EXPECT_EQ(plan.folds[0].train, Seq(0, 2));
  EXPECT_EQ(plan.folds[1].train, Seq(0, 4));
  spec.gap_days = 0;
  spec.expanding = false;
  spec.train_days = 3;
  plan = WalkForward(index, spec);
  EXPECT_EQ(plan.folds[0].train, Seq(1, 3));
  EXPECT_EQ(plan.folds[1].train, Seq(3, 5));
  EXPECT_EQ(plan.folds[2].train, Seq(5, 7));
}

TEST(WalkForward, PurgesLabelsThatReachIntoValidationAndTest) {
  const SampleIndex index = TenObservations();  // spans of 2 bars
  WalkForwardSpec spec;
  spec.train_days = 4;
  spec.valid_days = 2;
  spec.test_days = 4;
  const FoldPlan plan = WalkForward(index, spec);
  ASSERT_EQ(plan.folds.size(), 1u);
  const Fold& fold = plan.folds[0];
  EXPECT_EQ(fold.test, Seq(6, 9));
  EXPECT_EQ(fold.train, Seq(0, 1));  // 2, 3 end in the validation dates 4, 5
  EXPECT_TRUE(fold.valid.empty());   // 4, 5 end in the test dates 6, 7
  EXPECT_EQ(fold.purged, 4u);
}

TEST(Segments, PurgeAtTheBoundariesUnlessDisabled) {
  const SampleIndex index = TenObservations();
  SegmentsSpec spec;
  spec.train_start = Date::FromYmd(2024, 1, 1);
  spec.train_end = Date::FromYmd(2024, 1, 6);
  spec.test_start = Date::FromYmd(2024, 1, 7);
  spec.test_end = Date::FromYmd(2024, 1, 10);
  FoldPlan plan = Segments(index, spec);
  EXPECT_EQ(plan.folds[0].train, Seq(0, 3));
  EXPECT_EQ(plan.folds[0].test, Seq(6, 9));
  spec.purge = false;
  plan = Segments(index, spec);
  EXPECT_EQ(plan.folds[0].train, Seq(0, 5));
  spec.test_start = Date::FromYmd(2024, 1, 5);
  EXPECT_THROW(Segments(index, spec), Error);  // overlapping segments
  spec.test_start = Date::FromYmd(2025, 1, 1);
  spec.test_end = Date::FromYmd(2025, 2, 1);
  EXPECT_THROW(Segments(index, spec), Error);  // an empty segment
}

TEST(Cpcv, CountsAndPaths) {
  std::vector<int32_t> dates;
  for (int32_t i = 0; i < 60; ++i) dates.push_back(i);
  const SampleIndex index(Days(60), dates, dates);
  for (const auto& [n, k, splits, paths] : std::vector<std::tuple<int, int, size_t, size_t>>{
           {6, 2, 15, 5}, {10, 2, 45, 9}, {10, 8, 45, 36}, {5, 1, 5, 1}}) {
    const FoldPlan plan = CombinatorialPurged(index, CpcvSpec{n, k, 0.0});
    ASSERT_EQ(plan.folds.size(), splits) << n << "," << k;
    ASSERT_EQ(plan.paths.size(), paths) << n << "," << k;
    EXPECT_EQ(Binomial(static_cast<size_t>(n), static_cast<size_t>(k)), splits);
    // Each path tests every group exactly once, each time with a split that does test it.
    for (const auto& path : plan.paths) {
      for (size_t g = 0; g < path.size(); ++g) {
        const Fold& fold = plan.folds[path[g]];
        const auto first = static_cast<uint32_t>(plan.groups[g].first);
        EXPECT_TRUE(std::binary_search(fold.test.begin(), fold.test.end(), first));
      }
    }
    // Every (split, group) test pair is used by exactly one path.
    std::vector<size_t> uses(static_cast<size_t>(n) * splits, 0);
    for (const auto& path : plan.paths) {
      for (size_t g = 0; g < path.size(); ++g) ++uses[path[g] * static_cast<size_t>(n) + g];
    }
    for (size_t s = 0; s < splits; ++s) {
      for (size_t g = 0; g < static_cast<size_t>(n); ++g) {
        const auto first = static_cast<uint32_t>(plan.groups[g].first);
        const bool tested = std::binary_search(plan.folds[s].test.begin(), plan.folds[s].test.end(), first);
        EXPECT_EQ(uses[s * static_cast<size_t>(n) + g], tested ? 1u : 0u);
      }
    }
  }
}

TEST(Cpcv, AdjacentTestGroupsFormOneSpan) {
  std::vector<int32_t> dates, ends;
  for (int32_t i = 0; i < 10; ++i) {
    dates.push_back(i);
    ends.push_back(std::min(i + 1, 9));
  }
  const SampleIndex index(Days(10), dates, ends);
  const FoldPlan plan = CombinatorialPurged(index, CpcvSpec{5, 2, 0.0});
  // Split 0 tests groups 0 and 1 (dates 0..3): one span [0, 4].
  EXPECT_EQ(plan.folds[0].test_blocks.size(), 1u);
  EXPECT_EQ(plan.folds[0].test, Seq(0, 3));
  EXPECT_EQ(plan.folds[0].train, Seq(5, 9));
  // Split 1 tests groups 0 and 2 (dates 0, 1 and 4, 5): two spans, [0, 2] and [4, 6]; 2 starts
  // inside the first, 3 ends inside the second, 6 starts inside it.
  EXPECT_EQ(plan.folds[1].test_blocks.size(), 2u);
  EXPECT_EQ(plan.folds[1].train, Seq(7, 9));
  EXPECT_EQ(plan.folds[1].purged, 3u);
}

}  // namespace
}  // namespace alphaloom::cv
