#include "alphaloom/model/uncertainty.h"

#include <gtest/gtest.h>

#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::model {
namespace {

const double kNaN = std::nan("");

TEST(FoldSpread, MeanAndSampleStdPerRow) {
  const std::vector<std::vector<double>> folds = {{1, 10, kNaN}, {2, 10, 4}, {3, 10, kNaN}};
  const FoldSpread spread = SpreadOfFolds(folds);
  EXPECT_DOUBLE_EQ(spread.mean[0], 2);
  EXPECT_DOUBLE_EQ(spread.std[0], 1);  // ddof = 1: sqrt((1 + 0 + 1) / 2)
  EXPECT_DOUBLE_EQ(spread.mean[1], 10);
  EXPECT_DOUBLE_EQ(spread.std[1], 0);
  EXPECT_DOUBLE_EQ(spread.mean[2], 4);  // one finite prediction: a mean, no spread
  EXPECT_TRUE(std::isnan(spread.std[2]));

  const std::vector<std::vector<double>> ragged = {{1, 2}, {1}};
  EXPECT_THROW(SpreadOfFolds(ragged), Error);
  EXPECT_THROW(SpreadOfFolds(std::span<const std::vector<double>>()), Error);
}

TEST(FoldSpread, ClassProbabilitiesElementWise) {
  const std::vector<Prediction> folds = {{1, 2, {0.2, 0.8}}, {1, 2, {0.4, 0.6}}};
  const FoldSpread spread = SpreadOfFolds(folds);
  ASSERT_EQ(spread.mean.size(), 2u);
  EXPECT_NEAR(spread.mean[0], 0.3, 1e-15);
  EXPECT_NEAR(spread.std[1], std::sqrt(0.02), 1e-15);
}

TEST(ProbUp, NormalApproximation) {
  EXPECT_DOUBLE_EQ(ProbUpNormal(0.0, 1.0), 0.5);
  EXPECT_NEAR(ProbUpNormal(1.0, 1.0), 0.8413447460685429, 1e-15);
  EXPECT_NEAR(ProbUpNormal(-0.01, 0.02), 0.3085375387259869, 1e-15);
  EXPECT_DOUBLE_EQ(ProbUpNormal(10.0, 1.0), 0.99);  // clipped
  EXPECT_DOUBLE_EQ(ProbUpNormal(-10.0, 1.0), 0.01);
  EXPECT_DOUBLE_EQ(ProbUpNormal(0.1, 0.0), 0.99);  // no uncertainty: the sure answer, clipped
  EXPECT_DOUBLE_EQ(ProbUpNormal(0.0, kNaN), 0.5);
  EXPECT_TRUE(std::isnan(ProbUpNormal(kNaN, 1.0)));
  const std::vector<double> yhat = {1.0, -1.0};
  const std::vector<double> sigma = {1.0, 1.0};
  const std::vector<double> probability = ProbUpNormal(yhat, sigma);
  EXPECT_NEAR(probability[0] + probability[1], 1.0, 1e-15);
}

TEST(ProbUp, SigmaCombinesSpreadAndResidual) {
  const std::vector<double> prediction = {1, 2, 3, kNaN};
  const std::vector<double> label = {2, 2, 1, 5};
  EXPECT_DOUBLE_EQ(OutOfFoldRmse(prediction, label), std::sqrt(5.0 / 3.0));
  EXPECT_THROW(OutOfFoldRmse(std::vector<double>{kNaN}, std::vector<double>{1}), Error);
  const std::vector<double> spread = {3, kNaN};
  const std::vector<double> sigma = CombinedSigma(spread, 4);
  EXPECT_DOUBLE_EQ(sigma[0], 5);
  EXPECT_DOUBLE_EQ(sigma[1], 4);
}

TEST(ProbUp, FromClassProbabilities) {
  const Prediction binary{3, 1, {0.3, 0.999, 0.0}};
  const std::vector<int> up = {1};
  EXPECT_EQ(ProbUpFromClasses(binary, up), (std::vector<double>{0.3, 0.99, 0.01}));
  const std::vector<int> down = {0};
  EXPECT_NEAR(ProbUpFromClasses(binary, down)[0], 0.7, 1e-15);
  const Prediction buckets{1, 3, {0.2, 0.3, 0.5}};
  const std::vector<int> upper = {1, 2};
  EXPECT_NEAR(ProbUpFromClasses(buckets, upper)[0], 0.8, 1e-15);
  const std::vector<int> bad = {3};
  EXPECT_THROW(ProbUpFromClasses(buckets, bad), Error);
}

}  // namespace
}  // namespace alphaloom::model
