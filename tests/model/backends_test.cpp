// Backend-specific behaviour: spec checks, parameter handling, class labels, the ridge formula,
// the early-stopping rule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "alphaloom/common/error.h"
#include "alphaloom/model/early_stopping.h"
#include "alphaloom/model/lightgbm_model.h"
#include "alphaloom/model/model.h"
#include "alphaloom/model/xgboost_model.h"
#include "model/model_test_support.h"

namespace alphaloom::model {
namespace {

using ::testing::HasSubstr;

template <typename Body>
void ExpectError(Body body, ErrorKind kind, const std::string& text) {
  try {
    body();
    ADD_FAILURE() << "no error; expected one containing '" << text << "'";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), kind) << error.what();
    EXPECT_THAT(error.what(), HasSubstr(text));
  }
}

ModelSpec SpecOf(std::string backend, Objective objective = Objective::kRegression, int num_class = 0) {
  ModelSpec spec;
  spec.backend = std::move(backend);
  spec.objective = objective;
  spec.num_class = num_class;
  spec.num_rounds = 10;
  return spec;
}

TEST(MakeModel, RejectsImpossibleSpecs) {
  ExpectError([] { MakeModel(SpecOf("catboost")); }, ErrorKind::kConfig,
              "unknown model backend 'catboost' (known: lightgbm, xgboost, ridge)");
  ExpectError([] { MakeModel(SpecOf("lightgbm", Objective::kMulticlass)); }, ErrorKind::kConfig,
              "multiclass needs num_class >= 2");
  ExpectError([] { MakeModel(SpecOf("xgboost", Objective::kBinary, 3)); }, ErrorKind::kConfig,
              "num_class = 3 is only for the multiclass objective");
  ModelSpec spec = SpecOf("lightgbm");
  spec.threads = 0;
  ExpectError([&] { MakeModel(spec); }, ErrorKind::kConfig, "threads = 0");
  spec = SpecOf("lightgbm");
  spec.num_rounds = 0;
  ExpectError([&] { MakeModel(spec); }, ErrorKind::kConfig, "num_rounds = 0");
  ExpectError([] { MakeModel(SpecOf("ridge", Objective::kBinary)); }, ErrorKind::kConfig,
              "ridge supports the regression objective only, not binary");
  EXPECT_EQ(ParseObjective("huber"), Objective::kHuber);
  ExpectError([] { ParseObjective("poisson"); }, ErrorKind::kConfig, "unknown objective 'poisson'");
}

TEST(LightGbm, ParametersAreDeterministicAndCanonical) {
  ModelSpec spec = SpecOf("lightgbm", Objective::kMulticlass, 4);
  spec.seed = 11;
  spec.threads = 3;
  spec.params = {{"eta", "0.05"}, {"num_leaves", "15"}};
  const std::map<std::string, std::string> parameters = LightGbmParameters(spec);
  EXPECT_EQ(parameters.at("objective"), "multiclass");
  EXPECT_EQ(parameters.at("num_class"), "4");
  EXPECT_EQ(parameters.at("metric"), "multi_logloss");
  EXPECT_EQ(parameters.at("seed"), "11");
  EXPECT_EQ(parameters.at("num_threads"), "3");
  EXPECT_EQ(parameters.at("deterministic"), "true");
  EXPECT_EQ(parameters.at("force_row_wise"), "true");
  EXPECT_EQ(parameters.at("learning_rate"), "0.05");  // the alias is passed by its canonical name
  EXPECT_EQ(parameters.count("eta"), 0u);
  spec.params = {{"force_col_wise", "true"}};
  EXPECT_EQ(LightGbmParameters(spec).count("force_row_wise"), 0u);
}

TEST(LightGbm, ParameterErrorsNameTheParameter) {
  ModelSpec spec = SpecOf("lightgbm");
  spec.params = {{"eta", "0.1"}, {"learning_rate", "0.2"}};
  ExpectError([&] { MakeModel(spec); }, ErrorKind::kConfig,
              "parameters 'eta' and 'learning_rate' are the same parameter 'learning_rate'");
  spec.params = {{"n_jobs", "4"}};
  ExpectError([&] { MakeModel(spec); }, ErrorKind::kConfig,
              "parameter 'n_jobs' is set through the model spec's 'threads'");
  spec.params = {{"metric", "l2,l1"}};
  ExpectError([&] { MakeModel(spec); }, ErrorKind::kConfig, "give one metric");
  spec.params = {{"min_leaf_data", "5"}};
  ExpectError([&] { MakeModel(spec); }, ErrorKind::kConfig, "lightgbm: unknown parameter 'min_leaf_data'");
}

TEST(LightGbm, LibraryErrorsCarryTheLibraryMessage) {
  ModelSpec spec = SpecOf("lightgbm");
  spec.params = {{"num_leaves", "-4"}};
  const test::SyntheticData train = test::MakeData(Objective::kRegression, 100, 1);
  ExpectError([&] { MakeModel(spec)->Fit(train.labeled()); }, ErrorKind::kExternal, "num_leaves");
}

TEST(XgBoost, ParametersAndTheirErrors) {
  ModelSpec spec = SpecOf("xgboost", Objective::kHuber);
  spec.params = {{"huber_slope", "2"}, {"max_depth", "3"}};
  const std::map<std::string, std::string> parameters = XgBoostParameters(spec);
  EXPECT_EQ(parameters.at("objective"), "reg:pseudohubererror");
  EXPECT_EQ(parameters.at("eval_metric"), "mphe");
  EXPECT_EQ(parameters.at("tree_method"), "hist");
  EXPECT_EQ(parameters.at("huber_slope"), "2");
  const test::SyntheticData train = test::MakeData(Objective::kHuber, 200, 2);
  EXPECT_NO_THROW(MakeModel(spec)->Fit(train.labeled()));

  // huber_slope means nothing to squared error: XGBoost says so, and that is an error here.
  spec.objective = Objective::kRegression;
  ExpectError([&] { MakeModel(spec)->Fit(train.labeled()); }, ErrorKind::kConfig,
              "xgboost: unknown parameter 'huber_slope' (XGBoost does not use it with objective reg:squarederror)");
  spec.params = {{"eta", "0.1"}, {"learning_rate", "0.2"}};
  ExpectError([&] { MakeModel(spec); }, ErrorKind::kConfig, "parameters 'eta' and 'learning_rate' are the same");
  spec.params = {{"random_state", "1"}};
  ExpectError([&] { MakeModel(spec); }, ErrorKind::kConfig, "'random_state' is set through the model spec's 'seed'");
  spec.params = {{"max_depth", "-2"}};
  ExpectError([&] { MakeModel(spec)->Fit(train.labeled()); }, ErrorKind::kExternal, "XGBoost");
}

TEST(ClassLabels, AreChecked) {
  for (const std::string backend : {"lightgbm", "xgboost"}) {
    test::SyntheticData binary = test::MakeData(Objective::kBinary, 100, 3);
    binary.label[12] = 2;
    ExpectError([&] { MakeModel(SpecOf(backend, Objective::kBinary))->Fit(binary.labeled()); }, ErrorKind::kData,
                "binary label at row 12 is 2, not 0 or 1");
    test::SyntheticData multi = test::MakeData(Objective::kMulticlass, 100, 4);
    multi.label[3] = 3;
    ExpectError([&] { MakeModel(SpecOf(backend, Objective::kMulticlass, 3))->Fit(multi.labeled()); }, ErrorKind::kData,
                "multiclass label at row 3 is 3, not a class 0..2");
    multi.label[3] = 0.5;
    ExpectError([&] { MakeModel(SpecOf(backend, Objective::kMulticlass, 3))->Fit(multi.labeled()); }, ErrorKind::kData,
                "multiclass label at row 3 is 0.5");
  }
}

TEST(Ridge, MatchesTheClosedForm) {
  // One feature x = 1..4, y = 2x: z = (x - 2.5) / sqrt(1.25), sum z^2 = 4, so
  // beta = 8 sqrt(1.25) / (4 + alpha) and yhat(x) = 5 + 8 (x - 2.5) / (4 + alpha).
  const std::vector<float> x = {1, 2, 3, 4};
  const std::vector<double> y = {2, 4, 6, 8};
  for (const double alpha : {0.0, 1.0, 10.0}) {
    ModelSpec spec = SpecOf("ridge");
    spec.params = {{"alpha", std::to_string(alpha)}};
    auto model = MakeModel(spec);
    model->Fit({MatrixView(x, 4, 1), y, {}});
    const std::vector<float> query = {4, 0, NAN};
    const Prediction prediction = model->Predict(MatrixView(query, 3, 1));
    EXPECT_NEAR(prediction.At(0), 5 + 8 * 1.5 / (4 + alpha), 1e-12);
    EXPECT_NEAR(prediction.At(1), 5 - 8 * 2.5 / (4 + alpha), 1e-12);
    EXPECT_NEAR(prediction.At(2), 5, 1e-12);  // NaN -> the training mean -> the intercept
    EXPECT_NEAR(model->Importance().gain[0], 8 * std::sqrt(1.25) / (4 + alpha), 1e-12);
  }
}

TEST(Ridge, NaNAndWeightsUseTrainingStatistics) {
  // Column 1 is NaN in row 0: its mean and std come from rows 1..3 only, weighted.
  const std::vector<float> x = {1, NAN, 2, 5, 3, 5, 4, 8};
  const std::vector<double> y = {1, 2, 3, 4};
  const std::vector<double> w = {1, 1, 1, 2};
  ModelSpec spec = SpecOf("ridge");
  spec.params = {{"alpha", "0.5"}};
  auto model = MakeModel(spec);
  model->Fit({MatrixView(x, 4, 2), y, w});
  // The mean of column 1 under weights (1, 1, 2): (5 + 5 + 16) / 4 = 6.5; at that value and at
  // NaN the column contributes nothing, so both queries predict the same.
  const std::vector<float> query = {2, 6.5f, 2, NAN};
  const Prediction prediction = model->Predict(MatrixView(query, 2, 2));
  EXPECT_NEAR(prediction.At(0), prediction.At(1), 1e-12);
  ExpectError(
      [&] {
        model->Fit({MatrixView(x, 4, 2), y, std::vector<double>(4, 0.0)});
      },
      ErrorKind::kData, "every weight is zero");
  ModelSpec bad = SpecOf("ridge");
  bad.params = {{"alpha", "-1"}};
  ExpectError([&] { MakeModel(bad); }, ErrorKind::kConfig, "alpha = '-1'");
}

TEST(Ridge, SingularSystemWithoutPenaltyIsAnError) {
  const std::vector<float> x = {1, 2, 2, 4, 3, 6, 4, 8};  // column 1 = 2 x column 0
  const std::vector<double> y = {1, 2, 3, 4};
  ModelSpec spec = SpecOf("ridge");
  spec.params = {{"alpha", "0"}};
  ExpectError([&] { MakeModel(spec)->Fit({MatrixView(x, 4, 2), y, {}}); }, ErrorKind::kData, "singular");
}

TEST(EarlyStopping, StrictImprovementAndPatience) {
  EarlyStopping stopping(2);
  EXPECT_FALSE(stopping.Update(1.0));
  EXPECT_FALSE(stopping.Update(0.5));
  EXPECT_FALSE(stopping.Update(0.5));  // equal is no improvement
  EXPECT_TRUE(stopping.Update(0.7));
  EXPECT_EQ(stopping.best_round(), 2);
  EXPECT_EQ(stopping.best_loss(), 0.5);

  EarlyStopping never(0);
  for (int round = 0; round < 50; ++round) EXPECT_FALSE(never.Update(1.0 + round));
  EXPECT_EQ(never.best_round(), 1);

  EarlyStopping nan_first(1);
  EXPECT_FALSE(nan_first.Update(std::nan("")));
  EXPECT_EQ(nan_first.best_round(), 1);
  EXPECT_FALSE(nan_first.Update(3.0));
  EXPECT_EQ(nan_first.best_round(), 2);
}

TEST(Importance, AggregatesTheMeanOverFolds) {
  const FeatureImportance a{{"x", "y"}, {1, 3}, {2, 0}};
  const FeatureImportance b{{"x", "y"}, {3, 5}, {4, 2}};
  const std::vector<FeatureImportance> folds = {a, b};
  const FeatureImportance mean = AggregateImportance(folds);
  EXPECT_EQ(mean.gain, (std::vector<double>{2, 4}));
  EXPECT_EQ(mean.split, (std::vector<double>{3, 1}));
  const std::vector<FeatureImportance> mixed = {a, FeatureImportance{{"x", "z"}, {0, 0}, {0, 0}}};
  ExpectError([&] { AggregateImportance(mixed); }, ErrorKind::kData, "feature 1: expected 'y', got 'z'");
}

}  // namespace
}  // namespace alphaloom::model
