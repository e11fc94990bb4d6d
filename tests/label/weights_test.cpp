#include "alphaloom/label/weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "alphaloom/common/error.h"
#include "label/label_test_support.h"

namespace alphaloom::label {
namespace {

// reference/finml.md section 3: bars 0..5, events A [0,2], B [1,3], C [4,5].
const std::vector<double> kCloses = {100, 102, 101, 103, 104, 102};
const std::vector<EventSpan> kEvents = {{0, 2}, {1, 3}, {4, 5}};

TEST(SampleWeights, ConcurrencyAndUniqueness) {
  const auto concurrency = Concurrency(kEvents, 6);
  EXPECT_EQ(concurrency, (std::vector<int32_t>{1, 2, 2, 1, 1, 1}));
  const auto uniqueness = AverageUniqueness(kEvents, concurrency);
  EXPECT_NEAR(uniqueness[0], 2.0 / 3, 1e-12);
  EXPECT_NEAR(uniqueness[1], 2.0 / 3, 1e-12);
  EXPECT_NEAR(uniqueness[2], 1.0, 1e-12);
}

TEST(SampleWeights, ReturnAttribution) {
  const auto concurrency = Concurrency(kEvents, 6);
  const auto raw = ReturnAttribution(kEvents, concurrency, kCloses);
  EXPECT_NEAR(raw[0], 0.00497517, 5e-9);
  EXPECT_NEAR(raw[1], 0.02458364, 5e-9);
  EXPECT_NEAR(raw[2], 0.00975617, 5e-9);
}

TEST(SampleWeights, TimeDecay) {
  const std::vector<double> uniqueness = {2.0 / 3, 2.0 / 3, 1.0};
  const std::vector<std::pair<double, std::vector<double>>> cases = {
      {0.5, {0.642857, 0.785714, 1}}, {0.0, {0.285714, 0.571429, 1}}, {-0.5, {0, 0.142857, 1}}, {1.0, {1, 1, 1}}};
  for (const auto& [c, expected] : cases) {
    const auto decay = TimeDecay(uniqueness, c);
    for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(decay[i], expected[i], 5e-7) << "c=" << c << " i=" << i;
  }
  EXPECT_THROW(TimeDecay(uniqueness, -1), Error);
  EXPECT_THROW(TimeDecay(uniqueness, 1.5), Error);
}

TEST(SampleWeights, FrameAttributionIsNormalisedToTheRowCount) {
  const data::Panel panel = test::ClosePanel({kCloses});
  LabelFrame frame;
  frame.calendar = panel.calendar();
  frame.instruments = panel.instruments();
  frame.row_date = {0, 1, 4};
  frame.row_t1 = {2, 3, 5};
  frame.row_instrument = {0, 0, 0};
  frame.value = {1, 1, 1};
  ApplyWeights(frame, panel, WeightSpec{WeightScheme::kAttribution, 1.0});
  EXPECT_NEAR(frame.weight[0], 0.379639, 5e-7);
  EXPECT_NEAR(frame.weight[1], 1.875899, 5e-7);
  EXPECT_NEAR(frame.weight[2], 0.744462, 5e-7);
  ApplyWeights(frame, panel, WeightSpec{WeightScheme::kUniqueness, 0.0});
  EXPECT_NEAR(frame.weight[0], 2.0 / 3 * 0.285714, 5e-7);
  EXPECT_NEAR(frame.weight[2], 1.0, 1e-12);
}

TEST(SampleWeights, InstrumentsDoNotOverlapEachOther) {
  const data::Panel panel = test::ClosePanel({kCloses, kCloses});
  LabelFrame frame;
  frame.calendar = panel.calendar();
  frame.instruments = panel.instruments();
  frame.row_date = {0, 0};
  frame.row_t1 = {2, 2};
  frame.row_instrument = {0, 1};
  frame.value = {1, 1};
  ApplyWeights(frame, panel, WeightSpec{});
  EXPECT_DOUBLE_EQ(frame.weight[0], 1.0);
  EXPECT_DOUBLE_EQ(frame.weight[1], 1.0);
}

}  // namespace
}  // namespace alphaloom::label
