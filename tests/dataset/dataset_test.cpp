#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "alphaloom/common/error.h"
#include "alphaloom/dataset/learning_set.h"
#include "alphaloom/dataset/processors.h"

namespace alphaloom::dataset {
namespace {

const float kNaN = std::nanf("");

struct Matrix {
  std::vector<float> values;
  std::vector<Date> dates;
  size_t cols;
  MatrixRef ref() { return MatrixRef{values.data(), dates.size(), cols, dates}; }
};

TEST(Processors, ZScoreUsesTheFitRowsAndLeavesConstantColumns) {
  Matrix train{{1, 5, 2, 5, 3, 5, kNaN, 5}, {Date(1), Date(2), Date(3), Date(4)}, 2};
  ProcessorChain chain({ProcessorStep{ProcessorKind::kZScore}});
  chain.FitTransform(train.ref());
  // Column 0: mean 2, std (ddof 0) sqrt(2/3); column 1 constant: untouched.
  const double std = std::sqrt(2.0 / 3.0);
  EXPECT_FLOAT_EQ(train.values[0], static_cast<float>(-1 / std));
  EXPECT_FLOAT_EQ(train.values[4], static_cast<float>(1 / std));
  EXPECT_TRUE(std::isnan(train.values[6]));
  EXPECT_EQ(train.values[1], 5.0f);
  Matrix test{{4, 7}, {Date(5)}, 2};
  chain.Transform(test.ref());
  EXPECT_FLOAT_EQ(test.values[0], static_cast<float>(2 / std));
  EXPECT_EQ(test.values[1], 7.0f);
}

TEST(Processors, RobustZScoreClipsAtThree) {
  Matrix train{{1, 2, 3, 4, 100}, {Date(1), Date(2), Date(3), Date(4), Date(5)}, 1};
  ProcessorChain chain({ProcessorStep{ProcessorKind::kRobustZScore}});
  chain.FitTransform(train.ref());
  // median 3, |x - 3| = 2 1 0 1 97 -> MAD 1; scale (1 + 1e-12) * 1.4826.
  const double scale = (1 + 1e-12) * 1.4826;
  EXPECT_FLOAT_EQ(train.values[0], static_cast<float>(-2 / scale));
  EXPECT_FLOAT_EQ(train.values[4], 3.0f);
  ProcessorChain unclipped({ProcessorStep{ProcessorKind::kRobustZScore, 0, false}});
  Matrix again{{1, 2, 3, 4, 100}, {Date(1), Date(2), Date(3), Date(4), Date(5)}, 1};
  unclipped.FitTransform(again.ref());
  EXPECT_FLOAT_EQ(again.values[4], static_cast<float>(97 / scale));
}

TEST(Processors, CrossSectionalStepsWorkPerDay) {
  // Day 1: three rows; day 2: one row (no ddof-1 std) -> NaN z-score; ranks average ties.
  Matrix m{{1, 2, 2, 9}, {Date(1), Date(1), Date(1), Date(2)}, 1};
  ProcessorChain ranks({ProcessorStep{ProcessorKind::kCsRank}});
  Matrix r = m;
  ranks.Transform(r.ref());
  EXPECT_FLOAT_EQ(r.values[0], static_cast<float>((1.0 / 3 - 0.5) * 3.46));
  EXPECT_FLOAT_EQ(r.values[1], static_cast<float>((2.5 / 3 - 0.5) * 3.46));
  EXPECT_FLOAT_EQ(r.values[3], static_cast<float>((1.0 - 0.5) * 3.46));
  ProcessorChain z({ProcessorStep{ProcessorKind::kCsZScore}});
  z.Transform(m.ref());
  const double mean = 5.0 / 3, sd = std::sqrt(((1 - mean) * (1 - mean) + 2 * (2 - mean) * (2 - mean)) / 2);
  EXPECT_FLOAT_EQ(m.values[0], static_cast<float>((1 - mean) / sd));
  EXPECT_TRUE(std::isnan(m.values[3]));
}

TEST(Processors, ProcessInfThenFillNa) {
  const float inf = std::numeric_limits<float>::infinity();
  Matrix m{{1, inf, 3, kNaN}, {Date(1), Date(1), Date(1), Date(2)}, 1};
  ProcessorChain chain({ProcessorStep{ProcessorKind::kProcessInf}, ProcessorStep{ProcessorKind::kFillNa, -1}});
  chain.FitTransform(m.ref());
  EXPECT_EQ(m.values[1], 2.0f);
  EXPECT_EQ(m.values[3], -1.0f);
}

TEST(Processors, StatisticsComeFromTheFitRowsOnly) {
  // Transforming other rows never refits: the statistics stay those of the training rows, and
  // the same rows transform the same way whatever else is transformed.
  const std::vector<ProcessorStep> steps = {ProcessorStep{ProcessorKind::kZScore},
                                            ProcessorStep{ProcessorKind::kRobustZScore}};
  Matrix train{{1, 2, 3, 4}, {Date(1), Date(2), Date(3), Date(4)}, 1};
  ProcessorChain chain(steps);
  chain.FitTransform(train.ref());
  const nlohmann::json fitted = chain.ToJson();
  Matrix outliers{{1e6, -1e6, 5}, {Date(5), Date(6), Date(7)}, 1};
  chain.Transform(outliers.ref());
  EXPECT_EQ(chain.ToJson(), fitted);
  Matrix test{{10}, {Date(8)}, 1};
  chain.Transform(test.ref());
  const double mean = fitted["steps"][0]["center"][0], sd = fitted["steps"][0]["scale"][0];
  const double median = fitted["steps"][1]["center"][0], scale = fitted["steps"][1]["scale"][0];
  EXPECT_DOUBLE_EQ(mean, 2.5);
  const auto z = static_cast<float>((10 - mean) / sd);
  EXPECT_EQ(test.values[0], static_cast<float>(std::clamp((z - median) / scale, -3.0, 3.0)));
  // Fitting on rows that include the outliers gives other statistics: the fit rows matter.
  Matrix wider{{1, 2, 3, 4, 1e6, -1e6}, {Date(1), Date(2), Date(3), Date(4), Date(5), Date(6)}, 1};
  ProcessorChain other(steps);
  other.FitTransform(wider.ref());
  EXPECT_NE(other.ToJson(), fitted);
}

TEST(Processors, JsonRoundTripAndErrors) {
  Matrix train{{1, 2, 3, 4, 5, 6}, {Date(1), Date(2), Date(3)}, 2};
  ProcessorChain chain({ProcessorStep{ProcessorKind::kRobustZScore}, ProcessorStep{ProcessorKind::kFillNa, 0.5}});
  chain.FitTransform(train.ref());
  const ProcessorChain back = ProcessorChain::FromJson(chain.ToJson());
  Matrix x{{7, kNaN}, {Date(9)}, 2}, y = x;
  chain.Transform(x.ref());
  back.Transform(y.ref());
  EXPECT_EQ(x.values, y.values);
  Matrix wrong{{1, 2, 3}, {Date(9)}, 3};
  EXPECT_THROW(back.Transform(wrong.ref()), Error);
  ProcessorChain unfitted({ProcessorStep{ProcessorKind::kZScore}});
  EXPECT_THROW(unfitted.Transform(x.ref()), Error);
  EXPECT_THROW(ParseProcessorKind("minmax"), Error);
  EXPECT_THROW(ProcessorChain::FromJson(nlohmann::json{{"steps", 3}}), Error);
}

TEST(LearningSet, JoinKeepsLabelledFeatureRows) {
  const std::vector<Date> days = {Date(10), Date(11), Date(12)};
  expr::FeatureFrame features({"f"}, {"A", "B"}, {Date(10), Date(10), Date(11), Date(11), Date(12)}, {0, 1, 0, 1, 0});
  for (size_t row = 0; row < features.rows(); ++row) features.At(row, 0) = static_cast<float>(row);
  label::LabelFrame labels;
  labels.calendar = Calendar(days);
  labels.instruments = {"B", "C"};  // C has no features; A has no label
  labels.row_date = {0, 1, 2};
  labels.row_instrument = {0, 0, 1};
  labels.row_t1 = {1, 2, 2};
  labels.value = {0.5, -0.5, 9};
  const LearningSet set = JoinLabels(features, labels);
  ASSERT_EQ(set.rows(), 2u);
  EXPECT_EQ(set.features.At(0, 0), 1.0f);  // B on day 10
  EXPECT_EQ(set.features.At(1, 0), 3.0f);  // B on day 11
  EXPECT_EQ(set.label, (std::vector<double>{0.5, -0.5}));
  EXPECT_EQ(set.row_t1, (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(set.source_row, (std::vector<size_t>{1, 3}));
  labels.instruments = {"X", "Y"};
  EXPECT_THROW(JoinLabels(features, labels), Error);
}

}  // namespace
}  // namespace alphaloom::dataset
